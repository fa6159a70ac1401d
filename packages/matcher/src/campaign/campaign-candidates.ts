import type { RuleSet, Task } from '@expert-dispatch/rules';
import seedrandom from 'seedrandom';
import type { CandidateTraits } from '../assemble-panel.js';
import { traitsOf } from '../candidate-traits.js';
import { checkDrawInput } from '../check-draw-input.js';
import { reportExclusions } from '../exclusion-report.js';
import { recordsOfPerson } from '../person-records.js';
import { mix32 } from '../policy-order.js';
import type { PreparedHistory } from '../prepare-history.js';
import type { PreparedPool } from '../prepare-pool.js';
import { type ResolvedDraw, resolveDraw } from '../resolve-draw.js';
import { totalScore } from '../score-expert.js';
import { type ScoringContext, scoringContextOf } from '../scoring-context.js';
import { screenDraw } from '../screen-draw.js';
import type { InputProblem } from '../select-panel-types.js';

/** Fit is solved in integers: the score in thousandths. */
export const FIT_SCALE = 1000;

/** One task's eligible experts as the campaign sees them, best first. */
export interface TaskCandidates {
  readonly draw: ResolvedDraw;
  readonly scoring: ScoringContext;
  readonly traits: CandidateTraits;
  /** Pool indices, best score first (ties by a seeded key). */
  readonly order: Int32Array;
  /** Score per pool index in `order`, same positions. */
  readonly scores: Float64Array;
  /** The named leader's pool index, or −1. */
  readonly leader: number;
}

/**
 * Screens and scores the pool for one task of a campaign with exactly what `selectPanel` uses:
 * the rule set's dispatch rules, recusal, the caller's exclusions, one record per person
 * (`screenDraw`), the same input checks (`checkDrawInput`) and the same score (`totalScore`).
 *
 * @example
 * const candidates = taskCandidates(task, pool, history, now, ruleSet, seed, exclude);
 */
export function taskCandidates(
  task: Task,
  pool: PreparedPool,
  history: PreparedHistory,
  now: string | Date,
  ruleSet: RuleSet,
  seed: string,
  exclude: readonly string[],
): { ok: true; value: TaskCandidates } | { ok: false; problems: InputProblem[] } {
  const draw = resolveDraw({ task, experts: pool, history, now, ruleSet, seed, exclude });
  const { masks } = screenDraw(draw);
  const problems = checkDrawInput(draw, masks);
  if (problems.length > 0) return { ok: false, problems };
  const report = reportExclusions(
    pool,
    masks,
    ruleSet.dispatchRules,
    ruleSet.selectionVersion ?? 1,
  );
  const scoring = scoringContextOf(pool, draw.history, ruleSet, task, draw.today);
  const salt = seedrandom(`${seed}#campaign#${task.id}`).int32() >>> 0;
  const eligible = report.eligible;
  const score = new Float64Array(eligible.length);
  const tie = new Uint32Array(eligible.length);
  const positions = Array.from({ length: eligible.length }, (_, k) => k);
  for (let k = 0; k < eligible.length; k++) {
    const index = eligible[k] as number;
    score[k] = totalScore(scoring, index);
    tie[k] = mix32(((pool.idHash[index] as number) ^ salt) >>> 0);
  }
  positions.sort(
    (a, b) =>
      (score[b] as number) - (score[a] as number) || (tie[a] as number) - (tie[b] as number),
  );
  const leader = task.leaderId === undefined ? -1 : (pool.indexOf.get(task.leaderId) ?? -1);
  return {
    ok: true,
    value: {
      draw,
      scoring,
      traits: traitsOf(draw, scoring),
      order: Int32Array.from(positions, (k) => eligible[k] as number),
      scores: Float64Array.from(positions, (k) => score[k] as number),
      leader,
    },
  };
}

/** The person a record stands for: the lowest pool index among the person's records. */
export function personOf(pool: PreparedPool, index: number): number {
  return recordsOfPerson(pool, index)[0] as number;
}

/** The fit of a score in integer thousandths, as the solver weighs it. */
export function fitWeight(score: number): number {
  return Math.round(score * FIT_SCALE);
}
