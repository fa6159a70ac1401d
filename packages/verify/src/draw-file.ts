import {
  drawExpertSchema,
  drawHistorySchema,
  idSchema,
  isoDateTimeSchema,
  ruleSetSchema,
  taskSchema,
} from '@expert-dispatch/rules';
import { z } from 'zod';

/** The format tag of an exported draw record. */
export const DRAW_FILE_FORMAT = 'expert-dispatch/draw@1';

/**
 * An exported draw (`GET /v1/draws/{id}/export`): everything needed to replay it with no
 * database — the task, the pool and history as the draw saw them (phones blanked, no ID
 * numbers), the rule set, policy and seed — and the result the service recorded.
 *
 * @example
 * const file = drawFileSchema.parse(JSON.parse(text)); // file.format === 'expert-dispatch/draw@1'
 */
export const drawFileSchema = z.object({
  format: z.literal(DRAW_FILE_FORMAT),
  draw: z.object({
    id: z.string(),
    taskId: idSchema,
    sequence: z.number().int().min(1),
    reason: z.string().nullable(),
    createdAt: isoDateTimeSchema,
    createdByAuthorityId: z.string(),
    poolDigest: z.string(),
  }),
  input: z.object({
    task: taskSchema,
    experts: z.array(drawExpertSchema),
    // The records (draws before the counters, #17) or their daily counts.
    history: drawHistorySchema,
    now: isoDateTimeSchema,
    ruleSet: ruleSetSchema,
    policy: z.enum(['best', 'lottery', 'capped']),
    cap: z.number().gt(0).max(1).optional(),
    seed: z.string().min(1),
    fixed: z.array(idSchema),
    exclude: z.array(idSchema),
  }),
  result: z.record(z.string(), z.unknown()),
});

export type DrawFile = z.infer<typeof drawFileSchema>;
