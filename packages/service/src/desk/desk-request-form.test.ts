import { calendarOfYears, chinaNational2025To2026 } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import { workingDaysHint } from './desk-request-form.js';

const NAME = { zh: '工作日历', en: 'Working-day calendar' };
const with2027 = calendarOfYears('test', NAME, [
  {
    year: 2026,
    holidays: [...chinaNational2025To2026.holidays.filter((d) => d >= '2026')],
    makeupWorkdays: [],
  },
  { year: 2027, holidays: ['2027-01-01'], makeupWorkdays: [] },
]);

describe('the desk calendar (第十条（四）)', () => {
  it.each([
    ['names the missing year and marks its days unknown', chinaNational2025To2026, true],
    ['says nothing once the year is loaded', with2027, false],
  ])('%s', (_name, calendar, missing) => {
    const html = workingDaysHint('zh', calendar, '2026-12-20', 35);
    expect(html.includes('尚未载入2027年的节假日安排')).toBe(missing);
    expect(html.includes('未知')).toBe(missing);
    expect(html).not.toContain('答复期限按工作日');
  });

  it('marks 元旦 2027 off and the Monday after it a working day, as loaded', () => {
    const html = workingDaysHint('en', with2027, '2026-12-28', 14);
    expect(html).toContain('<td class="off"><span>01-01</span> <small>off</small></td>');
    expect(html).toContain('<td class=""><span>01-04</span> <small>working</small></td>');
  });
});
