import {
  type DrawVerification,
  preparePool,
  type SelectPanelInput,
  type SelectPanelResult,
  verifyDraw,
} from '@expert-dispatch/matcher';
import {
  drawExpertSchema,
  historySchema,
  idSchema,
  isoDateTimeSchema,
  ruleSetSchema,
  taskSchema,
} from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';

/** The format tag of an exported draw record. */
export const DRAW_FILE_FORMAT = 'expert-dispatch/draw@1';

/**
 * An exported draw: everything needed to replay it with no database — the task, the pool and
 * history as the draw saw them (phones blanked, no ID numbers), the rule set, policy and seed —
 * and the result the service recorded.
 */
export const drawFileSchema = z
  .object({
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
      history: historySchema,
      now: isoDateTimeSchema,
      ruleSet: ruleSetSchema,
      policy: z.enum(['best', 'lottery', 'capped']),
      cap: z.number().gt(0).max(1).optional(),
      seed: z.string().min(1),
      fixed: z.array(idSchema),
      exclude: z.array(idSchema),
    }),
    result: z.record(z.string(), z.unknown()),
  })
  .openapi('DrawFile');

export type DrawFile = z.infer<typeof drawFileSchema>;

/** The outcome of replaying a draw file. */
export interface DrawFileVerification extends DrawVerification {
  readonly drawId: string;
  readonly recordedDigest: string | null;
  readonly poolDigestMatches: boolean;
}

/**
 * Replays an exported draw and compares it with the recorded result: the digest of the input,
 * the pool digest and every field of the panel must match.
 *
 * @example
 * const outcome = verifyDrawFile(drawFileSchema.parse(JSON.parse(text)));
 * outcome.ok; // true when the draw is what its input gives
 */
export function verifyDrawFile(file: DrawFile): DrawFileVerification {
  // The file's input is the matcher's input as the draw received it.
  const recorded = file.result as unknown as SelectPanelResult;
  // Prepared once: the pool's digest is checked here and the same pool is replayed.
  const pool = preparePool(file.input.experts, { ruleSet: file.input.ruleSet });
  const verification = verifyDraw({ ...(file.input as SelectPanelInput), experts: pool }, recorded);
  const poolDigestMatches = pool.digest === file.draw.poolDigest;
  return {
    ...verification,
    ok: verification.ok && poolDigestMatches,
    drawId: file.draw.id,
    recordedDigest:
      'digest' in recorded && typeof recorded.digest === 'string' ? recorded.digest : null,
    poolDigestMatches,
  };
}
