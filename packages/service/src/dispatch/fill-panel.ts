import { evaluateExpert, type Task } from '@expert-dispatch/rules';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import { campaignAtCap } from '../campaigns/campaign-load.js';
import type { Transaction } from '../db/open-database.js';
import { deliveries, draws, experts, panelSeats, tasks } from '../db/schema.js';
import { rowToExpert } from '../experts/expert-row.js';
import { replyDeadlineOf, type StoredDrawInput } from '../tasks/draw-task.js';
import { backfillSeat, confirmIfComplete } from './backfill-seat.js';
import { DISPATCH_ACTOR } from './dispatch-actor.js';
import { enqueueNotices } from './enqueue-notice.js';
import { inviteReserve, isReserveOf } from './invite-reserve.js';
import { panelFullNotice, waitlistNotice } from './panel-notices.js';
import {
  canFill,
  hasPlaceFor,
  leaderSuccessor,
  type PanelNeeds,
  type PlaceSeat,
} from './panel-places.js';
import { moveSeats, type SeatFields } from './seats/move-seats.js';
import type { SeatActor, SeatState } from './seats/seat-transitions.js';

type SeatRow = typeof panelSeats.$inferSelect;
/** A leader or member seat of the current draw with what the panel constraints read. */
export type Place = PlaceSeat & { readonly row: SeatRow };

/** Who gave an answer, and the reply columns that go with it (channel, who recorded it). */
export interface Answerer {
  readonly by: SeatActor;
  readonly set: SeatFields;
}

/** A task's current panel while it invites, with what the panel constraints read. */
export interface Panel {
  readonly task: typeof tasks.$inferSelect;
  readonly body: Task;
  readonly drawId: string;
  readonly input: StoredDrawInput;
  readonly overInvited: boolean;
  readonly needs: PanelNeeds;
  /** Leader and member seats of the current draw, every state, by rank. */
  readonly places: readonly Place[];
}

/**
 * Records an acceptance (the caller holds the task and seat locks). While an over-invited
 * panel (urgent work) holds more invitations than places, places go first come, first served
 * to acceptances that keep its constraints (`hasPlaceFor`); an acceptance with no place left is
 * put on the waiting list — it does not book the expert — and thanked. The acceptance that
 * fills the last place closes the panel: the invitations still open are released and their
 * experts told the panel is full. Anything else is accepted as before.
 *
 * @example
 * await acceptSeat(tx, seat, now, { by: 'expert', set: { replyChannel: 'link' } }); // 'accepted'
 */
export async function acceptSeat(
  tx: Transaction,
  seat: SeatRow,
  now: Date,
  answerer: Answerer,
): Promise<'accepted' | 'waitlisted'> {
  const current = await loadCurrentDraw(tx, seat.taskId);
  // The seats are read only for an over-invited panel, where places go first come, first served.
  const panel = current === null || !isInPlay(current, seat) ? null : await panelOf(tx, current);
  const me = panel?.places.find((place) => place.seatId === seat.id);
  const setSeatState = (to: 'accepted' | 'waitlisted') => answerSeat(tx, seat, to, answerer, now);
  if (panel === null || me === undefined) {
    await setSeatState('accepted');
    await confirmIfComplete(tx, seat.taskId, now);
    return 'accepted';
  }
  const accepted = acceptedOf(panel);
  const holding = panel.places.filter((place) => isHolding(place.row.state));
  if (holding.length > panel.needs.panelSize && !hasPlaceFor(panel.needs, accepted, me)) {
    await setSeatState('waitlisted');
    await enqueueNotices(tx, [waitlistNotice(panel.body, seat.expertId)], now);
    // Its invitation no longer counts toward the panel: invite someone else if now needed.
    await settleFreedSeat(tx, seat.id, now);
    return 'waitlisted';
  }
  await setSeatState('accepted');
  if (accepted.length + 1 >= panel.needs.panelSize) await closeFullPanel(tx, panel, now);
  await confirmIfComplete(tx, seat.taskId, now);
  return 'accepted';
}

