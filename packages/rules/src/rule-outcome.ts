import type { Label } from './vocabulary/define-vocabulary.js';

/**
 * What one rule decided about one expert: the rule, the article it applies as written in the
 * measures (`第九条（五）`), whether the expert passes, and why in Chinese and English.
 */
export interface RuleOutcome {
  readonly ruleId: string;
  /** The article applied; null for a rule the measures do not contain (本厅规定 / local policy). */
  readonly article: string | null;
  readonly ok: boolean;
  readonly message: Label;
}

/**
 * Builds an outcome.
 *
 * @example
 * decide('age-limit', '第九条（五）', true, { zh: '年龄符合要求', en: 'Age within the limit' });
 */
export function decide(
  ruleId: string,
  article: string | null,
  ok: boolean,
  message: Label,
): RuleOutcome {
  return { ruleId, article, ok, message };
}

/** Every outcome of a set of rules for one expert; `reasons` are the failures. */
export interface Evaluation {
  readonly expertId: string;
  readonly ok: boolean;
  readonly outcomes: readonly RuleOutcome[];
  readonly reasons: readonly RuleOutcome[];
}

/**
 * Collects outcomes into an evaluation: the expert passes when no rule failed.
 *
 * @example
 * summarizeOutcomes('e-1', outcomes).reasons; // the failing outcomes, in rule order
 */
export function summarizeOutcomes(expertId: string, outcomes: readonly RuleOutcome[]): Evaluation {
  const reasons = outcomes.filter((outcome) => !outcome.ok);
  return { expertId, ok: reasons.length === 0, outcomes, reasons };
}
