import { type DeclineReason, declineReasons, type Task } from '@expert-dispatch/rules';
import { and, eq, inArray } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import type { Actor } from '../audit/audit-entry.js';
import { campaignAtCap } from '../campaigns/campaign-load.js';
import type { Database, Transaction } from '../db/open-database.js';
import { experts, panelSeats, tasks } from '../db/schema.js';
import { EXCLUSION_VIOLATION, pgErrorCode } from '../tasks/pg-error-code.js';
import { confirmIfComplete } from './backfill-seat.js';
import type { CommittedOutbox } from './committed-outbox.js';
import {
  type Answerer,
  acceptSeat,
  answerSeat,
  settleFreedSeat,
  waitlistLateAcceptance,
} from './fill-panel.js';
import { transactionCollectingOutbox } from './outbox-collector.js';
import { lockSeat } from './seats/lock-seat.js';
import { moveSeats } from './seats/move-seats.js';
import { HOLDING_SEAT_STATES, type SeatState } from './seats/seat-transitions.js';
import { timeOutSeat } from './time-out-invitation.js';

/** Longest 说明情况 an expert may give with a decline or withdrawal (第十五条). */
export const DECLINE_NOTE_MAX = 500;

/**
 * An expert's answer to an invitation. A decline carries the reason the expert CLAIMS (whether
 * it is 正当 is the department's decision) and, optionally, their own words (`note`).
 */
export type Reply =
  | { readonly answer: 'accept' }
  | { readonly answer: 'decline'; readonly reason: DeclineReason; readonly note?: string };

/**
 * Where a reply came from (`panel_seats.reply_channel`): the expert's signed `link` or `sms`,
 * a `phone` answer the dispatcher recorded, or the caller system's `api`.
 */
export type ReplyChannel = 'link' | 'sms' | 'phone' | 'api';

/** The invitation after a reply: `changed` is false when it had already been settled. */
export interface ReplyOutcome {
  readonly found: boolean;
  readonly changed: boolean;
  readonly state: string;
  readonly taskId: string | null;
  /**
   * The committed outbox rows of the invitations the reply made (a decline's replacement), for
   * `handOverCommitted`: queued at once instead of at the next relay round.
   */
  readonly outbox: readonly CommittedOutbox[];
}

/**
 * Who answered through `via`: the expert themself (link, SMS) or a dispatcher (phone, API),
 * with the reply columns that record it (`replied_by`: `expert` or the dispatcher's key id).
 *
 * @example
 * answererOf('phone', actor); // { by: 'dispatcher', set: { replyChannel: 'phone', repliedBy: 'k_…' } }
 */
export function answererOf(via: ReplyChannel, actor: Actor): Answerer {
  const byExpert = via === 'link' || via === 'sms';
  return {
    by: byExpert ? 'expert' : 'dispatcher',
    set: { replyChannel: via, repliedBy: byExpert ? 'expert' : actor.keyId },
  };
}

/**
 * Records a reply to an invitation, under a row lock so that accept, decline and time-out
 * racing on one invitation end in exactly one state. A second answer changes nothing and gets
 * the current state; an answer past the reply deadline times the invitation out instead. A
 * decline keeps the claimed reason and the expert's note (说明情况, 第十五条); one for a
 * conflict of interest records the conflict with the task's enterprise on the expert
 * (第八条（四）). A decline (or time-out) frees the seat for the next alternate at once
 * (`settleFreedSeat`); the last acceptance confirms the task. On an over-invited panel
 * (urgent work) an acceptance with no place left, or one arriving after the panel filled up,
 * is `waitlisted` and thanked (`acceptSeat`, `waitlistLateAcceptance`). A `phone` answer may
 * also settle an `undeliverable` invitation until its deadline (`answerUndeliverable`).
 *
 * @example
 * await recordReply(db, 42, { answer: 'decline', reason: 'illness', note: '住院' }, now, actor, 'link');
 */
export async function recordReply(
  db: Database,
  seatId: number,
  reply: Reply,
  now: Date,
  actor: Actor,
  via: ReplyChannel,
): Promise<ReplyOutcome> {
  const { value, outbox } = await transactionCollectingOutbox(db, (tx) =>
    recordReplyIn(tx, seatId, reply, now, actor, via),
  );
  return { ...value, outbox };
}

