import { describe, expect, it } from 'vitest';
import { jsonColumn } from './query-rows.js';

describe('jsonColumn', () => {
  it.each([
    ['an object already parsed', { a: 1 }, { a: 1 }],
    ['an object as JSON text', '{"a":1}', { a: 1 }],
    ['an array as JSON text', '[[1,"x"]]', [[1, 'x']]],
    ['a JSON string the driver already parsed', '无法参加', '无法参加'],
    ['SQL null', null, null],
    ['a missing value', undefined, null],
  ])('reads %s', (_what, value, expected) => {
    expect(jsonColumn(value)).toEqual(expected);
  });
});
