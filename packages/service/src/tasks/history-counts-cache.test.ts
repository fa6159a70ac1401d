import {
  generatePool,
  type PreparedHistory,
  type PreparedPool,
  prepareHistory,
  preparePool,
} from '@expert-dispatch/matcher';
import { type HistoryCounts, yunnanGmy2025 } from '@expert-dispatch/rules';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../db/open-database.js';
import { queryRows } from '../db/query-rows.js';
import { SEAT_STATES } from '../dispatch/seats/seat-transitions.js';
import type { DrawFile } from '../draws/draw-file.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { type HistoryCountsRead, readHistoryCounts } from './history-counts-cache.js';
import { counterPatchOf } from './history-counts-columns.js';
import { HISTORY_REFERENCE_FORM, resolveStoredHistory } from './history-reference.js';
import { loadHistoryCounts } from './load-history-counts.js';
import { prepareDrawHistory } from './prepare-draw-history.js';
import { postTaskOnDay, seedPanelPool } from './task-fixtures.test-helpers.js';

const backends = await availableBackends();

const SINCE = new Date('2000-01-01T00:00:00Z');
const WINDOW = { from: '2026-04-01T00:00:00+08:00', to: '2026-04-02T00:00:00+08:00' };
const STATES = SEAT_STATES.filter((state) => state !== 'replaced');
const REASONS = [null, 'illness', 'schedule_conflict', 'unjustified'] as const;

interface Seat {
  id: number;
  expertId: string;
  taskId: string;
}

/** A small seeded generator (the test replays the same writes on every run). */
function randomOf(seed: number) {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const instant = () =>
    new Date(Date.parse('2023-06-01T00:00:00Z') + Math.floor(next() * 1_000 * 86_400) * 1_000);
  return { next, pick, instant };
}

type Random = ReturnType<typeof randomOf>;

/** One random write that moves counters: a seat's answer, a decision on a decline, a rating. */
async function writeRandomly(db: Executor, random: Random, seats: readonly Seat[], tag: string) {
  const seat = random.pick(seats);
  const roll = random.next();
  if (roll < 0.55) {
    const state = random.pick(STATES);
    const attendance = state === 'accepted' ? random.pick([null, 'attended', 'no_show']) : null;
    await db.execute(sql`update panel_seats set
        state = ${state},
        replied_at = ${random.instant().toISOString()},
        updated_at = ${random.instant().toISOString()},
        decline_reason = ${random.pick(REASONS)},
        attendance = ${attendance}
      where id = ${seat.id} and state not in ('invited', 'accepted')
        and (${state} not in ('invited', 'accepted') or role = 'alternate'
             or not exists (select 1 from panel_seats other
                             where other.task_id = panel_seats.task_id
                               and other.person_id = panel_seats.person_id
                               and other.id <> panel_seats.id))`);
    await db.execute(
      sql`update panel_seats set state = 'released', updated_at = ${random.instant().toISOString()}
           where id = ${seat.id} and state in ('invited', 'accepted') and ${random.next() < 0.5}`,
    );
  } else if (roll < 0.75) {
    const decision = random.pick(['justified', 'unjustified', null]);
    if (decision === null) {
      await db.execute(sql`delete from decline_reviews where seat_id = ${seat.id}`);
    } else {
      await db.execute(sql`insert into decline_reviews (seat_id, decision, note, decided_by, decided_at)
          values (${seat.id}, ${decision}, '认定', 'test', now())
          on conflict (seat_id) do update set decision = excluded.decision`);
    }
  } else {
    await db.execute(sql`insert into ratings (id, task_id, seat_id, expert_id, score, source, created_at)
        values (${`r-${tag}-${seat.id}`}, ${seat.taskId}, ${seat.id}, ${seat.expertId},
                ${1 + Math.floor(random.next() * 5)}, 'api', ${random.instant().toISOString()})
        on conflict (task_id, expert_id)
        do update set score = excluded.score, created_at = excluded.created_at`);
  }
}

