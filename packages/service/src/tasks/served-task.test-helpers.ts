import { desc } from 'drizzle-orm';
import { auditLog } from '../db/schema.js';
import { call, type TestContext } from '../testing/test-backends.test-helpers.js';
import { postTaskOnDay } from './task-fixtures.test-helpers.js';
import type { TaskView } from './task-view.js';

export type Seat = TaskView['panel'][number];

/** Accepts an invitation as the requesting dispatcher would record a phone answer. */
export async function acceptInvitation(t: TestContext, invitationId: string): Promise<void> {
  const accepted = await call(t, 'POST', `/v1/invitations/${invitationId}/reply`, {
    key: 'yn.dispatcher',
    json: { answer: 'accept' },
  });
  if (accepted.status !== 200) throw new Error(`accept ${invitationId}: ${accepted.text}`);
}

/**
 * A provincial task on `date` whose members (and, unless told otherwise, shadows) all accepted,
 * so that it is `confirmed`; the clock is then moved into its window (10:00 Shanghai), ready to
 * be completed. Dates must increase from call to call within a suite (the clock only moves on).
 */
export async function serveTask(
  t: TestContext,
  id: string,
  date: string,
  overrides: Record<string, unknown> = {},
  options: { readonly acceptShadows?: boolean } = {},
): Promise<Seat[]> {
  const created = await postTaskOnDay(t, id, date, overrides);
  const panel = (created.body as unknown as TaskView).panel;
  for (const seat of panel) {
    if (seat.state !== 'invited') continue;
    if (seat.role === 'shadow' && options.acceptShadows === false) continue;
    await acceptInvitation(t, seat.invitationId);
  }
  t.clock.set(`${date}T10:00:00+08:00`);
  return panel;
}

/** The leader and members of a panel, leader first. */
export function panelMembers(panel: readonly Seat[]): Seat[] {
  return panel.filter((seat) => seat.role === 'leader' || seat.role === 'member');
}

/** Everyone on the panel attended, except the experts listed as no-shows. */
export function attendanceOf(
  seats: readonly Seat[],
  noShows: readonly string[] = [],
): { expertId: string; attendance: 'attended' | 'no_show' }[] {
  return seats.map((seat) => ({
    expertId: seat.expertId,
    attendance: noShows.includes(seat.expertId) ? 'no_show' : 'attended',
  }));
}

/** The last `n` audit entries, oldest first. */
export async function lastAuditEntries(t: TestContext, n: number) {
  const rows = await t.database.db.select().from(auditLog).orderBy(desc(auditLog.seq)).limit(n);
  return rows.reverse();
}
