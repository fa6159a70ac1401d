import type { CampaignInputProblem, CampaignUnmet } from '@expert-dispatch/matcher';
import { ProblemError } from '../errors.js';

/**
 * The 422 of a campaign no plan can staff: which tasks, and which constraints (as the matcher
 * states them), in `unmet`. Nothing is stored but this answer for the Idempotency-Key.
 *
 * @example
 * throw campaignInfeasible(result.unmet);
 */
export function campaignInfeasible(unmet: readonly CampaignUnmet[]): ProblemError {
  const listed = unmet.slice(0, 10);
  return new ProblemError(
    'panel_infeasible',
    {
      zh: `专项无法为 ${unmet.length} 项任务组成专家组：${listed
        .map((u) => `${u.taskId}（${u.reasons.map((r) => r.message.zh).join('；')}）`)
        .join('，')}`,
      en: `the campaign cannot staff ${unmet.length} task(s): ${listed
        .map((u) => `${u.taskId} (${u.reasons.map((r) => r.message.en).join('; ')})`)
        .join(', ')}`,
    },
    { extensions: { unmet } },
  );
}

/**
 * The 422 of a campaign input the matcher refuses (an unknown fixed leader, a repeated task…),
 * each problem pointed at its task.
 *
 * @example
 * throw campaignInvalid(result.problems);
 */
export function campaignInvalid(problems: readonly CampaignInputProblem[]): ProblemError {
  return new ProblemError(
    'validation_failed',
    {
      zh: problems.map((p) => p.message.zh).join('；'),
      en: problems.map((p) => p.message.en).join('; '),
    },
    {
      errors: problems.map((p) => ({
        path: p.taskId === undefined ? 'body' : `tasks[${p.taskId}]`,
        message: p.message.en,
      })),
      extensions: { problems },
    },
  );
}
