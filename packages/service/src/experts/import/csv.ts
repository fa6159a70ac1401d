/** One record of a CSV file: its cells and the line it starts on (the header is line 1). */
export interface CsvRecord {
  readonly line: number;
  readonly cells: string[];
  /** Set when the record is malformed, e.g. a quote that never closes. */
  readonly error?: string;
}

/**
 * Parses RFC 4180 CSV (UTF-8, optional BOM, CRLF or LF, quoted cells with `""` escapes and
 * line breaks). Never throws: a broken record comes back with `error` set, so that an import
 * can reject that row and go on. Blank lines are skipped.
 *
 * @example
 * parseCsv('姓名,手机\n"张, 三",13800000000').map((r) => r.cells); // [['姓名','手机'],['张, 三','13800000000']]
 */
export function parseCsv(text: string): CsvRecord[] {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let line = 1;
  let index = 0;
  while (index < source.length) {
    const startLine = line;
    const cells: string[] = [];
    let cell = '';
    let error: string | undefined;
    let inRecord = true;
    while (inRecord) {
      if (source[index] === '"') {
        // A quoted cell runs to the next quote not followed by another quote.
        index += 1;
        let closed = false;
        while (index < source.length) {
          const char = source[index] as string;
          if (char === '"') {
            if (source[index + 1] === '"') {
              cell += '"';
              index += 2;
              continue;
            }
            index += 1;
            closed = true;
            break;
          }
          if (char === '\n') line += 1;
          cell += char;
          index += 1;
        }
        if (!closed) error = `a quoted cell opened on line ${startLine} never closes`;
        // Text between the closing quote and the next separator is kept, but flagged.
        while (index < source.length && !isSeparator(source, index)) {
          error ??= `unexpected text after a closing quote on line ${line}`;
          cell += source[index];
          index += 1;
        }
      } else {
        while (index < source.length && !isSeparator(source, index)) {
          if (source[index] === '"') error ??= `a quote inside an unquoted cell on line ${line}`;
          cell += source[index];
          index += 1;
        }
      }
      cells.push(cell);
      cell = '';
      if (source[index] === ',') {
        index += 1;
        continue;
      }
      // End of record: a line break or the end of the text.
      if (source[index] === '\r') index += 1;
      if (source[index] === '\n') {
        index += 1;
        line += 1;
      }
      inRecord = false;
    }
    const blank = cells.length === 1 && cells[0] === '' && error === undefined;
    if (!blank)
      records.push(
        error === undefined ? { line: startLine, cells } : { line: startLine, cells, error },
      );
  }
  return records;
}

function isSeparator(source: string, index: number): boolean {
  const char = source[index];
  return (
    char === ',' || char === '\n' || (char === '\r' && source[index + 1] === '\n') || char === '\r'
  );
}

/**
 * One CSV line from cells, quoting where needed. Cells that a spreadsheet would read as a
 * formula (`=`, `+`, `-`, `@` first) are prefixed with `'` to defuse CSV injection.
 *
 * @example
 * toCsvLine(['a,b', 'c"d', '=1+1']); // '"a,b","c""d",\'=1+1'
 */
export function toCsvLine(cells: readonly string[]): string {
  return cells.map(toCsvCell).join(',');
}

// A cell a spreadsheet could run as a formula gets a leading apostrophe; a value that is only
// a number (a phone number `+86…`, a count) is left as it is. `-2+3+cmd|…` is a formula, not a
// number, and is defused.
function toCsvCell(value: string): string {
  const defused =
    /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(defused) ? `"${defused.replaceAll('"', '""')}"` : defused;
}
