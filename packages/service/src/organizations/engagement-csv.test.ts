import { describe, expect, it } from 'vitest';
import { readEngagementCsv } from './engagement-csv.js';

const HEADER = '服务对象编号,业务类型,开始日期,结束日期';

describe('readEngagementCsv (第十六条（一）)', () => {
  it.each([
    ['safety_evaluation', 'safety_evaluation'],
    ['安全评价', 'safety_evaluation'],
    ['设计', 'design'],
    ['检测检验', 'testing'],
    ['标准化评审', 'standardization_review'],
    ['咨询服务', 'consulting'],
  ])('reads the kind %s as %s', (cell, kind) => {
    const read = readEngagementCsv(`${HEADER}\nent-1,${cell},2025-01-01,2025-02-01`);
    expect(read.errors).toEqual([]);
    expect(read.rows).toEqual([
      { enterpriseId: 'ent-1', kind, from: '2025-01-01', to: '2025-02-01' },
    ]);
  });

  it.each([
    ['审计', 'rows.0.kind'],
    ['safety_evaluation,2025-03-01,2025-02-01', 'rows.0.to'],
  ])('refuses %s with the path of the bad cell', (cells, path) => {
    const line = cells.includes(',') ? `ent-1,${cells}` : `ent-1,${cells},2025-01-01,2025-02-01`;
    const read = readEngagementCsv(`${HEADER}\n${line}`);
    expect(read.errors.map((e) => e.path)).toEqual([path]);
  });
});
