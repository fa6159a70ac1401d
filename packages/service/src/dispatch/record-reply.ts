import { type DeclineReason, declineReasons, type Task } from '@expert-dispatch/rules';
import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import type { Actor } from '../audit/audit-entry.js';
import type { Database, Transaction } from '../db/open-database.js';
import { experts, panelSeats, tasks } from '../db/schema.js';
import { lockSeat } from './backfill-seat.js';
import { acceptSeat, settleFreedSeat, waitlistLateAcceptance } from './fill-panel.js';
import { timeOutSeat } from './time-out-invitation.js';

/** An expert's answer to an invitation. */
export type Reply =
  | { readonly answer: 'accept' }
  | { readonly answer: 'decline'; readonly reason: DeclineReason };

/** Where a reply came from, for the audit log. */
export type ReplyChannel = 'link' | 'sms' | 'dispatcher';

/** The invitation after a reply: `changed` is false when it had already been settled. */
export interface ReplyOutcome {
  readonly found: boolean;
  readonly changed: boolean;
  readonly state: string;
  readonly taskId: string | null;
}

/**
 * Records a reply to an invitation, under a row lock so that accept, decline and time-out
 * racing on one invitation end in exactly one state. A second answer changes nothing and gets
 * the current state; an answer past the reply deadline times the invitation out instead. A
 * decline for a conflict of interest records the conflict with the task's enterprise on the
 * expert (第八条（四）) and counts as justified. A decline (or time-out) frees the seat for the
 * next alternate at once (`settleFreedSeat`); the last acceptance confirms the task. On an
 * over-invited panel (urgent work) an acceptance with no place left, or one arriving after the
 * panel filled up, is `waitlisted` and thanked (`acceptSeat`, `waitlistLateAcceptance`).
 *
 * @example
 * await recordReply(db, 42, { answer: 'decline', reason: 'illness' }, now, actor, 'link');
 */
export async function recordReply(
  db: Database,
  seatId: number,
  reply: Reply,
  now: Date,
  actor: Actor,
  via: ReplyChannel,
): Promise<ReplyOutcome> {
  return db.transaction(async (tx) => {
    const seat = await lockSeat(tx, seatId);
    if (seat === undefined) return { found: false, changed: false, state: '', taskId: null };
    const current = { found: true, changed: false, state: seat.state, taskId: seat.taskId };
    const late = reply.answer === 'accept' && (await waitlistLateAcceptance(tx, seat, now));
    if (seat.state !== 'invited' && !late) return current;
    if (!late && seat.replyDeadline !== null && seat.replyDeadline.getTime() <= now.getTime()) {
      await timeOutSeat(tx, seatId, now);
      return { ...current, state: 'timed_out' };
    }
    const declineReason = reply.answer === 'decline' ? reply.reason : null;
    let state: 'accepted' | 'declined' | 'waitlisted';
    if (late) state = 'waitlisted';
    else if (declineReason === null) state = await acceptSeat(tx, seat, now);
    else {
      state = 'declined';
      await tx
        .update(panelSeats)
        .set({ state, declineReason, repliedAt: now, updatedAt: now })
        .where(eq(panelSeats.id, seatId));
      if (declineReason === 'conflict_of_interest') {
        await recordConflict(tx, seat.expertId, seat.taskId, now);
      }
      await settleFreedSeat(tx, seatId, now);
    }
    await appendAudit(
      tx,
      {
        actor,
        action: `invitation.${state}`,
        entityType: 'task',
        entityId: seat.taskId,
        reason:
          declineReason === null
            ? `via ${via}`
            : `${declineReasons.labels[declineReason].zh} / ${declineReasons.labels[declineReason].en} (via ${via})`,
        before: { seatId, expertId: seat.expertId, state: seat.state },
        after: { seatId, expertId: seat.expertId, state, declineReason },
      },
      now,
    );
    return { ...current, changed: true, state };
  });
}

/**
 * Records on the expert a conflict of interest with the task's enterprise that they declared
 * (第八条（四）), once: later draws leave them out for that enterprise. `note` says when.
 *
 * @example
 * await recordConflict(tx, 'e-p001', 't-1', now, '接受邀请后申报需回避');
 */
export async function recordConflict(
  tx: Transaction,
  expertId: string,
  taskId: string,
  now: Date,
  note = '谢绝邀请时申报需回避',
): Promise<void> {
  const [task] = await tx.select({ body: tasks.body }).from(tasks).where(eq(tasks.id, taskId));
  const [expert] = await tx
    .select({ conflicts: experts.conflicts })
    .from(experts)
    .where(eq(experts.id, expertId))
    .for('update');
  if (task === undefined || expert === undefined) return;
  const organizationId = (task.body as Task).enterprise.id;
  if (expert.conflicts.some((c) => c.organizationId === organizationId)) return;
  await tx
    .update(experts)
    .set({
      conflicts: [...expert.conflicts, { organizationId, reason: `${note}（任务 ${taskId}）` }],
      updatedAt: now,
    })
    .where(eq(experts.id, expertId));
}
