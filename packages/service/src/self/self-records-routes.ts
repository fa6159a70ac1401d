import { warningSchema } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import { panelSeats, ratings } from '../db/schema.js';
import { rowToExpert } from '../experts/expert-row.js';
import { createRouter } from '../http/create-router.js';
import { json, problems } from '../http/openapi-helpers.js';
import { SELF_TAGS } from './self-login-routes.js';
import { loadOwnRow } from './self-profile-routes.js';
import { SELF_SECURITY } from './self-security.js';
import { requireSelfExpert } from './self-session.js';

const RECORD_LIMIT = 500;

const iso = z.string().nullable();
const selfRecordsSchema = z
  .object({
    invitations: z.array(
      z.object({
        taskId: z.string(),
        role: z.string(),
        state: z.string(),
        window: z.object({ from: z.string(), to: z.string() }),
        invitedAt: iso,
        replyDeadline: iso,
        repliedAt: iso,
        declineReason: z.string().nullable(),
        declineNote: z.string().nullable(),
        attendance: z.enum(['attended', 'no_show']).nullable(),
      }),
    ),
    ratings: z.array(
      z.object({
        taskId: z.string(),
        score: z.number().int(),
        comment: z.string().nullable(),
        ratedAt: z.string(),
      }),
    ),
    warnings: z.array(warningSchema),
  })
  .openapi('SelfRecords');

const recordsRoute = createRoute({
  method: 'get',
  path: '/v1/self/records',
  operationId: 'listSelfRecords',
  tags: SELF_TAGS,
  summary: 'My invitations, replies, attendance, ratings and warnings / 本人记录',
  description:
    `The signed-in expert's own invitations (with the reply, its reason and note, and ` +
    `attendance, 第十五条), ratings (第二十条) and warnings with their article and reason ` +
    `(第二十三条), newest first, at most ${RECORD_LIMIT} of each. With the expert's own session ` +
    'token (Authorization: Bearer eds_…); API keys are refused. / 仅限专家本人会话。',
  security: SELF_SECURITY,
  responses: { 200: json(selfRecordsSchema, 'The own records'), ...problems(401) },
});

/** What the system holds about the signed-in expert's work: only their own rows. */
export const selfRecordsRoutes = createRouter();

const isoOf = (at: Date | null) => (at === null ? null : at.toISOString());

selfRecordsRoutes.openapi(recordsRoute, async (c) => {
  const expertId = await requireSelfExpert(c);
  const db = c.var.db;
  const [row, seats, rated] = await Promise.all([
    loadOwnRow(db, expertId, false),
    db
      .select()
      .from(panelSeats)
      // Reserves never invited are not the expert's business yet.
      .where(and(eq(panelSeats.expertId, expertId), isNotNull(panelSeats.invitedAt)))
      .orderBy(desc(panelSeats.windowFrom), desc(panelSeats.id))
      .limit(RECORD_LIMIT),
    db
      .select()
      .from(ratings)
      .where(eq(ratings.expertId, expertId))
      .orderBy(desc(ratings.createdAt))
      .limit(RECORD_LIMIT),
  ]);
  return c.json(
    {
      invitations: seats.map((seat) => ({
        taskId: seat.taskId,
        role: seat.role,
        state: seat.state,
        window: { from: seat.windowFrom.toISOString(), to: seat.windowTo.toISOString() },
        invitedAt: isoOf(seat.invitedAt),
        replyDeadline: isoOf(seat.replyDeadline),
        repliedAt: isoOf(seat.repliedAt),
        declineReason: seat.declineReason,
        declineNote: seat.declineNote,
        attendance: seat.attendance as 'attended' | 'no_show' | null,
      })),
      ratings: rated.map((rating) => ({
        taskId: rating.taskId,
        score: rating.score,
        comment: rating.comment,
        ratedAt: rating.createdAt.toISOString(),
      })),
      warnings: rowToExpert(row).warnings ?? [],
    },
    200,
  );
});
