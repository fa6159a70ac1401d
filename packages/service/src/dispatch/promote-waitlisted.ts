import { evaluateExpert } from '@expert-dispatch/rules';
import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import { campaignAtCap } from '../campaigns/campaign-load.js';
import type { Transaction } from '../db/open-database.js';
import { experts, panelSeats } from '../db/schema.js';
import { rowToExpert } from '../experts/expert-row.js';
import { EXCLUSION_VIOLATION, pgErrorCode } from '../tasks/pg-error-code.js';
import { confirmIfComplete } from './backfill-seat.js';
import { DISPATCH_ACTOR } from './dispatch-actor.js';
import { enqueueNotices } from './enqueue-notice.js';
import { acceptedOf, closeFullPanel, loadPanel, type Place } from './fill-panel.js';
import { promotedNotice } from './panel-notices.js';
import { hasPlaceFor } from './panel-places.js';
import { moveSeats } from './seats/move-seats.js';

type SeatRow = typeof panelSeats.$inferSelect;

/** The waiting list in the order the experts accepted: first come, first served. */
function waitingListOf(places: readonly Place[]): Place[] {
  const at = (place: Place) => place.row.repliedAt?.getTime() ?? 0;
  return places
    .filter((place) => place.row.state === 'waitlisted')
    .sort((a, b) => at(a) - at(b) || a.seatId - b.seatId);
}

/**
 * Gives a place that an accepted member just freed (they can no longer attend, 第十五条) to the
 * waiting list of an inviting task, in the caller's transaction (task lock held): the earliest
 * waitlisted acceptance that still passes every dispatch rule of the draw's rule set today and
 * keeps the panel's constraints beside those accepted (`hasPlaceFor`) becomes `accepted` — as
 * leader when nobody holding a seat leads and their title allows (第五条) — and is told so.
 * Booking them goes through a savepoint, so that the no-double-booking constraint (they took
 * other work meanwhile) only skips them. Filling the last place closes the panel and confirms
 * the task as an acceptance does. Returns the promoted expert, or null when nobody fits (the
 * caller backfills the seat as for a decline).
 *
 * @example
 * const promoted = await promoteWaitlisted(tx, withdrawnSeat, now); // 'e-p005' or null
 */
export async function promoteWaitlisted(
  tx: Transaction,
  freed: SeatRow,
  now: Date,
): Promise<string | null> {
  const panel = await loadPanel(tx, freed.taskId);
  if (panel === null || panel.task.status !== 'inviting' || freed.drawId !== panel.drawId) {
    return null;
  }
  const accepted = acceptedOf(panel);
  const hasLeader = panel.places.some(
    (place) =>
      place.role === 'leader' && (place.row.state === 'accepted' || place.row.state === 'invited'),
  );
  const waitingList = waitingListOf(panel.places);
  // A campaign's load cap holds for promotions too: one it holds at the cap stays waiting.
  const capped =
    waitingList.length === 0 ? new Set<string>() : await campaignAtCap(tx, panel.task.id);
  for (const waiting of waitingList) {
    if (capped.has(waiting.row.expertId)) continue;
    const mayLead = waiting.leaderTitled || waiting.role === 'leader';
    const role: 'leader' | 'member' = !hasLeader && mayLead ? 'leader' : 'member';
    const candidate: Place = { ...waiting, role };
    if (!hasPlaceFor(panel.needs, accepted, candidate)) continue;
    const [expert] = await tx.select().from(experts).where(eq(experts.id, waiting.row.expertId));
    if (expert === undefined) continue;
    if (!evaluateExpert(rowToExpert(expert), panel.body, {}, panel.input.ruleSet).ok) continue;
    if (!(await bookPromoted(tx, waiting.seatId, role, now))) continue;
    await enqueueNotices(tx, [promotedNotice(panel.body, waiting.row.expertId)], now);
    await appendAudit(
      tx,
      {
        actor: DISPATCH_ACTOR,
        action: 'invitation.promoted',
        entityType: 'task',
        entityId: panel.task.id,
        reason: `候补递补 ${freed.expertId} 的空缺 / off the waiting list in place of ${freed.expertId}`,
        before: { seatId: waiting.seatId, expertId: waiting.row.expertId, state: 'waitlisted' },
        after: { seatId: waiting.seatId, expertId: waiting.row.expertId, role, state: 'accepted' },
      },
      now,
    );
    if (accepted.length + 1 >= panel.needs.panelSize) await closeFullPanel(tx, panel, now);
    await confirmIfComplete(tx, panel.task.id, now);
    return waiting.row.expertId;
  }
  return null;
}

/**
 * Books a waitlisted seat as accepted under a savepoint. The acceptance time stays the one the
 * expert gave (first come, first served reads it); false when the expert is booked elsewhere.
 */
async function bookPromoted(
  tx: Transaction,
  seatId: number,
  role: 'leader' | 'member',
  now: Date,
): Promise<boolean> {
  return tx
    .transaction(async (savepoint) => {
      const promoted = await moveSeats(savepoint, {
        where: eq(panelSeats.id, seatId),
        from: ['waitlisted'],
        to: 'accepted',
        by: 'system',
        set: { role },
        now,
      });
      return promoted.length === 1;
    })
    .catch((error: unknown) => {
      if (pgErrorCode(error) === EXCLUSION_VIOLATION) return false;
      throw error;
    });
}
