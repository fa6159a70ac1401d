import { z } from 'zod';
import { employerKinds } from '../vocabulary/employer-kind.js';
import { expertStates } from '../vocabulary/expert-state.js';
import { groups } from '../vocabulary/group.js';
import { industries } from '../vocabulary/industry.js';
import { safetyEngineerLevels } from '../vocabulary/safety-engineer.js';
import { tiers } from '../vocabulary/tier.js';
import { titles } from '../vocabulary/title.js';
import {
  birthDateSchema,
  idSchema,
  isoDateTimeSchema,
  periodSchema,
  regionCodeSchema,
  specialtySchema,
  workDateSchema,
} from './primitives.js';

/** The 3-year appointment (聘任) and whether its certificate is sealed (盖章, 第十一条). */
export const appointmentSchema = z
  .object({ from: workDateSchema, to: workDateSchema, sealed: z.boolean() })
  .refine((term) => term.from <= term.to, { message: 'to must not precede from', path: ['to'] });

/** A declared link between the expert and an organisation (利害关系, 第八条（四）). */
export const conflictSchema = z.object({
  organizationId: idSchema,
  reason: z.string().trim().min(1).max(500),
});

/**
 * The department's approval of an age beyond the limits (第九条（五）: 经省应急管理厅审核同意，
 * 年龄可适当放宽): its own limit — an age (`maxAge`, 周岁) or a last date (`lastDate`), exactly
 * one — and its evidence: the approval document, who approved it, and when.
 */
export const ageWaiverApprovalSchema = z
  .strictObject({
    maxAge: z.number().int().min(18).max(100).optional(),
    lastDate: workDateSchema.optional(),
    document: z.string().trim().min(1).max(200),
    approvedBy: z.string().trim().min(1).max(100),
    approvedOn: workDateSchema,
  })
  .refine((approval) => (approval.maxAge === undefined) !== (approval.lastDate === undefined), {
    message: 'give exactly one approved limit: maxAge or lastDate',
    path: ['maxAge'],
  });

/**
 * The articles a disqualification (取消专家资格) is made under: misuse of the title
 * (第十六条（三）) or obtaining the qualification by fraud (第二十三条（六）, a dismissal).
 */
export const disqualificationArticleSchema = z.enum(['第十六条（三）', '第二十三条（六）']);

/** A warning recorded against the expert (约谈、警告, 第二十三条). */
export const warningSchema = z.object({
  on: workDateSchema,
  article: z.string().min(1).max(40),
  reason: z.string().trim().min(1).max(500),
});

/** The employer (所在单位) and its kind, which decides the recusal duty of 第十六条（一）. */
export const employerSchema = z.object({
  id: idSchema,
  name: z.string().trim().min(1).max(200),
  kind: employerKinds.schema,
});

/**
 * An expert as exchanged in JSON. Field names are a public contract: add, never rename.
 * `phone`, `idNumber` and `birthDate` are personal data and never leave the service publicly.
 */
export const expertSchema = z.object({
  id: idSchema,
  name: z.string().trim().min(1).max(100),
  birthDate: birthDateSchema,
  phone: z.string().regex(/^\+?[0-9][0-9 -]{4,19}$/, 'expected a phone number'),
  idNumber: z
    .string()
    .regex(/^\d{17}[\dX]$/, 'expected an 18-character resident ID number')
    .optional(),
  title: titles.schema,
  safetyEngineer: safetyEngineerLevels.schema.nullable(),
  practiceYears: z.number().int().min(0).max(70),
  employer: employerSchema,
  region: regionCodeSchema,
  tier: tiers.schema,
  group: groups.schema,
  industries: z.array(industries.schema).max(8),
  specialties: z.array(specialtySchema).max(30),
  status: expertStates.schema,
  appointment: appointmentSchema.nullable(),
  outstanding: z.boolean(),
  /**
   * True under an age waiver. New records carry its `ageWaiverApproval`; a waiver without one
   * appears only in draw inputs stored before approvals were recorded, and keeps meaning what it
   * meant then (no limit), so that those draws replay unchanged.
   */
  ageWaiver: z.boolean(),
  ageWaiverApproval: ageWaiverApprovalSchema.optional(),
  disqualifiedOn: workDateSchema.optional(),
  /** The article of the disqualification; absent means 第十六条（三）, the only one before. */
  disqualifiedUnder: disqualificationArticleSchema.optional(),
  profileUpdatedAt: isoDateTimeSchema,
  conflicts: z.array(conflictSchema).max(200),
  unavailable: z.array(periodSchema).max(200),
  warnings: z.array(warningSchema).max(100).optional(),
});

export type Expert = z.infer<typeof expertSchema>;
export type Appointment = z.infer<typeof appointmentSchema>;
export type Conflict = z.infer<typeof conflictSchema>;
export type Employer = z.infer<typeof employerSchema>;
export type Warning = z.infer<typeof warningSchema>;
export type AgeWaiverApproval = z.infer<typeof ageWaiverApprovalSchema>;
export type DisqualificationArticle = z.infer<typeof disqualificationArticleSchema>;
