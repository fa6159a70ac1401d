import { addMonths, addYears, type RuleSet, type Task, toEpochDay } from '@expert-dispatch/rules';
import { canonicalJson } from './canonical-json.js';
import type { PreparedHistory } from './prepare-history.js';
import { industryMaskOf, type PreparedPool } from './prepare-pool.js';

/** Everything the score reads, fixed once per draw. */
export interface ScoringContext {
  readonly pool: PreparedPool;
  readonly history: PreparedHistory;
  readonly ruleSet: RuleSet;
  readonly today: number;
  readonly reliabilityAfter: number;
  readonly staleBefore: number;
  /** Per interned specialty, its bit among the task's specialties (0 when the task lacks it). */
  readonly specialtyBit: Int32Array;
  readonly specialtyCount: number;
  readonly industryMask: number;
  readonly industryCount: number;
  /** Memo of {@link standingPoints} per pool index; NaN until computed. */
  readonly standing: Float64Array;
}

const MEMO_ENTRIES = 4;

/**
 * Reads the task and today's Asia/Shanghai date once for scoring, and finds (or starts) the memo
 * of task-independent points for this day and these parameters in the prepared history.
 *
 * @example
 * const context = scoringContextOf(pool, history, yunnanGmy2025, task, '2026-03-01');
 */
export function scoringContextOf(
  pool: PreparedPool,
  history: PreparedHistory,
  ruleSet: RuleSet,
  task: Task,
  today: string,
): ScoringContext {
  const specialtyBit = new Int32Array(pool.specialtyIndex.size);
  const wanted = [...new Set(task.specialties)].slice(0, 31);
  wanted.forEach((specialty, j) => {
    const id = pool.specialtyIndex.get(specialty);
    if (id !== undefined) specialtyBit[id] = 1 << j;
  });
  const key = `${today}|${canonicalJson([ruleSet.scoring, ruleSet.declineWarning, ruleSet.profileStaleMonths])}`;
  let standing = history.standingMemo.get(key);
  if (standing === undefined) {
    standing = new Float64Array(pool.size).fill(Number.NaN);
    if (history.standingMemo.size >= MEMO_ENTRIES) {
      const oldest = history.standingMemo.keys().next().value;
      if (oldest !== undefined) history.standingMemo.delete(oldest);
    }
    history.standingMemo.set(key, standing);
  }
  return {
    pool,
    history,
    ruleSet,
    standing,
    today: toEpochDay(today),
    reliabilityAfter: toEpochDay(addYears(today, -ruleSet.scoring.reliabilityLookbackYears)),
    staleBefore: toEpochDay(addMonths(today, -ruleSet.profileStaleMonths)),
    specialtyBit,
    specialtyCount: wanted.length,
    industryMask: industryMaskOf(task.industries),
    industryCount: task.industries.length,
  };
}
