import { describe, expect, it } from 'vitest';
import { yunnanGmy2025 as ruleSet } from '../rule-set/yunnan-gmy-2025.js';
import type { InvitationRecord } from '../schemas/history.js';
import { findDeclineRuns, findDeclineWarning } from './find-decline-warning.js';

const declined = (date: string, reason?: InvitationRecord['reason']): InvitationRecord => ({
  expertId: 'e-1',
  taskId: `t-${date}`,
  at: `${date}T10:00:00+08:00`,
  outcome: 'declined',
  ...(reason === undefined ? {} : { reason }),
});
const timedOut = (date: string): InvitationRecord => ({
  expertId: 'e-1',
  taskId: `t-${date}`,
  at: `${date}T10:00:00+08:00`,
  outcome: 'timed_out',
});

describe('findDeclineRuns (第二十三条（一）)', () => {
  it.each<[string, InvitationRecord[], number]>([
    [
      'flags two unjustified declines 364 days apart',
      [declined('2026-01-10', 'unjustified'), declined('2027-01-09', 'unjustified')],
      1,
    ],
    [
      'does not flag two declines exactly 365 days apart',
      [declined('2026-01-10', 'unjustified'), declined('2027-01-10', 'unjustified')],
      0,
    ],
    [
      'counts a time-out as an unjustified refusal',
      [timedOut('2026-01-10'), declined('2026-05-01', 'unjustified')],
      1,
    ],
    [
      'counts a decline without a reason as unjustified',
      [declined('2026-01-10'), declined('2026-02-01')],
      1,
    ],
    [
      'does not count justified declines',
      [
        declined('2026-01-10', 'illness'),
        declined('2026-02-01', 'conflict_of_interest'),
        declined('2026-03-01', 'unjustified'),
      ],
      0,
    ],
    ['does not flag a single refusal', [timedOut('2026-01-10')], 0],
  ])('%s', (_name, records, runs) => {
    expect(findDeclineRuns(records, ruleSet)).toHaveLength(runs);
  });

  it('crosses the year boundary by Asia/Shanghai dates, not UTC', () => {
    // 2026-01-09T20:00Z is 2026-01-10 04:00 in Kunming: 365 days before 2027-01-10.
    const records: InvitationRecord[] = [
      { ...declined('2026-01-10', 'unjustified'), at: '2026-01-09T20:00:00Z' },
      declined('2027-01-10', 'unjustified'),
    ];
    expect(findDeclineRuns(records, ruleSet)).toHaveLength(0);
  });

  it('keeps the evidence of each run, oldest first', () => {
    const records = [declined('2026-05-01', 'unjustified'), timedOut('2026-02-01')];
    expect(findDeclineRuns(records, ruleSet)[0]?.evidence.map((r) => r.outcome)).toEqual([
      'timed_out',
      'declined',
    ]);
  });
});

describe('findDeclineWarning', () => {
  const records = [declined('2026-01-10', 'unjustified'), timedOut('2026-03-01')];

  it.each([
    ['is in force right after the second refusal', '2026-03-01T12:00:00+08:00', true],
    ['is still in force 364 days after the last refusal', '2027-02-28T12:00:00+08:00', true],
    ['ends 365 days after the last refusal', '2027-03-01T12:00:00+08:00', false],
    ['ignores refusals after now', '2026-02-01T12:00:00+08:00', false],
  ])('%s', (_name, now, warned) => {
    expect(findDeclineWarning(records, now, ruleSet) !== null).toBe(warned);
  });
});
