import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ z: [{ y: 1, x: null }], a: '中文' }, '{"a":"中文","z":[{"x":null,"y":1}]}'],
    [{ a: undefined, b: 1 }, '{"b":1}'],
    [undefined, 'null'],
    [[3, 'x', true], '[3,"x",true]'],
  ])('writes %j as %s', (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });

  it('gives the same text whatever the key order', () => {
    expect(canonicalJson({ a: { c: 1, d: 2 }, b: 3 })).toBe(
      canonicalJson({ b: 3, a: { d: 2, c: 1 } }),
    );
  });
});
