import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv, toCsvLine } from './csv.js';

describe('parseCsv', () => {
  it.each([
    [
      'a,b\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'a,b\r\n1,2\r\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      '\uFEFF姓名,手机\n张三,138',
      [
        ['姓名', '手机'],
        ['张三', '138'],
      ],
    ],
    [
      '"a,b","c""d"\n"line\nbreak",x',
      [
        ['a,b', 'c"d'],
        ['line\nbreak', 'x'],
      ],
    ],
    [
      'a,,b\n\n,',
      [
        ['a', '', 'b'],
        ['', ''],
      ],
    ],
  ])('reads %j', (text, cells) => {
    expect(parseCsv(text).map((r) => r.cells)).toEqual(cells);
  });

  it('reports the line each record starts on', () => {
    expect(parseCsv('h\n"x\ny"\nz').map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it.each([
    ['h\n"never closed,1\n2', /never closes/],
    ['h\n"a"b,1', /after a closing quote/],
    ['h\na"b,1', /quote inside an unquoted cell/],
  ])('flags a broken record in %j instead of throwing', (text, message) => {
    const broken = parseCsv(text).find((r) => r.error);
    expect(broken?.error).toMatch(message);
  });
});

describe('toCsvLine', () => {
  it('quotes separators and quotes and defuses formulas', () => {
    expect(toCsvLine(['a,b', 'c"d', '=1+1', '+8613800000000', 'x', '-2+3+cmd|x', '-1.5'])).toBe(
      `"a,b","c""d",'=1+1,+8613800000000,x,'-2+3+cmd|x,-1.5`,
    );
  });

  it('round-trips through parseCsv', () => {
    const cells = ['多行\n文本', '𠀀 emoji 🚒', 'a"b', ''];
    expect(parseCsv(toCsvLine(cells))[0]?.cells).toEqual(cells);
  });
});

describe('CSV round trip (property)', () => {
  it('reads back any cells it wrote, whatever the characters', () => {
    const cell = fc
      .string({ unit: 'grapheme', maxLength: 20 })
      .filter((text) => !/^[=+\-@\t\r]/.test(text));
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const text = rows.map(toCsvLine).join('\r\n');
          const parsed = parseCsv(text).map((r) => r.cells);
          // A record of one empty cell is a blank line, which the parser skips.
          const expected = rows.filter((row) => !(row.length === 1 && row[0] === ''));
          expect(parsed).toEqual(expected);
        },
      ),
    );
  });
});
