import { createHash } from 'node:crypto';
import {
  addDays,
  type DrawHistory,
  type History,
  historyCountsSchema,
  type InvitationRecord,
  type Rating,
  type RuleSet,
  toEpochDay,
  toShanghaiDate,
  yunnanGmy2025,
} from '@expert-dispatch/rules';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex, sha256HexWith } from './canonical-json.js';
import { hasActiveWarning } from './conduct-signals.js';
import { countHistory } from './count-history.js';
import { makeExpert, makeExperts, makeTask, NOW } from './fixtures.test-helpers.js';
import { prepareHistory } from './prepare-history.js';
import { preparePool } from './prepare-pool.js';
import { averageRating, recentAssignments, reliability, standingPoints } from './score-expert.js';
import { scoringContextOf } from './scoring-context.js';
import { selectPanel } from './select-panel.js';

const TODAY = toShanghaiDate(NOW);
// Two records of one person (第二十一条: what one record did counts for the person).
const experts = [
  ...makeExperts(6),
  { ...makeExpert('p-a'), personId: 'person-1' },
  { ...makeExpert('p-b', { tier: 'city', region: '530100' }), personId: 'person-1' },
];
const pool = preparePool(experts);

/** One task's answer by one expert, as a seat leaves it (one answer per expert and task). */
const answer = fc.record({
  expert: fc.constantFrom(...experts.map((expert) => expert.id), 'not-in-pool'),
  daysAgo: fc.integer({ min: -3, max: 4 * 366 }),
  minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
  outcome: fc.constantFrom('accepted', 'declined', 'timed_out'),
  reason: fc.constantFrom(
    undefined,
    'illness',
    'schedule_conflict',
    'conflict_of_interest',
    'approved_other',
    'unjustified',
  ),
  review: fc.constantFrom(undefined, 'justified', 'unjustified'),
  attendance: fc.constantFrom(undefined, 'attended', 'no_show'),
  attendanceAfter: fc.integer({ min: 0, max: 40 }),
  rating: fc.constantFrom(undefined, 1, 2, 3, 4, 5),
});

type Answer = typeof answer extends fc.Arbitrary<infer T> ? T : never;

function historyOf(answers: Answer[]): History {
  const invitations: InvitationRecord[] = [];
  const ratings: Rating[] = [];
  answers.forEach((a, task) => {
    const day = addDays(TODAY, -a.daysAgo);
    // Minutes across the whole day, so the Shanghai date differs from the UTC date at times.
    const at = `${day}T${String(Math.floor(a.minute / 60)).padStart(2, '0')}:${String(a.minute % 60).padStart(2, '0')}:00+08:00`;
    const taskId = `t-${task}`;
    invitations.push({
      expertId: a.expert,
      taskId,
      at,
      outcome: a.outcome,
      ...(a.outcome === 'declined' && a.reason !== undefined ? { reason: a.reason } : {}),
      ...(a.outcome === 'declined' && a.review !== undefined ? { review: a.review } : {}),
    });
    if (a.outcome !== 'accepted' || a.attendance === undefined) return;
    const later = `${addDays(day, a.attendanceAfter)}T18:00:00+08:00`;
    invitations.push({ expertId: a.expert, taskId, at: later, outcome: a.attendance });
    if (a.attendance === 'attended' && a.rating !== undefined)
      ratings.push({ expertId: a.expert, taskId, score: a.rating, at: later });
  });
  return { invitations, ratings, busy: [] };
}

/** Rule sets that read the counters differently (第二十三条（一）, 第十五条, 第二十条（二）). */
const ruleSets: readonly RuleSet[] = [
  yunnanGmy2025,
  { ...yunnanGmy2025, countsSilenceAfterDelivery: false },
  { ...yunnanGmy2025, declineReasonsJustifiedOnWord: undefined },
  { ...yunnanGmy2025, declineReasonsJustifiedOnWord: ['illness', 'schedule_conflict'] },
  { ...yunnanGmy2025, declineWarning: { count: 3, windowMonths: 6 } },
  {
    ...yunnanGmy2025,
    scoring: { ...yunnanGmy2025.scoring, reliabilityLookbackYears: 1, fairShareLookbackDays: 30 },
  },
];

