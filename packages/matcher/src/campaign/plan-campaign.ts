import { EMPTY_HISTORY, type RuleSet, toInstant, yunnanGmy2025 } from '@expert-dispatch/rules';
import seedrandom from 'seedrandom';
import { canonicalJson, sha256Hex } from '../canonical-json.js';
import { giniCoefficient } from '../gini-coefficient.js';
import { isPreparedHistory, type PreparedHistory, prepareHistory } from '../prepare-history.js';
import { isPreparedPool, type PreparedPool, preparePool } from '../prepare-pool.js';
import { selectPanel } from '../select-panel.js';
import type { BuiltNetwork, ModelTask } from './assignment-network.js';
import { campaignAlternates } from './campaign-alternates.js';
import { fitWeight, personOf, type TaskCandidates, taskCandidates } from './campaign-candidates.js';
import { campaignPlans } from './campaign-plans.js';
import type {
  CampaignInputProblem,
  CampaignUnmet,
  PlanCampaignInput,
  PlanCampaignResult,
} from './campaign-types.js';
import { checkCampaignInput, probabilityScale } from './check-campaign-input.js';
import {
  type CampaignState,
  completePanel,
  completionAttempts,
  missingRequirement,
} from './complete-panels.js';
import { roundFlow } from './dependent-rounding.js';
import type { HeadroomLottery } from './headroom-lottery.js';
import { overlapGroups } from './overlap-groups.js';
import { solveAssignment } from './solve-assignment.js';

/**
 * Plans a campaign (专项检查): a panel for each of many tasks from one pool and one history,
 * jointly. Every hard rule of `selectPanel` holds per task (the same screening, recusal and
 * score), plus no expert on two campaign tasks whose windows overlap and at most `loadCap` tasks
 * per expert. `optimal` maximises the seats filled, then the total fit, then minimises the
 * heaviest load, exactly (min-cost flow, see `solveAssignment`); `randomized` solves the same
 * problem with each expert's share of each panel capped at `probabilityCap` and draws an
 * assignment whose probabilities are those shares (Jecmen et al. 2020). Leader title (local
 * policy), industry coverage and specialties (第十四条) are completed after the flow by swaps. Pure and
 * deterministic from the seed.
 *
 * @example
 * const plan = planCampaign({ tasks, experts: pool, now, policy: 'optimal', loadCap: 2, seed: 's' });
 * if (plan.ok) plan.plans[0].members; // [{ expertId: 'ex-0012', role: 'leader', score: 6.1 }, …]
 */
