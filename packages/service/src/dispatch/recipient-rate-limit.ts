import { and, eq, gt, type SQL, sql } from 'drizzle-orm';
import type { Transaction } from '../db/open-database.js';
import { deliveries, notices } from '../db/schema.js';

/**
 * When an expert may next be notified if `limit` notifications — invitations and notices
 * together — already reached them in the last hour (counted in the database, so across every
 * process), else null. Null too when there is no limit.
 *
 * @example
 * await rateLimitedUntil(tx, 'e-1', now, 5); // null, or the moment the hour allows one more
 */
export async function rateLimitedUntil(
  tx: Transaction,
  expertId: string,
  now: Date,
  limit: number | undefined,
): Promise<Date | null> {
  if (limit === undefined) return null;
  const hourAgo = new Date(now.getTime() - 3600_000);
  const invitations = await tx
    .select({ sentAt: deliveries.sentAt })
    .from(deliveries)
    .where(and(eq(deliveries.expertId, expertId), gt(deliveries.sentAt, hourAgo)));
  const others = await tx
    .select({ sentAt: notices.sentAt })
    .from(notices)
    .where(and(eq(notices.expertId, expertId), gt(notices.sentAt, hourAgo)));
  const sent = [...invitations, ...others]
    .flatMap((row) => (row.sentAt === null ? [] : [row.sentAt.getTime()]))
    .sort((a, b) => a - b);
  if (sent.length < limit) return null;
  const oldest = sent[sent.length - limit] ?? now.getTime();
  return new Date(oldest + 3600_000 + 1000);
}

/**
 * The SQL condition "the expert `expertId` (an expression of the enclosing statement) may be
 * notified now", counted as `rateLimitedUntil` counts: fewer than `limit` invitations and
 * notices sent to them in the hour before `now`. Always true without a limit. Lets a claim
 * check the limit in the statement that claims, instead of two reads in a transaction.
 *
 * @example
 * sql`update deliveries d set … where d.id = ${id} and ${underRateLimit(sql.raw('d.expert_id'), now, 5)}`;
 */
export function underRateLimit(expertId: SQL, now: Date, limit: number | undefined): SQL {
  if (limit === undefined) return sql`true`;
  const hourAgo = new Date(now.getTime() - 3600_000).toISOString();
  return sql`(
    (select count(*) from deliveries sent_invitation
      where sent_invitation.expert_id = ${expertId}
        and sent_invitation.sent_at > ${hourAgo}::timestamptz)
    + (select count(*) from notices sent_notice
      where sent_notice.expert_id = ${expertId}
        and sent_notice.sent_at > ${hourAgo}::timestamptz)
  ) < ${limit}::int`;
}
