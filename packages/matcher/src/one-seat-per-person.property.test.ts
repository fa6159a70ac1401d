import {
  type Busy,
  type DrawExpert,
  isOverlapping,
  type Task,
  type Tier,
} from '@expert-dispatch/rules';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NOW } from './fixtures.test-helpers.js';
import { prepareHistory } from './prepare-history.js';
import { preparePool } from './prepare-pool.js';
import { selectPanel } from './select-panel.js';
import { generateHistory } from './synthetic/generate-history.js';
import { generatePool } from './synthetic/generate-pool.js';
import { generateTask } from './synthetic/generate-task.js';

const drawShape = fc.record({
  poolSeed: fc.string({ minLength: 1, maxLength: 6 }),
  size: fc.integer({ min: 20, max: 80 }),
  // Which experts get a second (and third) record, and which record of a person is booked.
  copies: fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
  thirds: fc.array(fc.nat(), { maxLength: 5 }),
  bookings: fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 10 }),
  copyTier: fc.constantFrom<Tier>('city', 'county'),
  tier: fc.constantFrom<Tier>('province', 'city', 'county'),
  extraSeats: fc.integer({ min: 0, max: 3 }),
  alternates: fc.integer({ min: 0, max: 6 }),
  shadows: fc.integer({ min: 0, max: 3 }),
  policy: fc.constantFrom('best', 'lottery', 'capped' as const),
  seed: fc.string({ maxLength: 8 }),
  excludeCount: fc.integer({ min: 0, max: 3 }),
  fixCopy: fc.boolean(),
});

/** A copy of `expert` as a record of the same person in a local pool of the same area. */
function localRecord(expert: DrawExpert, suffix: string, tier: Tier): DrawExpert {
  return { ...expert, id: `${expert.id}-${suffix}`, personId: expert.id, tier };
}

describe('one seat per person on random pools with duplicated persons (第二十一条, 第十五条)', () => {
  it('never seats, reserves or shadows a person twice, nor anyone booked or unavailable under any of their records', () => {
    let drawn = 0;
    let withDuplicateEligible = 0;
    fc.assert(
      fc.property(drawShape, (shape) => {
        const generated = generatePool({ size: shape.size, seed: shape.poolSeed, now: NOW });
        const copied = [...new Set(shape.copies.map((n) => n % generated.length))];
        const experts: DrawExpert[] = generated.map((expert, n) =>
          copied.includes(n) ? { ...expert, personId: expert.id } : expert,
        );
        for (const n of copied)
          experts.push(localRecord(experts[n] as DrawExpert, 'l', shape.copyTier));
        for (const n of shape.thirds) {
          const original = experts[copied[n % copied.length] as number] as DrawExpert;
          if (!experts.some((e) => e.id === `${original.id}-c`)) {
            experts.push(localRecord(original, 'c', 'county'));
          }
        }
        const base = generateTask({
          seed: `${shape.poolSeed}-${shape.seed}`,
          now: NOW,
          experts,
          industries: 1,
          specialties: 1,
          panelSize: 1 + shape.extraSeats,
          alternates: shape.alternates,
          shadows: shape.shadows,
        });
        const task: Task = { ...base, requestedBy: { ...base.requestedBy, tier: shape.tier } };
        const history = generateHistory({ experts, seed: shape.poolSeed, now: NOW });
        const booked: Busy[] = shape.bookings.map(([n, copy]) => {
          const original = experts[copied[n % copied.length] as number] as DrawExpert;
          return {
            expertId: copy ? `${original.id}-l` : original.id,
            taskId: `other-${n}`,
            from: task.window.from,
            to: task.window.to,
          };
        });
        const fullHistory = { ...history, busy: [...history.busy, ...booked] };
        const exclude = experts.slice(0, shape.excludeCount).map((e) => e.id);
        const fixed = shape.fixCopy ? [`${experts[copied[0] as number]?.id}-l`] : [];
        const pool = preparePool(experts);
        const input = {
          task,
          experts: pool,
          history: prepareHistory(fullHistory, pool),
          now: NOW,
          policy: shape.policy,
          cap: 0.6,
          seed: shape.seed,
          exclude,
          fixed,
        };
        const result = selectPanel(input);
        expect(selectPanel({ ...input, experts, history: fullHistory })).toEqual(result);
        if (!result.ok) return;
        drawn++;
        if ((result.funnel.samePerson ?? 0) > 0) withDuplicateEligible++;
        const byId = new Map(experts.map((expert) => [expert.id, expert]));
        const personOf = (id: string) => byId.get(id)?.personId ?? id;
        const seated = [
          ...result.members.map((m) => m.expertId),
          ...result.alternates.map((a) => a.expertId),
          ...result.shadows.map((s) => s.expertId),
        ];
        // One seat per person, across members, leader, alternates and shadows.
        expect(new Set(seated.map(personOf)).size).toBe(seated.length);
        for (const id of fixed) expect(seated).toContain(id);
        const seatedPersons = new Set(seated.map(personOf));
        for (const expert of experts) {
          if (!seatedPersons.has(personOf(expert.id))) continue;
          // Availability by person: no record of a seated person is booked or away.
          const busy = fullHistory.busy.filter(
            (b) => b.expertId === expert.id && b.taskId !== task.id,
          );
          expect(busy.filter((b) => isOverlapping(b, task.window))).toEqual([]);
          expect(expert.unavailable.filter((p) => isOverlapping(p, task.window))).toEqual([]);
          // A person the caller excluded under one record is not back under another, unless
          // the caller fixed another of their records: the caller's choice of record stands.
          const fixedPerson = fixed.some((id) => personOf(id) === personOf(expert.id));
          if (!fixedPerson) expect(exclude).not.toContain(expert.id);
        }
      }),
      { numRuns: 150 },
    );
    expect(drawn).toBeGreaterThan(40);
    expect(withDuplicateEligible).toBeGreaterThan(10);
  });
});
