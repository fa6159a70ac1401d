import { z } from 'zod';
import { DEFAULT_ENGAGEMENT_LOOKBACK_YEARS } from '../recusal/related-by-engagement.js';
import type { Label } from '../vocabulary/define-vocabulary.js';
import { freezeRuleSet } from './freeze-rule-set.js';
import { type DispatchRuleId, dispatchRuleIdSchema } from './rule-ids.js';
import { OWN_POOL_WAIVABLE_RULES, type RuleSet, ruleSetSchema } from './rule-set.js';

/** The parameters of a rule set: everything but its identity and rule lists. */
type Parameters = Omit<
  RuleSet,
  'id' | 'version' | 'name' | 'basedOn' | 'dispatchRules' | 'ownPoolOnly'
>;

type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** How a local authority's rule set differs from the one it is based on (第二十六条). */
export interface RuleSetOverrides {
  readonly id: string;
  readonly version: string;
  readonly name?: Label;
  readonly parameters?: DeepPartial<Parameters>;
  readonly addDispatchRules?: readonly DispatchRuleId[];
  readonly removeDispatchRules?: readonly DispatchRuleId[];
}

/** A refused override: the path of the bad field and what is wrong with it. */
export interface RuleSetError {
  readonly path: string;
  readonly message: string;
}

/**
 * A loosening of a protection the measures make mandatory (第九条（五）, 第十一条) that the derived
 * set applies to its own pool only: experts of a higher tier keep the stricter rule (第二十六条).
 */
export interface RuleSetLoosening {
  readonly path: string;
  readonly article: string;
  readonly appliesTo: 'own-pool';
  readonly message: Label;
}

export type DeriveRuleSetResult =
  | {
      readonly ok: true;
      readonly ruleSet: RuleSet;
      /** What the set loosens for its own pool only; empty when nothing. */
      readonly loosenings: readonly RuleSetLoosening[];
    }
  | { readonly ok: false; readonly errors: readonly RuleSetError[] };

const overridesShape = z.strictObject({
  id: z.string(),
  version: z.string(),
  name: z.unknown().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  addDispatchRules: z.array(dispatchRuleIdSchema).optional(),
  removeDispatchRules: z.array(dispatchRuleIdSchema).optional(),
});

/**
 * Builds a city's or county's rule set from a base set (第二十六条: local pools built on these
 * measures). The result is validated as a whole; unknown parameters, out-of-range values,
 * removing every rule, removing a recusal or good-standing rule, or reusing the base's id (under
 * any version) are refused as data, and so is a shorter engagement look-back (第十六条（一）: the
 * draw relates agencies for every tier at once). Dropping `appointment-in-force` (第十一条) or
 * `age-limit`, raising the age limits (第九条（五）), or shortening the re-admission bar
 * (第九条（六）, 第十六条（三）) is a loosening for the own pool only: the set keeps the stricter
 * rule for experts of a higher tier (`ownPoolOnly`), and `loosenings` says so.
 *
 * @example
 * const county = deriveRuleSet(yunnanGmy2025, {
 *   id: 'kunming-wuhua-gmy',
 *   version: '1.0.0',
 *   addDispatchRules: ['outside-enterprise-county'],
 *   parameters: { replyDeadlineMinutes: { routine: 720 } },
 * });
 * if (county.ok) county.ruleSet.dispatchRules.includes('outside-enterprise-county'); // true
 */
