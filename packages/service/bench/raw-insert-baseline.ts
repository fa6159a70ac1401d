import { addDays } from '@expert-dispatch/rules';
import { asc, inArray } from 'drizzle-orm';
import type { Database } from '../src/db/open-database.js';
import { draws, panelSeats, tasks } from '../src/db/schema.js';

/** A panel as one request wrote it: the task row, the draw row and its seats. */
interface PanelRows {
  readonly task: typeof tasks.$inferSelect;
  readonly draw: typeof draws.$inferSelect;
  readonly seats: (typeof panelSeats.$inferSelect)[];
}

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
  const seatRows = await db.select().from(panelSeats).where(inArray(panelSeats.drawId, ids));
  return drawRows.flatMap((draw) => {
    const task = taskRows.find((t) => t.id === draw.taskId);
    const seats = seatRows.filter((s) => s.drawId === draw.id);
    return task === undefined ? [] : [{ task, draw, seats }];
  });
}

/**
 * The baseline: `count` transactions, each inserting one panel's raw rows — 1 task, 1 draw,
 * its seats (10 for panel 5 + 5 alternates) in one multi-row insert — through the same drizzle
 * database, `concurrency` at a time. Each copy gets a fresh id and its own day in 2040+, so the
 * no-double-booking constraint is checked but never trips.
 *
 * @example
 * const run = await runRawInsertBaseline(db, panels, { count: 500, concurrency: 10, tag: 'c10', firstDay: 0 });
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
      await tx.insert(panelSeats).values(
        sample.seats.map(({ id: _id, ...seat }) => ({
          ...seat,
          ...window,
          taskId,
          drawId,
          createdAt: now,
          updatedAt: now,
        })),
      );
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
