import { type DeclineReason, declineReasons } from '@expert-dispatch/rules';

/**
 * The reasons an expert may give for declining or withdrawing, as the reply page and the SMS
 * list them: what the expert CLAIMS. Whether a reason is 正当 is the department's decision
 * (第二十三条（一）), so nothing here reads as pre-approved — `approved_other` is offered as
 * "其他原因（待认定）", to be explained in the expert's own words (说明情况, 第十五条).
 */
export const CLAIMED_REASON_LABELS: Readonly<Record<DeclineReason, { zh: string; en: string }>> = {
  illness: { zh: '身体原因', en: 'Illness' },
  schedule_conflict: { zh: '时间冲突', en: 'Schedule conflict' },
  conflict_of_interest: { zh: '需回避（存在利害关系）', en: 'Conflict of interest' },
  approved_other: { zh: '其他原因（待认定）', en: 'Other reason (for the department to decide)' },
  unjustified: { zh: '无正当理由', en: 'No valid reason' },
};

/**
 * The SMS reason code of each reason: `2 <invitation> <code> <说明>` declines. Every reason has
 * one, 无正当理由 included.
 */
export const SMS_REASON_CODES: Readonly<Record<string, DeclineReason>> = {
  '1': 'illness',
  '2': 'schedule_conflict',
  '3': 'conflict_of_interest',
  '4': 'approved_other',
  '5': 'unjustified',
};

/**
 * The SMS reason codes as one line of Chinese: `1 身体原因，2 时间冲突，…`.
 *
 * @example
 * smsReasonList(); // '1 身体原因，2 时间冲突，3 需回避（存在利害关系），4 其他原因（待认定），5 无正当理由'
 */
export function smsReasonList(): string {
  return Object.entries(SMS_REASON_CODES)
    .map(([code, reason]) => `${code} ${CLAIMED_REASON_LABELS[reason].zh}`)
    .join('，');
}

/** Every reason, in the vocabulary's order. */
export const CLAIMABLE_REASONS: readonly DeclineReason[] = declineReasons.values;
