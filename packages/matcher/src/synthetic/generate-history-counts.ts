import {
  addDays,
  fromEpochDay,
  HISTORY_COUNTS_FORM,
  type HistoryCounts,
  historyCountKindSchema,
  toEpochDay,
  toShanghaiDate,
} from '@expert-dispatch/rules';
import type { GenerateHistoryOptions } from './generate-history.js';
import { syntheticRandom } from './synthetic-random.js';

const KINDS = historyCountKindSchema.options;
const kindOf = (kind: string) => KINDS.indexOf(kind);
const ACCEPTED = kindOf('accepted');
const ATTENDED = kindOf('attended');
const NO_SHOW = kindOf('no_show');
const TIMED_OUT = kindOf('timed_out');

/**
 * The daily counts of {@link generateHistory}'s history for the same options, made without the
 * records (the same seeded choices, counted as the service's counters count them): a
 * million experts' history in flat arrays. `countHistory(generateHistory(o), from)` equals it
 * for a pool in id order.
 *
 * @example
 * const counts = generateHistoryCounts({ experts, seed: 'bench', now, days: 365 });
 */
export function generateHistoryCounts(options: GenerateHistoryOptions): HistoryCounts {
  const random = syntheticRandom(`history:${options.seed}`);
  const today = toShanghaiDate(options.now);
  const todayDay = toEpochDay(today);
  const perExpert = options.invitationsPerExpert ?? 3;
  const span = options.days ?? 3 * 365;
  const experts: string[] = [];
  const rows: number[] = [];
  const day: number[] = [];
  const kind: number[] = [];
  const n: number[] = [];
  const busy: HistoryCounts['busy'][number][] = [];
  let task = 0;
  // One expert's counters as day × kinds.length + kind, summed; sorted before they are written.
  const mine = new Map<number, number>();
  const count = (at: number, what: number) => {
    const key = at * KINDS.length + what;
    mine.set(key, (mine.get(key) ?? 0) + 1);
  };
  for (const expert of options.experts) {
    mine.clear();
    const invitations = random.int(0, perExpert * 2);
    for (let k = 0; k < invitations; k++) {
      const answered = todayDay - random.int(1, span);
      random.int(10, 59); // the minute of the answer, as generateHistory draws it
      task++;
      const reply = random.weighted([
        ['accepted', 80],
        ['declined', 12],
        ['timed_out', 8],
      ] as const);
      if (reply === 'declined') {
        const reason = random.weighted([
          ['illness', 3],
          ['schedule_conflict', 4],
          ['conflict_of_interest', 1],
          ['unjustified', 2],
        ] as const);
        count(answered, kindOf(`declined:${reason}:`));
        continue;
      }
      if (reply === 'timed_out') {
        count(answered, TIMED_OUT);
        continue;
      }
      count(answered, ACCEPTED);
      const attended = random.chance(0.95);
      count(answered, attended ? ATTENDED : NO_SHOW);
      if (attended && random.chance(0.7)) count(answered + 3, kindOf(`rating:${random.int(2, 5)}`));
    }
    if (mine.size > 0) {
      experts.push(expert.id);
      rows.push(mine.size);
      for (const key of [...mine.keys()].sort((a, b) => a - b)) {
        day.push(Math.floor(key / KINDS.length));
        kind.push(key % KINDS.length);
        n.push(mine.get(key) as number);
      }
    }
    if (random.chance(0.01)) {
      const from = addDays(today, random.int(0, 21));
      busy.push({
        expertId: expert.id,
        taskId: `busy-${++task}`,
        from: `${from}T08:00:00+08:00`,
        to: `${addDays(from, random.int(1, 4))}T18:00:00+08:00`,
      });
    }
  }
  // Only the kinds that occur, in the schema's order, as `historyCountsOf` lists them.
  const used = [...new Set(kind)].sort((a, b) => a - b);
  const renumber = new Map(used.map((old, index) => [old, index]));
  for (let k = 0; k < kind.length; k++) kind[k] = renumber.get(kind[k] as number) as number;
  return {
    form: HISTORY_COUNTS_FORM,
    from: fromEpochDay(todayDay - span),
    kinds: used.map((index) => KINDS[index] as string),
    experts,
    rows,
    day,
    kind,
    n,
    busy,
  };
}