export function deriveRuleSet(base: RuleSet, overrides: RuleSetOverrides): DeriveRuleSetResult {
  const shape = overridesShape.safeParse(overrides);
  if (!shape.success) return { ok: false, errors: toErrors(shape.error) };
  if (overrides.id === base.id) {
    // Draws store their set by id and version: under the base's id, a local set would pass for
    // an older or newer provincial set (yunnan-gmy-2025 1.0.0 is stored in draws).
    return {
      ok: false,
      errors: [
        { path: 'id', message: `a derived rule set needs its own id, not ${base.id}` },
        ...(overrides.version === base.version
          ? [{ path: 'version', message: 'a derived rule set needs its own id and version' }]
          : []),
      ],
    };
  }
  const removed = new Set(overrides.removeDispatchRules ?? []);
  const listed = [...base.dispatchRules, ...(overrides.addDispatchRules ?? [])].filter(
    (rule, index, all) => all.indexOf(rule) === index,
  );
  // 第九条, 第十一条 protect every dispatch of a provincial expert: a local set that drops them
  // drops them for its own pool only (第二十六条), so the set keeps them and records the waiver.
  const waived = OWN_POOL_WAIVABLE_RULES.filter(
    (rule) => removed.has(rule) && base.dispatchRules.includes(rule),
  );
  const waivedSet = new Set<DispatchRuleId>(waived);
  const dispatchRules = listed.filter((rule) => !removed.has(rule) || waivedSet.has(rule));
  const {
    id: _id,
    version: _version,
    name: _name,
    basedOn: _basedOn,
    ownPoolOnly: _ownPoolOnly,
    ...baseParameters
  } = base;
  const merged = mergeDeep(baseParameters, overrides.parameters ?? {});
  const loosenings: RuleSetLoosening[] = waived.map((rule) => looseningOf(rule));
  const age = splitAge(base.age, merged.age);
  if (age.ownPool !== undefined) loosenings.push(looseningOf('age'));
  const bar = splitBar(base, merged);
  if (bar.ownPool !== undefined) loosenings.push(looseningOf('readmission-bar'));
  const candidate = {
    ...merged,
    ...(age.ownPool === undefined ? {} : { age: age.strict }),
    ...(bar.ownPool === undefined ? {} : bar.strict),
    id: overrides.id,
    version: overrides.version,
    name: overrides.name ?? base.name,
    basedOn: { id: base.id, version: base.version },
    dispatchRules,
    ...(loosenings.length === 0
      ? {}
      : {
          ownPoolOnly: {
            waivedRules: waived,
            ...(age.ownPool === undefined ? {} : { age: age.ownPool }),
            ...(bar.ownPool ?? {}),
          },
        }),
  };
  const parsed = ruleSetSchema.safeParse(candidate);
  const errors: RuleSetError[] = [];
  if (listed.every((rule) => removed.has(rule))) {
    errors.push({ path: 'dispatchRules', message: 'a rule set needs at least one dispatch rule' });
  }
  if (!parsed.success) errors.push(...toErrors(parsed.error, (path) => relocate(path)));
  if (overrides.parameters !== undefined && 'ownPoolOnly' in overrides.parameters) {
    errors.push({
      path: 'parameters.ownPoolOnly',
      message: 'set by deriveRuleSet from removeDispatchRules and parameters.age, not by hand',
    });
  }
  const baseLookback = base.engagementLookbackYears ?? DEFAULT_ENGAGEMENT_LOOKBACK_YEARS;
  const lookback = merged.engagementLookbackYears;
  if (typeof lookback === 'number' && lookback < baseLookback) {
    // The draw relates agencies once per task, for every tier alike: a shorter look-back would
    // clear a provincial expert's agency that the provincial set still relates (第二十六条).
    errors.push({
      path: 'parameters.engagementLookbackYears',
      message: `an engagement within ${baseLookback} years relates the agency under ${base.id} (第十六条（一）); a local set may lengthen the look-back, not shorten it, since provincial experts in its draws keep the provincial one (第二十六条)`,
    });
  }
  const selection = merged.selectionVersion;
  if (typeof selection === 'number' && selection < (base.selectionVersion ?? 1)) {
    // The selection version says how stored draws replay; new draws run the current one, which
    // seats specialty holders first (第十四条) for provincial experts in local draws too.
    errors.push({
      path: 'parameters.selectionVersion',
      message: `a derived set runs selection ${base.selectionVersion ?? 1} or later (第十四条: specialty holders first); older versions only replay stored draws`,
    });
  }
  (overrides.removeDispatchRules ?? []).forEach((rule, index) => {
    if (MANDATORY_RULES.has(rule) && base.dispatchRules.includes(rule)) {
      errors.push({
        path: `removeDispatchRules.${index}`,
        message: `"${rule}" enforces recusal or good standing, which the measures require of every dispatch (第八条（四）, 第十六条, 第二十三条); a local set may add rules but not drop it`,
      });
    }
  });
  if (!parsed.success || errors.length > 0) return { ok: false, errors };
  return { ok: true, ruleSet: freezeRuleSet(parsed.data), loosenings };
}

type Age = RuleSet['age'];

/**
 * The age limits of a derived set: the requested ones when they are no looser than the base's
 * (a local set may be stricter for everyone); otherwise the stricter of both for everyone and
 * the requested ones for the own pool (第九条（五）, 第二十六条).
 */
function splitAge(base: Age, requested: unknown): { strict: Age; ownPool?: Age } {
  if (!isPlainObject(requested)) return { strict: base };
  const limit = Number(requested.limit);
  const outstandingLimit = Number(requested.outstandingLimit);
  const everyDay = (age: { checkedThrough?: unknown }) => age.checkedThrough === 'every-task-day';
  const looser =
    limit > base.limit ||
    outstandingLimit > base.outstandingLimit ||
    (everyDay(base) && !everyDay(requested));
  if (!looser) return { strict: requested as Age };
  return {
    strict: {
      limit: Math.min(limit, base.limit),
      outstandingLimit: Math.min(outstandingLimit, base.outstandingLimit),
      ...(everyDay(base) || everyDay(requested)
        ? { checkedThrough: 'every-task-day' as const }
        : {}),
    },
    ownPool: requested as Age,
  };
}

type Bar = Pick<RuleSet, 'disqualificationBarYears' | 'readmissionBar'>;
const CAUSES = ['titleMisuse', 'qualificationFraud'] as const;

/** The longer of two bars in years; null (never again) is the longest. */
function longerBar(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : Math.max(a, b);
}

/** The bar a set puts on each cause, as `readmissionBarOf` reads it. */
function barOf(set: Bar, cause: (typeof CAUSES)[number]): number | null {
  const own = set.readmissionBar?.[cause];
  return own === undefined
    ? set.disqualificationBarYears
    : longerBar(set.disqualificationBarYears, own);
}

