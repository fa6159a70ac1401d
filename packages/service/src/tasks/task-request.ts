import { idSchema, type Task, taskSchema } from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import type { FieldError } from '../errors.js';
import type { Principal } from '../http/app-env.js';
import { toFieldErrors } from '../http/field-errors.js';

const { id: _id, requestedBy: _requestedBy, ...taskFields } = taskSchema.shape;

/** How the panel is drawn (see @expert-dispatch/matcher): lottery is the default (随机抽取). */
export const drawOptionsSchema = z.object({
  policy: z.enum(['best', 'lottery', 'capped']).default('lottery'),
  /** For `capped`: no expert's chance of being drawn exceeds this. */
  cap: z.number().gt(0).max(1).optional(),
  /** Omit it: the service draws one from a secure random source. */
  seed: z.string().min(8).max(128).optional(),
});

export type DrawOptions = z.infer<typeof drawOptionsSchema>;

/**
 * The body of `POST /v1/tasks`: a Task without its requesting authority (the API key says who
 * asks) and, optionally, without its id; plus how to draw.
 */
export const taskRequestSchema = z
  .object({
    ...taskFields,
    id: idSchema.optional(),
    specialties: taskFields.specialties.default([]),
    relatedOrganizations: taskFields.relatedOrganizations.default([]),
    alternates: taskFields.alternates.default(0),
    shadows: taskFields.shadows.default(0),
    ...drawOptionsSchema.shape,
    /** Told by a signed webhook when the panel is confirmed or understaffed. */
    callbackUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
  })
  .strict()
  .openapi('TaskRequest');

export type TaskRequest = z.infer<typeof taskRequestSchema>;

/** The body of a re-draw: why (recorded), and optionally how. */
export const redrawRequestSchema = z
  .object({ reason: z.string().trim().min(2).max(500), ...drawOptionsSchema.shape })
  .strict()
  .openapi('RedrawRequest');

/** The body of a cancellation. */
export const cancelRequestSchema = z
  .object({ reason: z.string().trim().min(2).max(500) })
  .strict()
  .openapi('CancelRequest');

/**
 * The Task the matcher reads, or the field errors of the rules' cross-field checks (a window
 * that ends before it starts, more industries than seats).
 *
 * @example
 * const built = buildTask(request, 't-1', principal);
 * if (built.ok) selectPanel({ task: built.task, … });
 */
export function buildTask(
  request: TaskRequest,
  id: string,
  principal: Principal,
): { ok: true; task: Task } | { ok: false; errors: FieldError[] } {
  const {
    policy: _policy,
    cap: _cap,
    seed: _seed,
    id: _requested,
    callbackUrl: _callbackUrl,
    ...fields
  } = request;
  const parsed = taskSchema.safeParse({
    ...fields,
    id,
    requestedBy: {
      authorityId: principal.authorityId,
      tier: principal.tier,
      region: principal.region,
    },
  });
  return parsed.success
    ? { ok: true, task: parsed.data }
    : { ok: false, errors: toFieldErrors(parsed.error) };
}
