import { addDays } from '@expert-dispatch/rules';
import { asc, inArray, sql } from 'drizzle-orm';
import type { Database } from '../src/db/open-database.js';
import {
  auditLog,
  deliveries,
  draws,
  idempotencyKeys,
  outbox,
  panelSeats,
  tasks,
} from '../src/db/schema.js';

/**
 * Everything one request wrote: the panel (task, draw, seats) and the rest of its record —
 * the seats' deliveries and outbox rows, the stored Idempotency-Key response and its two
 * audit entries.
 */
interface PanelRows {
  readonly task: typeof tasks.$inferSelect;
  readonly draw: typeof draws.$inferSelect;
  readonly seats: (typeof panelSeats.$inferSelect)[];
  readonly deliveries: (typeof deliveries.$inferSelect)[];
  readonly outbox: (typeof outbox.$inferSelect)[];
  readonly idempotency: typeof idempotencyKeys.$inferSelect | undefined;
  readonly audit: (typeof auditLog.$inferSelect)[];
}

/**
 * What a baseline transaction writes: `panel` — 1 task, 1 draw and its seats (3 inserts);
 * `request` — every row the request wrote, table by table (7 inserts: also the deliveries,
 * the outbox rows, the Idempotency-Key row and the audit entries), raw: no lock, no chain.
 */
export type BaselineRows = 'panel' | 'request';

/** How fast the baseline wrote its panels. */
export interface BaselineRun {
  readonly transactions: number;
  readonly concurrency: number;
  readonly seconds: number;
  readonly perSecond: number;
}

/**
 * Reads up to `limit` panels the benchmark's requests stored, to be written again by the
 * baseline with the same contents (task body, draw input, result and exclusion record).
 *
 * @example
 * const panels = await samplePanels(db, 100); // panels[0].seats.length === 10
 */
export async function samplePanels(db: Database, limit: number): Promise<PanelRows[]> {
  const drawRows = await db.select().from(draws).orderBy(asc(draws.id)).limit(limit);
  if (drawRows.length === 0) return [];
  const ids = drawRows.map((d) => d.id);
  const taskRows = await db
    .select()
    .from(tasks)
    .where(
      inArray(
        tasks.id,
        drawRows.map((d) => d.taskId),
      ),
    );
  const taskIds = drawRows.map((d) => d.taskId);
  const seatRows = await db.select().from(panelSeats).where(inArray(panelSeats.drawId, ids));
  const deliveryRows = await db
    .select()
    .from(deliveries)
    .where(inArray(deliveries.taskId, taskIds));
  const outboxRows = await db
    .select()
    .from(outbox)
    .where(
      sql`${outbox.payload}->>'deliveryId' in (select id from deliveries where task_id in ${taskIds})
          or (${outbox.payload}->>'seatId')::bigint in (select id from panel_seats where task_id in ${taskIds})`,
    );
  const keyRows = await db
    .select()
    .from(idempotencyKeys)
    .where(sql`${idempotencyKeys.responseBody}->>'id' in ${taskIds}`);
  const auditRows = await db
    .select()
    .from(auditLog)
    .where(inArray(auditLog.entityId, [...taskIds, ...ids]));
  return drawRows.flatMap((draw) => {
    const task = taskRows.find((t) => t.id === draw.taskId);
    const seats = seatRows.filter((s) => s.drawId === draw.id);
    const seatIds = new Set(seats.map((s) => s.id));
    const panelDeliveries = deliveryRows.filter((d) => seatIds.has(d.seatId));
    const deliveryIds = new Set(panelDeliveries.map((d) => d.id));
    return task === undefined
      ? []
      : [
          {
            task,
            draw,
            seats,
            deliveries: panelDeliveries,
            outbox: outboxRows.filter(
              (o) =>
                deliveryIds.has(String(o.payload.deliveryId)) ||
                seatIds.has(Number(o.payload.seatId)),
            ),
            idempotency: keyRows.find(
              (k) => (k.responseBody as { id?: string } | null)?.id === task.id,
            ),
            audit: auditRows.filter((a) => a.entityId === task.id || a.entityId === draw.id),
          },
        ];
  });
}

