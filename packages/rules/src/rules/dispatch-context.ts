import type { RuleOutcome } from '../rule-outcome.js';
import type { RuleSet } from '../rule-set/rule-set.js';
import type { Expert } from '../schemas/expert.js';
import type { Busy } from '../schemas/history.js';
import type { Task } from '../schemas/task.js';

/** What a dispatch rule may read besides the expert and the task. */
export interface DispatchContext {
  readonly ruleSet: RuleSet;
  /** Bookings on other tasks; only the expert's own entries matter. */
  readonly busy?: readonly Busy[];
}

/** A rule applied when an expert is considered for a task. */
export type DispatchCheck = (expert: Expert, task: Task, context: DispatchContext) => RuleOutcome;
