import type { FieldError } from '../../errors.js';
import { type CsvRecord, parseCsv } from './csv.js';
import { columnOfHeader, type ExpertColumn, readCell } from './expert-columns.js';

/** One input row before validation: a JSON object, or the error that kept it from being one. */
export interface ImportRow {
  /** 1-based position of the record in the input (the CSV header is not counted). */
  readonly row: number;
  /** The CSV line the record starts on. */
  readonly line?: number;
  readonly value: Record<string, unknown> | null;
  readonly errors: readonly FieldError[];
}

export type HeaderProblem = FieldError;

/**
 * The rows of a CSV import: header cells are mapped through {@link columnOfHeader}; unknown or
 * repeated headers reject the whole file (returned as `headerErrors`), broken records reject
 * their own row only.
 *
 * @example
 * readCsvRows('姓名,手机\n张三,13800000000').rows[0]?.value; // { name: '张三', phone: '13800000000' }
 */
export function readCsvRows(text: string): { rows: ImportRow[]; headerErrors: HeaderProblem[] } {
  return readTableRows(parseCsv(text));
}

/**
 * The rows of a table read from any spreadsheet (CSV records, the first sheet of an .xlsx
 * workbook): the first record is the header; the same columns and checks as a CSV file.
 *
 * @example
 * readTableRows([{ line: 1, cells: ['姓名'] }, { line: 2, cells: ['张三'] }]).rows[0]?.value; // { name: '张三' }
 */
export function readTableRows(records: readonly CsvRecord[]): {
  rows: ImportRow[];
  headerErrors: HeaderProblem[];
} {
  const [header, ...body] = records;
  if (!header) {
    return { rows: [], headerErrors: [{ path: 'header', message: 'the file is empty' }] };
  }
  const headerErrors: HeaderProblem[] = [];
  const columns: (ExpertColumn | undefined)[] = header.cells.map((cell, index) => {
    const col = columnOfHeader(cell);
    if (!col) headerErrors.push({ path: `header.${index}`, message: `unknown column “${cell}”` });
    return col;
  });
  const seen = new Map<ExpertColumn, number>();
  columns.forEach((col, index) => {
    if (!col) return;
    const first = seen.get(col);
    if (first !== undefined) {
      headerErrors.push({
        path: `header.${index}`,
        message: `column “${header.cells[index]}” repeats column ${first + 1} (${col.en})`,
      });
    } else {
      seen.set(col, index);
    }
  });
  if (header.error) headerErrors.push({ path: 'header', message: header.error });
  const rows = body.map((record, index): ImportRow => {
    const base = { row: index + 1, line: record.line };
    if (record.error)
      return { ...base, value: null, errors: [{ path: '', message: record.error }] };
    if (record.cells.length !== columns.length) {
      return {
        ...base,
        value: null,
        errors: [
          { path: '', message: `expected ${columns.length} cells, found ${record.cells.length}` },
        ],
      };
    }
    const value: Record<string, unknown> = {};
    record.cells.forEach((cell, cellIndex) => {
      const col = columns[cellIndex];
      if (!col) return;
      const read = readCell(cell, col);
      if (read !== undefined) setPath(value, col.path, read);
    });
    const appointment = value.appointment as Record<string, unknown> | undefined;
    if (appointment && appointment.sealed === undefined) appointment.sealed = false;
    return { ...base, value, errors: [] };
  });
  return { rows, headerErrors };
}

/** The rows of a JSON import: `{ "experts": [...] }` or a bare array. */
export function readJsonRows(body: unknown): ImportRow[] {
  const list = Array.isArray(body) ? body : (body as { experts: unknown[] }).experts;
  return list.map((item, index) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? { row: index + 1, value: item as Record<string, unknown>, errors: [] }
      : { row: index + 1, value: null, errors: [{ path: '', message: 'expected an object' }] },
  );
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path.at(-1);
  if (last !== undefined) node[last] = value;
}
