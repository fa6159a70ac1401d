import { sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { queryRows } from '../db/query-rows.js';

/** How long finished rows of the append-only working tables are kept. */
export interface RetentionSettings {
  /**
   * Days a stored answer of an `Idempotency-Key` request is kept. A client that retries the
   * same key later than this makes a new request (clients retry within minutes; 30 by default).
   */
  readonly idempotencyKeyDays: number;
  /**
   * Days a relayed outbox row is kept after it was due (7 by default). The queue's
   * deduplication needs it only while the relay's lease or the sweeper may add it again
   * (seconds to minutes); a row whose delivery or notice is still unfinished is kept.
   */
  readonly outboxDays: number;
  /**
   * Days an expired self-service login code or session is kept after it expired
   * (`SELF_SERVICE_RETENTION_DAYS`, purge-self-service.ts); none: they are not purged.
   */
  readonly selfServiceDays?: number;
}

export interface PurgeResult {
  readonly idempotencyKeys: number;
  readonly outbox: number;
}

const DAY_MS = 86_400_000;

/**
 * Deletes what no longer serves a purpose (the daily `retention_purge` job): answered
 * idempotency keys older than `idempotencyKeyDays` (one still in flight, without an answer, is
 * kept), and outbox rows relayed and due more than `outboxDays` ago whose delivery or notice
 * is finished. The records themselves — tasks, seats, deliveries, notices, the audit log —
 * are never purged here (see docs/scaling.md for their retention and archive path).
 *
 * @example
 * await db.transaction((tx) => purgeExpired(tx, now, { idempotencyKeyDays: 30, outboxDays: 7 }));
 * // { idempotencyKeys: 1234, outbox: 9876 }
 */
export async function purgeExpired(
  db: Executor,
  now: Date,
  settings: RetentionSettings,
): Promise<PurgeResult> {
  const keysBefore = new Date(now.getTime() - settings.idempotencyKeyDays * DAY_MS).toISOString();
  const outboxBefore = new Date(now.getTime() - settings.outboxDays * DAY_MS).toISOString();
  const keys = await queryRows<{ n: number }>(
    db,
    sql`with gone as (
          delete from idempotency_keys
          where created_at < ${keysBefore}::timestamptz and response_status is not null
          returning 1)
        select count(*)::int as n from gone`,
  );
  const rows = await queryRows<{ n: number }>(
    db,
    sql`with gone as (
          delete from outbox o
          where o.relayed_at is not null
            and o.created_at < ${outboxBefore}::timestamptz
            and o.run_at < ${outboxBefore}::timestamptz
            and not exists (select 1 from deliveries d
                            where d.outbox_id = o.id and d.state in ('pending', 'sending'))
            and not (o.kind = 'deliver_notice' and exists (
                       select 1 from notices n
                       where n.id = o.payload->>'noticeId' and n.state in ('pending', 'sending')))
          returning 1)
        select count(*)::int as n from gone`,
  );
  return { idempotencyKeys: keys[0]?.n ?? 0, outbox: rows[0]?.n ?? 0 };
}
