import { type DeclineReason, declineReasons } from '@expert-dispatch/rules';
import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import type { Actor } from '../audit/audit-entry.js';
import type { Database, Transaction } from '../db/open-database.js';
import { panelSeats, tasks } from '../db/schema.js';
import { DISPATCH_ACTOR } from './dispatch-actor.js';
import { settleFreedSeat } from './fill-panel.js';
import { promoteWaitlisted } from './promote-waitlisted.js';
import { answererOf, type ReplyChannel, recordConflict } from './record-reply.js';
import { lockSeat } from './seats/lock-seat.js';
import { moveSeats } from './seats/move-seats.js';

/** Why a withdrawal was refused: each is a 409 (404 for an unknown invitation). */
export type WithdrawalRefusal = 'not_found' | 'not_accepted' | 'task_closed' | 'window_started';

/** The invitation after a withdrawal, or why none was recorded. */
export type WithdrawalOutcome =
  | {
      readonly ok: true;
      readonly taskId: string;
      /** The waitlisted expert who took the place, if any (else it was backfilled). */
      readonly promoted: string | null;
      readonly taskStatus: string;
    }
  | {
      readonly ok: false;
      readonly refusal: WithdrawalRefusal;
      readonly seatState: string;
      readonly taskStatus: string;
      readonly windowFrom: Date | null;
    };

const OPEN_TASK = ['inviting', 'confirmed', 'understaffed'];

/**
 * Records that an expert who accepted can no longer attend (第十五条: 确因特殊情况不能参与活动的
 * 应当及时说明情况 … 记录在案), in one transaction under the task and seat locks, so that a
 * withdrawal racing another, a time-out or a promotion ends in one state and one replacement.
 * Only an accepted seat of an open task, before the task's window starts, may be withdrawn.
 * The seat becomes `withdrawn` with the claimed reason, the expert's own words (`note`, 说明情况)
 * and the time; the matcher reads it as a decline with that reason, and whether the reason is
 * 正当 is the department's decision (第二十三条（一）). A conflict of interest is recorded on the expert as for a decline (第八条（四）,
 * 第十六条（一）). A confirmed or understaffed task invites again; the freed place goes first to
 * the waiting list (`promoteWaitlisted`), else it is backfilled as a decline is
 * (`settleFreedSeat`), and the task's status and its callback follow from there.
 *
 * @example
 * await withdrawAcceptance(db, 42, { reason: 'illness', note: '住院' }, now, actor, 'phone'); // { ok: true, … }
 */
export async function withdrawAcceptance(
  db: Database,
  seatId: number,
  claim: { readonly reason: DeclineReason; readonly note?: string | undefined },
  now: Date,
  actor: Actor,
  via: ReplyChannel,
): Promise<WithdrawalOutcome> {
  const { reason } = claim;
  return db.transaction(async (tx) => {
    const seat = await lockSeat(tx, seatId);
    const [task] =
      seat === undefined ? [] : await tx.select().from(tasks).where(eq(tasks.id, seat.taskId));
    if (seat === undefined || task === undefined) {
      return refused('not_found', '', '', null);
    }
    const refusal: WithdrawalRefusal | null = !OPEN_TASK.includes(task.status)
      ? 'task_closed'
      : now.getTime() >= task.windowFrom.getTime()
        ? 'window_started'
        : seat.state !== 'accepted'
          ? 'not_accepted'
          : null;
    if (refusal !== null) return refused(refusal, seat.state, task.status, task.windowFrom);

    const answerer = answererOf(via, actor);
    await moveSeats(tx, {
      where: eq(panelSeats.id, seatId),
      from: ['accepted'],
      to: 'withdrawn',
      by: answerer.by,
      set: {
        ...answerer.set,
        declineReason: reason,
        declineNote: claim.note ?? null,
        repliedAt: now,
      },
      now,
    });
    if (reason === 'conflict_of_interest') {
      await recordConflict(tx, seat.expertId, seat.taskId, now, '接受邀请后申报需回避');
    }
    const label = declineReasons.labels[reason];
    await appendAudit(
      tx,
      {
        actor,
        action: 'invitation.withdrawn',
        entityType: 'task',
        entityId: seat.taskId,
        reason: `接受后不能参加：${label.zh} / can no longer attend: ${label.en} (via ${via})`,
        before: { seatId, expertId: seat.expertId, state: 'accepted', acceptedAt: seat.repliedAt },
        after: {
          seatId,
          expertId: seat.expertId,
          state: 'withdrawn',
          declineReason: reason,
          ...(claim.note === undefined ? {} : { declineNote: claim.note }),
        },
      },
      now,
    );
    const holdsPlace = seat.role === 'leader' || seat.role === 'member';
    if (holdsPlace && seat.drawId === task.currentDrawId) {
      if (task.status !== 'inviting') await reopenTask(tx, task.id, task.status, now);
      const promoted = await promoteWaitlisted(tx, seat, now);
      if (promoted === null) await settleFreedSeat(tx, seatId, now);
      return { ok: true, taskId: task.id, promoted, taskStatus: await statusOf(tx, task.id) };
    }
    return { ok: true, taskId: task.id, promoted: null, taskStatus: task.status };
  });
}

function refused(
  refusal: WithdrawalRefusal,
  seatState: string,
  taskStatus: string,
  windowFrom: Date | null,
): WithdrawalOutcome {
  return { ok: false, refusal, seatState, taskStatus, windowFrom };
}

/**
 * A place is open again: the task invites until it is filled (then `confirmed` again) or cannot
 * be (`understaffed`). The requesting system hears of either through its callback, as before;
 * the reopening itself is audited.
 */
async function reopenTask(tx: Transaction, taskId: string, from: string, now: Date) {
  await tx.update(tasks).set({ status: 'inviting', updatedAt: now }).where(eq(tasks.id, taskId));
  await appendAudit(
    tx,
    {
      actor: DISPATCH_ACTOR,
      action: 'task.reopened',
      entityType: 'task',
      entityId: taskId,
      reason: '成员不能参加，空缺待补 / a member can no longer attend: the place is open again',
      before: { status: from },
      after: { status: 'inviting' },
    },
    now,
  );
}

async function statusOf(tx: Transaction, taskId: string): Promise<string> {
  const [row] = await tx.select({ status: tasks.status }).from(tasks).where(eq(tasks.id, taskId));
  return row?.status ?? '';
}
