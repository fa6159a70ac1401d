import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, digestList, sha256Hex } from './canonical-json.js';
import { generatePool } from './synthetic/generate-pool.js';

/** The serializer as it was until #17 (parts joined), kept as the definition to match. */
function referenceCanonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts);
  return parts.join('');
}

function write(value: unknown, out: string[]): void {
  if (value === null || typeof value !== 'object') {
    out.push(value === undefined ? 'null' : (JSON.stringify(value) as string));
    return;
  }
  if (value instanceof Date) {
    out.push(JSON.stringify(value.toISOString()));
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, index) => {
      if (index > 0) out.push(',');
      write(item === undefined ? null : item, out);
    });
    out.push(']');
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  out.push('{');
  keys.forEach((key, index) => {
    if (index > 0) out.push(',');
    out.push(JSON.stringify(key), ':');
    write(record[key], out);
  });
  out.push('}');
}

const NOW = '2026-03-01T09:00:00+08:00';

function outcome(write: () => string): { text: string } | { thrown: string } {
  try {
    return { text: write() };
  } catch (error) {
    return { thrown: error instanceof Error ? error.name : String(error) };
  }
}

describe('canonicalJson matches the definition the stored digests were made with', () => {
  it('writes any value byte for byte as before (undefined, dates, holes, odd numbers, keys)', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withDate: true,
          withSparseArray: true,
          withNullPrototype: true,
          withObjectString: true,
          withBoxedValues: false,
          withBigInt: false,
          withMap: false,
          withSet: false,
          withTypedArray: false,
        }),
        (value) => {
          // An invalid date throws in both; anything else writes the same text.
          expect(outcome(() => canonicalJson(value))).toEqual(
            outcome(() => referenceCanonicalJson(value)),
          );
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('writes every synthetic expert as before', () => {
    fc.assert(
      fc.property(fc.string(), (seed) => {
        for (const expert of generatePool({ size: 20, seed, now: NOW }))
          expect(canonicalJson(expert)).toBe(referenceCanonicalJson(expert));
      }),
      { numRuns: 50 },
    );
  });

  it('digests a pool larger than a hash chunk as the whole text, with noble or node:crypto', () => {
    const experts = generatePool({ size: 3_000, seed: 'chunks', now: NOW });
    const whole = sha256Hex(referenceCanonicalJson(experts));
    expect(referenceCanonicalJson(experts).length).toBeGreaterThan(1 << 20);
    expect(digestList(experts)).toBe(whole);
    expect(digestList(experts, () => createHash('sha256'))).toBe(whole);
  });

  it('throws on an invalid date as before', () => {
    expect(() => canonicalJson({ at: new Date(Number.NaN) })).toThrow(RangeError);
  });

  it('digests the empty list and a list of one', () => {
    expect(digestList([])).toBe(sha256Hex('[]'));
    expect(digestList([{ b: undefined, a: 1 }], () => createHash('sha256'))).toBe(
      sha256Hex('[{"a":1}]'),
    );
  });
});
