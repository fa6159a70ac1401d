import { z } from 'zod';
import { toInstant } from '../dates/calendar-date.js';
import {
  declineReasons,
  invitationOutcomes,
  reviewDecisions,
} from '../vocabulary/invitation-outcome.js';
import { idSchema, isoDateTimeSchema } from './primitives.js';

/**
 * One recorded invitation outcome (第十五条): for a decline, the reason the expert claimed and,
 * once made, the department's decision on it (`review`). Whether it counts toward
 * 第二十三条（一） is `classifyDecline` / `isCountedRefusal` under a rule set.
 */
export const invitationRecordSchema = z
  .object({
    expertId: idSchema,
    taskId: idSchema,
    at: isoDateTimeSchema,
    outcome: invitationOutcomes.schema,
    reason: declineReasons.schema.optional(),
    review: reviewDecisions.schema.optional(),
  })
  .refine((record) => record.reason === undefined || record.outcome === 'declined', {
    message: 'only a declined invitation has a reason',
    path: ['reason'],
  })
  .refine((record) => record.review === undefined || record.outcome === 'declined', {
    message: 'only a declined invitation is reviewed',
    path: ['review'],
  });

/** A served unit's 1–5 rating of one member on one task (服务评价, 第二十条). */
export const ratingSchema = z.object({
  expertId: idSchema,
  taskId: idSchema,
  score: z.number().int().min(1).max(5),
  at: isoDateTimeSchema,
});

/** A period for which an expert is already booked on a task (half-open `[from, to)`). */
export const busySchema = z
  .object({ expertId: idSchema, taskId: idSchema, from: isoDateTimeSchema, to: isoDateTimeSchema })
  .refine((busy) => toInstant(busy.from) < toInstant(busy.to), {
    message: 'to must be after from',
    path: ['to'],
  });

/** What the pool has done so far: the records the matcher and the reports read. */
export const historySchema = z.object({
  invitations: z.array(invitationRecordSchema),
  ratings: z.array(ratingSchema),
  busy: z.array(busySchema),
});

export type InvitationRecord = z.infer<typeof invitationRecordSchema>;
export type Rating = z.infer<typeof ratingSchema>;
export type Busy = z.infer<typeof busySchema>;
export type History = z.infer<typeof historySchema>;

/** A history with nothing in it. */
export const EMPTY_HISTORY: History = Object.freeze({
  invitations: Object.freeze([]),
  ratings: Object.freeze([]),
  busy: Object.freeze([]),
}) as unknown as History;
