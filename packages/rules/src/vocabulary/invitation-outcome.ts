import { defineVocabulary, type VocabularyValue } from './define-vocabulary.js';

/**
 * What became of an invitation, and of the work after it (第十五条): the reply
 * (`accepted`, `declined`, `timed_out`) and, for those who served, attendance.
 */
export const invitationOutcomes = defineVocabulary({
  accepted: { zh: '接受', en: 'Accepted' },
  declined: { zh: '拒绝', en: 'Declined' },
  timed_out: { zh: '超时未响应', en: 'Timed out' },
  attended: { zh: '到岗', en: 'Attended' },
  no_show: { zh: '未到岗', en: 'No-show' },
});

export type InvitationOutcome = VocabularyValue<typeof invitationOutcomes>;

/** Why an expert declined (拒绝原因). Only `unjustified` counts against them (第二十三条（一）). */
export const declineReasons = defineVocabulary({
  illness: { zh: '身体原因', en: 'Illness' },
  schedule_conflict: { zh: '时间冲突', en: 'Schedule conflict' },
  conflict_of_interest: { zh: '需回避', en: 'Conflict of interest' },
  approved_other: { zh: '经同意的其他原因', en: 'Other reason, approved' },
  unjustified: { zh: '无正当理由', en: 'No valid reason' },
});

export type DeclineReason = VocabularyValue<typeof declineReasons>;

/**
 * True for a decline the measures accept (第七条（六）, 第八条（四）): it carries no penalty.
 *
 * @example
 * isJustifiedDecline('illness'); // true
 * isJustifiedDecline('unjustified'); // false
 */
export function isJustifiedDecline(reason: DeclineReason | undefined): boolean {
  return reason !== undefined && reason !== 'unjustified';
}

/**
 * True when an invitation outcome counts toward 第二十三条（一）: a decline without a valid
 * reason (a missing reason counts as none), or no answer at all.
 *
 * @example
 * isUnjustifiedRefusal({ outcome: 'timed_out' }); // true
 */
export function isUnjustifiedRefusal(invitation: {
  readonly outcome: InvitationOutcome;
  readonly reason?: DeclineReason | undefined;
}): boolean {
  if (invitation.outcome === 'timed_out') return true;
  return invitation.outcome === 'declined' && !isJustifiedDecline(invitation.reason);
}
