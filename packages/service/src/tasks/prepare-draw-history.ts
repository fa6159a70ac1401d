import { createHash } from 'node:crypto';
import {
  type PreparedHistory,
  type PreparedPool,
  prepareHistory,
  updatePreparedHistory,
} from '@expert-dispatch/matcher';
import { type DrawHistory, isHistoryCounts, type RuleSet } from '@expert-dispatch/rules';
import { counterPatchOf, forgetCounterPatch } from './history-counts-columns.js';
import { countsDigest } from './history-counts-digest.js';

// node:crypto's SHA-256 (the same digest as the matcher's own, far faster at scale).
const sha256 = () => createHash('sha256');

/** Per counter columns (their `day` array): the preparations made of them, one per rule set. */
const preparations = new WeakMap<object, PreparedHistory[]>();

/**
 * The draw's history prepared for the matcher, reusing what the process already made (#17):
 * for the same counters, their prepared rows while the pool holds the same records
 * (`canReuseCountRows`), so that a draw indexes only its bookings; for counters patched from
 * counters prepared before (`counterPatchOf`: some experts answered, were decided on or rated
 * since), those rows with the changed experts' rows made anew (`updatePreparedHistory`). The
 * digest hashes the counters' text kept per block of experts, only the changed blocks written
 * again (`countsDigest`). The result is what `prepareHistory` alone makes.
 *
 * @example
 * const prepared = prepareDrawHistory(reads.history, loaded.pool, ruleSet);
 */
export function prepareDrawHistory(
  history: DrawHistory,
  pool: PreparedPool,
  ruleSet: RuleSet,
): PreparedHistory {
  if (!isHistoryCounts(history)) return prepareHistory(history, pool, ruleSet, { sha256 });
  const key = history.day;
  const earlier = preparations.get(key) ?? [];
  const patch = counterPatchOf(history);
  const digest = countsDigest(history, patch);
  const same = earlier.find((one) => one.ruleSet === ruleSet);
  const before =
    same === undefined && patch !== undefined
      ? preparations.get(patch.previous.day)?.find((one) => one.ruleSet === ruleSet)
      : undefined;
  const prepared =
    before !== undefined && patch !== undefined
      ? updatePreparedHistory(before, history, pool, ruleSet, patch.changed, { sha256, digest })
      : prepareHistory(history, pool, ruleSet, {
          sha256,
          digest,
          ...(same === undefined ? {} : { reuse: same }),
        });
  // What was made of the earlier counters is patched in: they are no longer needed.
  if (patch !== undefined) forgetCounterPatch(history);
  preparations.set(key, [prepared, ...earlier.filter((one) => one.ruleSet !== ruleSet)]);
  return prepared;
}
