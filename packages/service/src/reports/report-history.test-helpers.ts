import { draws, panelSeats, poolSnapshots, ratings, tasks } from '../db/schema.js';
import { makeActiveExpert } from '../testing/expert-fixtures.test-helpers.js';
import { AUTHORITIES, call, type TestContext } from '../testing/test-backends.test-helpers.js';

// A recorded history written straight into the tables, as the dispatch loop, the attendance
// records and the ratings would have left it, so that reports can be checked against counts
// worked out by hand.

const SNAPSHOT = 'report-test-snapshot';

/** Adds an expert to the pool of `as` (the province by default) through the API. */
export async function addExpert(
  t: TestContext,
  overrides: Record<string, unknown>,
  as: 'yn' | 'km' = 'yn',
): Promise<void> {
  const created = await call(t, 'POST', '/v1/experts', {
    key: `${as}.admin`,
    json: makeActiveExpert({
      tier: AUTHORITIES[as].tier,
      employer: { id: `org-${String(overrides.id)}`, name: '某单位', kind: 'university' },
      profileUpdatedAt: '2026-06-01T09:00:00+08:00',
      ...overrides,
    }),
  });
  if (created.status !== 201) throw new Error(`expert ${String(overrides.id)}: ${created.text}`);
}

/** A task of `authority` on one Shanghai day, with a first draw; returns the draw id. */
export async function addTask(
  t: TestContext,
  task: {
    readonly id: string;
    readonly day: string;
    readonly authority?: 'yn' | 'km';
    readonly industries?: readonly string[];
    readonly status?: string;
  },
): Promise<string> {
  const db = t.database.db;
  const authority = AUTHORITIES[task.authority ?? 'yn'];
  await db.insert(poolSnapshots).values({ digest: SNAPSHOT, experts: [] }).onConflictDoNothing();
  await db.insert(tasks).values({
    id: task.id,
    authorityId: authority.id,
    type: 'enforcement_inspection',
    status: task.status ?? 'completed',
    body: { id: task.id, industries: task.industries ?? ['metallurgy'] },
    windowFrom: new Date(`${task.day}T08:30:00+08:00`),
    windowTo: new Date(`${task.day}T18:00:00+08:00`),
    currentDrawId: `d-${task.id}`,
    createdBy: 'test',
  });
  await db.insert(draws).values({
    id: `d-${task.id}`,
    taskId: task.id,
    sequence: 1,
    poolSnapshotDigest: SNAPSHOT,
    ruleSetId: 'yunnan-gmy-2025',
    ruleSetVersion: '1.0.0',
    policy: { policy: 'lottery' },
    seed: 'seed',
    inputDigest: 'digest',
    input: {},
    result: {},
    exclusions: {},
    createdBy: 'test',
    createdByAuthorityId: authority.id,
  });
  return `d-${task.id}`;
}

/** One invitation (seat) as the dispatch loop records it; returns the seat id. */
export async function addSeat(
  t: TestContext,
  seat: {
    readonly taskId: string;
    readonly day: string;
    readonly expertId: string;
    readonly role?: 'leader' | 'member' | 'shadow';
    readonly state: string;
    readonly invitedAt: string;
    readonly repliedAt?: string;
    readonly replyDeadline?: string;
    readonly declineReason?: string;
    readonly attendance?: 'attended' | 'no_show';
  },
): Promise<number> {
  const [row] = await t.database.db
    .insert(panelSeats)
    .values({
      taskId: seat.taskId,
      drawId: `d-${seat.taskId}`,
      expertId: seat.expertId,
      role: seat.role ?? 'member',
      rank: 0,
      state: seat.state,
      declineReason: seat.declineReason ?? null,
      windowFrom: new Date(`${seat.day}T08:30:00+08:00`),
      windowTo: new Date(`${seat.day}T18:00:00+08:00`),
      invitedAt: new Date(seat.invitedAt),
      repliedAt: seat.repliedAt === undefined ? null : new Date(seat.repliedAt),
      replyDeadline: new Date(seat.replyDeadline ?? seat.repliedAt ?? seat.invitedAt),
      attendance: seat.attendance ?? null,
      attendanceRecordedAt: seat.attendance === undefined ? null : new Date(seat.invitedAt),
      updatedAt: new Date(seat.repliedAt ?? seat.replyDeadline ?? seat.invitedAt),
    })
    .returning({ id: panelSeats.id });
  if (row === undefined) throw new Error('seat not inserted');
  return row.id;
}

/** A served unit's rating of one seat (第二十条). */
export async function addRating(
  t: TestContext,
  rating: {
    readonly seatId: number;
    readonly taskId: string;
    readonly expertId: string;
    readonly score: number;
  },
): Promise<void> {
  await t.database.db.insert(ratings).values({
    id: `r-${rating.seatId}`,
    taskId: rating.taskId,
    seatId: rating.seatId,
    expertId: rating.expertId,
    score: rating.score,
    source: 'api',
  });
}

/**
 * A task with a single invitation, for histories where each task only matters for one expert.
 *
 * @example
 * await addInvitation(t, { taskId: 'T1', day: '2026-01-05', expertId: 'e-a', state: 'declined', … });
 */
export async function addInvitation(
  t: TestContext,
  invitation: Parameters<typeof addSeat>[1] & {
    readonly authority?: 'yn' | 'km';
    readonly industries?: readonly string[];
  },
): Promise<number> {
  await addTask(t, {
    id: invitation.taskId,
    day: invitation.day,
    ...(invitation.authority === undefined ? {} : { authority: invitation.authority }),
    ...(invitation.industries === undefined ? {} : { industries: invitation.industries }),
  });
  return addSeat(t, invitation);
}
