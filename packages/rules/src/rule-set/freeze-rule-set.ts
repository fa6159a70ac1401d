import type { RuleSet } from './rule-set.js';

/**
 * Freezes a rule set and everything in it, so that no caller can change a shared set in place
 * (a draw must be replayable against exactly the parameters it ran with).
 *
 * @example
 * const frozen = freezeRuleSet(ruleSet); // Object.isFrozen(frozen.age) === true
 */
export function freezeRuleSet(ruleSet: RuleSet): RuleSet {
  return deepFreeze(ruleSet);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
