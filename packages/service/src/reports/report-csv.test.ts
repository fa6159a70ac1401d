import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './report-csv.js';

describe('csvCell (formula-injection-safe cells)', () => {
  it.each<[string, string | number | boolean | null, string]>([
    ['keeps plain Chinese text as it is', '张明华', '张明华'],
    ['defuses a leading =', '=1+1', "'=1+1"],
    ['defuses a leading + even before a digit', '+1+cmd', "'+1+cmd"],
    [
      'defuses a leading - even before a digit (DDE)',
      "-2+3+cmd|' /C calc'!A0",
      "'-2+3+cmd|' /C calc'!A0",
    ],
    ['defuses a leading @', '@SUM(A1)', "'@SUM(A1)"],
    ['defuses a leading tab', '\t=1', "'\t=1"],
    [
      'quotes a defused cell with a comma and doubles its quotes',
      '=HYPERLINK("a","b")',
      `"'=HYPERLINK(""a"",""b"")"`,
    ],
    ['quotes a cell with a line break', '甲\n乙', '"甲\n乙"'],
    ['writes a negative number as a number', -2, '-2'],
    ['writes a decimal as it is', 4.5, '4.5'],
    ['leaves an empty cell for null', null, ''],
    ['writes yes and no in Chinese', true, '是'],
  ])('%s', (_name, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

describe('toCsv', () => {
  it('starts with a byte-order mark and ends every line with CRLF', () => {
    expect(toCsv(['姓名', '次数'], [['张三', 2]])).toBe('\uFEFF姓名,次数\r\n张三,2\r\n');
  });
});
