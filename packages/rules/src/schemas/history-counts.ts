import { z } from 'zod';
import { toEpochDay } from '../dates/calendar-date.js';
import { declineReasons, reviewDecisions } from '../vocabulary/invitation-outcome.js';
import { type Busy, busySchema, type History, historySchema } from './history.js';
import { idSchema, isoDateSchema } from './primitives.js';

/** The tag of {@link historyCountsSchema}. */
export const HISTORY_COUNTS_FORM = 'daily-counts@1';

const ratingKinds = ['rating:1', 'rating:2', 'rating:3', 'rating:4', 'rating:5'] as const;
const declinedKinds = ['', ...declineReasons.values].flatMap((reason) =>
  ['', ...reviewDecisions.values].map((review) => `declined:${reason}:${review}` as const),
);

/**
 * What one counter of an expert's day counts (第十五条, 第二十条（二）, 第二十三条（一）), each on
 * the Asia/Shanghai date of the invitation's answer (for an accepted invitation, the earlier of
 * the answer and the attendance record, so an invitation and its attendance are one):
 * - `accepted`, `attended`, `no_show`, `timed_out`: invitations answered so;
 * - `declined:<claimed reason>:<the department's decision>` (either may be empty): declines and
 *   withdrawals, kept with what decides their standing under a rule set (`classifyDecline`),
 *   since which refusals count depends on the rule set the draw applies;
 * - `rating:<1–5>`: the served units' ratings with that score.
 */
export const historyCountKindSchema = z.enum([
  'accepted',
  'attended',
  'no_show',
  'timed_out',
  ...declinedKinds,
  ...ratingKinds,
] as [string, ...string[]]);

export type HistoryCountKind = z.infer<typeof historyCountKindSchema>;

/**
 * A history as per-expert daily counters (issue #17 item 3) instead of one record per answer:
 * what a draw reads when the service keeps the counters up to date on write. Columnar, so that a
 * million experts' year is a few flat arrays: `experts[k]` owns the next `rows[k]` entries of
 * `day` (Shanghai epoch day, `toEpochDay`), `kind` (an index into `kinds`) and `n` (the count,
 * at least 1), days ascending within an expert. `from` is the first date read: the draw's
 * look-back starts there, and nothing before it is counted. Bookings are as in {@link History}.
 *
 * The matcher reads it exactly as the records it counts (see `countHistory` in the matcher):
 * every score component and 第二十三条（一） warning is the same.
 *
 * @example
 * historyCountsSchema.parse({ form: 'daily-counts@1', from: '2023-02-27', kinds: ['accepted'],
 *   experts: ['e-1'], rows: [1], day: [20510], kind: [0], n: [1], busy: [] });
 */
export const historyCountsSchema = z
  .object({
    form: z.literal(HISTORY_COUNTS_FORM),
    from: isoDateSchema,
    kinds: z.array(historyCountKindSchema),
    experts: z.array(idSchema),
    rows: z.array(z.number().int().min(0)),
    day: z.array(z.number().int()),
    kind: z.array(z.number().int().min(0)),
    n: z.array(z.number().int().min(1)),
    busy: z.array(busySchema),
  })
  .superRefine((counts, context) => {
    if (counts.rows.length !== counts.experts.length) {
      context.addIssue({ code: 'custom', message: 'one row count per expert', path: ['rows'] });
    }
    const total = counts.rows.reduce((sum, rows) => sum + rows, 0);
    for (const column of ['day', 'kind', 'n'] as const) {
      if (counts[column].length !== total) {
        context.addIssue({ code: 'custom', message: `${total} entries expected`, path: [column] });
      }
    }
    if (counts.kind.some((kind) => kind >= counts.kinds.length)) {
      context.addIssue({ code: 'custom', message: 'a kind outside `kinds`', path: ['kind'] });
    }
  });

export type HistoryCounts = z.infer<typeof historyCountsSchema>;

/** What a draw reads as its history: the records themselves, or their daily counts. */
export type DrawHistory = History | HistoryCounts;

/**
 * Either form of a draw's history: draws stored before the counters (records) replay from
 * their records, later ones from their counts.
 *
 * @example
 * drawHistorySchema.parse(EMPTY_HISTORY); // the records form
 */
export const drawHistorySchema = z.union([historySchema, historyCountsSchema]);

/**
 * True for the daily-counts form.
 *
 * @example
 * isHistoryCounts(EMPTY_HISTORY); // false
 */
export function isHistoryCounts(history: DrawHistory): history is HistoryCounts {
  return (history as { form?: unknown }).form === HISTORY_COUNTS_FORM;
}

/** One counter of one expert's day, as {@link historyCountsOf} takes it. */
export interface HistoryCountEntry {
  readonly expertId: string;
  /** The Asia/Shanghai date as an epoch day (`toEpochDay`). */
  readonly day: number;
  readonly kind: HistoryCountKind;
  readonly n: number;
}

const KIND_ORDER: ReadonlyMap<string, number> = new Map(
  historyCountKindSchema.options.map((kind, order) => [kind, order]),
);

/**
 * The canonical counts form of some counters: experts by id (code-unit order, as PostgreSQL's
 * "C" collation), days ascending, kinds in the schema's order; counters of the same expert, day
 * and kind summed; zero and negative sums, and days before `from`, left out.
 *
 * @example
 * historyCountsOf('2025-03-01', [{ expertId: 'e-1', day: 20514, kind: 'accepted', n: 1 }], []);
 */
export function historyCountsOf(
  from: string,
  entries: readonly HistoryCountEntry[],
  busy: readonly Busy[],
): HistoryCounts {
  const first = toEpochDay(from);
  const kindOrder = (kind: string) => KIND_ORDER.get(kind) ?? Number.MAX_SAFE_INTEGER;
  const sorted = entries
    .filter((entry) => entry.day >= first)
    .sort(
      (a, b) =>
        (a.expertId < b.expertId ? -1 : a.expertId > b.expertId ? 1 : 0) ||
        a.day - b.day ||
        kindOrder(a.kind) - kindOrder(b.kind),
    );
  const merged: HistoryCountEntry[] = [];
  for (const entry of sorted) {
    const last = merged[merged.length - 1];
    if (
      last !== undefined &&
      last.expertId === entry.expertId &&
      last.day === entry.day &&
      last.kind === entry.kind
    ) {
      merged[merged.length - 1] = { ...last, n: last.n + entry.n };
    } else merged.push(entry);
  }
  const kept = merged.filter((entry) => entry.n > 0);
  const kinds = [...new Set(kept.map((entry) => entry.kind))].sort(
    (a, b) => kindOrder(a) - kindOrder(b),
  );
  const kindIndex = new Map(kinds.map((kind, index) => [kind, index]));
  const experts: string[] = [];
  const rows: number[] = [];
  for (const entry of kept) {
    if (experts[experts.length - 1] !== entry.expertId) {
      experts.push(entry.expertId);
      rows.push(0);
    }
    rows[rows.length - 1] = (rows[rows.length - 1] as number) + 1;
  }
  return {
    form: HISTORY_COUNTS_FORM,
    from,
    kinds,
    experts,
    rows,
    day: kept.map((entry) => entry.day),
    kind: kept.map((entry) => kindIndex.get(entry.kind) as number),
    n: kept.map((entry) => entry.n),
    busy: [...busy],
  };
}
