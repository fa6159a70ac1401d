import { type History, type InvitationRecord, yunnanGmy2025 } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import { hasActiveWarning, isProfileStale } from './conduct-signals.js';
import { makeExpert, makeTask } from './fixtures.test-helpers.js';
import { prepareHistory } from './prepare-history.js';
import { preparePool } from './prepare-pool.js';
import {
  averageRating,
  breakdownOf,
  directIndustryShare,
  fairShare,
  recentAssignments,
  reliability,
  specialtyFit,
  totalScore,
} from './score-expert.js';
import { scoringContextOf } from './scoring-context.js';

const TODAY = '2026-03-01';

function contextFor(
  expert: Parameters<typeof makeExpert>[1],
  history: Partial<History> = {},
  task = makeTask({ industries: ['metallurgy', 'nonferrous'], specialties: ['gas', 'fire'] }),
) {
  const pool = preparePool([makeExpert('a', expert)]);
  const prepared = prepareHistory({ invitations: [], ratings: [], busy: [], ...history }, pool);
  return scoringContextOf(pool, prepared, yunnanGmy2025, task, TODAY);
}

const invitation = (
  at: string,
  outcome: InvitationRecord['outcome'],
  extra: Partial<InvitationRecord> = {},
): InvitationRecord => ({ expertId: 'a', taskId: `t-${at}-${outcome}`, at, outcome, ...extra });

