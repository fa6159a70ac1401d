import {
  idSchema,
  isUrgentTaskType,
  relatedOrganizationSchema,
  type Task,
  taskSchema,
} from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import type { FieldError } from '../errors.js';
import { contactSchema } from '../experts/contact-routes.js';
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
    // Named by the dispatcher; recorded engagements (第十六条（一）) are added at the draw.
    relatedOrganizations: z
      .array(relatedOrganizationSchema.omit({ engagement: true }).strict())
      .max(50)
      .default([]),
    alternates: taskFields.alternates.default(0),
    shadows: taskFields.shadows.default(0),
    ...drawOptionsSchema.shape,
    /**
     * Urgent tasks (事故救援) only: how many of the alternates are invited at once beside the
     * panel; the first acceptances that keep the panel's constraints fill it, later ones are put on
     * the waiting list. At most `alternates`. Omit it: the rule set's `urgentOverInvite` (capped by
     * `alternates`) for urgent tasks, 0 for routine work.
     */
    overInvite: z
      .number()
      .int()
      .min(0)
      .max(20)
      .optional()
      .openapi({
        description:
          'Urgent tasks only: alternates invited at once beside the panel (≤ alternates); ' +
          'default: the rule set’s urgentOverInvite for accident rescue, else 0 / 紧急任务超额邀请人数',
      }),
    /** Told by a signed webhook when the panel is confirmed or understaffed. */
    callbackUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
    /** Where the served unit receives its rating link after completion (第二十条). */
    ratingContact: contactSchema.optional(),
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
    ratingContact: _ratingContact,
    overInvite,
    ...fields
  } = request;
  const overInviteErrors = checkOverInvite(overInvite, fields);
  if (overInviteErrors.length > 0) return { ok: false, errors: overInviteErrors };
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

/**
 * Over-invitation is for urgent work (第六条（四）): routine work invites the panel only, and
 * the extra invitations come from the alternates drawn.
 */
function checkOverInvite(
  overInvite: number | undefined,
  fields: { readonly type: Task['type']; readonly alternates: number },
): FieldError[] {
  if (overInvite === undefined || overInvite === 0) return [];
  if (!isUrgentTaskType(fields.type)) {
    return [
      {
        path: 'overInvite',
        message:
          '只有紧急任务（事故救援）可以超额邀请 / only urgent tasks (accident rescue) may over-invite',
      },
    ];
  }
  if (overInvite > fields.alternates) {
    return [
      {
        path: 'overInvite',
        message: `超额邀请人数不能多于备选专家人数（${fields.alternates}）/ cannot over-invite more than the ${fields.alternates} alternates`,
      },
    ];
  }
  return [];
}
