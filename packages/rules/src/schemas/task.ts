import { z } from 'zod';
import { engagementKinds } from '../vocabulary/engagement-kind.js';
import { industries } from '../vocabulary/industry.js';
import { relatedOrganizationRoles } from '../vocabulary/related-organization-role.js';
import { taskTypes } from '../vocabulary/task-type.js';
import { tiers } from '../vocabulary/tier.js';
import { wideningSteps } from '../vocabulary/widening-step.js';
import {
  idSchema,
  isoDateSchema,
  periodSchema,
  regionCodeSchema,
  specialtySchema,
} from './primitives.js';

/** The unit the work is about (服务对象). */
export const enterpriseSchema = z.object({
  id: idSchema,
  name: z.string().trim().min(1).max(200),
  region: regionCodeSchema,
});

/** An organisation linked to the work: its designer, evaluator, reviewer, partner (第十六条（一）). */
export const relatedOrganizationSchema = z.object({
  id: idSchema,
  role: relatedOrganizationRoles.schema,
  /**
   * Set by the service, never by the dispatcher: the recorded engagement (往来业务) that links
   * the agency to the served enterprise, so that the draw's input says why it is related.
   */
  engagement: z
    .object({
      id: idSchema,
      kind: engagementKinds.schema,
      from: isoDateSchema,
      to: isoDateSchema,
    })
    .optional(),
});

/** The authority that commissions the task (第二十六条). */
export const requestingAuthoritySchema = z.object({
  authorityId: idSchema,
  tier: tiers.schema,
  region: regionCodeSchema,
});

/**
 * A task (委派任务) as exchanged in JSON. The window is half-open `[from, to)`.
 * Field names are a public contract: add, never rename.
 */
export const taskSchema = z
  .object({
    id: idSchema,
    type: taskTypes.schema,
    industries: z
      .array(industries.schema)
      .min(1)
      .max(8)
      .refine((list) => new Set(list).size === list.length, 'industries must not repeat'),
    specialties: z.array(specialtySchema).max(20),
    enterprise: enterpriseSchema,
    // Up to 50 named by the dispatcher; the rest come from recorded engagements (第十六条（一）).
    relatedOrganizations: z.array(relatedOrganizationSchema).max(250),
    window: periodSchema,
    panelSize: z.number().int().min(1).max(30),
    alternates: z.number().int().min(0).max(30),
    requestedBy: requestingAuthoritySchema,
    shadows: z.number().int().min(0).max(10),
    leaderId: idSchema.optional(),
    /**
     * The widening steps taken (异地抽取), in the rule set's ladder order: the pools they name
     * are drawn from besides the usual ones. Absent: none.
     */
    widen: z.array(wideningSteps.schema).min(1).max(8).optional(),
  })
  .refine((task) => task.industries.length <= task.panelSize, {
    message: 'a panel cannot cover more industries than it has members',
    path: ['panelSize'],
  });

export type Task = z.infer<typeof taskSchema>;
export type Enterprise = z.infer<typeof enterpriseSchema>;
export type RelatedOrganization = z.infer<typeof relatedOrganizationSchema>;
export type RequestingAuthority = z.infer<typeof requestingAuthoritySchema>;
