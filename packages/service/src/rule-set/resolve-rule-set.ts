import { canonicalJson } from '@expert-dispatch/matcher';
import { deriveRuleSet, type RuleSet, type RuleSetOverrides } from '@expert-dispatch/rules';
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { jsonColumn, queryRows } from '../db/query-rows.js';
import { authorities } from '../db/schema.js';
import { ProblemError } from '../errors.js';

// Deriving validates the whole set; the result depends only on the base and the overrides.
const derived = new Map<string, RuleSet>();
const CACHE_LIMIT = 256;

/**
 * The rule set of an authority whose stored overrides are `overrides`: the base itself when
 * there are none, else `deriveRuleSet(base, overrides)` (第二十六条). Overrides that no longer
 * derive from the base (the base changed under them) are a 409: draws stop rather than run on
 * rules nobody set.
 *
 * @example
 * ruleSetFromOverrides(yunnanGmy2025, null) === yunnanGmy2025; // true
 */
export function ruleSetFromOverrides(
  base: RuleSet,
  overrides: Record<string, unknown> | null,
  authorityId = '',
): RuleSet {
  if (overrides === null) return base;
  const key = `${base.id}@${base.version}:${canonicalJson(overrides)}`;
  const cached = derived.get(key);
  if (cached !== undefined) return cached;
  const result = deriveRuleSet(base, overrides as unknown as RuleSetOverrides);
  if (!result.ok) {
    throw new ProblemError(
      'version_conflict',
      {
        zh: `部门 ${authorityId} 的规则集不能从 ${base.id} ${base.version} 派生，请重新设置`,
        en: `the rule set of authority ${authorityId} no longer derives from ${base.id} ${base.version}; set it again`,
      },
      { errors: result.errors.map((e) => ({ path: `overrides.${e.path}`, message: e.message })) },
    );
  }
  if (derived.size >= CACHE_LIMIT) derived.clear();
  derived.set(key, result.ruleSet);
  return result.ruleSet;
}

/**
 * The rule set an authority's draws and pool run on (第二十六条): the provincial `base`, or
 * the set derived from it by the authority's `rule_set_overrides`. One primary-key read.
 *
 * @example
 * const ruleSet = await resolveRuleSet(tx, principal.authorityId, services.ruleSet);
 */
export async function resolveRuleSet(
  db: Executor,
  authorityId: string,
  base: RuleSet,
): Promise<RuleSet> {
  // Raw SQL: this read is on every draw's path, and a query builder costs more than the read.
  const [row] = await queryRows<{ overrides: unknown }>(
    db,
    sql`select rule_set_overrides as overrides from authorities where id = ${authorityId}`,
  );
  const overrides = jsonColumn(row?.overrides);
  return ruleSetFromOverrides(base, overrides as Record<string, unknown> | null, authorityId);
}

/**
 * Every authority's rule set, by authority id, for jobs that handle several pools at once.
 *
 * @example
 * const sets = await loadRuleSets(db, yunnanGmy2025); // sets.get('wh-yjj')
 */
export async function loadRuleSets(db: Executor, base: RuleSet): Promise<Map<string, RuleSet>> {
  const rows = await db
    .select({ id: authorities.id, overrides: authorities.ruleSetOverrides })
    .from(authorities);
  const sets = new Map<string, RuleSet>();
  for (const row of rows) {
    try {
      sets.set(row.id, ruleSetFromOverrides(base, row.overrides ?? null, row.id));
    } catch {
      // A set that no longer derives falls back to the base for reminders and lists.
      sets.set(row.id, base);
    }
  }
  return sets;
}