/**
 * An acceptance that arrives after its invitation was closed because the panel filled up
 * (before its reply deadline): the expert is put on the waiting list and thanked. Returns
 * false, changing nothing, for any other closed invitation (cancelled task, re-draw).
 *
 * @example
 * if (await waitlistLateAcceptance(tx, seat, now, answerer)) return 'waitlisted';
 */
export async function waitlistLateAcceptance(
  tx: Transaction,
  seat: SeatRow,
  now: Date,
  answerer: Answerer,
): Promise<boolean> {
  if (seat.state !== 'released' || seat.invitedAt === null) return false;
  if (seat.role !== 'leader' && seat.role !== 'member') return false;
  if (seat.replyDeadline !== null && seat.replyDeadline.getTime() <= now.getTime()) return false;
  const [task] = await tx.select().from(tasks).where(eq(tasks.id, seat.taskId));
  if (task === undefined || task.status !== 'confirmed' || task.currentDrawId !== seat.drawId) {
    return false;
  }
  const [draw] = await tx
    .select({ policy: draws.policy })
    .from(draws)
    .where(eq(draws.id, seat.drawId));
  if (draw === undefined || !isOverInvitedPolicy(draw.policy)) return false;
  await answerSeat(tx, seat, 'waitlisted', answerer, now);
  await enqueueNotices(tx, [waitlistNotice(task.body as Task, seat.expertId)], now);
  return true;
}

/**
 * After an invitation ends without a place (declined, timed out, waitlisted): on an
 * over-invited panel the invitations still open may cover it — a leader-titled invitee takes
 * the leader's place if the leader is gone (unless the task named its leader) — and only when
 * they cannot fill the panel (`canFill`) is the next reserve that lets them is invited. Every
 * other panel is backfilled as before (`backfillSeat`), which is also the last resort here.
 *
 * @example
 * await settleFreedSeat(tx, declinedSeatId, now);
 */
export async function settleFreedSeat(
  tx: Transaction,
  freedSeatId: number,
  now: Date,
): Promise<void> {
  const [freed] = await tx.select().from(panelSeats).where(eq(panelSeats.id, freedSeatId));
  const current = freed === undefined ? null : await loadCurrentDraw(tx, freed.taskId);
  // Most panels are not over-invited: the seats are read only for one that is, and the rows
  // read here go to the backfill, which need not read them again (#17: three round trips and
  // the draw's JSON less on the way from a decline to its replacement's notification).
  if (freed === undefined || current === null || !isInPlay(current, freed)) {
    const known = freed === undefined || current === null ? undefined : { freed, ...current };
    await backfillSeat(tx, freedSeatId, now, known);
    return;
  }
  const panel = await panelOf(tx, current);
  let accepted: readonly Place[] = acceptedOf(panel);
  let open: readonly Place[] = panel.places.filter((place) => place.row.state === 'invited');
  const holding = [...accepted, ...open];
  const successor =
    !holding.some((place) => place.role === 'leader') &&
    panel.body.leaderId === undefined &&
    holding.length >= panel.needs.panelSize
      ? leaderSuccessor(holding)
      : null;
  if (successor !== null) {
    await succeedLeader(tx, panel, freed, successor, now);
    const lead = (place: Place): Place =>
      place.seatId === successor.seatId ? { ...place, role: 'leader' } : place;
    accepted = accepted.map(lead);
    open = open.map(lead);
  }
  if (canFill(panel.needs, accepted, open)) return;
  if (await inviteFittingReserve(tx, panel, freed, accepted, open, now)) return;
  await backfillSeat(tx, freedSeatId, now);
}

/**
 * The task's current panel: its draw, constraints and leader/member seats (every state).
 *
 * @example
 * const panel = await loadPanel(tx, 't-1'); // null when the task has no draw
 */
export async function loadPanel(tx: Transaction, taskId: string): Promise<Panel | null> {
  const current = await loadCurrentDraw(tx, taskId);
  return current === null ? null : panelOf(tx, current);
}

/** A task and its current draw, as stored. */
interface CurrentDraw {
  readonly task: typeof tasks.$inferSelect;
  readonly draw: typeof draws.$inferSelect;
}

