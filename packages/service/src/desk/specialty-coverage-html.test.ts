import { describe, expect, it } from 'vitest';
import { specialtyCoverageHtml } from './specialty-coverage-html.js';

const nameOf = (id: string) => ({ 'e-1': '张三' })[id] ?? id;

describe('the draw record’s specialties (第十四条)', () => {
  it.each([
    [
      'specialty-first',
      'e-1',
      '<td>粉尘涉爆</td><td>优先选用具备该专业特长的专家</td><td>张三</td>',
    ],
    ['fixed', 'e-1', '<td>粉尘涉爆</td><td>由指定的组长或成员具备</td><td>张三</td>'],
    ['none-eligible', null, '<td>粉尘涉爆</td><td>无符合条件的专家具备</td><td>—</td>'],
    ['no-seat', null, '<td>粉尘涉爆</td><td>专家组已无空位</td><td>—</td>'],
  ])('says how %s met it, in Chinese', (how, expertId, row) => {
    const html = specialtyCoverageHtml(
      'zh',
      [{ specialty: 'dust_explosion', how, expertId }],
      nameOf,
    );
    expect(html).toContain('专业特长（第十四条）');
    expect(html).toContain(row);
  });

  it('prints nothing for a draw that recorded no coverage (selection 1)', () => {
    expect(specialtyCoverageHtml('zh', undefined, nameOf)).toBe('');
  });
});
