import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleArray, assembleColumn, assembleRows, planPool } from './pool-pieces.js';

// A change to a list of n numbered records, applied the plain way: the expected new list.
function applied(
  n: number,
  changed: ReadonlyMap<number, string>,
  removed: ReadonlySet<number>,
  added: readonly (readonly [string, number])[],
): string[] {
  const out: string[] = [];
  for (let r = 0; r <= n; r++) {
    for (const [value, place] of added) if (place === r) out.push(value);
    if (r === n) break;
    if (removed.has(r)) continue;
    out.push(changed.get(r) ?? `old-${r}`);
  }
  return out;
}

describe('planPool and the assembled arrays', () => {
  it('give the list the change makes, with each old record at its new index', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('change', 'remove' as const))),
        fc.array(fc.nat(), { maxLength: 6 }),
        (n, edits, places) => {
          const changed = new Map<number, string>();
          const removed = new Set<number>();
          for (const [at, kind] of edits) {
            if (n === 0) break;
            const r = at % n;
            if (changed.has(r) || removed.has(r)) continue;
            if (kind === 'change') changed.set(r, `new-${r}`);
            else removed.add(r);
          }
          const added = places
            .map((place, k) => [`add-${k}`, place % (n + 1)] as const)
            .sort((a, b) => a[1] - b[1]);
          const plan = planPool(n, changed, [...removed], added);
          const old = Array.from({ length: n }, (_, r) => `old-${r}`);
          const expected = applied(n, changed, removed, added);
          expect(assembleArray(old, plan.pieces, (value) => value)).toEqual(expected);
          expect(plan.size).toBe(expected.length);
          for (let r = 0; r < n; r++) {
            if (removed.has(r)) expect(plan.newIndexOf[r]).toBe(-1);
            else expect(expected[plan.newIndexOf[r] as number]).toBe(changed.get(r) ?? `old-${r}`);
          }
          for (const [j, value] of plan.fresh) expect(expected[j]).toBe(value);
          const column = assembleColumn(
            Int32Array.from(old, (_, r) => r + 1),
            plan,
            (k) => new Int32Array(k),
          );
          expected.forEach((value, j) => {
            expect(column[j]).toBe(value.startsWith('old-') ? Number(value.slice(4)) + 1 : 0);
          });
          // Row r of the old rows holds r % 3 values, each r.
          const starts = [0];
          const values: number[] = [];
          for (let r = 0; r < n; r++) {
            for (let k = 0; k < r % 3; k++) values.push(r);
            starts.push(values.length);
          }
          const rows = assembleRows(Int32Array.from(starts), Int32Array.from(values), plan, () => [
            -1,
          ]);
          expected.forEach((value, j) => {
            const row = [...rows.values.subarray(rows.start[j], rows.start[j + 1])];
            if (value.startsWith('old-')) {
              const r = Number(value.slice(4));
              expect(row).toEqual(Array.from({ length: r % 3 }, () => r));
            } else {
              expect(row).toEqual([-1]);
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
