import { declineWindowStart, type IsoDate, type RuleSet } from '@expert-dispatch/rules';
import type { Executor } from '../db/open-database.js';
import type { Principal } from '../http/app-env.js';
import { resolveRuleSet } from '../rule-set/resolve-rule-set.js';
import { buildActionLists } from './action-lists.js';
import { loadReportRecords } from './load-report-records.js';
import type { ActionLists, ReportPeriod } from './report-schemas.js';

/** The lists of one pool on one day, and the rule set and period they were computed with. */
export interface ListsOn {
  readonly ruleSet: RuleSet;
  readonly period: ReportPeriod;
  readonly lists: ActionLists;
}

/**
 * The period the lists on `on` read: the 第二十三条（一） window ending on `on` (“1年内”, back to
 * the same calendar date) — also the window of the never-invited list.
 *
 * @example
 * listsPeriod('2026-12-01', yunnanGmy2025); // { from: '2025-12-01', to: '2026-12-01' }
 */
export function listsPeriod(on: IsoDate, ruleSet: RuleSet): ReportPeriod {
  return { from: declineWindowStart(ruleSet, on), to: on };
}

/**
 * The lists the department acts on (`buildActionLists`) for the caller's pool on `on`, on the
 * caller's own rule set: the set derived for a city or county pool (第二十六条 — its own age
 * limit, refusal threshold, notice days), the provincial `base` when it has none. One place for
 * `GET /v1/reports/lists` and the monthly digest, so that both give the same lists on a day.
 * With `now`, the serving seats of panels still sealed for the caller are left out
 * (`loadReportRecords`).
 *
 * @example
 * const { lists, ruleSet } = await loadListsOn(db, principal, '2026-12-01', services.ruleSet);
 */
export async function loadListsOn(
  db: Executor,
  principal: Principal,
  on: IsoDate,
  base: RuleSet,
  now?: Date,
): Promise<ListsOn> {
  const ruleSet = await resolveRuleSet(db, principal.authorityId, base);
  const period = listsPeriod(on, ruleSet);
  // Given the moment, panels still sealed for the caller stay out (第八条（五）（七）).
  const records = await loadReportRecords(
    db,
    principal,
    period,
    now === undefined ? undefined : { base, now },
  );
  return { ruleSet, period, lists: buildActionLists(records, period, ruleSet) };
}
