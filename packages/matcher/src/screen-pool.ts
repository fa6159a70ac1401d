import {
  type DispatchRuleId,
  type Expert,
  type RuleSet,
  readmissionBarOf,
  type Task,
  toEpochDay,
  toInstant,
  windowDays,
} from '@expert-dispatch/rules';
import { REASON_BIT, RULE_REASON_KEYS } from './exclusion-reasons.js';
import type { PreparedHistory } from './prepare-history.js';
import { ageBarDays, industryMaskOf, type PreparedPool, STANDING } from './prepare-pool.js';

// Indexed by the STANDING code of the prepared pool.
const STANDING_BIT = [
  STANDING.ok,
  REASON_BIT['good-standing.disqualified'],
  REASON_BIT['good-standing.dismissed'],
  REASON_BIT['good-standing.withdrawn'],
  REASON_BIT['good-standing.suspended'],
];

/** The task read once per draw: its days, instants, industries and parties. */
export interface TaskFacts {
  readonly firstDay: number;
  readonly lastDay: number;
  readonly from: number;
  readonly to: number;
  /** The task's industries as a vocabulary bitmask. */
  readonly industryMask: number;
  readonly industryCount: number;
}

/** Reads the task facts the fast path needs. */
export function taskFactsOf(task: Task): TaskFacts {
  const { first, last } = windowDays(task.window);
  return {
    firstDay: toEpochDay(first),
    lastDay: toEpochDay(last),
    from: toInstant(task.window.from),
    to: toInstant(task.window.to),
    industryMask: industryMaskOf(task.industries),
    industryCount: task.industries.length,
  };
}

/**
 * The compiled form of the rule set's dispatch rules: one pass over the pool's columns that
 * gives, per expert, the mask of failing reasons (0 when every rule passes). It decides exactly
 * what `evaluateExpert` decides — the property test in `screen-pool.test.ts` holds it to that —
 * without building a message for anyone.
 *
 * @example
 * const masks = screenPool(pool, history, task, yunnanGmy2025);
 * masks[pool.indexOf.get('e-1')] === 0; // eligible
 */
export function screenPool(
  pool: PreparedPool,
  history: PreparedHistory,
  task: Task,
  ruleSet: RuleSet,
): Uint16Array {
  const facts = taskFactsOf(task);
  const rules = new Set<DispatchRuleId>(ruleSet.dispatchRules);
  const masks = new Uint16Array(pool.size);
  const checkAppointment = rules.has('appointment-in-force');
  const checkStanding = rules.has('good-standing');
  const checkAge = rules.has('age-limit');
  const checkEmployer = rules.has('employer-recusal');
  const checkIndustry = rules.has('industry-expertise');
  const checkCounty = rules.has('outside-enterprise-county');
  const checkCity = rules.has('outside-enterprise-city');
  const ageBar = checkAge ? ageBarDays(pool, ruleSet) : new Int32Array(0);
  const employerFlag = checkEmployer ? employerFlags(pool, task) : new Uint16Array(0);
  const county = pool.regionIndex.get(task.enterprise.region) ?? -1;
  const city = pool.cityIndex.get(`${task.enterprise.region.slice(0, 4)}00`) ?? -1;
  const { firstDay, lastDay, industryMask } = facts;
  const size = pool.size;
  // One tight, branch-free pass per rule over its own columns: eligibility is close to a coin
  // toss per expert, so branches would mispredict. `(x - 1) >>> 31` is 1 exactly when x <= 0.
  if (checkStanding) {
    const { standing } = pool;
    for (let i = 0; i < size; i++) masks[i] = STANDING_BIT[standing[i] as number] as number;
    // An appointment that began inside the disqualification bar is void (五年内不再聘用).
    for (const [i, term] of pool.reappointed) {
      const expert = pool.experts[i] as Expert;
      const { endsOn } = readmissionBarOf(
        { ...expert, disqualifiedOn: term.disqualifiedOn },
        ruleSet,
      );
      if (endsOn === null || term.from < endsOn) {
        masks[i] = REASON_BIT['good-standing.disqualified'];
      }
    }
  }
  if (checkAppointment) {
    const bit = REASON_BIT['appointment-in-force'];
    const { active, termFrom, termTo } = pool;
    for (let i = 0; i < size; i++) {
      const out =
        ((active[i] as number) ^ 1) |
        ((firstDay - (termFrom[i] as number)) >>> 31) |
        (((termTo[i] as number) - lastDay) >>> 31);
      masks[i] = (masks[i] as number) | (out * bit);
    }
  }
  if (checkAge) {
    const bit = REASON_BIT['age-limit'];
    // 第九条（五） over every day of the task; rule sets stored before that read the first day.
    const ageDay = ruleSet.age.checkedThrough === 'every-task-day' ? lastDay : firstDay;
    for (let i = 0; i < size; i++) {
      const over = ((ageBar[i] as number) - ageDay - 1) >>> 31;
      masks[i] = (masks[i] as number) | (over * bit);
    }
  }
  if (checkEmployer) {
    const { employer } = pool;
    for (let i = 0; i < size; i++) {
      masks[i] = (masks[i] as number) | (employerFlag[employer[i] as number] as number);
    }
  }
  if (checkIndustry) {
    const bit = REASON_BIT['industry-expertise'];
    const { comprehensive } = pool;
    const expertIndustries = pool.industryMask;
    for (let i = 0; i < size; i++) {
      const none = (((expertIndustries[i] as number) & industryMask) - 1) >>> 31;
      masks[i] = (masks[i] as number) | ((none & ((comprehensive[i] as number) ^ 1)) * bit);
    }
  }
  if (checkCounty) {
    const bit = REASON_BIT['outside-enterprise-county'];
    for (let i = 0; i < size; i++)
      if (pool.region[i] === county) masks[i] = (masks[i] as number) | bit;
  }
  if (checkCity) {
    const bit = REASON_BIT['outside-enterprise-city'];
    for (let i = 0; i < size; i++) if (pool.city[i] === city) masks[i] = (masks[i] as number) | bit;
  }
  if (rules.has('declared-conflict-recusal')) markConflicts(pool, task, masks);
  if (rules.has('availability')) markUnavailable(pool, history, task, facts, masks);
  return masks;
}

