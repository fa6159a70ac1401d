import { and, eq, gt } from 'drizzle-orm';
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
