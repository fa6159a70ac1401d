import type { Tier } from '../vocabulary/tier.js';
import type { RuleSet } from './rule-set.js';

const RANK: Readonly<Record<Tier, number>> = { province: 0, city: 1, county: 2 };

/**
 * True when an expert of `expertTier` belongs to a higher tier's pool than the authority that
 * requests the work (a provincial expert in a county draw, 第二十六条).
 *
 * @example
 * isHigherTier('province', 'county'); // true
 * isHigherTier('county', 'county'); // false
 */
export function isHigherTier(expertTier: Tier, requesterTier: Tier): boolean {
  return RANK[expertTier] < RANK[requesterTier];
}

const ownPoolSets = new WeakMap<RuleSet, RuleSet>();

/**
 * The rule set that screens the requesting authority's own pool (experts of its tier or below):
 * the set itself without the rules it waives for its own pool, with its own-pool age limits and
 * re-admission bar (`ownPoolOnly`). A set without `ownPoolOnly` is its own own-pool set.
 *
 * @example
 * ownPoolRuleSet(county).dispatchRules.includes('appointment-in-force'); // false when waived
 */
export function ownPoolRuleSet(ruleSet: RuleSet): RuleSet {
  const own = ruleSet.ownPoolOnly;
  if (own === undefined) return ruleSet;
  const cached = ownPoolSets.get(ruleSet);
  if (cached !== undefined) return cached;
  const waived = new Set<string>(own.waivedRules);
  const { ownPoolOnly: _own, ...rest } = ruleSet;
  const derived: RuleSet = {
    ...rest,
    dispatchRules: ruleSet.dispatchRules.filter((rule) => !waived.has(rule)),
    age: own.age ?? ruleSet.age,
    ...(own.disqualificationBarYears === undefined
      ? {}
      : { disqualificationBarYears: own.disqualificationBarYears }),
    ...(own.readmissionBar === undefined ? {} : { readmissionBar: own.readmissionBar }),
  };
  ownPoolSets.set(ruleSet, derived);
  return derived;
}

/**
 * The rule set one expert is screened with in a draw (第二十六条): a provincial expert stays under
 * the stricter rules whoever dispatches them — a local set may add rules for them, never remove
 * 第九条 or 第十一条 — while the local loosenings apply to the authority's own pool.
 *
 * @example
 * ruleSetForExpert(county, 'province', 'county') === county; // the stricter set
 */
export function ruleSetForExpert(ruleSet: RuleSet, expertTier: Tier, requesterTier: Tier): RuleSet {
  if (ruleSet.ownPoolOnly === undefined || isHigherTier(expertTier, requesterTier)) return ruleSet;
  return ownPoolRuleSet(ruleSet);
}
