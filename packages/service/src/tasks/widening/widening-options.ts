import {
  type PanelSelected,
  prepareHistory,
  type SelectPanelInput,
  type SelectPanelResult,
  selectPanel,
} from '@expert-dispatch/matcher';
import {
  type DrawHistory,
  isLadderPrefix,
  type Label,
  type RuleSet,
  type Task,
  type WideningStep,
  wideningSteps,
} from '@expert-dispatch/rules';
import type { Transaction } from '../../db/open-database.js';
import type { FieldError } from '../../errors.js';
import type { Principal } from '../../http/app-env.js';
import { type LoadedPool, loadPreparedPool } from '../load-pool.js';

/** One step a refused draw could take next, as the 422 lists it. */
export interface WideningOption {
  readonly step: WideningStep;
  readonly label: Label;
  /** All the steps the request names to take this one (the ladder is taken in order). */
  readonly widen: readonly WideningStep[];
  /** Eligible experts the step adds to those of the steps before it. */
  readonly addsEligible: number;
  /** Whether the panel could then be formed (the same draw on the widened pools). */
  readonly feasible: boolean;
  /** Whether the rule set lets this task type take the step without asking. */
  readonly preApproved: boolean;
}

/** A draw's matcher input without its pool and prepared history. */
export type DrawAttempt = Omit<SelectPanelInput, 'experts' | 'history' | 'task'> & {
  readonly task: Task;
  readonly history: DrawHistory;
  readonly ruleSet: RuleSet;
};

/**
 * The field errors of a request's `widen`: its steps must be the rule set's ladder, taken in
 * order (local policy, no article). None without `widen`.
 *
 * @example
 * checkWiden(['prefecture_pool'], yunnanGmy2025); // [{ path: 'widen', message: '…in order…' }]
 */
export function checkWiden(
  widen: readonly WideningStep[] | undefined,
  ruleSet: RuleSet,
): FieldError[] {
  if (widen === undefined) return [];
  const ladder = ruleSet.widening?.ladder ?? [];
  if (isLadderPrefix(widen, ladder)) return [];
  const named = ladder.map((step) => step).join(' → ') || '（无 / none）';
  return [
    {
      path: 'widen',
      message:
        `扩大抽取范围须按规则集的顺序逐级进行：${named} / ` +
        `widening takes the rule set's ladder steps in order: ${named}`,
    },
  ];
}

/** Draws on the pools of `steps`; the pool is returned with the result. */
export async function drawWidened(
  tx: Transaction,
  principal: Principal,
  owner: object,
  attempt: DrawAttempt,
  steps: readonly WideningStep[],
): Promise<{ loaded: LoadedPool; task: Task; result: SelectPanelResult }> {
  const loaded = await loadPreparedPool(tx, principal, owner, steps);
  const task =
    steps.length === 0 ? withoutWiden(attempt.task) : { ...attempt.task, widen: [...steps] };
  const result = selectPanel({
    ...attempt,
    task,
    experts: loaded.pool,
    history: prepareHistory(attempt.history, loaded.pool, attempt.ruleSet),
  });
  return { loaded, task, result };
}

/**
 * The steps a task type takes without asking (e.g. accident rescue), beyond those already taken,
 * tried one by one until a panel forms: the first draw that succeeds, or null.
 */
export async function drawPreApproved(
  tx: Transaction,
  principal: Principal,
  owner: object,
  attempt: DrawAttempt,
): Promise<{ loaded: LoadedPool; task: Task; result: PanelSelected } | null> {
  const preApproved = attempt.ruleSet.widening?.preApproved?.[attempt.task.type] ?? [];
  const taken = attempt.task.widen ?? [];
  if (!isLadderPrefix(taken, preApproved)) return null;
  for (let k = taken.length + 1; k <= preApproved.length; k++) {
    const drawn = await drawWidened(tx, principal, owner, attempt, preApproved.slice(0, k));
    if (drawn.result.ok) return { ...drawn, result: drawn.result };
  }
  return null;
}

/**
 * What each further step of the ladder would bring to a refused draw: eligible experts added and
 * whether the panel could then be formed — for the dispatcher to repeat the request with
 * `widen` (异地抽取). Empty when the rule set has no ladder or every step is taken.
 *
 * @example
 * await wideningOptions(tx, principal, db, attempt, 3); // [{ step: 'same_prefecture_counties', addsEligible: 4, feasible: true, … }]
 */
export async function wideningOptions(
  tx: Transaction,
  principal: Principal,
  owner: object,
  attempt: DrawAttempt,
  eligibleNow: number,
): Promise<WideningOption[]> {
  const ladder = attempt.ruleSet.widening?.ladder ?? [];
  const taken = attempt.task.widen ?? [];
  if (!isLadderPrefix(taken, ladder)) return [];
  const preApproved = attempt.ruleSet.widening?.preApproved?.[attempt.task.type] ?? [];
  const options: WideningOption[] = [];
  let before = eligibleNow;
  for (let k = taken.length + 1; k <= ladder.length; k++) {
    const steps = ladder.slice(0, k);
    const step = steps[k - 1] as WideningStep;
    const { result } = await drawWidened(tx, principal, owner, attempt, steps);
    const eligible = result.ok || result.code === 'infeasible' ? result.eligible : before;
    options.push({
      step,
      label: wideningSteps.labels[step],
      widen: steps,
      addsEligible: Math.max(0, eligible - before),
      feasible: result.ok,
      preApproved: preApproved.includes(step),
    });
    before = eligible;
  }
  return options;
}

function withoutWiden(task: Task): Task {
  const { widen: _widen, ...rest } = task;
  return rest;
}