/** The task and its current draw; null when the task is missing or has no draw. */
async function loadCurrentDraw(tx: Transaction, taskId: string): Promise<CurrentDraw | null> {
  const [task] = await tx.select().from(tasks).where(eq(tasks.id, taskId));
  if (task === undefined || task.currentDrawId === null) return null;
  const [draw] = await tx.select().from(draws).where(eq(draws.id, task.currentDrawId));
  return draw === undefined ? null : { task, draw };
}

/** The panel of a task's current draw: its leader and member seats read with their experts. */
async function panelOf(tx: Transaction, { task, draw }: CurrentDraw): Promise<Panel> {
  const body = task.body as Task;
  const input = draw.input as StoredDrawInput;
  const rows = await tx
    .select({
      seat: panelSeats,
      employerId: experts.employerId,
      industries: experts.industries,
      title: experts.title,
    })
    .from(panelSeats)
    .innerJoin(experts, eq(experts.id, panelSeats.expertId))
    .where(and(eq(panelSeats.drawId, draw.id), inArray(panelSeats.role, ['leader', 'member'])))
    .orderBy(asc(panelSeats.rank), asc(panelSeats.id));
  const leaderTitles: readonly string[] = input.ruleSet.panel.leaderTitles;
  const places = rows.map(
    (row): Place => ({
      seatId: row.seat.id,
      role: row.seat.role === 'leader' ? 'leader' : 'member',
      employerId: row.employerId,
      industries: row.industries,
      leaderTitled: leaderTitles.includes(row.title),
      row: row.seat,
    }),
  );
  return {
    task,
    body,
    drawId: draw.id,
    input,
    overInvited: isOverInvitedPolicy(draw.policy),
    needs: {
      panelSize: body.panelSize,
      industries: body.industries,
      maxMembersPerEmployer: input.ruleSet.panel.maxMembersPerEmployer,
    },
    places,
  };
}

/** Over-invitation rules apply to a leader or member seat of an over-invited current draw. */
function isInPlay({ task, draw }: CurrentDraw, seat: SeatRow): boolean {
  return (
    isOverInvitedPolicy(draw.policy) &&
    task.status === 'inviting' &&
    seat.drawId === draw.id &&
    (seat.role === 'leader' || seat.role === 'member')
  );
}

function isOverInvitedPolicy(policy: unknown): boolean {
  const overInvite = (policy as { overInvite?: unknown } | null)?.overInvite;
  return typeof overInvite === 'number' && overInvite > 0;
}

const isHolding = (state: string) => state === 'invited' || state === 'accepted';

/** The accepted seats in the order they answered: first come, first served. */
export function acceptedOf(panel: Panel): Place[] {
  const at = (place: Place) => place.row.repliedAt?.getTime() ?? 0;
  return panel.places
    .filter((place) => place.row.state === 'accepted')
    .sort((a, b) => at(a) - at(b) || a.seatId - b.seatId);
}

/**
 * Records an acceptance (`accepted`, or `waitlisted` when no place is left) from the seat's
 * current state, as the state table allows for who answered (the caller holds the seat lock).
 *
 * @example
 * await answerSeat(tx, seat, 'accepted', { by: 'dispatcher', set: { replyChannel: 'phone' } }, now);
 */
export async function answerSeat(
  tx: Transaction,
  seat: SeatRow,
  to: 'accepted' | 'waitlisted',
  answerer: Answerer,
  now: Date,
): Promise<void> {
  await moveSeats(tx, {
    where: eq(panelSeats.id, seat.id),
    from: [seat.state as SeatState],
    to,
    by: answerer.by,
    set: { ...answerer.set, declineReason: null, declineNote: null, repliedAt: now },
    now,
  });
}

