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

/** The reason an expert CLAIMS for a decline (拒绝原因); whether it is 正当 is `classifyDecline`. */
export const declineReasons = defineVocabulary({
  illness: { zh: '身体原因', en: 'Illness' },
  schedule_conflict: { zh: '时间冲突', en: 'Schedule conflict' },
  conflict_of_interest: { zh: '需回避', en: 'Conflict of interest' },
  approved_other: { zh: '经同意的其他原因', en: 'Other reason, approved' },
  unjustified: { zh: '无正当理由', en: 'No valid reason' },
});

export type DeclineReason = VocabularyValue<typeof declineReasons>;

/** The department's decision on a claimed reason (正当理由认定, 第二十三条（一）). */
export const reviewDecisions = defineVocabulary({
  justified: { zh: '认定为正当理由', en: 'Justified' },
  unjustified: { zh: '认定为无正当理由', en: 'Unjustified' },
});

export type ReviewDecision = VocabularyValue<typeof reviewDecisions>;

/** Where a decline stands: justified, unjustified, or awaiting the department's decision. */
export const declineStandings = defineVocabulary({
  justified: { zh: '正当理由', en: 'Justified' },
  unjustified: { zh: '无正当理由', en: 'Unjustified' },
  pending: { zh: '待认定', en: 'Awaiting decision' },
});

export type DeclineStanding = VocabularyValue<typeof declineStandings>;
