import type { CampaignInputProblem, PlanCampaignInput } from './campaign-types.js';

/**
 * The campaign-level input problems: a load cap that is not a whole number ≥ 1, a randomized
 * plan without a probability cap in (0, 1], an unknown policy, a task id given twice. Each
 * task's own problems (a named leader unknown or ineligible, an unreadable `now`) are
 * `selectPanel`'s, checked per task.
 *
 * @example
 * checkCampaignInput({ ...input, loadCap: 0 })[0].problem; // 'load-cap'
 */
export function checkCampaignInput(input: PlanCampaignInput): CampaignInputProblem[] {
  const problems: CampaignInputProblem[] = [];
  if (!Number.isInteger(input.loadCap) || input.loadCap < 1) {
    problems.push({
      problem: 'load-cap',
      message: {
        zh: '每人任务上限须为不小于 1 的整数',
        en: 'loadCap must be a whole number of at least 1',
      },
    });
  }
  if (input.policy !== 'optimal' && input.policy !== 'randomized') {
    problems.push({
      problem: 'policy-unknown',
      message: { zh: '未知的编组方式', en: "policy must be 'optimal' or 'randomized'" },
    });
  }
  const cap = input.probabilityCap;
  if (
    input.policy === 'randomized' &&
    (cap === undefined || !(cap > 0 && cap <= 1) || probabilityScale(cap).pairCap < 1)
  ) {
    problems.push({
      problem: 'probability-cap',
      message: {
        zh: '随机编组须给出 (0, 1] 内的概率上限（不小于 0.001）',
        en: 'a randomized plan needs probabilityCap in (0, 1], at least 0.001',
      },
    });
  }
  const seen = new Set<string>();
  for (const task of input.tasks) {
    if (seen.has(task.id)) {
      problems.push({
        problem: 'task-repeated',
        taskId: task.id,
        message: { zh: '同一任务在活动中出现两次', en: 'a task appears twice in the campaign' },
      });
    }
    seen.add(task.id);
  }
  return problems;
}

/**
 * The probability cap as a fraction pairCap/scale with scale ≤ 1000: exact when q has such a
 * denominator (0.5, 0.3, 1/3 to nine places), else rounded down so the cap still holds.
 *
 * @example
 * probabilityScale(0.25); // { scale: 4, pairCap: 1 }
 */
export function probabilityScale(q: number): { scale: number; pairCap: number } {
  for (let scale = 1; scale <= 1000; scale++) {
    const units = Math.round(q * scale);
    if (Math.abs(q * scale - units) < 1e-9) return { scale, pairCap: units };
  }
  return { scale: 1000, pairCap: Math.floor(q * 1000) };
}
