import { tiers } from '@expert-dispatch/rules';
import { ownPoolTest } from './choose-shadows.js';
import { REASON_BIT } from './exclusion-reasons.js';
import type { ResolvedDraw } from './resolve-draw.js';

const PROVINCE = tiers.values.indexOf('province');

/**
 * One seat per person: of the records of a person who holds several in the pool (a shared
 * `personId`), one stands for the person in this draw and every other record that passed the
 * dispatch rules is left out with the `same-person` reason. Since members, leader, alternates
 * and shadows are all drawn from the eligible, no draw can seat a person twice. Sets the bit in
 * `masks` (after screening and the caller's exclusions) and returns, for each record left out,
 * the pool index of the record kept.
 *
 * The record kept, in order:
 * 1. the record the caller fixed or named leader — the caller's choice stands;
 * 2. a record the caller excluded (e.g. the person just declined under it): the person is
 *    out, and their other record must not bring them back;
 * 3. of the records that passed the dispatch rules, the one in the requesting authority's own
 *    pool, else the provincial record, else the smallest id (code-unit order). This choice
 *    never looks at the score: a person holding two records gets one ticket, never the better
 *    of two (the history of all their records counts for each record anyway, see
 *    `prepareHistory`). The requester's own record keeps the person eligible to shadow
 *    (跟班学习 is drawn from the requester's own pool only, 第二十一条（三）), and the invitation,
 *    reply and rating land on the record of the authority that dispatches the work and keeps
 *    the attendance record (第十五条). The pool order is not used, so the choice does not
 *    depend on how the caller sorted the pool.
 *
 * A person none of whose records passed is left as screened: each record carries its own
 * reasons.
 *
 * @example
 * const kept = keepOneRecordPerPerson(draw, masks); // Map { 7 => 2 }: record 7 left out, 2 kept
 */
export function keepOneRecordPerPerson(
  draw: ResolvedDraw,
  masks: Uint16Array,
): Map<number, number> {
  const leftOut = new Map<number, number>();
  const { pool, task } = draw;
  if (pool.personRecords.size === 0) return leftOut;
  const bit = REASON_BIT['same-person'];
  const callerBit = REASON_BIT['excluded-by-caller'];
  const chosen = [...(task.leaderId !== undefined ? [task.leaderId] : []), ...draw.fixed]
    .map((id) => pool.indexOf.get(id))
    .filter((index) => index !== undefined);
  const own = ownPoolTest(pool, task.requestedBy);
  const rank = (index: number) => (own(index) ? 0 : pool.tier[index] === PROVINCE ? 1 : 2);
  const before = (a: number, b: number) => {
    const byPool = rank(a) - rank(b);
    if (byPool !== 0) return byPool < 0;
    return (pool.ids[a] as string) < (pool.ids[b] as string);
  };
  const done = new Set<readonly number[]>();
  for (const records of pool.personRecords.values()) {
    if (done.has(records)) continue;
    done.add(records);
    let kept = chosen.find((index) => records.includes(index));
    kept ??= records.find((index) => ((masks[index] as number) & callerBit) !== 0);
    if (kept === undefined) {
      for (const index of records) {
        if (masks[index] === 0 && (kept === undefined || before(index, kept))) kept = index;
      }
    }
    if (kept === undefined) continue;
    for (const index of records) {
      if (index !== kept && masks[index] === 0) {
        masks[index] = bit;
        leftOut.set(index, kept);
      }
    }
  }
  return leftOut;
}
