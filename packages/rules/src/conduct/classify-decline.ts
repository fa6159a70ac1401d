import type { RuleSet } from '../rule-set/rule-set.js';
import type { InvitationRecord } from '../schemas/history.js';
import type {
  DeclineReason,
  DeclineStanding,
  ReviewDecision,
} from '../vocabulary/invitation-outcome.js';

/**
 * Where a decline stands under 第二十三条（一） (whether a reason is 正当 is the department's
 * judgement, not the expert's; 第十五条: the expert states a reason and explains):
 * 1. a claimed reason the rule set lists in `declineReasonsJustifiedOnWord` is justified on the
 *    expert's word (by default only a conflict of interest, which 第八条（四） requires them to
 *    declare);
 * 2. a claimed `unjustified` (无正当理由) is unjustified;
 * 3. any other reason, or none, stands as the department decided, or is `pending` (待认定) until it
 *    does.
 * A rule set stored before the on-word list existed reads as it did then: every claimed reason
 * but `unjustified` is justified and a decline without a reason is unjustified, so old draws
 * replay unchanged.
 *
 * @example
 * classifyDecline(yunnanGmy2025, { reason: 'conflict_of_interest' }); // 'justified'
 * classifyDecline(yunnanGmy2025, { reason: 'approved_other' }); // 'pending'
 * classifyDecline(yunnanGmy2025, { reason: 'approved_other' }, 'unjustified'); // 'unjustified'
 */
export function classifyDecline(
  ruleSet: RuleSet,
  decline: { readonly reason?: DeclineReason | undefined },
  review?: ReviewDecision | null,
): DeclineStanding {
  const onWord = ruleSet.declineReasonsJustifiedOnWord;
  const { reason } = decline;
  if (onWord === undefined)
    return reason === undefined || reason === 'unjustified' ? 'unjustified' : 'justified';
  if (reason !== undefined && onWord.includes(reason)) return 'justified';
  if (reason === 'unjustified') return 'unjustified';
  return review ?? 'pending';
}

/**
 * True when an invitation record counts toward 第二十三条（一）: a decline that stands
 * unjustified ({@link classifyDecline}), or a time-out (no reply after a delivery that reached
 * the expert) when the rule set counts silence (`countsSilenceAfterDelivery`, absent: true).
 * Undeliverable invitations never reach the history; pending declines do not count.
 *
 * @example
 * isCountedRefusal({ expertId: 'e', taskId: 't', at, outcome: 'timed_out' }, yunnanGmy2025); // true
 */
export function isCountedRefusal(record: InvitationRecord, ruleSet: RuleSet): boolean {
  if (record.outcome === 'timed_out') return ruleSet.countsSilenceAfterDelivery ?? true;
  if (record.outcome !== 'declined') return false;
  return classifyDecline(ruleSet, record, record.review) === 'unjustified';
}

/**
 * True for a decline that waits for the department's decision (待认定).
 *
 * @example
 * isPendingDecline({ expertId: 'e', taskId: 't', at, outcome: 'declined', reason: 'illness' }, yunnanGmy2025); // true
 */
export function isPendingDecline(record: InvitationRecord, ruleSet: RuleSet): boolean {
  return (
    record.outcome === 'declined' && classifyDecline(ruleSet, record, record.review) === 'pending'
  );
}
