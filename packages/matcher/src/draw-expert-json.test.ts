import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { drawExpertJson } from './draw-expert-json.js';
import { generatePool } from './synthetic/generate-pool.js';

const NOW = '2026-03-01T09:00:00+08:00';

const anything = fc.anything({
  withDate: true,
  withSparseArray: true,
  withNullPrototype: true,
  withObjectString: true,
  withBoxedValues: true,
  withBigInt: false,
  withMap: false,
  withSet: false,
  withTypedArray: false,
});

// Where in a record a value may be put: top-level members and members of its nested objects
// and array elements, known or not.
const paths = fc.constantFrom(
  ['id'],
  ['practiceYears'],
  ['appointment'],
  ['appointment', 'sealed'],
  ['appointment', 'extra'],
  ['employer', 'name'],
  ['employer', '0'],
  ['industries'],
  ['industries', '0'],
  ['industries', '3'],
  ['conflicts'],
  ['conflicts', '0'],
  ['unavailable', '0', 'from'],
  ['warnings'],
  ['ageWaiverApproval'],
  ['personId'],
  ['unknownKey'],
  ['__proto__'],
  ['toJSON'],
  ['1'],
);

function outcome(write: () => string): { text: string } | { thrown: string } {
  try {
    return { text: write() };
  } catch (error) {
    return { thrown: error instanceof Error ? error.name : String(error) };
  }
}

function withValueAt(record: unknown, path: readonly string[], value: unknown): unknown {
  const copy = structuredClone(record) as Record<string, unknown>;
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    const next = at[key];
    if (typeof next !== 'object' || next === null) {
      at[key] = {};
    }
    at = at[key] as Record<string, unknown>;
  }
  Object.defineProperty(at, path[path.length - 1] as string, {
    value,
    enumerable: true,
    configurable: true,
    writable: true,
  });
  return copy;
}

describe('drawExpertJson writes what canonicalJson writes', () => {
  it('for every synthetic expert, warnings, approvals and person ids included', () => {
    fc.assert(
      fc.property(fc.string(), (seed) => {
        for (const expert of generatePool({ size: 40, seed, now: NOW })) {
          expect(drawExpertJson(expert)).toBe(canonicalJson(expert));
          const person = { ...expert, personId: `p-${seed}` };
          expect(drawExpertJson(person)).toBe(canonicalJson(person));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('for an expert with any value put anywhere, known key or not (or throws where it throws)', () => {
    const experts = generatePool({ size: 30, seed: 'odd', now: NOW });
    fc.assert(
      fc.property(fc.nat(29), paths, anything, (at, path, value) => {
        const record = withValueAt(experts[at], path, value);
        expect(outcome(() => drawExpertJson(record))).toEqual(outcome(() => canonicalJson(record)));
      }),
      { numRuns: 3_000 },
    );
  });

  it('for any value at all', () => {
    fc.assert(
      fc.property(anything, (value) => {
        expect(outcome(() => drawExpertJson(value))).toEqual(outcome(() => canonicalJson(value)));
      }),
      { numRuns: 1_000 },
    );
  });

  it('leaves out undefined members and does not write inherited or hidden ones', () => {
    const [expert] = generatePool({ size: 1, seed: 'hidden', now: NOW });
    const sparse = { ...expert, personId: undefined, industries: ['metallurgy', undefined] };
    expect(drawExpertJson(sparse)).toBe(canonicalJson(sparse));
    const inherited = Object.assign(Object.create({ personId: 'p-1' }), expert);
    expect(drawExpertJson(inherited)).toBe(canonicalJson(inherited));
    const hidden = { ...expert };
    Object.defineProperty(hidden, 'personId', { value: 'p-2', enumerable: false });
    expect(drawExpertJson(hidden)).toBe(canonicalJson(hidden));
    expect(drawExpertJson(hidden)).not.toContain('p-2');
    const specialties: string[] = [];
    specialties[1] = 'gas';
    const holes = { ...expert, specialties };
    expect(drawExpertJson(holes)).toBe(canonicalJson(holes));
  });
});
