import { z } from 'zod';
import type { Label } from '../vocabulary/define-vocabulary.js';
import { freezeRuleSet } from './freeze-rule-set.js';
import { type DispatchRuleId, dispatchRuleIdSchema } from './rule-ids.js';
import { type RuleSet, ruleSetSchema } from './rule-set.js';

/** The parameters of a rule set: everything but its identity and rule lists. */
type Parameters = Omit<RuleSet, 'id' | 'version' | 'name' | 'basedOn' | 'dispatchRules'>;

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

export type DeriveRuleSetResult =
  | { readonly ok: true; readonly ruleSet: RuleSet }
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
 * removing every rule, removing a recusal or good-standing rule, or reusing the base's id and
 * version are refused as data.
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
  if (overrides.id === base.id && overrides.version === base.version) {
    return {
      ok: false,
      errors: [{ path: 'version', message: 'a derived rule set needs its own id or version' }],
    };
  }
  const removed = new Set(overrides.removeDispatchRules ?? []);
  const dispatchRules = [...base.dispatchRules, ...(overrides.addDispatchRules ?? [])].filter(
    (rule, index, all) => !removed.has(rule) && all.indexOf(rule) === index,
  );
  const { id: _id, version: _version, name: _name, basedOn: _basedOn, ...baseParameters } = base;
  const candidate = {
    ...mergeDeep(baseParameters, overrides.parameters ?? {}),
    id: overrides.id,
    version: overrides.version,
    name: overrides.name ?? base.name,
    basedOn: { id: base.id, version: base.version },
    dispatchRules,
  };
  const parsed = ruleSetSchema.safeParse(candidate);
  const errors = parsed.success ? [] : toErrors(parsed.error, (path) => relocate(path));
  (overrides.removeDispatchRules ?? []).forEach((rule, index) => {
    if (MANDATORY_RULES.has(rule) && base.dispatchRules.includes(rule)) {
      errors.push({
        path: `removeDispatchRules.${index}`,
        message: `"${rule}" enforces recusal or good standing, which the measures require of every dispatch (第八条（四）, 第十六条, 第二十三条); a local set may add rules but not drop it`,
      });
    }
  });
  if (!parsed.success || errors.length > 0) return { ok: false, errors };
  return { ok: true, ruleSet: freezeRuleSet(parsed.data) };
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