describe('scoring components', () => {
  it('scores specialty fit as the share of the task’s specialties held (第十四条)', () => {
    expect(specialtyFit(contextFor({ specialties: ['gas'] }), 0)).toBe(0.5);
    expect(specialtyFit(contextFor({ specialties: ['fire', 'gas', 'fire'] }), 0)).toBe(1);
    const noSpecialties = makeTask({ specialties: [] });
    expect(specialtyFit(contextFor({ specialties: [] }, {}, noSpecialties), 0)).toBe(1);
  });

  it('ranks a direct industry match above serving through the comprehensive group (第十四条)', () => {
    expect(directIndustryShare(contextFor({ industries: ['metallurgy', 'nonferrous'] }), 0)).toBe(
      1,
    );
    expect(directIndustryShare(contextFor({ group: 'comprehensive', industries: [] }), 0)).toBe(0);
  });

  it('gives a newcomer the prior reliability rate (第十五条)', () => {
    expect(reliability(contextFor({}), 0)).toBe(yunnanGmy2025.scoring.reliabilityPrior.rate);
  });

  it('smooths acceptance and attendance over the last three years only (第十五条)', () => {
    const invitations = [
      invitation('2025-06-01T09:00:00+08:00', 'accepted'),
      invitation('2025-06-01T09:00:00+08:00', 'no_show', {
        taskId: 't-2025-06-01T09:00:00+08:00-accepted',
      }),
      invitation('2025-07-01T09:00:00+08:00', 'timed_out'),
      invitation('2025-08-01T09:00:00+08:00', 'declined', { reason: 'illness' }),
      invitation('2022-06-01T09:00:00+08:00', 'timed_out'),
    ];
    const { rate, weight } = yunnanGmy2025.scoring.reliabilityPrior;
    // good: 1 acceptance; bad: 1 no-show + 1 time-out; the justified decline and the old
    // time-out count for nothing.
    expect(reliability(contextFor({}, { invitations }), 0)).toBeCloseTo(
      (1 + rate * weight) / (3 + weight),
    );
  });

  it('smooths the average rating toward the prior mean (第二十条（二）)', () => {
    const ratings = [5, 5, 5].map((score, n) => ({
      expertId: 'a',
      taskId: `r${n}`,
      score,
      at: '2025-12-01T10:00:00+08:00',
    }));
    const { mean, weight } = yunnanGmy2025.scoring.qualityPrior;
    expect(averageRating(contextFor({}, { ratings }), 0)).toBeCloseTo(
      (15 + mean * weight) / (3 + weight),
    );
    expect(averageRating(contextFor({}), 0)).toBe(mean);
  });

  it('counts accepted invitations within the fair-share lookback, each task once', () => {
    const invitations = [
      invitation('2026-01-01T09:00:00+08:00', 'accepted', { taskId: 'x' }),
      invitation('2026-01-04T09:00:00+08:00', 'attended', { taskId: 'x' }),
      invitation('2025-03-02T09:00:00+08:00', 'accepted', { taskId: 'y' }),
      invitation('2025-03-01T09:00:00+08:00', 'accepted', { taskId: 'z' }),
      invitation('2026-02-01T09:00:00+08:00', 'declined', { taskId: 'w', reason: 'illness' }),
    ];
    const context = contextFor({}, { invitations });
    expect(recentAssignments(context, 0)).toBe(2);
    expect(fairShare(context, 0)).toBeCloseTo(1 / 3);
  });

  it.each([
    ['2025-03-01T10:00:00+08:00', false],
    ['2025-02-28T23:59:00+08:00', true],
  ])('flags a profile last updated %s as stale: %s (第八条（一）)', (profileUpdatedAt, stale) => {
    expect(isProfileStale(contextFor({ profileUpdatedAt }), 0)).toBe(stale);
  });

  it.each([
    ['two refusals 12 months apart to the day (1年内)', ['2025-01-01', '2026-01-01'], true],
    ['two refusals 12 months and a day apart', ['2024-12-31', '2026-01-01'], false],
    ['two refusals, the latest over a year ago', ['2024-12-01', '2025-02-28'], false],
    ['two refusals, the latest 12 months ago to the day', ['2024-12-01', '2025-03-01'], true],
  ])('reads %s as an active warning: %s (第二十三条（一）)', (_, days, active) => {
    const invitations = days.map((day, n) =>
      n === 0
        ? invitation(`${day}T10:00:00+08:00`, 'declined', { reason: 'unjustified' })
        : invitation(`${day}T10:00:00+08:00`, 'timed_out'),
    );
    expect(hasActiveWarning(contextFor({}, { invitations }), 0)).toBe(active);
  });

  it('does not count justified declines toward a warning (第七条（六）)', () => {
    const invitations = ['2026-01-01', '2026-02-01', '2026-02-02'].map((day) =>
      invitation(`${day}T10:00:00+08:00`, 'declined', { reason: 'schedule_conflict' }),
    );
    expect(hasActiveWarning(contextFor({}, { invitations }), 0)).toBe(false);
  });

  it('reads a recorded warning within the window as active (第二十三条)', () => {
    const warnings = [{ on: '2025-06-01', article: '第二十三条（一）', reason: '拒绝两次' }];
    expect(hasActiveWarning(contextFor({ warnings }), 0)).toBe(true);
    const old = [{ on: '2025-02-28', article: '第二十三条（一）', reason: '拒绝两次' }];
    expect(hasActiveWarning(contextFor({ warnings: old }), 0)).toBe(false);
  });

  it('lists every component with its article; the points add up to the score', () => {
    const context = contextFor({
      profileUpdatedAt: '2024-01-01T10:00:00+08:00',
      specialties: ['gas'],
    });
    const breakdown = breakdownOf(context, 0);
    expect(breakdown.map((c) => [c.component, c.article])).toEqual([
      ['specialty', '第十四条'],
      ['directIndustry', '第十四条'],
      ['reliability', '第十五条'],
      ['quality', '第二十条（二）'],
      ['fairShare', null],
      ['staleProfile', '第八条（一）'],
      ['warning', '第二十三条（一）'],
    ]);
    expect(breakdown.find((c) => c.component === 'staleProfile')?.points).toBe(-0.5);
    const sum = breakdown.reduce((total, c) => total + c.points, 0);
    expect(totalScore(context, 0)).toBeCloseTo(sum, 10);
  });
});
