import { sql } from 'drizzle-orm';
import type { Database } from '../db/open-database.js';
import { jsonColumn, queryRows } from '../db/query-rows.js';
import type { ExpertContact, notices } from '../db/schema.js';
import { underRateLimit } from './recipient-rate-limit.js';

/** What sending an invitation needs, read by the statement that claimed it. */
export interface ClaimedInvitation {
  readonly seatId: number;
  readonly taskId: string;
  readonly replyDeadline: Date | null;
  readonly contacts: ExpertContact[] | null;
  readonly task: unknown;
}

/** What sending a notice needs, read by the statement that claimed it. */
export interface ClaimedNotice {
  readonly notice: Pick<
    typeof notices.$inferSelect,
    'id' | 'kind' | 'taskId' | 'contact' | 'subject' | 'body' | 'link'
  >;
  readonly contacts: ExpertContact[] | null;
}

/** Raw SQL answers as the driver gives them under drizzle: timestamps as text or dates. */
type Raw = string | Date | null;

// As drizzle's timestamptz column reads it.
const toDate = (value: Raw): Date | null =>
  value === null || value instanceof Date ? value : new Date(value);

/**
 * The common case of claiming an invitation's delivery in ONE autocommit statement: a delivery
 * still `pending` or `sending`, whose seat is still `invited` and whose expert is under the
 * per-recipient limit, becomes `sending` with one more attempt, and the statement returns what
 * the send needs. The transaction it replaces took four round trips (BEGIN, a locking join,
 * the update, COMMIT) while holding the row lock. Null when any condition fails: the caller
 * then runs the full claim, which tells those cases apart (missing, settled, seat no longer
 * invited, held back by the limit). The update locks the delivery row like the transaction's
 * `FOR UPDATE OF deliveries` did, and a concurrent claim re-checks its state after the lock.
 *
 * @example
 * const claimed = await claimInvitationAtOnce(db, 'dl_…', now, context.rateLimitPerHour);
 */
export async function claimInvitationAtOnce(
  db: Database,
  deliveryId: string,
  now: Date,
  rateLimitPerHour: number | undefined,
): Promise<ClaimedInvitation | null> {
  const [row] = await queryRows<{
    seat_id: string | number;
    task_id: string;
    reply_deadline: Raw;
    contacts: unknown;
    body: unknown;
  }>(
    db,
    sql`update deliveries d
      set state = 'sending', attempts = d.attempts + 1, updated_at = ${now.toISOString()}::timestamptz
      from panel_seats s, experts e, tasks t
      where d.id = ${deliveryId} and d.state in ('pending', 'sending')
        and s.id = d.seat_id and s.state = 'invited'
        and e.id = d.expert_id and t.id = d.task_id
        and ${underRateLimit(sql.raw('d.expert_id'), now, rateLimitPerHour)}
      returning d.seat_id, d.task_id, s.reply_deadline, e.contacts, t.body`,
  );
  if (row === undefined) return null;
  return {
    seatId: Number(row.seat_id),
    taskId: row.task_id,
    replyDeadline: toDate(row.reply_deadline),
    contacts: jsonColumn(row.contacts) as ExpertContact[] | null,
    task: jsonColumn(row.body),
  };
}

/**
 * The common case of claiming a notice in ONE autocommit statement: a notice still `pending`
 * or `sending` whose expert (if it has one) is under the per-recipient limit becomes `sending`
 * with one more attempt; the statement returns the notice and its expert's contacts. Null when
 * a condition fails: the caller runs the full claim, which tells the cases apart.
 *
 * @example
 * const claimed = await claimNoticeAtOnce(db, 'nt_…', now, context.rateLimitPerHour);
 */
export async function claimNoticeAtOnce(
  db: Database,
  noticeId: string,
  now: Date,
  rateLimitPerHour: number | undefined,
): Promise<ClaimedNotice | null> {
  const [row] = await queryRows<{
    id: string;
    kind: string;
    task_id: string | null;
    contact: unknown;
    subject: string;
    body: string;
    link: string | null;
    contacts: unknown;
  }>(
    db,
    sql`update notices n
      set state = 'sending', attempts = n.attempts + 1, updated_at = ${now.toISOString()}::timestamptz
      where n.id = ${noticeId} and n.state in ('pending', 'sending')
        and (n.expert_id is null or ${underRateLimit(sql.raw('n.expert_id'), now, rateLimitPerHour)})
      returning n.id, n.kind, n.task_id, n.contact, n.subject, n.body, n.link,
        (select e.contacts from experts e where e.id = n.expert_id) as contacts`,
  );
  if (row === undefined) return null;
  return {
    notice: {
      id: row.id,
      kind: row.kind,
      taskId: row.task_id,
      contact: jsonColumn(row.contact) as ExpertContact | null,
      subject: row.subject,
      body: row.body,
      link: row.link,
    },
    contacts: jsonColumn(row.contacts) as ExpertContact[] | null,
  };
}