/** Everything a draw reads of a preparation (the memo aside). */
function readable(prepared: PreparedHistory) {
  const { standingMemo: _memo, pool: _pool, history: _history, ...rest } = prepared;
  return rest;
}

/** A pool of synthetic profiles under the ids of the experts who hold seats. */
function poolOf(seats: readonly Seat[]): PreparedPool {
  const ids = [...new Set(seats.map((seat) => seat.expertId))].sort();
  const profiles = generatePool({
    size: ids.length,
    seed: 'hcc',
    now: '2026-03-01T09:00:00+08:00',
  });
  return preparePool(profiles.map((expert, k) => ({ ...expert, id: ids[k] as string })));
}

/** The counters a read's reference sums back to, as a draw storing it replays them. */
function resolveRead(db: Executor, read: HistoryCountsRead) {
  return resolveStoredHistory(db, {
    form: HISTORY_REFERENCE_FORM,
    from: read.history.from,
    snapshot: read.source.snapshot,
    bound: read.source.bound,
    pending: read.source.pending,
    busy: read.history.busy,
    digest: '',
  });
}

describe.each(backends)('the history counters cache on %s (#17, migration 0030)', (kind) => {
  let t: TestContext;
  let seats: Seat[] = [];

  /** A cached read equals a fresh whole read of the counters, and its reference sums to both. */
  async function expectCachedEqualsFresh(db: Executor, owner: object) {
    const cached = await readHistoryCounts(db, owner, WINDOW, SINCE);
    const fresh = await loadHistoryCounts(db, WINDOW, SINCE);
    expect(cached.history).toEqual(fresh);
    expect(await resolveRead(db, cached)).toEqual(fresh);
    return cached;
  }

  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 10);
    for (const [task, day] of [
      ['t-hcc-1', '2026-03-10'],
      ['t-hcc-2', '2026-03-11'],
      ['t-hcc-3', '2026-03-12'],
    ] as const) {
      await postTaskOnDay(t, task, day, { alternates: 3 });
    }
    seats = await queryRows<Seat>(
      t.database.db,
      sql`select id::int as "id", expert_id as "expertId", task_id as "taskId"
            from panel_seats order by id`,
    );
  });
  afterAll(() => t.close());

  it('applies only the changes since its last read, equal to a whole read after every round, and old references keep their counters', async () => {
    const db = t.database.db;
    const owner = {};
    const random = randomOf(kind === 'pglite' ? 25 : 2_525);
    const first = await expectCachedEqualsFresh(db, owner);
    expect(first.loadedBy).toBe('full');
    const taken: { read: HistoryCountsRead; history: HistoryCounts }[] = [];
    const pool = poolOf(seats);
    prepareDrawHistory(first.history, pool, yunnanGmy2025);
    let patched = 0;
    for (let round = 0; round < 8; round++) {
      const writes = 1 + Math.floor(random.next() * 12);
      for (let write = 0; write < writes; write++) {
        await writeRandomly(db, random, seats, kind);
      }
      const read = await expectCachedEqualsFresh(db, owner);
      expect(read.loadedBy).toBe('changes');
      taken.push({ read, history: read.history });
      // Columns patched from the last ones prepare (rows and digest) as a fresh preparation.
      if (counterPatchOf(read.history) !== undefined) patched++;
      expect(readable(prepareDrawHistory(read.history, pool, yunnanGmy2025))).toEqual(
        readable(prepareHistory(read.history, pool, yunnanGmy2025)),
      );
    }
    expect(patched).toBeGreaterThan(0);
    expect(taken.at(-1)?.history.day.length).toBeGreaterThan(5);
    // Each reference still sums to the counters of its own read, whatever came after.
    for (const { read, history } of taken) expect(await resolveRead(db, read)).toEqual(history);
    expect(new Set(taken.map(({ read }) => read.source.snapshot)).size).toBeGreaterThan(1);
  });

  it('stays exact when reads from the same cached counters overlap (the map changed in place only when alone)', async () => {
    const db = t.database.db;
    const owner = {};
    const random = randomOf(kind === 'pglite' ? 77 : 7_777);
    await expectCachedEqualsFresh(db, owner);
    for (let round = 0; round < 6; round++) {
      for (let write = 0; write < 3; write++) await writeRandomly(db, random, seats, `o${kind}`);
      // Two reads start from the same entry; a third starts once the first has replaced it.
      const first = readHistoryCounts(db, owner, WINDOW, SINCE);
      const second = readHistoryCounts(db, owner, WINDOW, SINCE);
      const fresh = await loadHistoryCounts(db, WINDOW, SINCE);
      expect((await first).history).toEqual(fresh);
      expect((await second).history).toEqual(fresh);
      await writeRandomly(db, random, seats, `o${kind}`);
      await expectCachedEqualsFresh(db, owner);
    }
  });

  it('derives a later first date from the counters cached for an earlier one', async () => {
    const db = t.database.db;
    const owner = {};
    await readHistoryCounts(db, owner, WINDOW, SINCE);
    const later = new Date('2025-01-01T00:00:00Z');
    const read = await readHistoryCounts(db, owner, WINDOW, later);
    expect(read.loadedBy).toBe('changes');
    expect(read.history).toEqual(await loadHistoryCounts(db, WINDOW, later));
    expect(read.history.day.length).toBeLessThan(
      (await loadHistoryCounts(db, WINDOW, SINCE)).day.length,
    );
    // The next day of the same look-back: derived, and the day before is let go.
    const nextDay = new Date(later.getTime() + 86_400_000);
    const moved = await readHistoryCounts(db, owner, WINDOW, nextDay);
    expect(moved.loadedBy).toBe('changes');
    expect(moved.history).toEqual(await loadHistoryCounts(db, WINDOW, nextDay));
    // Asked again (a draw begun before midnight), the day before comes from the earlier date.
    const again = await readHistoryCounts(db, owner, WINDOW, later);
    expect(again.loadedBy).toBe('changes');
    expect(again.history).toEqual(await loadHistoryCounts(db, WINDOW, later));
  });

  it("counts the reading transaction's own changes for its draw but caches only committed ones", async () => {
    const db = t.database.db;
    const owner = {};
    await readHistoryCounts(db, owner, WINDOW, SINCE);
    const random = randomOf(kind === 'pglite' ? 7 : 707);
    let inside: HistoryCountsRead | undefined;
    const rolledBack = new Error('roll back');
    await expect(
      db.transaction(async (tx) => {
        for (let write = 0; write < 6; write++) await writeRandomly(tx, random, seats, 'tx');
        inside = await readHistoryCounts(tx, owner, WINDOW, SINCE);
        expect(inside.history).toEqual(await loadHistoryCounts(tx, WINDOW, SINCE));
        expect(await resolveRead(tx, inside)).toEqual(inside.history);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(inside?.source.pending.length).toBeGreaterThan(0);
    // Rolled back: the cache never saw those changes.
    await expectCachedEqualsFresh(db, owner);

    let committed: HistoryCountsRead | undefined;
    await db.transaction(async (tx) => {
      for (let write = 0; write < 6; write++) await writeRandomly(tx, random, seats, 'tx2');
      committed = await readHistoryCounts(tx, owner, WINDOW, SINCE);
    });
    // Committed: the next read applies them, and the reference taken inside still sums to what
    // the transaction saw (its snapshot counts itself in progress, its changes are `pending`).
    await expectCachedEqualsFresh(db, owner);
    if (committed === undefined) throw new Error('no read inside the transaction');
    expect(await resolveRead(db, committed)).toEqual(committed.history);
  });

  it('sums a reference back to what it read when a later change carries a transaction id older than its snapshot, as after a logical dump and restore', async () => {
    const db = t.database.db;
    const read = await readHistoryCounts(db, {}, WINDOW, SINCE);
    const expertId = (seats[0] as Seat).expertId;
    // pg_dump and restore keep the log's ids and transaction ids but start the server's
    // transaction ids afresh: a change logged after the restore looks committed long before.
    const [later] = await queryRows<{ id: string }>(
      db,
      sql`insert into history_count_changes (xid, expert_id, key, delta)
          values ('3'::xid8, ${expertId}, '2026-03-10/accepted', 1) returning id::text as id`,
    );
    try {
      expect(BigInt(later?.id ?? '0')).toBeGreaterThan(BigInt(read.source.bound));
      expect(await resolveRead(db, read)).toEqual(read.history);
    } finally {
      await db.execute(sql`delete from history_count_changes where id = ${later?.id}::bigint`);
    }
  });

  if (kind === 'postgres') {
    it('applies a transaction that was in progress at its last read once it has committed', async () => {
      const db = t.database.db;
      const owner = {};
      await readHistoryCounts(db, owner, WINDOW, SINCE);
      const random = randomOf(99);
      // Apart experts: a counter row the open transaction wrote stays locked until it ends.
      const ids = [...new Set(seats.map((seat) => seat.expertId))].sort();
      const held = new Set(ids.slice(0, Math.ceil(ids.length / 2)));
      const heldSeats = seats.filter((seat) => held.has(seat.expertId));
      const besideSeats = seats.filter((seat) => !held.has(seat.expertId));
      let release: () => void = () => {};
      const holding = new Promise<void>((resolve) => {
        release = resolve;
      });
      let written: () => void = () => {};
      const wrote = new Promise<void>((resolve) => {
        written = resolve;
      });
      const open = db.transaction(async (tx) => {
        for (let write = 0; write < 8; write++) await writeRandomly(tx, random, heldSeats, 'open');
        written();
        await holding;
      });
      await wrote;
      // Read while the other transaction is open: it is in the snapshot's in-progress list.
      const during = await expectCachedEqualsFresh(db, owner);
      for (let write = 0; write < 4; write++) {
        await writeRandomly(db, random, besideSeats, 'beside');
      }
      await expectCachedEqualsFresh(db, owner);
      release();
      await open;
      const after = await expectCachedEqualsFresh(db, owner);
      expect(after.loadedBy).toBe('changes');
      expect(after.history).not.toEqual(during.history);
      expect(await resolveRead(db, during)).toEqual(during.history);
    });
  }

  it('draws from the cache, stores a reference instead of the counters, and replays to the same panel after later writes', async () => {
    const db = t.database.db;
    const posted = await postTaskOnDay(t, 't-hcc-4', '2026-04-01');
    const drawId = (posted.body as { draw: { id: string } }).draw.id;
    const [stored] = await queryRows<{ form: string; bytes: number }>(
      db,
      sql`select input -> 'history' ->> 'form' as form, pg_column_size(input)::int as bytes
            from draws where id = ${drawId}`,
    );
    expect(stored?.form).toBe(HISTORY_REFERENCE_FORM);
    const random = randomOf(kind === 'pglite' ? 3 : 303);
    for (let write = 0; write < 20; write++) await writeRandomly(db, random, seats, 'later');
    const verified = await call(t, 'GET', `/v1/draws/${drawId}/verify`, { key: 'yn.auditor' });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ ok: true });
    // The export carries the counters themselves, summed back from the log.
    const exported = await call(t, 'GET', `/v1/draws/${drawId}/export`, { key: 'yn.auditor' });
    const file = exported.body as DrawFile;
    expect((file.input.history as HistoryCounts).form).toBe('daily-counts@1');
    expect((file.input.history as HistoryCounts).day.length).toBeGreaterThan(5);
    // A reference moved to now (snapshot and bound) takes in the later writes: not verified.
    await db.execute(sql`update draws set input = jsonb_set(jsonb_set(input, '{history,snapshot}',
        to_jsonb(pg_current_snapshot()::text)), '{history,bound}',
        to_jsonb((select max(id) from history_count_changes)::text)) where id = ${drawId}`);
    const tampered = await call(t, 'GET', `/v1/draws/${drawId}/verify`, { key: 'yn.auditor' });
    expect(tampered.body).toMatchObject({ ok: false });
  });
});
