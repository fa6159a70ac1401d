import { addYears, type IsoDate } from '../dates/calendar-date.js';
import type { RuleSet } from '../rule-set/rule-set.js';
import type { DisqualificationArticle, Expert } from '../schemas/expert.js';

/** How long a disqualification bars the person, and the article that reading applies. */
export interface ReadmissionBar {
  /** The article the disqualification was made under. */
  readonly cause: DisqualificationArticle;
  /** Years barred, or null: never again. */
  readonly years: number | null;
  /** 第十六条（三） for a bar of years, 第九条（六） for never. */
  readonly article: '第十六条（三）' | '第九条（六）';
  /** The first day the person may be appointed again; null for never. */
  readonly endsOn: IsoDate | null;
}

/**
 * The re-admission bar that a disqualification puts on the person under the rule set's reading
 * (`readmissionBar`, see regulation.md “Two articles that pull apart”): misuse of the title
 * (第十六条（三）) and dismissal for fraud in obtaining the qualification (第二十三条（六）) each
 * bar for the set's years (citing 第十六条（三）) or for good (citing 第九条（六）). A rule set
 * stored before the parameter existed applies `disqualificationBarYears` to every cause; one
 * with both applies the stricter of the two (so a derived set that sets
 * `disqualificationBarYears: null` bars every cause for good).
 *
 * @example
 * readmissionBarOf({ disqualifiedOn: '2026-03-01', disqualifiedUnder: '第二十三条（六）' }, yunnanGmy2025);
 * // { cause: '第二十三条（六）', years: null, article: '第九条（六）', endsOn: null }
 */
export function readmissionBarOf(
  expert: Pick<Expert, 'disqualifiedUnder'> & { readonly disqualifiedOn: IsoDate },
  ruleSet: Pick<RuleSet, 'disqualificationBarYears' | 'readmissionBar'>,
): ReadmissionBar {
  const cause = expert.disqualifiedUnder ?? '第十六条（三）';
  const bar = ruleSet.readmissionBar;
  const own =
    bar === undefined
      ? undefined
      : cause === '第二十三条（六）'
        ? bar.qualificationFraud
        : bar.titleMisuse;
  const years = stricterBar(ruleSet.disqualificationBarYears, own);
  return years === null
    ? { cause, years, article: '第九条（六）', endsOn: null }
    : { cause, years, article: '第十六条（三）', endsOn: addYears(expert.disqualifiedOn, years) };
}

/** The longer of two bars; null (never again) is the longest. */
function stricterBar(general: number | null, own: number | null | undefined): number | null {
  if (own === undefined) return general;
  if (general === null || own === null) return null;
  return Math.max(general, own);
}
