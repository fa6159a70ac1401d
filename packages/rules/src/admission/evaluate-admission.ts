import type { IsoDate } from '../dates/calendar-date.js';
import { type Evaluation, type RuleOutcome, summarizeOutcomes } from '../rule-outcome.js';
import { ownPoolRuleSet } from '../rule-set/own-pool-rule-set.js';
import type { AdmissionRuleId } from '../rule-set/rule-ids.js';
import type { RuleSet } from '../rule-set/rule-set.js';
import { checkAgeOn } from '../rules/check-age-limit.js';
import type { Expert } from '../schemas/expert.js';
import { checkDisqualificationBar } from './check-disqualification-bar.js';
import { checkQualification } from './check-qualification.js';

/** An admission check: applied when an expert is reviewed for the pool (第十条（三）). */
export type AdmissionCheck = (expert: Expert, date: IsoDate, ruleSet: RuleSet) => RuleOutcome;

/** Every admission rule by id; a rule set chooses which apply. */
export const ADMISSION_RULES: Readonly<Record<AdmissionRuleId, AdmissionCheck>> = Object.freeze({
  qualification: (expert, _date, ruleSet) => checkQualification(expert, ruleSet),
  'admission-age': (expert, date, ruleSet) => checkAgeOn(expert, date, ruleSet, 'admission-age'),
  'disqualification-bar': checkDisqualificationBar,
});

/** Every admission outcome for one expert on one date; `reasons` are the failures. */
export type AdmissionEvaluation = Evaluation;

/**
 * Applies every admission rule of the rule set (第九条（四）（五）（六）, 第十六条（三）) on the
 * review date; an expert who fails any of them cannot become active.
 *
 * @example
 * evaluateAdmission(applicant, '2026-03-01', yunnanGmy2025).reasons; // [] when admissible
 */
export function evaluateAdmission(
  expert: Expert,
  date: IsoDate,
  ruleSet: RuleSet,
): AdmissionEvaluation {
  // Admission is into the rule set's own pool: its own-pool age limits apply (第二十六条).
  const own = ownPoolRuleSet(ruleSet);
  const outcomes = own.admissionRules.map((id) => ADMISSION_RULES[id](expert, date, own));
  return summarizeOutcomes(expert.id, outcomes);
}
