import { giniCoefficient, preparePool, selectPanel } from '@expert-dispatch/matcher';
import type { Busy, DrawExpert, DrawHistory, RuleSet, Task } from '@expert-dispatch/rules';
import { taskDrawSeed } from './campaign-task-draws.js';

/** The figures a campaign is judged by, for its plan and for drawing its tasks one by one. */
export interface CampaignFigures {
  readonly seats: number;
  readonly filled: number;
  /** Sum of the members' scores. */
  readonly fit: number;
  readonly specialtiesCovered: number;
  readonly specialtiesNamed: number;
  readonly maxLoad: number;
  /** Gini of the load over the experts who sit on at least one panel. */
  readonly gini: number | null;
  /** Tasks per expert id. */
  readonly load: Readonly<Record<string, number>>;
  /** Tasks left without a panel. */
  readonly unstaffed: string[];
}

/**
 * What drawing the campaign's tasks one by one would have given, as `POST /v1/tasks` draws
 * them (lottery, each task's seed derived from the campaign's), in the order given: each draw
 * sees the bookings of the draws before it. Pure: nothing is written.
 *
 * @example
 * drawnOneByOne({ tasks, experts, history, now, ruleSet, seed }).filled;
 */
export function drawnOneByOne(input: {
  readonly tasks: readonly Task[];
  readonly experts: readonly DrawExpert[];
  readonly history: DrawHistory;
  readonly now: string;
  readonly ruleSet: RuleSet;
  readonly seed: string;
}): CampaignFigures {
  const pool = preparePool(input.experts, { ruleSet: input.ruleSet });
  const booked: Busy[] = [];
  const load: Record<string, number> = {};
  const unstaffed: string[] = [];
  let seats = 0;
  let filled = 0;
  let fit = 0;
  let specialtiesCovered = 0;
  let specialtiesNamed = 0;
  for (const task of input.tasks) {
    seats += task.panelSize;
    const named = new Set(task.specialties).size;
    specialtiesNamed += named;
    const result = selectPanel({
      task,
      experts: pool,
      history: { ...input.history, busy: [...input.history.busy, ...booked] },
      now: input.now,
      ruleSet: input.ruleSet,
      policy: 'lottery',
      seed: taskDrawSeed(input.seed, task.id),
    });
    if (!result.ok) {
      unstaffed.push(task.id);
      continue;
    }
    filled += result.members.length;
    specialtiesCovered += named - result.gaps.specialties.length;
    for (const member of result.members) {
      fit += member.score;
      load[member.expertId] = (load[member.expertId] ?? 0) + 1;
      booked.push({ expertId: member.expertId, taskId: task.id, ...task.window });
    }
  }
  return {
    seats,
    filled,
    fit,
    specialtiesCovered,
    specialtiesNamed,
    ...loadFigures(load),
    unstaffed,
  };
}

/**
 * The heaviest load and the Gini of a load record.
 *
 * @example
 * loadFigures({ a: 2, b: 2 }); // { load: { a: 2, b: 2 }, maxLoad: 2, gini: 0 }
 */
export function loadFigures(load: Readonly<Record<string, number>>) {
  const values = Object.values(load);
  return { load, maxLoad: Math.max(0, ...values), gini: giniCoefficient(values) };
}
