import {
  checkDisqualificationBar,
  type Expert,
  type ExpertState,
  type IsoDate,
  type RuleOutcome,
  type RuleSet,
} from '@expert-dispatch/rules';
import { type FieldError, ProblemError } from '../../errors.js';
import type { PriorDisqualification } from './find-prior-disqualification.js';

/**
 * The states a record reaches only past a check of the five-year bar (recommend, approve,
 * renew): a record written straight into one of them skips that check, so it gets it on entry.
 * `suspended` is here because reinstating (第十二条) checks nothing; `applied` and `expired` are
 * not, because recommending and renewing them still apply the bar.
 */
export const ADMITTED_STATES: ReadonlySet<ExpertState> = new Set<ExpertState>([
  'recommended',
  'under_review',
  'public_notice',
  'active',
  'suspended',
]);

export type EntryBarResult =
  | { readonly ok: true; readonly expert: Expert }
  | { readonly ok: false; readonly outcome: RuleOutcome; readonly prior: PriorDisqualification };

/**
 * The five-year bar (第十六条（三）: 取消省级工贸专家资格，五年内不再聘用; 第九条（六）) for a
 * record created or changed directly into an admitted state, given the person's latest
 * disqualification under another record. The bar must have run both today (entering the pool)
 * and at the start of the record's appointment (an appointment made inside the bar is void).
 * An admitted record carries the prior disqualification date, as a recommended one does, so
 * that dispatch applies the same bar. Records in other states pass unchanged.
 *
 * @example
 * checkEntryBar(active, { expertId: 'r-old', ownerAuthorityId: 'yn-yjt', disqualifiedOn: '2021-03-02' }, '2026-03-01', yunnanGmy2025).ok; // false
 */
export function checkEntryBar(
  expert: Expert,
  prior: PriorDisqualification | null,
  today: IsoDate,
  ruleSet: RuleSet,
): EntryBarResult {
  if (prior === null || !ADMITTED_STATES.has(expert.status)) return { ok: true, expert };
  const own = expert.disqualifiedOn;
  // The record's own, later disqualification is its history; good standing bars it at dispatch.
  if (own !== undefined && own >= prior.disqualifiedOn) return { ok: true, expert };
  const carried: Expert = {
    ...expert,
    disqualifiedOn: prior.disqualifiedOn,
    disqualifiedUnder: prior.under,
  };
  const dates = [today, ...(expert.appointment ? [expert.appointment.from] : [])];
  for (const date of dates) {
    const outcome = checkDisqualificationBar(carried, date, ruleSet);
    if (!outcome.ok) return { ok: false, outcome, prior };
  }
  return { ok: true, expert: carried };
}

/**
 * The refusal of a barred entry as one field error on `status`, naming the article and the
 * date (an import reports it per row). The other record is not named: it may be another pool's.
 *
 * @example
 * entryBarFieldError(refused).message; // '第十六条（三）：2021-03-02 被取消专家资格，5 年内…'
 */
export function entryBarFieldError(
  refused: Extract<EntryBarResult, { ok: false }>,
  path = 'status',
): FieldError {
  const { outcome } = refused;
  return {
    path,
    message: `${outcome.article}：${outcome.message.zh}; ${outcome.message.en} (the same person under another record)`,
  };
}

/**
 * The refusal of a barred entry as a 422 `admission_refused` problem, with the rule outcome in
 * `reasons` like the lifecycle actions and the field error on `status`.
 *
 * @example
 * throw entryBarProblem(refused);
 */
export function entryBarProblem(refused: Extract<EntryBarResult, { ok: false }>): ProblemError {
  const { outcome } = refused;
  return new ProblemError(
    'admission_refused',
    {
      zh: `${outcome.article}：同一人员${outcome.message.zh}，不能以此状态入库`,
      en: `${outcome.article}: the same person was ${outcome.message.en}; the record cannot enter the pool in this state`,
    },
    {
      errors: [entryBarFieldError(refused)],
      extensions: { reasons: [outcome], outcomes: [outcome] },
    },
  );
}

/**
 * True when a change makes the record someone else: a new name, birth date or ID number. Only
 * then can a profile change bring a barred person into an admitted record.
 *
 * @example
 * changesPerson(before, { ...before, idNumber: '530102197005201234' }); // true
 */
export function changesPerson(before: Expert, after: Expert): boolean {
  return (
    before.name !== after.name ||
    before.birthDate !== after.birthDate ||
    before.idNumber !== after.idNumber
  );
}
