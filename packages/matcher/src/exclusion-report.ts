import type { DispatchRuleId } from '@expert-dispatch/rules';
import {
  EXCLUSION_REASON_KEYS,
  EXCLUSION_REASONS,
  EXCLUSION_REASONS_V2,
  type ExclusionReason,
  type ExclusionReasonKey,
  REASON_BIT,
  reasonKeysOf,
} from './exclusion-reasons.js';
import type { PreparedPool } from './prepare-pool.js';
import { ruleBits } from './screen-pool.js';
import type { ExclusionGroup, Funnel } from './select-panel-types.js';

/**
 * The exclusions of one draw, built from the screening masks in one pass: experts grouped by
 * their exact combination of reasons (in pool order of first appearance), the dictionary of
 * the reasons used, and the funnel. Cheap on a large pool because no per-expert object or
 * message is built; `explainExclusion` gives one expert's detailed messages.
 *
 * The funnel counts a record left out as the same person under `samePerson` (only the
 * records that passed every rule get that reason).
 *
 * @example
 * const report = reportExclusions(pool, masks, yunnanGmy2025.dispatchRules);
 * report.excluded[0]; // { reasons: ['industry-expertise'], expertIds: ['e-2', 'e-9', …] }
 */
export function reportExclusions(
  pool: PreparedPool,
  masks: Uint16Array,
  ruleOrder: readonly DispatchRuleId[],
  /** The rule set's selection version: from 2 on, local-policy reasons carry no article. */
  selectionVersion = 1,
): {
  excluded: ExclusionGroup[];
  exclusionReasons: Partial<Record<ExclusionReasonKey, ExclusionReason>>;
  funnel: Funnel;
  /** Pool indices of the eligible, ascending. */
  eligible: Int32Array;
} {
  // A counting sort of the pool by mask, branch-free where eligibility is a coin toss.
  const combinations = 1 << EXCLUSION_REASON_KEYS.length;
  const counts = new Int32Array(combinations);
  const groupMasks: number[] = []; // in order of first appearance
  for (let i = 0; i < pool.size; i++) {
    const mask = masks[i] as number;
    const count = counts[mask] as number;
    if (count === 0 && mask !== 0) groupMasks.push(mask);
    counts[mask] = count + 1;
  }
  const starts = new Int32Array(combinations);
  let offset = counts[0] as number;
  for (const mask of groupMasks) {
    starts[mask] = offset;
    offset += counts[mask] as number;
  }
  const sorted = new Int32Array(pool.size);
  for (let i = 0; i < pool.size; i++) {
    const mask = masks[i] as number;
    const at = starts[mask] as number;
    sorted[at] = i;
    starts[mask] = at + 1;
  }
  const eligibleCount = counts[0] as number;
  const eligible = sorted.subarray(0, eligibleCount);
  const ids = pool.ids;
  const groupSizes = groupMasks.map((mask) => counts[mask] as number);
  const excluded: ExclusionGroup[] = groupMasks.map((mask) => {
    const end = starts[mask] as number;
    const begin = end - (counts[mask] as number);
    const expertIds = new Array<string>(end - begin);
    for (let k = begin; k < end; k++) expertIds[k - begin] = ids[sorted[k] as number] as string;
    return { reasons: reasonKeysOf(mask, ruleOrder), expertIds };
  });

  // The funnel: each group counts against the first rule (in the rule set's order) it fails.
  const bits = ruleOrder.map(ruleBits);
  const removed = new Array<number>(ruleOrder.length).fill(0);
  let byCaller = 0;
  let samePerson = 0;
  let used = 0;
  groupMasks.forEach((mask, group) => {
    used |= mask;
    const step = bits.findIndex((ruleMask) => (mask & ruleMask) !== 0);
    if (step >= 0) removed[step] = (removed[step] as number) + (groupSizes[group] as number);
    else if (mask & REASON_BIT['excluded-by-caller']) byCaller += groupSizes[group] as number;
    else if (mask & REASON_BIT['same-person']) samePerson += groupSizes[group] as number;
  });
  const exclusionReasons: Partial<Record<ExclusionReasonKey, ExclusionReason>> = {};
  const dictionary = selectionVersion >= 2 ? EXCLUSION_REASONS_V2 : EXCLUSION_REASONS;
  for (const key of EXCLUSION_REASON_KEYS) {
    if (used & REASON_BIT[key]) exclusionReasons[key] = dictionary[key];
  }
  let remaining = pool.size;
  const steps = ruleOrder.map((ruleId, step) => {
    remaining -= removed[step] as number;
    return { ruleId, removed: removed[step] as number, remaining };
  });
  return {
    excluded,
    exclusionReasons,
    funnel: {
      pool: pool.size,
      steps,
      excludedByCaller: byCaller,
      // Only pools that know of persons with several records report it, so that a draw
      // recorded before person ids existed replays to the very same result.
      ...(pool.personRecords.size > 0 ? { samePerson } : {}),
      eligible: eligibleCount,
    },
    eligible,
  };
}