/** Per interned employer, the employer-recusal bit its experts get on this task. */
function employerFlags(pool: PreparedPool, task: Task): Uint16Array {
  const flags = new Uint16Array(pool.employerIndex.size);
  for (const organization of task.relatedOrganizations) {
    const id = pool.employerIndex.get(organization.id);
    if (id !== undefined) flags[id] = REASON_BIT['employer-recusal.related'];
  }
  // The enterprise itself takes precedence, as in checkEmployerRecusal.
  const enterprise = pool.employerIndex.get(task.enterprise.id);
  if (enterprise !== undefined) flags[enterprise] = REASON_BIT['employer-recusal.enterprise'];
  return flags;
}

function markConflicts(pool: PreparedPool, task: Task, masks: Uint16Array): void {
  const bit = REASON_BIT['declared-conflict-recusal'];
  const parties = [task.enterprise.id, ...task.relatedOrganizations.map((o) => o.id)];
  for (const party of parties) {
    for (const index of pool.conflictsByOrganization.get(party) ?? []) {
      masks[index] = (masks[index] as number) | bit;
    }
  }
}

function markUnavailable(
  pool: PreparedPool,
  history: PreparedHistory,
  task: Task,
  facts: TaskFacts,
  masks: Uint16Array,
): void {
  const bit = REASON_BIT.availability;
  const { from, to } = facts;
  const { unavailableExpert, unavailableFrom, unavailableTo } = pool;
  for (let k = 0; k < unavailableExpert.length; k++) {
    // Half-open periods, as isOverlapping: a.from < b.to && b.from < a.to.
    if ((unavailableFrom[k] as number) < to && from < (unavailableTo[k] as number)) {
      const index = unavailableExpert[k] as number;
      masks[index] = (masks[index] as number) | bit;
    }
  }
  const { busyExpert, busyTask, busyFrom, busyTo } = history;
  for (let k = 0; k < busyExpert.length; k++) {
    const index = busyExpert[k] as number;
    if (
      index >= 0 &&
      busyTask[k] !== task.id &&
      (busyFrom[k] as number) < to &&
      from < (busyTo[k] as number)
    ) {
      masks[index] = (masks[index] as number) | bit;
    }
  }
}

/** The reason bits that belong to each rule, for the funnel. */
export function ruleBits(ruleId: DispatchRuleId): number {
  let bits = 0;
  for (const key of RULE_REASON_KEYS[ruleId]) bits |= REASON_BIT[key];
  return bits;
}
