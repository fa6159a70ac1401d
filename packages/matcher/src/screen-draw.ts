import { isHigherTier, ownPoolRuleSet } from '@expert-dispatch/rules';
import { ownPoolTest } from './choose-shadows.js';
import { REASON_BIT } from './exclusion-reasons.js';
import { keepOneRecordPerPerson } from './one-seat-per-person.js';
import type { ResolvedDraw } from './resolve-draw.js';
import { screenPool } from './screen-pool.js';

/**
 * The screening of one draw, in the order its reasons are decided: the rule set's dispatch
 * rules, then the caller's exclusions, then one record per person (which reads the other two:
 * a person is represented by a fixed or excluded record before an eligible one).
 *
 * @example
 * const { masks, leftOut } = screenDraw(resolveDraw(input));
 * masks[i] === 0; // record i may be drawn; leftOut.get(j) is the record kept for j's person
 */
export function screenDraw(draw: ResolvedDraw): {
  masks: Uint16Array;
  /** Records left out as the same person, with the pool index of the record kept. */
  leftOut: Map<number, number>;
} {
  const { pool } = draw;
  const masks = screenPool(pool, draw.history, draw.task, draw.ruleSet);
  if (draw.ruleSet.ownPoolOnly !== undefined) {
    // 第二十六条: the set's rules as written hold for higher-tier experts; its loosenings hold
    // for the requesting authority's own pool (its tier and below).
    const own = screenPool(pool, draw.history, draw.task, ownPoolRuleSet(draw.ruleSet));
    const requester = draw.task.requestedBy.tier;
    // A widened draw (异地抽取) also reads other pools of the requester's tier: the loosenings
    // stay with the requester's own area. Draws that did not widen never read such pools, so
    // they replay as they were drawn.
    const inOwnArea =
      draw.task.widen === undefined ? null : ownPoolTest(pool, draw.task.requestedBy);
    for (let i = 0; i < pool.size; i++) {
      if (
        !isHigherTier(pool.experts[i]?.tier ?? 'province', requester) &&
        (inOwnArea === null || inOwnArea(i))
      ) {
        masks[i] = own[i] as number;
      }
    }
  }
  const callerBit = REASON_BIT['excluded-by-caller'];
  for (const id of draw.exclude) {
    const index = pool.indexOf.get(id);
    if (index !== undefined) masks[index] = (masks[index] as number) | callerBit;
  }
  return { masks, leftOut: keepOneRecordPerPerson(draw, masks) };
}
