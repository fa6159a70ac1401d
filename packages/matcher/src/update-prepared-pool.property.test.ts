import type { DrawExpert } from '@expert-dispatch/rules';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, digestList } from './canonical-json.js';
import { NOW } from './fixtures.test-helpers.js';
import { poolDigestVersionOf } from './pool-digest.js';
import { prepareHistory } from './prepare-history.js';
import { type PreparedPool, preparePool } from './prepare-pool.js';
import { selectPanel } from './select-panel.js';
import { generateHistory } from './synthetic/generate-history.js';
import { generatePool } from './synthetic/generate-pool.js';
import { generateTask } from './synthetic/generate-task.js';
import { updatePreparedPool } from './update-prepared-pool.js';

// One operation on the pool: a new version of a record (another synthetic record's profile under
// its id, with what a draw reads about the person sometimes set), a new record (its id sorting
// right after a record's, before all or after all: inserted at any position), or a removal.
const operation = fc.record({
  kind: fc.constantFrom('modify', 'modify', 'add', 'add', 'remove', 'remove' as const),
  at: fc.nat(),
  donor: fc.nat(),
  place: fc.constantFrom('after', 'after', 'first', 'last' as const),
  conflict: fc.boolean(),
  absent: fc.boolean(),
  warned: fc.boolean(),
  person: fc.constantFrom(undefined, undefined, undefined, undefined, 'p-1', 'p-2'),
});

const newId = (place: 'after' | 'first' | 'last', target: string, n: number) =>
  place === 'first' ? `a-${n}` : place === 'last' ? `z-${n}` : `${target}-n${n}`;

const byId = (a: DrawExpert, b: DrawExpert) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function drawsOf(pool: PreparedPool, experts: readonly DrawExpert[], seed: string) {
  const history = generateHistory({ experts: [...experts], seed: 'h', now: NOW });
  const task = generateTask({ seed, now: NOW, experts: [...experts], industries: 2, panelSize: 3 });
  return (['best', 'lottery', 'capped'] as const).map((policy) =>
    canonicalJson(
      selectPanel({
        task,
        experts: pool,
        history: prepareHistory(history, pool),
        now: NOW,
        policy,
        cap: 0.6,
        seed,
      }),
    ),
  );
}

const nameOf = (index: ReadonlyMap<string, number>) => {
  const names = new Map([...index].map(([name, id]) => [id, name]));
  return (id: number | undefined) => names.get(id as number);
};

// What a draw can read of each record, with interned ids turned back into names and the
// entries of the shared structures gathered per record (their order and numbering may differ).
function recordsView(pool: PreparedPool) {
  const employer = nameOf(pool.employerIndex);
  const region = nameOf(pool.regionIndex);
  const city = nameOf(pool.cityIndex);
  const specialty = nameOf(pool.specialtyIndex);
  const conflicts = new Map<number, string[]>();
  for (const [organization, list] of pool.conflictsByOrganization) {
    for (const i of list) conflicts.set(i, [...(conflicts.get(i) ?? []), organization]);
  }
  const absences = new Map<number, string[]>();
  pool.unavailableExpert.forEach((i, k) => {
    absences.set(i, [
      ...(absences.get(i) ?? []),
      `${pool.unavailableFrom[k]}-${pool.unavailableTo[k]}`,
    ]);
  });
  return pool.ids.map((id, i) => ({
    id,
    columns: [
      pool.active[i],
      pool.termFrom[i],
      pool.termTo[i],
      pool.standing[i],
      pool.industryMask[i],
      pool.comprehensive[i],
      pool.tier[i],
      pool.titleRank[i],
      pool.practiceYears[i],
      pool.profileDay[i],
      pool.idHash[i],
      ...[...pool.ageBarCache.values()].map((bars) => bars[i]),
    ],
    employer: employer(pool.employer[i]),
    region: region(pool.region[i]),
    city: city(pool.city[i]),
    specialties: [
      ...pool.specialtyIds.subarray(pool.specialtyStart[i], pool.specialtyStart[i + 1]),
    ].map(specialty),
    conflicts: (conflicts.get(i) ?? []).sort(),
    absences: (absences.get(i) ?? []).sort(),
    warnings: [...(pool.warningDays.get(i) ?? [])],
    reappointed: pool.reappointed.get(i) ?? null,
    person: pool.personRecords.get(i) ?? null,
  }));
}