/** The panel is full: the invitations still open are closed and their experts told so. */
export async function closeFullPanel(tx: Transaction, panel: Panel, now: Date): Promise<void> {
  const closed = await moveSeats(tx, {
    where: and(eq(panelSeats.drawId, panel.drawId), inArray(panelSeats.role, ['leader', 'member'])),
    from: ['invited'],
    to: 'released',
    by: 'system',
    now,
  });
  if (closed.length === 0) return;
  // Only an expert whose invitation went out hears that it closed; one still waiting to be sent
  // (held back by the hourly limit, or queued) is never sent now.
  const closedIds = closed.map((seat) => seat.id);
  const reached = await tx
    .select({ seatId: deliveries.seatId })
    .from(deliveries)
    .where(
      and(inArray(deliveries.seatId, closedIds), inArray(deliveries.state, ['sending', 'sent'])),
    );
  await tx
    .update(deliveries)
    .set({ state: 'cancelled', updatedAt: now })
    .where(and(inArray(deliveries.seatId, closedIds), eq(deliveries.state, 'pending')));
  const told = new Set(reached.map((row) => row.seatId));
  await enqueueNotices(
    tx,
    closed
      .filter((seat) => told.has(seat.id))
      .map((seat) => panelFullNotice(panel.body, seat.expertId)),
    now,
  );
  await appendAudit(
    tx,
    {
      actor: DISPATCH_ACTOR,
      action: 'panel.closed',
      entityType: 'task',
      entityId: panel.task.id,
      reason: '专家组已满员，其余邀请关闭 / the panel is full: the other invitations are closed',
      before: { open: closed.map((seat) => ({ seatId: seat.id, expertId: seat.expertId })) },
      after: { state: 'released' },
    },
    now,
  );
}

async function succeedLeader(
  tx: Transaction,
  panel: Panel,
  freed: SeatRow,
  successor: Place,
  now: Date,
): Promise<void> {
  await tx
    .update(panelSeats)
    .set({ role: 'leader', updatedAt: now })
    .where(eq(panelSeats.id, successor.seatId));
  await appendAudit(
    tx,
    {
      actor: DISPATCH_ACTOR,
      action: 'panel.leader_succeeded',
      entityType: 'task',
      entityId: panel.task.id,
      reason: `组长 ${freed.expertId}（${freed.state}）由 ${successor.row.expertId} 接替 / ${successor.row.expertId} leads instead of ${freed.expertId} (${freed.state})`,
      before: { seatId: freed.id, expertId: freed.expertId, role: 'leader' },
      after: { seatId: successor.seatId, expertId: successor.row.expertId, role: 'leader' },
    },
    now,
  );
}

/**
 * Invites the first reserve (by rank) that still passes every dispatch rule and with which the
 * open invitations can fill the panel, through the same savepoint and exclusion constraint as a
 * backfill. It leads when the panel has no leader left and its title allows.
 */
async function inviteFittingReserve(
  tx: Transaction,
  panel: Panel,
  freed: SeatRow,
  accepted: readonly PlaceSeat[],
  open: readonly PlaceSeat[],
  now: Date,
): Promise<boolean> {
  const reserves = await tx
    .select({ seat: panelSeats, expert: experts })
    .from(panelSeats)
    .innerJoin(experts, eq(experts.id, panelSeats.expertId))
    .where(isReserveOf(panel.drawId))
    .orderBy(asc(panelSeats.rank));
  const hasLeader = [...accepted, ...open].some((place) => place.role === 'leader');
  const leaderTitles: readonly string[] = panel.input.ruleSet.panel.leaderTitles;
  // A campaign's load cap holds here too: a reserve it holds at the cap is passed over.
  const capped = reserves.length === 0 ? new Set<string>() : await campaignAtCap(tx, panel.task.id);
  for (const { seat, expert } of reserves) {
    if (capped.has(seat.expertId)) continue;
    const leaderTitled = leaderTitles.includes(expert.title);
    const role: 'leader' | 'member' = !hasLeader && leaderTitled ? 'leader' : 'member';
    const candidate: PlaceSeat = {
      seatId: seat.id,
      role,
      employerId: expert.employerId,
      industries: expert.industries,
      leaderTitled,
    };
    if (!canFill(panel.needs, accepted, [...open, candidate])) continue;
    if (!evaluateExpert(rowToExpert(expert), panel.body, {}, panel.input.ruleSet).ok) continue;
    const replyDeadline = replyDeadlineOf(panel.body, now, panel.input.ruleSet);
    const invitation = { taskId: panel.task.id, freed, reserve: seat, role, replyDeadline };
    if (await inviteReserve(tx, invitation, now)) return true;
  }
  return false;
}
