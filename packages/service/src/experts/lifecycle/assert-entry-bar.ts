import { type Expert, type RuleSet, toShanghaiDate } from '@expert-dispatch/rules';
import type { Executor } from '../../db/open-database.js';
import { resolveRuleSet } from '../../rule-set/resolve-rule-set.js';
import { ADMITTED_STATES, checkEntryBar, entryBarProblem } from './entry-bar.js';
import { findPriorDisqualification } from './find-prior-disqualification.js';

/**
 * Applies the five-year bar (第十六条（三）, 第九条（六）) to one record written straight into an
 * admitted state (`POST /v1/experts`, a profile change of who the person is), on the owning
 * pool's rule set (第二十六条). Returns the record to store, carrying the person's prior
 * disqualification; a barred record is a 422 `admission_refused`, thrown before anything is
 * written.
 *
 * @example
 * const stored = await assertEntryBar(tx, expert, principal.authorityId, services.ruleSet, now);
 */
export async function assertEntryBar(
  db: Executor,
  expert: Expert,
  ownerAuthorityId: string,
  base: RuleSet,
  now: Date,
): Promise<Expert> {
  if (!ADMITTED_STATES.has(expert.status)) return expert;
  const prior = await findPriorDisqualification(db, expert);
  if (prior === null) return expert;
  const ruleSet = await resolveRuleSet(db, ownerAuthorityId, base);
  const bar = checkEntryBar(expert, prior, toShanghaiDate(now), ruleSet);
  if (!bar.ok) throw entryBarProblem(bar);
  return bar.expert;
}
