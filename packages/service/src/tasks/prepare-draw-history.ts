import { createHash } from 'node:crypto';
import {
  canonicalJson,
  type PreparedHistory,
  type PreparedPool,
  prepareHistory,
} from '@expert-dispatch/matcher';
import {
  type DrawHistory,
  type HistoryCounts,
  isHistoryCounts,
  type RuleSet,
} from '@expert-dispatch/rules';

// node:crypto's SHA-256 (the same digest as the matcher's own, far faster at scale).
const sha256 = () => createHash('sha256');

/** Per counter columns (their `day` array, shared while the counters do not change). */
const tails = new WeakMap<
  object,
  { readonly columns: readonly unknown[]; readonly tail: string }
>();
const preparations = new WeakMap<object, PreparedHistory[]>();

/** `canonicalJson` of a history starts with its bookings: the keys are sorted. */
const EMPTY_BUSY_PREFIX = '{"busy":[],';

/**
 * The draw's history prepared for the matcher, reusing what the process already made of the same
 * counters (#17): the canonical JSON of the counters, so that the digest hashes it without
 * writing a million experts' counters out again, and the counter rows of the last preparation
 * for the same rule set when the pool holds the same records (`canReuseCountRows`), so that a
 * draw indexes only its bookings. The result is what `prepareHistory` alone makes.
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
  const prepared = prepareHistory(history, pool, ruleSet, {
    sha256,
    digest: countsDigest(history),
    ...withReuse(earlier.find((one) => one.ruleSet === ruleSet)),
  });
  preparations.set(key, [prepared, ...earlier.filter((one) => one.ruleSet !== ruleSet)]);
  return prepared;
}

function withReuse(reuse: PreparedHistory | undefined) {
  return reuse === undefined ? {} : { reuse };
}

/** SHA-256 of the canonical JSON of daily counts, the counters' part written once per columns. */
function countsDigest(history: HistoryCounts): string {
  const columns = [
    history.from,
    history.kinds,
    history.experts,
    history.rows,
    history.kind,
    history.n,
  ];
  const known = tails.get(history.day);
  let tail = known?.columns.every((column, k) => column === columns[k]) ? known.tail : undefined;
  if (tail === undefined) {
    const text = canonicalJson({ ...history, busy: [] });
    // Should the form ever sort another key first, hash it whole.
    if (!text.startsWith(EMPTY_BUSY_PREFIX)) {
      return sha256().update(canonicalJson(history)).digest('hex');
    }
    tail = text.slice(EMPTY_BUSY_PREFIX.length);
    tails.set(history.day, { columns, tail });
  }
  return sha256()
    .update('{"busy":')
    .update(canonicalJson(history.busy))
    .update(',')
    .update(tail)
    .digest('hex');
}
