import {
  countHistory,
  drawDigest,
  poolDigestVersionOf,
  preparePool,
  type SelectPanelInput,
} from '@expert-dispatch/matcher';
import { toShanghaiDate } from '@expert-dispatch/rules';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/query-rows.js';
import { SEAT_STATES } from '../dispatch/seats/seat-transitions.js';
import type { DrawFile } from '../draws/draw-file.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { sinceOf } from './draw-task.js';
import { loadHistory } from './load-history.js';
import { loadHistoryCounts } from './load-history-counts.js';
import { postTaskOnDay, seedPanelPool } from './task-fixtures.test-helpers.js';

const backends = await availableBackends();

const SINCE = new Date('2000-01-01T00:00:00Z');
const WINDOW = { from: '2026-04-01T00:00:00+08:00', to: '2026-04-02T00:00:00+08:00' };
// Every state a seat can be written in now (`replaced` is kept for rows of earlier versions).
const STATES = SEAT_STATES.filter((state) => state !== 'replaced');
const REASONS = [
  null,
  'illness',
  'schedule_conflict',
  'conflict_of_interest',
  'approved_other',
  'unjustified',
] as const;

/** A small seeded generator (the test replays the same writes on every run). */
function randomOf(seed: number) {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  // Instants over three years, at any minute and second, so Shanghai and UTC dates differ often.
  const instant = () =>
    new Date(Date.parse('2023-06-01T00:00:00Z') + Math.floor(next() * 1_000 * 86_400) * 1_000);
  return { next, pick, instant };
}

