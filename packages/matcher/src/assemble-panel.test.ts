import { describe, expect, it } from 'vitest';
import { type AssemblyRequest, assemblePanel, type CandidateTraits } from './assemble-panel.js';
import { bestOrder } from './candidate-order.js';

// Candidates by pool index: [employer, coverage (bit 0 = first task industry), leader title, specialties].
function request(
  table: readonly [number, number, boolean, number][],
  overrides: Partial<AssemblyRequest> = {},
): AssemblyRequest {
  const candidates = Int32Array.from(table, (_, k) => k);
  const traits: CandidateTraits = {
    employerCount: 10,
    employerOf: (i) => table[i]?.[0] ?? 0,
    coverOf: (i) => table[i]?.[1] ?? 0,
    isLeaderTitled: (i) => table[i]?.[2] ?? false,
    specialtiesOf: (i) => table[i]?.[3] ?? 0,
  };
  // Earlier rows rank higher.
  const scores = Float64Array.from(table, (_, k) => table.length - k);
  const kindCounts = new Int32Array(8);
  for (const [, cover, leader] of table) {
    const kind = cover * 2 + (leader ? 1 : 0);
    kindCounts[kind] = (kindCounts[kind] as number) + 1;
  }
  return {
    order: bestOrder(candidates, scores, new Uint32Array(table.length)),
    candidates,
    kindCounts,
    traits,
    panelSize: 2,
    maxPerEmployer: 1,
    industryCount: 2,
    specialtyCount: 0,
    specialtyHolders: Int32Array.of(
      table.filter(([, , , s]) => s & 1).length,
      table.filter(([, , , s]) => s & 2).length,
    ),
    fixed: [],
    specialtyReach: Number.POSITIVE_INFINITY,
    ...overrides,
  };
}

describe('assemblePanel', () => {
  it('backtracks when the first choice for an industry leaves no seat for a leader', () => {
    const result = assemblePanel(
      request([
        [0, 0b01, false, 0],
        [1, 0b10, false, 0],
        [2, 0b01, true, 0],
      ]),
    );
    expect(result).toEqual({ ok: true, members: [2, 1], specialtyGaps: 0 });
  });

  it('reports the employer limit when only one employer offers what is needed', () => {
    const result = assemblePanel(
      request([
        [0, 0b01, true, 0],
        [0, 0b10, false, 0],
        [1, 0b01, false, 0],
      ]),
    );
    expect(result).toEqual({ ok: false, unmet: [{ constraint: 'employer-limit' }] });
  });

  it('fills a seat for an uncovered specialty before the remaining seats', () => {
    const result = assemblePanel(
      request(
        [
          [0, 0b11, true, 0],
          [1, 0b11, true, 0],
          [2, 0b01, false, 0b1],
        ],
        { specialtyCount: 2 },
      ),
    );
    expect(result).toEqual({ ok: true, members: [0, 2], specialtyGaps: 0b10 });
  });

  it('keeps fixed members and counts their coverage', () => {
    const result = assemblePanel(
      request(
        [
          [0, 0b01, true, 0],
          [1, 0b01, false, 0],
          [2, 0b10, false, 0],
        ],
        { fixed: [1] },
      ),
    );
    expect(result).toEqual({
      ok: false,
      unmet: [{ constraint: 'composition', needed: 3, available: 2 }],
    });
  });
});