/**
 * The baseline: `count` transactions, each inserting one request's raw rows (see
 * `BaselineRows`), one multi-row insert per table, through the same drizzle database,
 * `concurrency` at a time. Each copy gets a fresh id and its own day in 2040+, so the
 * no-double-booking constraint is checked but never trips.
 *
 * @example
 * const run = await runRawInsertBaseline(db, panels, { count: 500, concurrency: 10, tag: 'c10', firstDay: 0, rows: 'request' });
 */
export async function runRawInsertBaseline(
  db: Database,
  panels: readonly PanelRows[],
  options: {
    readonly count: number;
    readonly concurrency: number;
    /** Names the copies and places their days: copy n books day `firstDay + n` after 2040-01-01. */
    readonly tag: string;
    readonly firstDay: number;
    readonly rows: BaselineRows;
  },
): Promise<BaselineRun> {
  const { count, concurrency, tag, firstDay } = options;
  if (panels.length === 0) throw new Error('no stored panel to copy: did any request succeed?');
  let next = 0;
  const writeOne = async (n: number) => {
    const sample = panels[n % panels.length] as PanelRows;
    const day = addDays('2040-01-01', firstDay + n);
    const window = {
      windowFrom: new Date(`${day}T08:30:00+08:00`),
      windowTo: new Date(`${day}T18:00:00+08:00`),
    };
    const taskId = `base-${tag}-${n}`;
    const drawId = `base-d-${tag}-${n}`;
    const now = new Date();
    await db.transaction(async (tx) => {
      await tx
        .insert(tasks)
        .values({ ...sample.task, ...window, id: taskId, currentDrawId: drawId, createdAt: now });
      await tx.insert(draws).values({ ...sample.draw, id: drawId, taskId, createdAt: now });
      const seats = await tx
        .insert(panelSeats)
        .values(
          sample.seats.map(({ id: _id, ...seat }) => ({
            ...seat,
            ...window,
            taskId,
            drawId,
            createdAt: now,
            updatedAt: now,
          })),
        )
        .returning({ id: panelSeats.id, expertId: panelSeats.expertId });
      if (options.rows === 'panel') return;
      const seatOf = new Map(sample.seats.map((s) => [s.id, s.expertId]));
      const newSeat = new Map(seats.map((s) => [s.expertId, s.id]));
      const copyOf = (id: string) => `${id}-${tag}-${n}`;
      if (sample.deliveries.length > 0) {
        await tx.insert(deliveries).values(
          sample.deliveries.map((d) => ({
            ...d,
            id: copyOf(d.id),
            outboxId: copyOf(d.outboxId),
            seatId: newSeat.get(seatOf.get(d.seatId) ?? '') ?? 0,
            taskId,
            createdAt: now,
            updatedAt: now,
          })),
        );
      }
      if (sample.outbox.length > 0) {
        await tx.insert(outbox).values(
          sample.outbox.map((o) => ({
            ...o,
            id: copyOf(o.id),
            payload:
              o.payload.seatId === undefined
                ? { deliveryId: copyOf(String(o.payload.deliveryId)) }
                : { seatId: newSeat.get(seatOf.get(Number(o.payload.seatId)) ?? '') ?? 0 },
            createdAt: now,
          })),
        );
      }
      if (sample.idempotency !== undefined) {
        await tx
          .insert(idempotencyKeys)
          .values({ ...sample.idempotency, key: copyOf(sample.idempotency.key), createdAt: now });
      }
      if (sample.audit.length > 0) {
        // Raw copies: fresh sequence numbers far above the chain, no lock, no hashing.
        await tx.insert(auditLog).values(
          sample.audit.map((a, k) => ({
            ...a,
            seq: 1_000_000_000 + (firstDay + n) * 10 + k,
            chainSeq: 1_000_000_000 + (firstDay + n) * 10 + k,
            hash: copyOf(a.hash),
            at: now,
          })),
        );
      }
    });
  };
  const started = process.hrtime.bigint();
  const worker = async () => {
    for (let n = next++; n < count; n = next++) await writeOne(n);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { transactions: count, concurrency, seconds, perSecond: count / seconds };
}
