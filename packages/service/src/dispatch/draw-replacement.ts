import type { Task } from '@expert-dispatch/rules';
import { and, eq, inArray } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import { campaignAtCap } from '../campaigns/campaign-load.js';
import type { Transaction } from '../db/open-database.js';
import { draws, panelSeats, tasks } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import type { Principal } from '../http/app-env.js';
import { drawTask, type StoredDrawInput } from '../tasks/draw-task.js';
import { HOLDING_STATES } from '../tasks/load-history.js';
import { EXCLUSION_VIOLATION, pgErrorCode } from '../tasks/pg-error-code.js';
import { nextSequence } from '../tasks/task-seats.js';
import { enqueueNotices } from './enqueue-notice.js';
import { panelFullNotice } from './panel-notices.js';
import { moveSeats } from './seats/move-seats.js';

type TaskRow = typeof tasks.$inferSelect;
type SeatRow = typeof panelSeats.$inferSelect;

/** Seats whose expert a replacement draw never invites again to the same task. */
const LEFT_OUT: ReadonlySet<string> = new Set([
  'declined',
  'timed_out',
  'undeliverable',
  'withdrawn',
  'waitlisted',
]);

/**
 * Who a replacement draw leaves out: those who declined, timed out, could not be reached or
 * withdrew, and — so that nobody is invited twice to one task — those on the waiting list (a
 * freed place is offered to them first) and those whose invitation to this panel was closed
 * because it filled up.
 */
function isExcluded(seat: SeatRow, currentDrawId: string): boolean {
  if (LEFT_OUT.has(seat.state)) return true;
  return seat.state === 'released' && seat.invitedAt !== null && seat.drawId === currentDrawId;
}

/**
 * When no alternate can take a freed seat, draws again (第十五条): the members still holding a
 * seat are kept (`fixed`, their seats and answers unchanged) and every expert who declined or
 * timed out on this task is left out (`exclude`). Recorded as a draw with its reason, like a
 * re-draw, and replayable. Returns the newly invited experts, or null when no panel can be
 * formed (the caller marks the task understaffed). Runs in a savepoint: a refused draw leaves
 * nothing behind.
 *
 * @example
 * const invited = await drawReplacement(tx, taskRow, freedSeat, now); // ['e-p009'] or null
 */
export async function drawReplacement(
  tx: Transaction,
  task: TaskRow,
  freed: { readonly expertId: string; readonly state: string },
  now: Date,
): Promise<string[] | null> {
  if (task.currentDrawId === null) return null;
  const currentDrawId = task.currentDrawId;
  const [draw] = await tx.select().from(draws).where(eq(draws.id, currentDrawId));
  if (draw === undefined) return null;
  const input = draw.input as StoredDrawInput;
  const body = task.body as Task;
  const seats = await tx.select().from(panelSeats).where(eq(panelSeats.taskId, task.id));
  // An over-invited panel may hold more invitations than places: the accepted ones are kept
  // first, then the open ones by rank, up to one place short of the panel; the rest are closed.
  const holding = seats
    .filter(
      (seat) =>
        seat.drawId === currentDrawId &&
        (seat.role === 'leader' || seat.role === 'member') &&
        (seat.state === 'invited' || seat.state === 'accepted'),
    )
    .sort(
      (a, b) =>
        Number(b.state === 'accepted') - Number(a.state === 'accepted') ||
        a.rank - b.rank ||
        a.id - b.id,
    );
  const kept = holding.slice(0, Math.max(0, body.panelSize - 1));
  const closed = holding.slice(kept.length);
  const keptSeats = new Map(kept.map((seat) => [seat.expertId, seat.id] as const));
  const exclude = [
    ...new Set([
      freed.expertId,
      ...seats.filter((s) => isExcluded(s, currentDrawId)).map((s) => s.expertId),
      // Experts the task's campaign holds at its load cap on its other tasks.
      ...(await campaignAtCap(tx, task.id)),
    ]),
  ];
  // The draw acts for the requesting authority: its pools, its shadows' area.
  const principal: Principal = {
    keyId: 'system:dispatch',
    authorityId: task.authorityId,
    tier: body.requestedBy.tier,
    region: body.requestedBy.region,
    role: 'dispatcher',
  };
  const reason = `替补用尽，保留在组成员重新抽取 / alternates exhausted after ${freed.expertId} (${freed.state}): drawn again with the remaining members kept`;
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      return await tx.transaction(async (savepoint) => {
        const sequence = await nextSequence(savepoint, task.id);
        const made = await drawTask(savepoint, {
          // Shadows stay as they are; the replacement draw is for members only.
          task: { ...body, shadows: 0 },
          options: {
            policy: input.policy,
            ...(input.cap === undefined ? {} : { cap: input.cap }),
            overInvite: 0,
          },
          principal,
          now,
          ruleSet: input.ruleSet,
          sequence,
          reason,
          poolOwner: savepoint,
          keptSeats,
          exclude,
        });
        await moveSeats(savepoint, {
          where: eq(panelSeats.drawId, currentDrawId),
          from: ['reserve'],
          to: 'released',
          by: 'system',
          now,
        });
        if (closed.length > 0) {
          await moveSeats(savepoint, {
            where: inArray(
              panelSeats.id,
              closed.map((seat) => seat.id),
            ),
            from: ['invited'],
            to: 'released',
            by: 'system',
            now,
          });
          await enqueueNotices(
            savepoint,
            closed.map((seat) => panelFullNotice(body, seat.expertId)),
            now,
          );
        }
        await savepoint
          .update(panelSeats)
          .set({ drawId: made.drawId, updatedAt: now })
          .where(
            and(
              eq(panelSeats.drawId, currentDrawId),
              eq(panelSeats.role, 'shadow'),
              inArray(panelSeats.state, [...HOLDING_STATES]),
            ),
          );
        await savepoint
          .update(tasks)
          .set({
            currentDrawId: made.drawId,
            updatedAt: now,
            // Steps taken unasked for an urgent task (异地抽取) stay with the task.
            ...(made.widened === null ? {} : { body: { ...body, widen: made.widened } }),
          })
          .where(eq(tasks.id, task.id));
        await appendAudit(savepoint, made.audit, now);
        return made.result.members
          .filter((member) => !keptSeats.has(member.expertId))
          .map((member) => member.expertId);
      });
    } catch (error) {
      if (error instanceof ProblemError) return null; // infeasible or impossible: understaffed
      if (pgErrorCode(error) !== EXCLUSION_VIOLATION || attempt === 2) throw error;
    }
  }
  return null;
}