describe.each(backends)(
  'history counters kept by the triggers on %s (#17, migration 0024)',
  (kind) => {
    let t: TestContext;
    let seats: { id: number; expertId: string; taskId: string }[] = [];

    /** What the counters hold must be the counts of the records the seats give (第十五条, 第二十条). */
    async function expectCountersMatchSeats() {
      const counted = await loadHistoryCounts(t.database.db, WINDOW, SINCE);
      const records = await loadHistory(t.database.db, WINDOW, SINCE);
      expect(counted).toEqual(countHistory(records, toShanghaiDate(SINCE)));
      return counted;
    }

    beforeAll(async () => {
      t = await createTestContext(kind);
      await seedPanelPool(t, 10);
      for (const [task, day] of [
        ['t-hc-1', '2026-03-10'],
        ['t-hc-2', '2026-03-11'],
        ['t-hc-3', '2026-03-12'],
      ] as const) {
        await postTaskOnDay(t, task, day, { alternates: 3 });
      }
      seats = await queryRows<{ id: number; expertId: string; taskId: string }>(
        t.database.db,
        sql`select id::int as "id", expert_id as "expertId", task_id as "taskId"
            from panel_seats order by id`,
      );
    });
    afterAll(() => t.close());

    it('counts every answer, attendance, decision and rating as the seats read, through random writes', async () => {
      expect(seats.length).toBeGreaterThan(15);
      const random = randomOf(kind === 'pglite' ? 17 : 1_717);
      const db = t.database.db;
      let ratings = 0;
      for (let round = 0; round < 8; round++) {
        for (let write = 0; write < 25; write++) {
          const seat = random.pick(seats);
          const roll = random.next();
          if (roll < 0.55) {
            // Any state, answer time (or none), reason, attendance: the triggers take back what
            // the seat counted and count what it counts now.
            const state = random.pick(STATES);
            const accepted = state === 'accepted';
            const attendance = accepted ? random.pick([null, 'attended', 'no_show']) : null;
            await db.execute(sql`update panel_seats set
              state = ${state},
              replied_at = ${random.next() < 0.8 ? random.instant().toISOString() : null},
              updated_at = ${random.instant().toISOString()},
              decline_reason = ${random.pick(REASONS)},
              attendance = ${attendance},
              attendance_recorded_at = ${attendance !== null && random.next() < 0.8 ? random.instant().toISOString() : null}
            where id = ${seat.id} and state not in ('invited', 'accepted')
              and (${state} not in ('invited', 'accepted') or role = 'alternate'
                   or not exists (select 1 from panel_seats other
                                   where other.task_id = panel_seats.task_id
                                     and other.person_id = panel_seats.person_id
                                     and other.id <> panel_seats.id))`);
            // A seat still holding is released first, so the next round may move it.
            await db.execute(
              sql`update panel_seats set state = 'released', updated_at = ${random.instant().toISOString()}
                 where id = ${seat.id} and state in ('invited', 'accepted') and ${random.next() < 0.5}`,
            );
          } else if (roll < 0.75) {
            // 正当理由认定: decided, changed or taken back.
            const decision = random.pick(['justified', 'unjustified', null]);
            if (decision === null) {
              await db.execute(sql`delete from decline_reviews where seat_id = ${seat.id}`);
            } else {
              await db.execute(sql`insert into decline_reviews (seat_id, decision, note, decided_by, decided_at)
              values (${seat.id}, ${decision}, '认定', 'test', now())
              on conflict (seat_id) do update set decision = excluded.decision`);
            }
          } else if (roll < 0.9) {
            await db.execute(sql`insert into ratings (id, task_id, seat_id, expert_id, score, source, created_at)
            values (${`r-${kind}-${++ratings}`}, ${seat.taskId}, ${seat.id}, ${seat.expertId},
                    ${1 + Math.floor(random.next() * 5)}, 'api', ${random.instant().toISOString()})
            on conflict (task_id, expert_id)
            do update set score = excluded.score, created_at = excluded.created_at`);
          } else if (roll < 0.95) {
            await db.execute(
              sql`update ratings set score = 6 - score where id = ${`r-${kind}-${Math.ceil(random.next() * ratings)}`}`,
            );
          } else {
            // Several seats in one statement: each row's trigger sees its own before and after.
            await db.execute(
              sql`update panel_seats set updated_at = ${random.instant().toISOString()} where task_id = ${seat.taskId}`,
            );
          }
        }
        await expectCountersMatchSeats();
      }
      const counted = await expectCountersMatchSeats();
      expect(counted.kinds.length).toBeGreaterThanOrEqual(4);
      expect(counted.day.length).toBeGreaterThan(8);
    });

    it('rebuilds the same counters from the seats (the backfill, and after a TRUNCATE)', async () => {
      const before = await queryRows<{ expert_id: string; counts: unknown }>(
        t.database.db,
        sql`select expert_id, counts from expert_history_counts order by expert_id`,
      );
      await t.database.db.execute(sql`select rebuild_history_counts()`);
      const after = await queryRows<{ expert_id: string; counts: unknown }>(
        t.database.db,
        sql`select expert_id, counts from expert_history_counts where counts <> '{}'::jsonb order by expert_id`,
      );
      expect(after).toEqual(before.filter((row) => JSON.stringify(row.counts) !== '{}'));
    });

    it('draws from the counters, stores them as the draw input, and replays the draw, as from the records before', async () => {
      const posted = await postTaskOnDay(t, 't-hc-4', '2026-04-01');
      const drawId = (posted.body as { draw: { id: string } }).draw.id;
      const [stored] = await queryRows<{ form: string }>(
        t.database.db,
        sql`select input -> 'history' ->> 'form' as form from draws where id = ${drawId}`,
      );
      // Stored as a reference to the counters read (migration 0030), exported as the counters.
      expect(stored?.form).toBe('daily-counts-ref@1');
      const verified = await call(t, 'GET', `/v1/draws/${drawId}/verify`, { key: 'yn.auditor' });
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({ ok: true });

      // The same draw as one stored before the counters: its history the seats' records, its
      // digest the records' digest. It replays to the very same panel, scores and exclusions.
      const exported = await call(t, 'GET', `/v1/draws/${drawId}/export`, { key: 'yn.auditor' });
      const file = exported.body as DrawFile;
      const records = await loadHistory(
        t.database.db,
        file.input.task.window,
        sinceOf(new Date(file.input.now), file.input.ruleSet),
      );
      // The pool and the input as verifyDrawFile replays them.
      const pool = preparePool(file.input.experts, {
        ruleSet: file.input.ruleSet,
        digest: poolDigestVersionOf(file.draw.poolDigest),
      });
      const digest = drawDigest({
        ...(file.input as SelectPanelInput),
        experts: pool,
        history: records,
      });
      await t.database.db.execute(sql`update draws set
          input = jsonb_set(input, '{history}', ${JSON.stringify(records)}::jsonb),
          result = jsonb_set(result, '{digest}', to_jsonb(${digest}::text)),
          input_digest = ${digest}
        where id = ${drawId}`);
      const old = await call(t, 'GET', `/v1/draws/${drawId}/verify`, { key: 'yn.auditor' });
      expect(old.body).toMatchObject({ ok: true, digest });
    });
  },
);
