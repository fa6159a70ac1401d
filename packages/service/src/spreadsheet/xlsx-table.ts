import ExcelJS from 'exceljs';

/** The media type of an Excel workbook (.xlsx). */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Cell = string | number | boolean | null;

/** One sheet to write: a name, a header row and the rows under it. */
export interface XlsxSheet {
  readonly name: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

/** One row read from a sheet: its row number (the header is row 1) and its cells as text. */
export interface XlsxRecord {
  readonly line: number;
  readonly cells: string[];
}

/** True when the bytes start as a ZIP archive does (`PK\x03\x04`), as every .xlsx file does. */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * A workbook with one sheet per table: the header bold and frozen, text written as text (so that
 * a phone or ID number keeps its digits and nothing is read as a formula), numbers as numbers,
 * booleans as 是/否.
 *
 * @example
 * const bytes = await writeXlsx([{ name: '专家', header: ['姓名'], rows: [['张三']] }]);
 */
export async function writeXlsx(sheets: readonly XlsxSheet[]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  for (const sheet of sheets) {
    // Excel refuses sheet names over 31 characters or with []:*?/\ in them.
    const worksheet = workbook.addWorksheet(sheet.name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31), {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    worksheet.addRow([...sheet.header]).font = { bold: true };
    for (const row of sheet.rows) {
      worksheet.addRow(
        row.map((cell) => (typeof cell === 'boolean' ? (cell ? '是' : '否') : cell)),
      );
    }
    worksheet.columns.forEach((column, index) => {
      const widest = Math.max(
        ...[sheet.header[index] ?? '', ...sheet.rows.map((row) => String(row[index] ?? ''))].map(
          displayWidth,
        ),
      );
      column.width = Math.min(60, Math.max(8, widest + 2));
    });
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/**
 * The rows of the first sheet of a workbook as text cells, blank rows skipped, each row padded
 * to the width of the header. A file that is not a readable workbook comes back as an error
 * message, never as an exception.
 *
 * @example
 * const read = await readXlsx(bytes); // { ok: true, records: [{ line: 1, cells: ['姓名'] }, …] }
 */
export async function readXlsx(
  bytes: Uint8Array,
): Promise<{ ok: true; records: XlsxRecord[] } | { ok: false; message: string }> {
  const workbook = new ExcelJS.Workbook();
  try {
    // A copy that owns its whole ArrayBuffer: the declared parameter type is an ArrayBuffer.
    await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  } catch (error) {
    return { ok: false, message: `not a readable .xlsx workbook (${describe(error)})` };
  }
  const worksheet = workbook.worksheets[0];
  if (!worksheet) return { ok: false, message: 'the workbook has no sheet' };
  const records: XlsxRecord[] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cellText(cell.value);
    });
    const filled = Array.from(cells, (cell) => cell ?? '');
    if (filled.some((cell) => cell.trim() !== '')) records.push({ line: rowNumber, cells: filled });
  });
  const header = records[0];
  if (header) {
    // Trailing empty header cells are formatting, not columns.
    while (header.cells.length > 0 && header.cells.at(-1)?.trim() === '') header.cells.pop();
    const width = header.cells.length;
    for (const record of records.slice(1)) {
      while (record.cells.length < width) record.cells.push('');
      while (record.cells.length > width && record.cells.at(-1)?.trim() === '') record.cells.pop();
    }
  }
  return { ok: true, records };
}

// The text a person sees in a cell: rich text joined, a formula's cached result, a date as
// YYYY-MM-DD (Excel stores typed dates as dates, and the import reads ISO dates).
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: ExcelJS.CellValue }).result;
    return result === undefined ? '' : cellText(result);
  }
  if ('hyperlink' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return '';
}

// CJK characters take two columns of width in Excel.
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += (char.codePointAt(0) ?? 0) > 0x2e80 ? 2 : 1;
  return width;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : 'unknown error';
}
