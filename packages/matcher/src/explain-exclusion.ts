import { type ExpertEvaluation, evaluateExpert } from '@expert-dispatch/rules';
import { personView } from './person-records.js';
import { resolveDraw } from './resolve-draw.js';
import { screenDraw } from './screen-draw.js';
import type { SelectPanelInput } from './select-panel-types.js';

/** One expert's full record for a draw: every rule's outcome, with the detailed messages. */
export interface ExclusionExplanation {
  readonly expertId: string;
  readonly inPool: boolean;
  readonly excludedByCaller: boolean;
  /**
   * When the record passed every rule but was left out because another record of the same
   * person stands for them (one seat per person, 第二十一条): the id of the record kept.
   */
  readonly keptRecordId?: string;
  /**
   * `evaluateExpert` of the rules package for this expert and task; null when not in the pool.
   * For a person with several records it judges the person: what any of their records declared
   * (conflicts, unavailable periods, warnings) and every booking of any of them counts.
   */
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
  const { pool } = draw;
  const index = pool.indexOf.get(expertId);
  const base = { expertId, excludedByCaller: draw.exclude.includes(expertId) };
  if (index === undefined) return { ...base, inPool: false, evaluation: null };
  const view = personView(pool, draw.history.history.busy, index);
  const evaluation = evaluateExpert(view.expert, draw.task, { busy: view.busy }, draw.ruleSet);
  // Only a record of a person with several records can be left out as the same person.
  const kept = pool.personRecords.has(index) ? screenDraw(draw).leftOut.get(index) : undefined;
  return {
    ...base,
    inPool: true,
    ...(kept === undefined ? {} : { keptRecordId: pool.ids[kept] as string }),
    evaluation,
  };
}