describe('countHistory', () => {
  it('scores every expert and decides every warning as the records do, on any day, under any rule set (第十五条, 第二十条（二）, 第二十三条（一）)', () => {
    fc.assert(
      fc.property(
        fc.array(answer, { maxLength: 60 }),
        fc.integer({ min: -30, max: 400 }),
        fc.constantFrom(...ruleSets),
        (answers, shift, ruleSet) => {
          const history = historyOf(answers);
          const counts = countHistory(history, addDays(TODAY, -5 * 366));
          expect(historyCountsSchema.safeParse(counts).success).toBe(true);
          const fromRecords = prepareHistory(history, pool, ruleSet);
          const fromCounts = prepareHistory(counts, pool, ruleSet);
          const today = addDays(TODAY, -shift);
          const task = makeTask();
          const a = scoringContextOf(pool, fromRecords, ruleSet, task, today);
          const b = scoringContextOf(pool, fromCounts, ruleSet, task, today);
          for (let index = 0; index < pool.size; index++) {
            expect([
              reliability(b, index),
              averageRating(b, index),
              recentAssignments(b, index),
              hasActiveWarning(b, index),
              standingPoints(b, index),
            ]).toEqual([
              reliability(a, index),
              averageRating(a, index),
              recentAssignments(a, index),
              hasActiveWarning(a, index),
              standingPoints(a, index),
            ]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('draws the same panel with the same scores from the counts as from the records', () => {
    const history = historyOf(
      experts.flatMap((expert, k) =>
        Array.from(
          { length: k },
          (_, n): Answer => ({
            expert: expert.id,
            daysAgo: 20 + 45 * n,
            minute: 600,
            outcome: n % 3 === 0 ? 'declined' : 'accepted',
            reason: 'unjustified',
            review: undefined,
            attendance: 'attended',
            attendanceAfter: 2,
            rating: ((k % 5) + 1) as Answer['rating'],
          }),
        ),
      ),
    );
    const draw = (h: DrawHistory) =>
      selectPanel({
        task: makeTask(),
        experts: pool,
        history: h,
        now: NOW,
        seed: 's',
        policy: 'best',
      });
    const fromRecords = draw(history);
    const fromCounts = draw(countHistory(history, addDays(TODAY, -4 * 366)));
    if (!fromRecords.ok || !fromCounts.ok) throw new Error('both draws succeed');
    expect(fromCounts.members).toEqual(fromRecords.members);
    expect(fromCounts.alternates).toEqual(fromRecords.alternates);
    // The input differs in form, so its digest does.
    expect(fromCounts.digest).not.toBe(fromRecords.digest);
  });

  it('digests a history with a native SHA-256 as with the built-in one, chunk boundaries within a character included', () => {
    const history = countHistory(historyOf([]), TODAY);
    const node = () => createHash('sha256');
    expect(prepareHistory(history, pool, yunnanGmy2025, { sha256: node }).digest).toBe(
      prepareHistory(history, pool).digest,
    );
    // 😀 is two UTF-16 code units; one of them sits on the 1 MiB chunk boundary.
    const text = `${'a'.repeat((1 << 20) - 1)}😀${'b'.repeat(1 << 20)}`;
    expect(sha256HexWith(text, node)).toBe(sha256Hex(text));
  });

  it('counts nothing before `from`, and keeps days as Shanghai epoch days', () => {
    const history = historyOf([
      {
        expert: 'e-1',
        daysAgo: 10,
        minute: 30,
        outcome: 'timed_out',
        reason: undefined,
        review: undefined,
        attendance: undefined,
        attendanceAfter: 0,
        rating: undefined,
      },
      {
        expert: 'e-1',
        daysAgo: 500,
        minute: 30,
        outcome: 'timed_out',
        reason: undefined,
        review: undefined,
        attendance: undefined,
        attendanceAfter: 0,
        rating: undefined,
      },
    ]);
    const counts = countHistory(history, addDays(TODAY, -365));
    expect(counts).toMatchObject({
      experts: ['e-1'],
      rows: [1],
      kinds: ['timed_out'],
      day: [toEpochDay(addDays(TODAY, -10))],
      n: [1],
    });
  });
});
