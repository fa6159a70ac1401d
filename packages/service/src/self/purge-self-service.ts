import { sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { queryRows } from '../db/query-rows.js';

export interface SelfServicePurgeResult {
  readonly loginCodes: number;
  readonly sessions: number;
}

const DAY_MS = 86_400_000;

/**
 * Deletes the self-service's expired login codes and sessions (第八条（一）) once they have been
 * expired for `retentionDays` (`SELF_SERVICE_RETENTION_DAYS`, part of the daily
 * `retention_purge` job): an expired code or session can no longer sign anyone in, and each row
 * ties an expert to a hashed phone, so it is not kept longer than needed to answer a complaint.
 * A code or session still valid — or expired for less than the retention — is kept.
 *
 * @example
 * await purgeSelfService(tx, now, 1); // { loginCodes: 17, sessions: 4 }
 */
export async function purgeSelfService(
  db: Executor,
  now: Date,
  retentionDays: number,
): Promise<SelfServicePurgeResult> {
  const before = new Date(now.getTime() - retentionDays * DAY_MS).toISOString();
  const codes = await queryRows<{ n: number }>(
    db,
    sql`with gone as (
          delete from expert_login_codes where expires_at < ${before}::timestamptz returning 1)
        select count(*)::int as n from gone`,
  );
  const sessions = await queryRows<{ n: number }>(
    db,
    sql`with gone as (
          delete from expert_sessions where expires_at < ${before}::timestamptz returning 1)
        select count(*)::int as n from gone`,
  );
  return { loginCodes: codes[0]?.n ?? 0, sessions: sessions[0]?.n ?? 0 };
}
