import {
  appointmentSchema,
  expertSchema,
  expertStates,
  isoDateTimeSchema,
  safetyEngineerLevels,
} from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';

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
    profileUpdatedAt: true,
    tier: true,
  })
  .extend({ idNumber: expertSchema.shape.idNumber.unwrap().nullable().optional() })
  .partial()
  .strict()
  .openapi('ExpertPatch');

export type ExpertPatch = z.infer<typeof expertPatchSchema>;
