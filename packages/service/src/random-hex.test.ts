import { describe, expect, it } from 'vitest';
import { randomHex } from './random-hex.js';

describe('randomHex', () => {
  it.each([
    [1, 2],
    [10, 20],
    [16, 32],
    [5000, 10_000],
  ])('gives %i bytes as %i lowercase hex digits', (bytes, digits) => {
    expect(randomHex(bytes)).toMatch(new RegExp(`^[0-9a-f]{${digits}}$`));
  });

  it('never repeats an id across batches', () => {
    const ids = Array.from({ length: 2000 }, () => randomHex(10));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
