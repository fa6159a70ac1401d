import { describe, expect, it } from 'vitest';
import type { RuleSet } from '../rule-set/rule-set.js';
import { yunnanGmy2025 as ruleSet } from '../rule-set/yunnan-gmy-2025.js';
import type { InvitationRecord } from '../schemas/history.js';
import {
  declineWindowLabel,
  declineWindowStart,
  findDeclineRuns,
  findDeclineWarning,
} from './find-decline-warning.js';

const declined = (
  date: string,
  reason?: InvitationRecord['reason'],
  review?: InvitationRecord['review'],
): InvitationRecord => ({
  expertId: 'e-1',
  taskId: `t-${date}`,
  at: `${date}T10:00:00+08:00`,
  outcome: 'declined',
  ...(reason === undefined ? {} : { reason }),
  ...(review === undefined ? {} : { review }),
});
const timedOut = (date: string): InvitationRecord => ({
  expertId: 'e-1',
  taskId: `t-${date}`,
  at: `${date}T10:00:00+08:00`,
  outcome: 'timed_out',
});
const decidedUnjustified = (date: string) => declined(date, 'approved_other', 'unjustified');

/** The provincial set as stored before months, the on-word list and the silence choice. */
const {
  declineReasonsJustifiedOnWord: _onWord,
  countsSilenceAfterDelivery: _silence,
  sealedPanelList: _sealed,
  ...storedBefore
} = ruleSet;
const legacy: RuleSet = { ...storedBefore, declineWarning: { count: 2, windowDays: 365 } };

describe('findDeclineRuns (第二十三条（一）: 1年内2次及以上)', () => {
  it.each<[string, InvitationRecord[], number]>([
    [
      'flags two decided-unjustified declines 12 months apart to the day',
      [decidedUnjustified('2026-03-01'), decidedUnjustified('2027-03-01')],
      1,
    ],
    [
      'does not flag two decided-unjustified declines 12 months and a day apart',
      [decidedUnjustified('2026-02-28'), decidedUnjustified('2027-03-01')],
      0,
    ],
    [
      'flags 2027-03-01 and 2028-02-29: within a year across 29 February',
      [decidedUnjustified('2027-03-01'), decidedUnjustified('2028-02-29')],
      1,
    ],
    [
      'does not flag 2027-02-28 and 2028-02-29: a year from 28 February ends on 28 February',
      [decidedUnjustified('2027-02-28'), decidedUnjustified('2028-02-29')],
      0,
    ],
    [
      'flags 2028-02-29 and 2029-02-28: a year from 29 February ends on 28 February',
      [decidedUnjustified('2028-02-29'), decidedUnjustified('2029-02-28')],
      1,
    ],
    [
      'counts silence after delivery as a refusal',
      [timedOut('2026-01-10'), declined('2026-05-01', 'unjustified')],
      1,
    ],
    [
      'does not count declines awaiting the department’s decision (待认定)',
      [declined('2026-01-10', 'approved_other'), declined('2026-02-01', 'illness')],
      0,
    ],
    [
      'does not count a decline without a reason until the department decides',
      [declined('2026-01-10'), declined('2026-02-01', 'unjustified')],
      0,
    ],
    [
      'does not count declines decided justified or justified on the word',
      [
        declined('2026-01-10', 'illness', 'justified'),
        declined('2026-02-01', 'conflict_of_interest'),
        declined('2026-03-01', 'unjustified'),
      ],
      0,
    ],
    ['does not flag a single refusal', [timedOut('2026-01-10')], 0],
  ])('%s', (_name, records, runs) => {
    expect(findDeclineRuns(records, ruleSet)).toHaveLength(runs);
  });

  it('does not count silence when the rule set chooses not to', () => {
    const records = [timedOut('2026-01-10'), timedOut('2026-02-10')];
    expect(findDeclineRuns(records, ruleSet)).toHaveLength(1);
    expect(findDeclineRuns(records, { ...ruleSet, countsSilenceAfterDelivery: false })).toEqual([]);
  });

  it('crosses the year boundary by Asia/Shanghai dates, not UTC', () => {
    // 2026-03-01T20:00Z is 2026-03-02 04:00 in Kunming: within a year of 2027-03-02.
    const records: InvitationRecord[] = [
      { ...declined('2026-03-02', 'unjustified'), at: '2026-03-01T20:00:00Z' },
      declined('2027-03-02', 'unjustified'),
    ];
    expect(findDeclineRuns(records, ruleSet)).toHaveLength(1);
    expect(
      findDeclineRuns(
        [records[0] as InvitationRecord, declined('2027-03-03', 'unjustified')],
        ruleSet,
      ),
    ).toHaveLength(0);
  });

  it('keeps the evidence of each run, oldest first', () => {
    const records = [declined('2026-05-01', 'unjustified'), timedOut('2026-02-01')];
    expect(findDeclineRuns(records, ruleSet)[0]?.evidence.map((r) => r.outcome)).toEqual([
      'timed_out',
      'declined',
    ]);
  });

  it.each<[string, InvitationRecord[], number]>([
    [
      'counts 364 days apart',
      [declined('2026-01-10', 'unjustified'), declined('2027-01-09', 'unjustified')],
      1,
    ],
    [
      'does not count 365 days apart',
      [declined('2026-01-10', 'unjustified'), declined('2027-01-10', 'unjustified')],
      0,
    ],
    ['counts a decline without a reason', [declined('2026-01-10'), declined('2026-02-01')], 1],
    [
      'takes every claimed reason on the word',
      [declined('2026-01-10', 'approved_other'), declined('2026-02-01', 'illness')],
      0,
    ],
  ])('reads a rule set stored before the change as it did then: %s', (_name, records, runs) => {
    expect(findDeclineRuns(records, legacy)).toHaveLength(runs);
  });
});

describe('declineWindowLabel', () => {
  it.each<[RuleSet['declineWarning'], string, string]>([
    [{ count: 2, windowMonths: 12 }, '1年', '1 year'],
    [{ count: 2, windowMonths: 24 }, '2年', '2 years'],
    [{ count: 2, windowMonths: 18 }, '18个月', '18 months'],
    [{ count: 2, windowDays: 365 }, '365日', '365 days'],
  ])('words %j as %s (第二十三条（一）: 1年内, not 365日)', (declineWarning, zh, en) => {
    expect(declineWindowLabel({ ...ruleSet, declineWarning })).toEqual({ zh, en });
  });
});

describe('declineWindowStart', () => {
  it.each([
    ['2027-03-01', '2026-03-01', '2026-03-02'],
    ['2028-02-29', '2027-03-01', '2027-03-02'],
    ['2027-01-01', '2026-01-01', '2026-01-02'],
  ])('on %s starts %s (months) and %s (365 days, stored sets)', (date, months, days) => {
    expect(declineWindowStart(ruleSet, date)).toBe(months);
    expect(declineWindowStart(legacy, date)).toBe(days);
  });
});

describe('findDeclineWarning', () => {
  const records = [declined('2026-01-10', 'unjustified'), timedOut('2026-03-01')];

  it.each([
    ['is in force right after the second refusal', '2026-03-01T12:00:00+08:00', true],
    [
      'is still in force 12 months to the day after the last refusal',
      '2027-03-01T12:00:00+08:00',
      true,
    ],
    ['ends 12 months and a day after the last refusal', '2027-03-02T12:00:00+08:00', false],
    ['ignores refusals after now', '2026-02-01T12:00:00+08:00', false],
  ])('%s', (_name, now, warned) => {
    expect(findDeclineWarning(records, now, ruleSet) !== null).toBe(warned);
  });
});
