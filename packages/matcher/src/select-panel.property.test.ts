import { yunnanGmy2025 } from '@expert-dispatch/rules';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NOW } from './fixtures.test-helpers.js';
import { expectPanelConstraints, expectValidDraw } from './panel-invariants.test-helpers.js';
import { prepareHistory } from './prepare-history.js';
import { preparePool } from './prepare-pool.js';
import { selectPanel } from './select-panel.js';
import { generateHistory } from './synthetic/generate-history.js';
import { generatePool } from './synthetic/generate-pool.js';
import { generateTask } from './synthetic/generate-task.js';

const drawShape = fc.record({
  poolSeed: fc.string({ minLength: 1, maxLength: 6 }),
  size: fc.integer({ min: 30, max: 160 }),
  industries: fc.integer({ min: 1, max: 3 }),
  specialties: fc.integer({ min: 0, max: 3 }),
  extraSeats: fc.integer({ min: 0, max: 3 }),
  alternates: fc.integer({ min: 0, max: 5 }),
  shadows: fc.integer({ min: 0, max: 2 }),
  tier: fc.constantFrom('province', 'city', 'county' as const),
  policy: fc.constantFrom('best', 'lottery', 'capped' as const),
  cap: fc.constantFrom(0.3, 0.6, 1),
  seed: fc.string({ maxLength: 8 }),
  excludeCount: fc.integer({ min: 0, max: 4 }),
});

describe('selectPanel on random pools and tasks', () => {
  it('keeps every hard rule and constraint for members, alternates and shadows, replays identically, and lets the first alternate replace a member', () => {
    let drawn = 0;
    let withAlternates = 0;
    let withShadows = 0;
    fc.assert(
      fc.property(drawShape, (shape) => {
        const experts = generatePool({ size: shape.size, seed: shape.poolSeed, now: NOW });
        const history = generateHistory({ experts, seed: shape.poolSeed, now: NOW });
        const generated = generateTask({
          seed: `${shape.poolSeed}-${shape.seed}`,
          now: NOW,
          experts,
          industries: shape.industries,
          specialties: shape.specialties,
          panelSize: shape.industries + shape.extraSeats,
          alternates: shape.alternates,
          shadows: shape.shadows,
        });
        const task = {
          ...generated,
          requestedBy: { ...generated.requestedBy, tier: shape.tier },
        };
        const exclude = experts.slice(0, shape.excludeCount).map((e) => e.id);
        const pool = preparePool(experts);
        const input = {
          task,
          experts: pool,
          history: prepareHistory(history, pool),
          now: NOW,
          policy: shape.policy,
          cap: shape.cap,
          seed: shape.seed,
          exclude,
        };
        const result = selectPanel(input);
        expect(result.ok || result.code === 'infeasible').toBe(true);
        // Same input, raw or prepared, gives the same output.
        expect(selectPanel({ ...input, experts, history })).toEqual(result);
        if (!result.ok) {
          if (result.code === 'infeasible') expect(result.unmet.length).toBeGreaterThan(0);
          return;
        }
        expectValidDraw(result, experts, task, yunnanGmy2025, history.busy, exclude);
        drawn++;
        if (result.alternates.length > 0) withAlternates++;
        if (result.shadows.length > 0) withShadows++;
        const first = result.alternates[0];
        if (first !== undefined) {
          const replaced = first.replaces[0] as string;
          const swapped = result.members.map((m) =>
            m.expertId === replaced ? first.expertId : m.expertId,
          );
          expectPanelConstraints(swapped, experts, task, yunnanGmy2025);
        }
        const listed = new Set(result.excluded.flatMap((group) => group.expertIds));
        expect(listed.size + result.eligible).toBe(experts.length);
      }),
      { numRuns: 150 },
    );
    // The random pools must mostly allow a panel, or the property says little.
    expect(drawn).toBeGreaterThan(75);
    expect(withAlternates).toBeGreaterThan(20);
    expect(withShadows).toBeGreaterThan(5);
  });
});
