import {
  appointmentSchema,
  type Expert,
  expertSchema,
  expertStates,
  isoDateTimeSchema,
  safetyEngineerLevels,
} from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import type { FieldError } from '../errors.js';

/**
 * A new expert. Defaults: status `applied`, no appointment, no conflicts; `profileUpdatedAt` is
 * stamped by the server when absent. Unknown fields are refused.
 */
export const expertInputSchema = expertSchema
  .extend({
    profileUpdatedAt: isoDateTimeSchema.optional(),
    status: expertStates.schema.default('applied'),
    safetyEngineer: safetyEngineerLevels.schema.nullable().default(null),
    specialties: expertSchema.shape.specialties.default([]),
    appointment: appointmentSchema.nullable().default(null),
    outstanding: z.boolean().default(false),
    ageWaiver: z.boolean().default(false),
    conflicts: expertSchema.shape.conflicts.default([]),
    unavailable: expertSchema.shape.unavailable.default([]),
  })
  .strict()
  .openapi('ExpertInput');

export type ExpertInput = z.infer<typeof expertInputSchema>;

/**
 * A change to an expert's profile. Lifecycle fields (status, appointment, warnings,
 * disqualification) change only through actions, and the pool (tier) never changes.
 * Every update stamps `profileUpdatedAt` (第八条（一）) — an empty patch confirms the profile.
 */
export const expertPatchSchema = expertSchema
  .omit({
    id: true,
    status: true,
    appointment: true,
    warnings: true,
    disqualifiedOn: true,
    disqualifiedUnder: true,
    profileUpdatedAt: true,
    tier: true,
  })
  .extend({ idNumber: expertSchema.shape.idNumber.unwrap().nullable().optional() })
  .partial()
  .strict()
  .openapi('ExpertPatch');

export type ExpertPatch = z.infer<typeof expertPatchSchema>;

/**
 * An age waiver (第九条（五）: 经省应急管理厅审核同意，年龄可适当放宽) is recorded with its approval —
 * its own limit (`maxAge` or `lastDate`) and evidence (document, approver, date) — and an
 * approval only with the waiver: 适当放宽 is not "no limit".
 *
 * @example
 * ageWaiverErrors({ ageWaiver: true }); // [{ path: 'ageWaiverApproval', … }]
 */
export function ageWaiverErrors(
  expert: Pick<Expert, 'ageWaiver' | 'ageWaiverApproval'>,
): FieldError[] {
  if (expert.ageWaiver && expert.ageWaiverApproval === undefined) {
    return [
      {
        path: 'ageWaiverApproval',
        message:
          '年龄放宽须载明批准的年龄上限或截止日期及批准文件（第九条（五））; an age waiver needs its approved limit (maxAge or lastDate) and evidence (document, approvedBy, approvedOn)',
      },
    ];
  }
  if (!expert.ageWaiver && expert.ageWaiverApproval !== undefined) {
    return [{ path: 'ageWaiver', message: 'must be true when an ageWaiverApproval is given' }];
  }
  return [];
}

/**
 * The article of a disqualification is recorded only with its date.
 *
 * @example
 * disqualificationErrors({ disqualifiedUnder: '第二十三条（六）' }); // [{ path: 'disqualifiedOn', … }]
 */
export function disqualificationErrors(
  expert: Pick<Expert, 'disqualifiedOn' | 'disqualifiedUnder'>,
): FieldError[] {
  return expert.disqualifiedUnder !== undefined && expert.disqualifiedOn === undefined
    ? [{ path: 'disqualifiedOn', message: 'required when disqualifiedUnder is given' }]
    : [];
}
