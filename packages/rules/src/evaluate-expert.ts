import { type Evaluation, summarizeOutcomes } from './rule-outcome.js';
import { ruleSetForExpert } from './rule-set/own-pool-rule-set.js';
import type { RuleSet } from './rule-set/rule-set.js';
import type { DispatchContext } from './rules/dispatch-context.js';
import { DISPATCH_RULES } from './rules/dispatch-rules.js';
import type { Expert } from './schemas/expert.js';
import type { Task } from './schemas/task.js';

/** Every dispatch rule's outcome for one expert and one task; `reasons` are the failures. */
export type ExpertEvaluation = Evaluation;

/**
 * Applies every dispatch rule of the rule set — not only until the first failure — so that a
 * caller can show the whole list of reasons an expert was left out.
 *
 * @example
 * const evaluation = evaluateExpert(expert, task, { busy: history.busy }, yunnanGmy2025);
 * evaluation.ok; // true when every rule passes
 * evaluation.reasons.map((r) => r.article); // e.g. ['第九条（五）', '第十六条（一）']
 */
export function evaluateExpert(
  expert: Expert,
  task: Task,
  context: Omit<DispatchContext, 'ruleSet'>,
  ruleSet: RuleSet,
): ExpertEvaluation {
  // 第二十六条: a higher tier's expert keeps the stricter rules; local loosenings are the own pool's.
  const effective = ruleSetForExpert(ruleSet, expert.tier, task.requestedBy.tier);
  const full: DispatchContext = { ...context, ruleSet: effective };
  const outcomes = effective.dispatchRules.map((ruleId) =>
    DISPATCH_RULES[ruleId](expert, task, full),
  );
  return summarizeOutcomes(expert.id, outcomes);
}