describe('updatePreparedPool', () => {
  it('gives, after every random change, the pool preparePool gives of the changed list: the same pool-digest@2 digest and the same draws under every policy (第十条)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 5 }),
        fc.integer({ min: 30, max: 90 }),
        fc.array(fc.array(operation, { minLength: 1, maxLength: 3 }), {
          minLength: 1,
          maxLength: 4,
        }),
        (seed, size, steps) => {
          let list: DrawExpert[] = generatePool({ size, seed, now: NOW }).sort(byId);
          const donors = generatePool({ size: 60, seed: `${seed}-donor`, now: NOW });
          const enterprise = generateTask({ seed, now: NOW, experts: list, industries: 2 })
            .enterprise.id;
          let pool = preparePool(list, { digest: 2 });
          let added = 0;
          for (const step of steps) {
            const upserted: DrawExpert[] = [];
            const removed: string[] = [];
            for (const op of step) {
              const target = list[op.at % list.length] as DrawExpert;
              const donor = donors[op.donor % donors.length] as DrawExpert;
              if (op.kind === 'remove') {
                removed.push(target.id);
                continue;
              }
              const id = op.kind === 'add' ? newId(op.place, target.id, added++) : target.id;
              const { personId: _personId, ...profile } = donor;
              upserted.push({
                ...profile,
                id,
                ...(op.person === undefined ? {} : { personId: op.person }),
                conflicts: op.conflict
                  ? [{ organizationId: enterprise, reason: '曾任职' }]
                  : donor.conflicts,
                unavailable: op.absent
                  ? [{ from: '2026-02-27T00:00:00+08:00', to: '2026-03-20T00:00:00+08:00' }]
                  : donor.unavailable,
                ...(op.warned
                  ? {
                      warnings: [{ on: '2026-01-10', article: '第二十三条（一）', reason: '拒绝' }],
                    }
                  : {}),
              });
            }
            pool = updatePreparedPool(pool, { upserted, removed });
            const next = new Map(list.map((expert) => [expert.id, expert]));
            for (const id of removed) next.delete(id);
            for (const expert of upserted) next.set(expert.id, expert);
            list = [...next.values()].sort(byId);
            const fresh = preparePool(list, { digest: 2 });
            expect(pool.ids).toEqual(fresh.ids);
            expect(pool.digest).toBe(fresh.digest);
            expect(recordsView(pool)).toEqual(recordsView(fresh));
            expect(drawsOf(pool, list, seed)).toEqual(drawsOf(fresh, list, seed));
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('gives the digest and the index of a fresh preparePool in a pool of several blocks, records added and removed at any position', () => {
    const base = generatePool({ size: 700, seed: 'blocks', now: NOW }).sort(byId);
    const start = preparePool(base, { digest: 2 });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            remove: fc.boolean(),
            at: fc.nat(),
            place: fc.constantFrom('after', 'first', 'last' as const),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        (ops) => {
          let list = base;
          let pool = start;
          ops.forEach((op, n) => {
            const target = list[op.at % list.length] as DrawExpert;
            const change = op.remove
              ? { removed: [target.id] }
              : { upserted: [{ ...target, id: newId(op.place, target.id, n) }] };
            pool = updatePreparedPool(pool, change);
            list = op.remove
              ? list.filter((expert) => expert.id !== target.id)
              : [...list, ...(change.upserted ?? [])].sort(byId);
          });
          const fresh = preparePool(list, { digest: 2 });
          expect(pool.digestTree?.blocks).toEqual(fresh.digestTree?.blocks);
          expect(pool.digest).toBe(fresh.digest);
          expect([...pool.indexOf]).toEqual([...fresh.indexOf]);
          expect(pool.indexOf.get(base[0]?.id as string)).toBe(
            fresh.indexOf.get(base[0]?.id as string),
          );
          // The pool it was made from still answers as before.
          expect([...start.indexOf].length).toBe(700);
          expect(start.indexOf.get(list[list.length - 1]?.id as string)).toBe(
            base.indexOf(list[list.length - 1] as DrawExpert) >= 0
              ? base.indexOf(list[list.length - 1] as DrawExpert)
              : undefined,
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it('leaves the version 1 digest as it was, and names the definition in the version 2 digest', () => {
    const experts = generatePool({ size: 20, seed: 'v', now: NOW });
    const v1 = preparePool(experts);
    const v2 = preparePool(experts, { digest: 2 });
    expect(v1.digest).toBe(digestList(experts));
    expect(poolDigestVersionOf(v1.digest)).toBe(1);
    expect(v2.digest.startsWith('pool-digest@2:')).toBe(true);
    expect(poolDigestVersionOf(v2.digest)).toBe(2);
    const changed = { ...(experts[3] as DrawExpert), practiceYears: 99 };
    expect(updatePreparedPool(v1, { upserted: [changed] }).digest).toBe(
      digestList(experts.map((expert, i) => (i === 3 ? changed : expert))),
    );
    // The pool a draw in flight holds is not changed.
    const before = v2.practiceYears[3];
    updatePreparedPool(v2, { upserted: [changed] });
    expect(v2.practiceYears[3]).toBe(before);
  });
});
