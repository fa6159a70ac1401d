import {
  type Appointment,
  ageLimitExceededOn,
  type Expert,
  formatZhDate,
  type IsoDate,
  type RuleSet,
} from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';

/** The day an expert passes their age limit inside a term, as the admitting admin is told it. */
export const ageLimitWithinTermSchema = z
  .object({
    /** The first day over the limit (第九条（五）); not dispatchable from then on. */
    date: z.string(),
    termFrom: z.string(),
    termTo: z.string(),
    article: z.literal('第九条（五）'),
    message: z.object({ zh: z.string(), en: z.string() }),
  })
  .openapi('AgeLimitWithinTerm');

export type AgeLimitWithinTerm = z.infer<typeof ageLimitWithinTermSchema>;

/**
 * When an admission (approval, appointment, renewal) gives the expert a term during which they
 * will pass their age limit (第九条（五）: 65, 70 for 特别优秀者, or a waiver's own limit), the day
 * they pass it — from then on they are not dispatched, though the term runs on. Null when the
 * limit lies after the term (or a stored waiver names none).
 *
 * @example
 * ageLimitWithinTerm(expert, { from: '2026-03-09', to: '2029-03-08', sealed: false }, yunnanGmy2025)?.date; // '2027-03-01'
 */
export function ageLimitWithinTerm(
  expert: Expert,
  term: Pick<Appointment, 'from' | 'to'>,
  ruleSet: RuleSet,
): AgeLimitWithinTerm | null {
  const date: IsoDate | null = ageLimitExceededOn(expert, ruleSet);
  if (date === null || date > term.to) return null;
  const from = date < term.from ? term.from : date;
  return {
    date: from,
    termFrom: term.from,
    termTo: term.to,
    article: '第九条（五）',
    message: {
      zh: `${expert.name}将于${formatZhDate(from)}超过年龄上限（第九条（五）），聘期（${formatZhDate(term.from)}至${formatZhDate(term.to)}）内此后不再选派`,
      en: `${expert.name} passes the age limit (第九条（五）) on ${from}, inside the term ${term.from} to ${term.to}; not dispatched from then on`,
    },
  };
}
