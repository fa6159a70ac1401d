import { type ExpertEvaluation, evaluateExpert } from '@expert-dispatch/rules';
import { resolveDraw } from './resolve-draw.js';
import type { SelectPanelInput } from './select-panel-types.js';

/** One expert's full record for a draw: every rule's outcome, with the detailed messages. */
export interface ExclusionExplanation {
  readonly expertId: string;
  readonly inPool: boolean;
  readonly excludedByCaller: boolean;
  /** `evaluateExpert` of the rules package for this expert and task; null when not in the pool. */
  readonly evaluation: ExpertEvaluation | null;
}

/**
 * Explains why one expert was or was not eligible in a draw — the answer to a complaint —
 * with the rules package's own messages (a draw's `excluded` lists only reason keys).
 *
 * @example
 * explainExclusion(input, 'e-42').evaluation?.reasons.map((r) => r.message.zh);
 */
export function explainExclusion(input: SelectPanelInput, expertId: string): ExclusionExplanation {
  const draw = resolveDraw(input);
  const index = draw.pool.indexOf.get(expertId);
  const expert = index === undefined ? undefined : draw.pool.experts[index];
  return {
    expertId,
    inPool: expert !== undefined,
    excludedByCaller: draw.exclude.includes(expertId),
    evaluation:
      expert === undefined
        ? null
        : evaluateExpert(expert, draw.task, { busy: draw.history.history.busy }, draw.ruleSet),
  };
}
