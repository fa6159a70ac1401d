import { z } from 'zod';

/**
 * The rules applied when an expert is considered for a task, in the order they are reported.
 * `outside-enterprise-county` and `outside-enterprise-city` are for derived local rule sets
 * (第二十六条); the provincial set does not apply them.
 */
export const DISPATCH_RULE_IDS = [
  'appointment-in-force',
  'good-standing',
  'age-limit',
  'employer-recusal',
  'declared-conflict-recusal',
  'availability',
  'industry-expertise',
  'outside-enterprise-county',
  'outside-enterprise-city',
] as const;

export type DispatchRuleId = (typeof DISPATCH_RULE_IDS)[number];

/** The rules applied when an expert joins the pool (第九条, 第十六条（三）). */
export const ADMISSION_RULE_IDS = [
  'qualification',
  'admission-age',
  'disqualification-bar',
] as const;

export type AdmissionRuleId = (typeof ADMISSION_RULE_IDS)[number];

export const dispatchRuleIdSchema = z.enum(DISPATCH_RULE_IDS);
export const admissionRuleIdSchema = z.enum(ADMISSION_RULE_IDS);
