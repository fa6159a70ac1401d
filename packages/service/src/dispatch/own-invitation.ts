import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { panelSeats, tasks } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import type { AppEnv } from '../http/app-env.js';

/**
 * The invitation a dispatcher acts on, with the seat's state and reply deadline. Another
 * authority's invitation, or a reserve that was never invited, is not there for them: 404.
 */
export async function loadOwnInvitation(c: Context<AppEnv>, seatId: number) {
  const [row] = await c.var.db
    .select({
      role: panelSeats.role,
      state: panelSeats.state,
      replyDeadline: panelSeats.replyDeadline,
      taskId: panelSeats.taskId,
      authorityId: tasks.authorityId,
    })
    .from(panelSeats)
    .innerJoin(tasks, eq(tasks.id, panelSeats.taskId))
    .where(eq(panelSeats.id, seatId));
  if (
    row === undefined ||
    row.authorityId !== c.var.principal.authorityId ||
    row.role === 'alternate'
  ) {
    throw new ProblemError('not_found', {
      zh: `邀请 ${seatId} 不存在`,
      en: `no invitation ${seatId}`,
    });
  }
  return row;
}
