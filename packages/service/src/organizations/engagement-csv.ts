import { engagementKinds } from '@expert-dispatch/rules';
import type { FieldError } from '../errors.js';
import { parseCsv } from '../experts/import/csv.js';
import { toFieldErrors } from '../http/field-errors.js';
import { type EngagementInput, engagementInputSchema } from './engagement-input.js';

/** Headers of an engagement CSV, English or Chinese. */
const COLUMNS: Readonly<Record<string, keyof EngagementInput>> = {
  enterpriseId: 'enterpriseId',
  服务对象编号: 'enterpriseId',
  kind: 'kind',
  业务类型: 'kind',
  from: 'from',
  开始日期: 'from',
  to: 'to',
  结束日期: 'to',
};

const MAX_ROWS = 5_000;

/** The kinds by their Chinese names (安全评价 → safety_evaluation), as a department's sheet has them. */
const KIND_OF_ZH: ReadonlyMap<string, string> = new Map(
  engagementKinds.values.map((kind) => [engagementKinds.labels[kind].zh, kind]),
);

/**
 * Reads an engagement CSV (`enterpriseId,kind,from,to`, or the Chinese headers; a kind by its
 * code or its Chinese name, 安全评价): the valid rows,
 * or every problem with its path `rows.N.field` (N counts data rows from 0) and line.
 *
 * @example
 * readEngagementCsv('enterpriseId,kind,from,to\nent-1,testing,2025-01-01,2025-02-01').rows.length; // 1
 */
export function readEngagementCsv(text: string): {
  rows: EngagementInput[];
  errors: FieldError[];
} {
  const [header, ...records] = parseCsv(text);
  if (header === undefined) {
    return { rows: [], errors: [{ path: 'body', message: 'the CSV is empty' }] };
  }
  const fields = header.cells.map((cell) => COLUMNS[cell.trim()]);
  const missing = (['enterpriseId', 'kind', 'from', 'to'] as const).filter(
    (field) => !fields.includes(field),
  );
  const errors: FieldError[] = [];
  header.cells.forEach((cell, index) => {
    if (fields[index] === undefined) {
      errors.push({ path: `header.${index}`, message: `unknown column "${cell}"` });
    }
  });
  for (const field of missing) errors.push({ path: 'header', message: `missing column ${field}` });
  if (records.length > MAX_ROWS) {
    errors.push({ path: 'body', message: `at most ${MAX_ROWS} rows per import` });
  }
  if (errors.length > 0) return { rows: [], errors };
  const rows: EngagementInput[] = [];
  records.forEach((record, index) => {
    if (record.error !== undefined) {
      errors.push({ path: `rows.${index}`, message: `line ${record.line}: ${record.error}` });
      return;
    }
    const object: Record<string, string> = {};
    fields.forEach((field, column) => {
      if (field !== undefined) object[field] = (record.cells[column] ?? '').trim();
    });
    if (object.kind !== undefined) object.kind = KIND_OF_ZH.get(object.kind) ?? object.kind;
    const parsed = engagementInputSchema.safeParse(object);
    if (parsed.success) rows.push(parsed.data);
    else {
      for (const error of toFieldErrors(parsed.error, `rows.${index}`)) {
        errors.push({ path: error.path, message: `line ${record.line}: ${error.message}` });
      }
    }
  });
  return { rows, errors };
}