async function recordReplyIn(
  tx: Transaction,
  seatId: number,
  reply: Reply,
  now: Date,
  actor: Actor,
  via: ReplyChannel,
): Promise<Omit<ReplyOutcome, 'outbox'>> {
  const seat = await lockSeat(tx, seatId);
  if (seat === undefined) return { found: false, changed: false, state: '', taskId: null };
  const current = { found: true, changed: false, state: seat.state, taskId: seat.taskId };
  const answerer = answererOf(via, actor);
  const isOpen = seat.replyDeadline === null || seat.replyDeadline.getTime() > now.getTime();
  if (seat.state === 'undeliverable' && via === 'phone' && isOpen) {
    const state = await answerUndeliverable(tx, seat, reply, answerer, now);
    await auditReply(tx, seat, state, reply, via, actor, now);
    return { ...current, changed: true, state };
  }
  const late = reply.answer === 'accept' && (await waitlistLateAcceptance(tx, seat, now, answerer));
  if (seat.state !== 'invited' && !late) return current;
  if (!late && !isOpen) {
    await timeOutSeat(tx, seatId, now);
    const [after] = await tx
      .select({ state: panelSeats.state })
      .from(panelSeats)
      .where(eq(panelSeats.id, seatId));
    return { ...current, state: after?.state ?? seat.state };
  }
  let state: 'accepted' | 'declined' | 'waitlisted';
  if (late) state = 'waitlisted';
  else if (reply.answer === 'accept') state = await acceptSeat(tx, seat, now, answerer);
  else {
    state = 'declined';
    await declineSeat(tx, seat, reply, answerer, now);
    await settleFreedSeat(tx, seatId, now);
  }
  await auditReply(tx, seat, state, reply, via, actor, now);
  return { ...current, changed: true, state };
}

type SeatRow = typeof panelSeats.$inferSelect;

async function declineSeat(
  tx: Transaction,
  seat: SeatRow,
  reply: Extract<Reply, { answer: 'decline' }>,
  answerer: Answerer,
  now: Date,
): Promise<void> {
  await moveSeats(tx, {
    where: eq(panelSeats.id, seat.id),
    from: [seat.state as SeatState],
    to: 'declined',
    by: answerer.by,
    set: {
      ...answerer.set,
      declineReason: reply.reason,
      declineNote: reply.note ?? null,
      repliedAt: now,
    },
    now,
  });
  if (reply.reason === 'conflict_of_interest') {
    await recordConflict(tx, seat.expertId, seat.taskId, now);
  }
}

/**
 * A phone answer to an invitation no channel reached. Its place was backfilled when it became
 * undeliverable, so a decline only records the answer; an acceptance takes a place the panel
 * still has free (the task inviting, fewer seats holding than its size, the expert not booked
 * elsewhere) and may confirm the task — otherwise the expert goes on the waiting list, first
 * in line for a place that frees up.
 */
async function answerUndeliverable(
  tx: Transaction,
  seat: SeatRow,
  reply: Reply,
  answerer: Answerer,
  now: Date,
): Promise<'accepted' | 'declined' | 'waitlisted'> {
  if (reply.answer === 'decline') {
    await declineSeat(tx, seat, reply, answerer, now);
    return 'declined';
  }
  if (await hasFreePlace(tx, seat)) {
    const booked = await tx
      .transaction(async (savepoint) => {
        await answerSeat(savepoint, seat, 'accepted', answerer, now);
        return true;
      })
      .catch((error: unknown) => {
        if (pgErrorCode(error) === EXCLUSION_VIOLATION) return false;
        throw error;
      });
    if (booked) {
      await confirmIfComplete(tx, seat.taskId, now);
      return 'accepted';
    }
  }
  await answerSeat(tx, seat, 'waitlisted', answerer, now);
  return 'waitlisted';
}

async function hasFreePlace(tx: Transaction, seat: SeatRow): Promise<boolean> {
  if (seat.role !== 'leader' && seat.role !== 'member') return false;
  const [task] = await tx.select().from(tasks).where(eq(tasks.id, seat.taskId));
  if (task === undefined || task.status !== 'inviting' || task.currentDrawId !== seat.drawId) {
    return false;
  }
  const holding = await tx
    .select({ id: panelSeats.id })
    .from(panelSeats)
    .where(
      and(
        eq(panelSeats.drawId, seat.drawId),
        inArray(panelSeats.role, ['leader', 'member']),
        inArray(panelSeats.state, [...HOLDING_SEAT_STATES]),
      ),
    );
  if (holding.length >= (task.body as Task).panelSize) return false;
  // Its seat stopped counting toward the task's campaign while undeliverable: the campaign's
  // load cap may have been reached meanwhile on its other tasks.
  return !(await campaignAtCap(tx, seat.taskId)).has(seat.expertId);
}

async function auditReply(
  tx: Transaction,
  seat: SeatRow,
  state: string,
  reply: Reply,
  via: ReplyChannel,
  actor: Actor,
  now: Date,
): Promise<void> {
  const reason = reply.answer === 'decline' ? reply.reason : null;
  const label = reason === null ? null : declineReasons.labels[reason];
  await appendAudit(
    tx,
    {
      actor,
      action: `invitation.${state}`,
      entityType: 'task',
      entityId: seat.taskId,
      reason: label === null ? `via ${via}` : `${label.zh} / ${label.en} (via ${via})`,
      before: { seatId: seat.id, expertId: seat.expertId, state: seat.state },
      after: {
        seatId: seat.id,
        expertId: seat.expertId,
        state,
        declineReason: reason,
        ...(reply.answer === 'decline' && reply.note !== undefined
          ? { declineNote: reply.note }
          : {}),
        replyChannel: via,
      },
    },
    now,
  );
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
