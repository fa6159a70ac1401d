import {
  EMPTY_HISTORY,
  type IsoDate,
  type RuleSet,
  type Task,
  toInstant,
  toShanghaiDate,
  yunnanGmy2025,
} from '@expert-dispatch/rules';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { isPreparedHistory, type PreparedHistory, prepareHistory } from './prepare-history.js';
import { isPreparedPool, type PreparedPool, preparePool } from './prepare-pool.js';
import type { Policy, SelectPanelInput } from './select-panel-types.js';

/** A draw's input with every default applied and the pool and history prepared. */
export interface ResolvedDraw {
  readonly task: Task;
  readonly pool: PreparedPool;
  readonly history: PreparedHistory;
  readonly ruleSet: RuleSet;
  readonly policy: Policy;
  readonly cap: number | undefined;
  readonly seed: string;
  readonly fixed: readonly string[];
  readonly exclude: readonly string[];
  /** `now` as milliseconds since the epoch. */
  readonly now: number;
  readonly today: IsoDate;
}

/** Applies the defaults and prepares what is not prepared yet (a raw pool is indexed per call). */
export function resolveDraw(input: SelectPanelInput): ResolvedDraw {
  const ruleSet = input.ruleSet ?? yunnanGmy2025;
  const pool = isPreparedPool(input.experts)
    ? input.experts
    : preparePool(input.experts, { ruleSet });
  const given = input.history;
  const history =
    isPreparedHistory(given) && given.pool === pool && given.ruleSet === ruleSet
      ? given
      : prepareHistory(
          isPreparedHistory(given) ? given.history : (given ?? EMPTY_HISTORY),
          pool,
          ruleSet,
        );
  const now = toInstant(input.now);
  return {
    task: input.task,
    pool,
    history,
    ruleSet,
    policy: input.policy ?? 'lottery',
    cap: input.cap,
    seed: input.seed,
    fixed: [...new Set(input.fixed ?? [])],
    exclude: input.exclude ?? [],
    now,
    // An unreadable `now` is reported by checkDrawInput; the empty date is never used.
    today: Number.isFinite(now) ? toShanghaiDate(now) : '',
  };
}

/**
 * The draw's digest: SHA-256 (hex) of the canonical JSON (sorted keys, no whitespace) of
 * `{ v: 1, pool, history, task, ruleSet, policy, cap, seed, fixed, exclude, now }`, where `pool`,
 * `history` and `ruleSet` are the SHA-256 of their own canonical JSON (computed once when
 * prepared, or once per frozen rule set) and `now` is in epoch milliseconds. Equal inputs give equal digests on every machine.
 *
 * @example
 * drawDigest({ task, experts, now: '2026-03-01T09:00:00+08:00', seed: 's' }); // '5d41…'
 */
export function drawDigest(input: SelectPanelInput | ResolvedDraw): string {
  const draw = 'today' in input ? input : resolveDraw(input);
  return sha256Hex(
    canonicalJson({
      v: 1,
      pool: draw.pool.digest,
      history: draw.history.digest,
      task: draw.task,
      ruleSet: ruleSetDigest(draw.ruleSet),
      policy: draw.policy,
      cap: draw.cap ?? null,
      seed: draw.seed,
      fixed: draw.fixed,
      exclude: draw.exclude,
      now: draw.now,
    }),
  );
}

// A frozen rule set (as `freezeRuleSet` leaves the shipped ones) cannot change, so its digest
// is computed once; any other is hashed afresh on every draw.
const frozenRuleSets = new WeakMap<RuleSet, string>();

function ruleSetDigest(ruleSet: RuleSet): string {
  const cached = frozenRuleSets.get(ruleSet);
  if (cached !== undefined) return cached;
  const digest = sha256Hex(canonicalJson(ruleSet));
  if (isDeepFrozen(ruleSet)) frozenRuleSets.set(ruleSet, digest);
  return digest;
}

function isDeepFrozen(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen);
}
