import { sql } from 'drizzle-orm';
import type { Database } from '../db/open-database.js';
import { queryRows } from '../db/query-rows.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { Metrics } from './create-metrics.js';

/** The channels of schema.ts's `ExpertContact`; a failure before any channel was tried is `none`. */
const CHANNELS: ReadonlySet<string> = new Set(['webhook', 'sms', 'email', 'log', 'none']);

/** Where the scrape-time gauges come from. */
export interface GaugeSources {
  readonly db: Database;
  readonly queue?: JobQueue | undefined;
  readonly now: Date;
}

/**
 * Sets the gauges that are read at scrape time, so that every API process reports the same
 * state of the whole service (whichever process did the work): invitations by state, outbox
 * lag, notifications failed by channel (SQL), and the queue's depth. A source that does not
 * answer leaves its gauges empty and `ed_metrics_source_up{source}` at 0 — the scrape itself
 * still succeeds.
 *
 * @example
 * await refreshGauges(metrics, { db, queue, now: new Date() });
 */
export async function refreshGauges(metrics: Metrics, sources: GaugeSources): Promise<void> {
  resetDatabaseGauges(metrics);
  metrics.queueJobs.reset();
  try {
    await readDatabase(metrics, sources.db, sources.now);
    metrics.sourceUp.set({ source: 'database' }, 1);
  } catch {
    resetDatabaseGauges(metrics);
    metrics.sourceUp.set({ source: 'database' }, 0);
  }
  if (sources.queue === undefined) return;
  try {
    const counts = await sources.queue.counts();
    for (const [state, n] of Object.entries(counts)) metrics.queueJobs.set({ state }, n);
    metrics.sourceUp.set({ source: 'queue' }, 1);
  } catch {
    metrics.queueJobs.reset();
    metrics.sourceUp.set({ source: 'queue' }, 0);
  }
}

function resetDatabaseGauges(metrics: Metrics): void {
  metrics.invitations.reset();
  metrics.notificationsFailed.reset();
  metrics.outboxLag.reset();
  metrics.outboxUnrelayed.reset();
}

async function readDatabase(metrics: Metrics, db: Database, now: Date): Promise<void> {
  // Tasks not yet over only: the gauge watches current work, and the scan stays bounded.
  const invitations = await queryRows<{ state: string; n: number }>(
    db,
    sql`select state, count(*)::int as n from panel_seats
        where invited_at is not null and window_to > ${now.toISOString()}
        group by state`,
  );
  // The partial index outbox_unrelayed_idx serves this one.
  const [outbox] = await queryRows<{ n: number; oldest: number | null }>(
    db,
    sql`select count(*)::int as n, extract(epoch from min(created_at))::float8 as oldest
        from outbox where relayed_at is null`,
  );
  const failed = await queryRows<{ kind: string; channel: string | null; n: number }>(
    db,
    sql`select 'invitation' as kind, channel, count(*)::int as n from deliveries
        where state = 'failed' group by channel
        union all
        select 'notice' as kind, channel, count(*)::int as n from notices
        where state = 'failed' group by channel`,
  );
  for (const row of invitations) metrics.invitations.set({ state: row.state }, Number(row.n));
  const oldest = outbox?.oldest ?? null;
  metrics.outboxUnrelayed.set(Number(outbox?.n ?? 0));
  metrics.outboxLag.set(oldest === null ? 0 : Math.max(0, now.getTime() / 1000 - Number(oldest)));
  for (const row of failed) {
    const channel = CHANNELS.has(row.channel ?? 'none') ? (row.channel ?? 'none') : 'other';
    metrics.notificationsFailed.inc({ kind: row.kind, channel }, Number(row.n));
  }
}