export function planCampaign(input: PlanCampaignInput): PlanCampaignResult {
  const { seed, tasks } = input;
  const inputProblems = checkCampaignInput(input);
  if (inputProblems.length > 0)
    return { ok: false, code: 'invalid_input', problems: inputProblems, seed };
  const ruleSet = input.ruleSet ?? yunnanGmy2025;
  const pool = isPreparedPool(input.experts)
    ? input.experts
    : preparePool(input.experts, { ruleSet });
  const history = preparedHistory(input, pool, ruleSet);
  const inputDigest = campaignDigest(input, pool, history, ruleSet);

  const problems: CampaignInputProblem[] = [];
  const perTask: TaskCandidates[] = [];
  for (const task of tasks) {
    const exclude = input.exclude?.[task.id] ?? [];
    const result = taskCandidates(task, pool, history, input.now, ruleSet, seed, exclude);
    if (result.ok) perTask.push(result.value);
    else for (const problem of result.problems) problems.push({ ...problem, taskId: task.id });
  }
  if (problems.length > 0) return { ok: false, code: 'invalid_input', problems, seed };

  const { group, exact } = overlapGroups(tasks);
  const maxPerEmployer = ruleSet.panel.maxMembersPerEmployer;
  const model = {
    tasks: perTask.map((candidates, t): ModelTask => {
      const { order, scores, leader, traits } = candidates;
      const list = [];
      for (let k = 0; k < order.length; k++) {
        const index = order[k] as number;
        if (index === leader) continue;
        list.push({
          expert: personOf(pool, index),
          employer: traits.employerOf(index),
          weight: fitWeight(scores[k] as number),
        });
      }
      const fixed =
        leader < 0 ? [] : [{ expert: personOf(pool, leader), employer: traits.employerOf(leader) }];
      return {
        seats: candidates.draw.task.panelSize,
        group: group[t] as number,
        candidates: list,
        fixed,
      };
    }),
    expertCount: pool.size,
    loadCap: input.loadCap,
    maxPerEmployer,
    ...(input.policy === 'randomized' ? probabilityScale(input.probabilityCap ?? 1) : {}),
  };
  const solution = solveAssignment(model);
  const scale = model.scale ?? 1;
  const taken: ReadonlyMap<number, number> =
    input.policy === 'randomized'
      ? roundFlow(
          solution.built.network,
          solution.built.source,
          solution.built.sink,
          scale,
          seedrandom(`${seed}#campaign-rounding`),
        )
      : new Map();

  const state: CampaignState = { members: [], busy: new Set(), load: new Map() };
  perTask.forEach((candidates, t) => {
    const members: number[] = candidates.leader >= 0 ? [candidates.leader] : [];
    const positions =
      candidates.leader >= 0
        ? candidates.order.filter((i) => i !== candidates.leader)
        : candidates.order;
    for (const { arc, position } of solution.built.pairArcs[t] ?? []) {
      const flow =
        input.policy === 'randomized' ? (taken.get(arc) ?? 0) : solution.built.network.flowOn(arc);
      if (flow === scale) members.push(positions[position] as number);
    }
    for (const index of members) {
      const person = personOf(pool, index);
      state.busy.add(`${person}/${group[t]}`);
      state.load.set(person, (state.load.get(person) ?? 0) + 1);
    }
    state.members.push(members);
  });
  const completeCap = input.policy === 'randomized' ? input.loadCap : solution.maxLoad;
  let repairs = 0;
  perTask.forEach((candidates, t) => {
    repairs += completePanel(t, candidates, group[t] as number, state, {
      maxPerEmployer,
      loadCap: Math.max(completeCap, 1),
      ...(input.policy === 'randomized'
        ? { lottery: repairLottery(solution.built, t, candidates, model, seed) }
        : {}),
    });
  });

  const unmet: CampaignUnmet[] = [];
  perTask.forEach((candidates, t) => {
    const members = state.members[t] as number[];
    const task = candidates.draw.task;
    if (members.length === task.panelSize && missingRequirement(candidates, members) === 0) return;
    const alone = selectPanel({
      task,
      experts: pool,
      history,
      now: input.now,
      ruleSet,
      seed,
      policy: 'best',
      exclude: input.exclude?.[task.id] ?? [],
    });
    const reasons =
      !alone.ok && alone.code === 'infeasible'
        ? alone.unmet
        : [
            {
              constraint: 'campaign-capacity' as const,
              article: null,
              message:
                input.policy === 'randomized'
                  ? {
                      zh: '概率上限、每人任务上限或时间重叠的任务使本任务无法组成完整专家组',
                      en: "the probability cap, the campaign's load cap or its overlapping tasks leave this task without a full panel",
                    }
                  : {
                      zh: '本次专项活动的每人任务上限或时间重叠的任务使本任务无法组成完整专家组',
                      en: "the campaign's load cap or its overlapping tasks leave this task without a full panel",
                    },
            },
          ];
    unmet.push({ taskId: task.id, reasons });
  });
  if (unmet.length > 0) return { ok: false, code: 'infeasible', unmet, seed, inputDigest };

  const alternates = perTask.map((candidates, t) =>
    campaignAlternates(
      candidates,
      state.members[t] as number[],
      group[t] as number,
      state,
      input.loadCap,
      maxPerEmployer,
    ),
  );
  const { plans, load, totals } = campaignPlans(perTask, state, alternates, seed);
  const digest = sha256Hex(canonicalJson({ v: 1, inputDigest, plans, load }));
  return {
    ok: true,
    plans,
    load,
    seed,
    policy: input.policy,
    totals: { ...totals, gini: giniCoefficient(Object.values(load)) },
    solver: {
      overlapModel: exact ? 'exact' : 'conservative',
      pricingRounds: solution.rounds,
      repairs,
    },
    inputDigest,
    digest,
  };
}

/**
 * The completion lottery of task `t` in a randomized plan: each candidate's headroom is the pair
 * cap minus its fractional flow (both in units of 1/scale; a candidate outside the solved
 * network has flow 0), drawn on a stream of the task's own.
 */
function repairLottery(
  built: BuiltNetwork,
  t: number,
  candidates: TaskCandidates,
  model: { readonly pairCap?: number; readonly scale?: number },
  seed: string,
): HeadroomLottery {
  const scale = model.scale ?? 1;
  const pairCap = model.pairCap ?? scale;
  const positions =
    candidates.leader >= 0
      ? candidates.order.filter((i) => i !== candidates.leader)
      : candidates.order;
  const flow = new Map<number, number>();
  for (const { arc, position } of built.pairArcs[t] ?? []) {
    flow.set(positions[position] as number, built.network.flowOn(arc));
  }
  return {
    headroom: (index) => (index === candidates.leader ? 0 : pairCap - (flow.get(index) ?? 0)),
    attempts: completionAttempts(candidates),
    scale,
    random: seedrandom(`${seed}#campaign-completion#${candidates.draw.task.id}`),
  };
}

function preparedHistory(
  input: PlanCampaignInput,
  pool: PreparedPool,
  ruleSet: RuleSet,
): PreparedHistory {
  const given = input.history;
  if (isPreparedHistory(given) && given.pool === pool && given.ruleSet === ruleSet) return given;
  return prepareHistory(
    isPreparedHistory(given) ? given.history : (given ?? EMPTY_HISTORY),
    pool,
    ruleSet,
  );
}

/** SHA-256 of the canonical input; the pool and history by their own digests. */
function campaignDigest(
  input: PlanCampaignInput,
  pool: PreparedPool,
  history: PreparedHistory,
  ruleSet: RuleSet,
): string {
  return sha256Hex(
    canonicalJson({
      v: 1,
      pool: pool.digest,
      history: history.digest,
      tasks: input.tasks,
      ruleSet: sha256Hex(canonicalJson(ruleSet)),
      policy: input.policy,
      loadCap: input.loadCap,
      probabilityCap: input.probabilityCap ?? null,
      seed: input.seed,
      exclude: input.exclude ?? {},
      now: toInstant(input.now),
    }),
  );
}
