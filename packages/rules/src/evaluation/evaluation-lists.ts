import type { RuleSet } from '../rule-set/rule-set.js';
import type { Title } from '../vocabulary/title.js';
import { yearlyEvaluationPolicy } from './evaluate-expert-year.js';
import type { EvaluationGrade } from './yearly-evaluation-policy.js';

/**
 * 第二十条（一）: experts whose work was excellent (工作优秀) are reported to their employer and
 * commended — the final grade (after any adjustment) 优秀.
 *
 * @example
 * isCommendable('excellent'); // true
 */
export function isCommendable(grade: EvaluationGrade): boolean {
  return grade === 'excellent';
}

/**
 * 第二十条（三）: experts with good results and good ratings (业绩好、评价好) who hold a 正高级
 * title may be recommended for the 职称评审 expert reserve. The title is the article's; which
 * grades are good results and which mean rating is a good rating is local policy
 * (`yearlyEvaluation.titleReviewReserve`). Without any rating there is no good rating.
 *
 * @example
 * isTitleReviewCandidate({ grade: 'excellent', title: 'senior_full', averageRating: 4.5 }, yunnanGmy2025); // true
 */
export function isTitleReviewCandidate(
  result: {
    readonly grade: EvaluationGrade;
    readonly title: Title;
    readonly averageRating: number | null;
  },
  ruleSet: RuleSet,
): boolean {
  const reserve = yearlyEvaluationPolicy(ruleSet).titleReviewReserve;
  return (
    result.title === 'senior_full' &&
    reserve.grades.includes(result.grade) &&
    result.averageRating !== null &&
    result.averageRating >= reserve.minAverageRating
  );
}
