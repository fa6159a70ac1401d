import {
  addDays,
  type DeclineReason,
  type Expert,
  type History,
  type InvitationRecord,
  type Rating,
  toShanghaiDate,
} from '@expert-dispatch/rules';
import { syntheticRandom } from './synthetic-random.js';

/** What {@link generateHistory} builds. */
export interface GenerateHistoryOptions {
  readonly experts: readonly Expert[];
  readonly seed: string;
  readonly now: string | Date;
  /** Average invitations per expert over the span. */
  readonly invitationsPerExpert?: number;
  /** How many days back the invitations lie (default three years). */
  readonly days?: number;
}

/**
 * A seeded synthetic history for a pool: invitations over the last three years (most accepted
 * and attended, some declined with or without a valid reason, some timed out, a few no-shows),
 * a 1–5 rating for most attendances, and bookings for about 1% of experts in the coming weeks.
 *
 * @example
 * const history = generateHistory({ experts, seed: 'demo', now: '2026-03-01T09:00:00+08:00' });
 */
export function generateHistory(options: GenerateHistoryOptions): History {
  const random = syntheticRandom(`history:${options.seed}`);
  const today = toShanghaiDate(options.now);
  const perExpert = options.invitationsPerExpert ?? 3;
  const invitations: InvitationRecord[] = [];
  const ratings: Rating[] = [];
  const busy: History['busy'] = [];
  let task = 0;
  for (const expert of options.experts) {
    const count = random.int(0, perExpert * 2);
    for (let n = 0; n < count; n++) {
      const day = addDays(today, -random.int(1, options.days ?? 3 * 365));
      const at = `${day}T09:${String(random.int(10, 59))}:00+08:00`;
      const taskId = `hist-${++task}`;
      const reply = random.weighted([
        ['accepted', 80],
        ['declined', 12],
        ['timed_out', 8],
      ] as const);
      if (reply === 'declined') {
        const reason: DeclineReason = random.weighted([
          ['illness', 3],
          ['schedule_conflict', 4],
          ['conflict_of_interest', 1],
          ['unjustified', 2],
        ] as const);
        invitations.push({ expertId: expert.id, taskId, at, outcome: 'declined', reason });
        continue;
      }
      invitations.push({ expertId: expert.id, taskId, at, outcome: reply });
      if (reply !== 'accepted') continue;
      const later = `${addDays(day, 3)}T18:00:00+08:00`;
      const attended = random.chance(0.95);
      invitations.push({
        expertId: expert.id,
        taskId,
        at: later,
        outcome: attended ? 'attended' : 'no_show',
      });
      if (attended && random.chance(0.7)) {
        ratings.push({ expertId: expert.id, taskId, score: random.int(2, 5), at: later });
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
  return { invitations, ratings, busy };
}
