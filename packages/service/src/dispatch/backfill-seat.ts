import type { PanelSelected } from '@expert-dispatch/matcher';
import { evaluateExpert, type Task } from '@expert-dispatch/rules';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import { campaignAtCap } from '../campaigns/campaign-load.js';
import type { Transaction } from '../db/open-database.js';
import { draws, experts, outbox, panelSeats, tasks } from '../db/schema.js';
import { rowToExpert } from '../experts/expert-row.js';
import { replyDeadlineOf, type StoredDrawInput } from '../tasks/draw-task.js';
import { HOLDING_STATES } from '../tasks/load-history.js';
import { DISPATCH_ACTOR } from './dispatch-actor.js';
import { drawReplacement } from './draw-replacement.js';
import { inviteReserve, isReserveOf } from './invite-reserve.js';
import { newOutboxId } from './write-invitation-outbox.js';

/**
 * Rows the caller has just read in the same transaction, unchanged since (the freed seat
 * after its own move, its task, the task's current draw): the backfill does not read them
 * again. A row that is not the one the backfill needs is ignored and read.
 */
export interface KnownRows {
  readonly freed: typeof panelSeats.$inferSelect;
  readonly task: typeof tasks.$inferSelect;
  readonly draw: typeof draws.$inferSelect;
}

/**
 * Fills a member's seat that a decline or time-out just freed, in the same transaction: the
 * next alternate (by rank) of the same draw that the matcher marked as able to replace this
 * member without breaking a hard panel constraint (`replaces`), that still passes every
 * dispatch rule of the draw's rule set today, and that the no-double-booking constraint lets
 * through, is invited at once (seat, delivery and outbox). When none is left, the matcher draws
 * again with the remaining members kept and the decliners left out (`drawReplacement`); only
 * when that finds no panel does the task become `understaffed`. Shadows are not replaced.
 * Returns the invited expert, or null. `known` spares the reads of rows the caller just read.
 *
 * @example
 * await backfillSeat(tx, freedSeatId, now); // 'e-p007'
 */
export async function backfillSeat(
  tx: Transaction,
  freedSeatId: number,
  now: Date,
  known?: KnownRows,
): Promise<string | null> {
  const [freed] =
    known?.freed.id === freedSeatId
      ? [known.freed]
      : await tx.select().from(panelSeats).where(eq(panelSeats.id, freedSeatId));
  if (freed === undefined || (freed.role !== 'member' && freed.role !== 'leader')) return null;
  const [task] =
    known?.task.id === freed.taskId
      ? [known.task]
      : await tx.select().from(tasks).where(eq(tasks.id, freed.taskId));
  if (task === undefined || task.status !== 'inviting' || task.currentDrawId !== freed.drawId) {
    return null;
  }
  const [draw] =
    known?.draw.id === freed.drawId
      ? [known.draw]
      : await tx.select().from(draws).where(eq(draws.id, freed.drawId));
  if (draw === undefined) return null;
  const result = draw.result as PanelSelected;
  const input = draw.input as StoredDrawInput;
  const taskBody = task.body as Task;
  const reserves = await tx
    .select()
    .from(panelSeats)
    .where(isReserveOf(freed.drawId))
    .orderBy(asc(panelSeats.rank));
  // A campaign's load cap holds for its backfills too: an alternate at the cap is passed over.
  const capped = await campaignAtCap(tx, task.id);
  for (const reserve of reserves) {
    if (capped.has(reserve.expertId)) continue;
    const alternate = result.alternates.find((a) => a.expertId === reserve.expertId);
    if (alternate === undefined || !alternate.replaces.includes(freed.expertId)) continue;
    const [row] = await tx.select().from(experts).where(eq(experts.id, reserve.expertId));
    if (row === undefined) continue;
    if (!evaluateExpert(rowToExpert(row), taskBody, {}, input.ruleSet).ok) continue;
    const replyDeadline = replyDeadlineOf(taskBody, now, input.ruleSet);
    const invitation = { taskId: task.id, freed, reserve, role: freed.role, replyDeadline };
    if (await inviteReserve(tx, invitation, now)) return reserve.expertId;
  }
  const redrawn = await drawReplacement(tx, task, freed, now);
  if (redrawn !== null) return redrawn[0] ?? null;
  await setTaskStatus(
    tx,
    task.id,
    'understaffed',
    now,
    `无可用替补 / no alternate left for ${freed.expertId}`,
  );
  return null;
}

/**
 * Confirms the task when the panel is full and every member holding a seat has accepted.
 */
export async function confirmIfComplete(
  tx: Transaction,
  taskId: string,
  now: Date,
): Promise<boolean> {
  const [task] = await tx.select().from(tasks).where(eq(tasks.id, taskId));
  if (task === undefined || task.status !== 'inviting' || task.currentDrawId === null) return false;
  // The seats that still hold: declined and timed-out members have been replaced.
  const holding = await tx
    .select({ state: panelSeats.state })
    .from(panelSeats)
    .where(
      and(
        eq(panelSeats.drawId, task.currentDrawId),
        inArray(panelSeats.role, ['leader', 'member']),
        inArray(panelSeats.state, [...HOLDING_STATES]),
      ),
    );
  const panelSize = (task.body as Task).panelSize;
  if (holding.length < panelSize || holding.some((seat) => seat.state !== 'accepted')) return false;
  await setTaskStatus(tx, taskId, 'confirmed', now, '全部成员已接受 / every member accepted');
  return true;
}

async function setTaskStatus(
  tx: Transaction,
  taskId: string,
  status: 'confirmed' | 'understaffed',
  now: Date,
  reason: string,
): Promise<void> {
  const [task] = await tx
    .update(tasks)
    .set({ status, updatedAt: now })
    .where(eq(tasks.id, taskId))
    .returning({ callbackUrl: tasks.callbackUrl });
  if (task?.callbackUrl) {
    // The requesting system is told through the outbox too, so the news is never lost.
    await tx.insert(outbox).values({
      id: newOutboxId(),
      kind: 'task_callback',
      payload: { taskId, status, at: now.toISOString() },
      runAt: now,
      createdAt: now,
    });
  }
  await appendAudit(
    tx,
    {
      actor: DISPATCH_ACTOR,
      action: `task.${status}`,
      entityType: 'task',
      entityId: taskId,
      reason,
      before: { status: 'inviting' },
      after: { status },
    },
    now,
  );
}