/**
 * The re-admission bar of a derived set (第九条（六）, 第十六条（三）, 第二十三条（六））: the requested
 * one when no cause is barred for less than under the base; otherwise the longer of both for
 * everyone (a disqualified provincial expert stays barred as the measures bar them) and the
 * requested one for the own pool (第二十六条).
 */
function splitBar(base: Bar, merged: Record<string, unknown>): { strict?: Bar; ownPool?: Bar } {
  const requested = ruleSetSchema
    .pick({ disqualificationBarYears: true, readmissionBar: true })
    .safeParse({
      disqualificationBarYears: merged.disqualificationBarYears,
      ...(merged.readmissionBar === undefined ? {} : { readmissionBar: merged.readmissionBar }),
    });
  // An invalid bar is refused with its path when the whole set is parsed.
  if (!requested.success) return {};
  const looser = CAUSES.some((cause) => {
    const asked = barOf(requested.data, cause);
    const measures = barOf(base, cause);
    return measures === null ? asked !== null : asked !== null && asked < measures;
  });
  if (!looser) return {};
  return {
    strict: {
      disqualificationBarYears: longerBar(
        base.disqualificationBarYears,
        requested.data.disqualificationBarYears,
      ),
      readmissionBar: {
        titleMisuse: longerBar(barOf(base, 'titleMisuse'), barOf(requested.data, 'titleMisuse')),
        qualificationFraud: longerBar(
          barOf(base, 'qualificationFraud'),
          barOf(requested.data, 'qualificationFraud'),
        ),
      },
    },
    ownPool: {
      disqualificationBarYears: requested.data.disqualificationBarYears,
      ...(requested.data.readmissionBar === undefined
        ? {}
        : { readmissionBar: requested.data.readmissionBar }),
    },
  };
}

function looseningOf(
  what: 'appointment-in-force' | 'age-limit' | 'age' | 'readmission-bar',
): RuleSetLoosening {
  switch (what) {
    case 'readmission-bar':
      return {
        path: 'parameters.readmissionBar',
        article: '第九条（六）',
        appliesTo: 'own-pool',
        message: {
          zh: '缩短的重新聘用限制期仅适用于本级专家库；上级专家适用两者中较严者（第九条（六）、第十六条（三）、第二十六条）',
          en: 'the shorter re-admission bar applies to the own pool only; higher-tier experts get the longer of both',
        },
      };
    case 'appointment-in-force':
      return {
        path: 'removeDispatchRules',
        article: '第十一条',
        appliesTo: 'own-pool',
        message: {
          zh: '不核验聘期仅适用于本级专家库；上级专家仍须在聘期内（第十一条、第二十六条）',
          en: 'dropping the appointment check applies to the own pool only; higher-tier experts must still be in term',
        },
      };
    case 'age-limit':
      return {
        path: 'removeDispatchRules',
        article: '第九条（五）',
        appliesTo: 'own-pool',
        message: {
          zh: '不核验年龄仅适用于本级专家库；上级专家仍适用年龄上限（第九条（五）、第二十六条）',
          en: 'dropping the age limit applies to the own pool only; higher-tier experts keep it',
        },
      };
    case 'age':
      return {
        path: 'parameters.age',
        article: '第九条（五）',
        appliesTo: 'own-pool',
        message: {
          zh: '放宽的年龄上限仅适用于本级专家库；上级专家适用两者中较严者（第九条（五）、第二十六条）',
          en: 'the looser age limits apply to the own pool only; higher-tier experts get the stricter of both',
        },
      };
  }
}

/**
 * Rules no derived set may drop: recusal is enforced by the system, never left to memory
 * (第八条（四）, 第十六条（一）, 第二十三条（三）), and a disqualified, dismissed, withdrawn or
 * suspended expert is never dispatched (第十六条（三）, 第二十三条, 第二十四条, 第十二条).
 */
const MANDATORY_RULES: ReadonlySet<DispatchRuleId> = new Set([
  'good-standing',
  'employer-recusal',
  'declared-conflict-recusal',
]);

function relocate(path: string): string {
  // The own pool's age limits are the ones the overrides asked for.
  if (path.startsWith('ownPoolOnly.age')) return `parameters.${path.slice('ownPoolOnly.'.length)}`;
  const top = path.split('.')[0];
  if (top === 'id' || top === 'version' || top === 'name' || top === 'dispatchRules') return path;
  return path === '' ? 'parameters' : `parameters.${path}`;
}

function toErrors(error: z.ZodError, map: (path: string) => string = (p) => p): RuleSetError[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: map(path === '' ? key : `${path}.${key}`),
        message: `unknown parameter "${key}"`,
      }));
    }
    return [{ path: map(path), message: issue.message }];
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeDeep(
  base: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = merged[key];
    merged[key] =
      isPlainObject(current) && isPlainObject(value) ? mergeDeep(current, value) : value;
  }
  return merged;
}
