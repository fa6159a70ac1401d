import { yunnanGmy2025 as ruleSet } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import { classifySeat, isInPeriod, type ReportSeat, refusalOf } from './report-records.js';

const at = (iso: string) => new Date(iso);
const seat = (overrides: Partial<ReportSeat>): ReportSeat => ({
  seatId: 1,
  taskId: 't-1',
  taskVisible: true,
  taskIndustries: ['metallurgy'],
  expertId: 'e-1',
  role: 'member',
  state: 'invited',
  declineReason: null,
  invitedAt: at('2026-03-02T09:00:00+08:00'),
  repliedAt: null,
  replyDeadline: at('2026-03-03T09:00:00+08:00'),
  updatedAt: at('2026-03-02T09:00:00+08:00'),
  attendance: null,
  ...overrides,
});
const replied = at('2026-03-02T10:00:00+08:00');

describe('classifySeat (第十五条)', () => {
  it.each<[string, Partial<ReportSeat>, string]>([
    ['counts an acceptance', { state: 'accepted', repliedAt: replied }, 'accepted'],
    [
      'counts a waitlisted acceptance as an acceptance',
      { state: 'waitlisted', repliedAt: replied },
      'accepted',
    ],
    [
      'holds a decline for illness for the department’s decision (待认定, 第二十三条（一）)',
      { state: 'declined', declineReason: 'illness', repliedAt: replied },
      'declined_pending',
    ],
    [
      'counts a decline for illness the department found justified (第七条（六）)',
      {
        state: 'declined',
        declineReason: 'illness',
        repliedAt: replied,
        review: { decision: 'justified', note: '病假条', decidedBy: 'k-1', decidedAt: replied },
      },
      'declined_justified',
    ],
    [
      'counts a self-declared approved reason the department found unjustified',
      {
        state: 'declined',
        declineReason: 'approved_other',
        repliedAt: replied,
        review: { decision: 'unjustified', note: '未经同意', decidedBy: 'k-1', decidedAt: replied },
      },
      'declined_unjustified',
    ],
    [
      'counts a decline for a conflict of interest as justified (第八条（四）)',
      { state: 'declined', declineReason: 'conflict_of_interest', repliedAt: replied },
      'declined_justified',
    ],
    [
      'counts a decline without a valid reason as unjustified (第二十三条（一）)',
      { state: 'declined', declineReason: 'unjustified', repliedAt: replied },
      'declined_unjustified',
    ],
    [
      'holds a decline without any reason for the department’s decision',
      { state: 'declined', repliedAt: replied },
      'declined_pending',
    ],
    ['counts silence after delivery as a time-out', { state: 'timed_out' }, 'timed_out'],
    [
      'keeps an invitation no channel delivered apart (undeliverable)',
      { state: 'undeliverable' },
      'undeliverable',
    ],
    [
      'counts an acceptance taken back apart (第十五条)',
      { state: 'withdrawn', repliedAt: replied },
      'acceptance_withdrawn',
    ],
    ['counts an open invitation as pending', { state: 'invited' }, 'pending'],
    [
      'keeps the acceptance of a seat released by a cancellation',
      { state: 'released', repliedAt: replied },
      'accepted',
    ],
    ['counts a seat released before any answer as withdrawn', { state: 'released' }, 'withdrawn'],
  ])('%s', (_name, overrides, outcome) => {
    expect(classifySeat(seat(overrides), ruleSet)).toBe(outcome);
  });
});

describe('refusalOf (第二十三条（一）)', () => {
  it('dates a decline by its reply', () => {
    expect(refusalOf(seat({ state: 'declined', repliedAt: replied }), ruleSet)).toEqual({
      expertId: 'e-1',
      taskId: 't-1',
      at: replied.toISOString(),
      outcome: 'declined',
    });
  });

  it('dates a time-out by its reply deadline, not by when the sweeper ran', () => {
    const refusal = refusalOf(
      seat({ state: 'timed_out', updatedAt: at('2026-03-04T01:00:00+08:00') }),
      ruleSet,
    );
    expect(refusal?.at).toBe(at('2026-03-03T09:00:00+08:00').toISOString());
  });

  it('records no refusal for an acceptance', () => {
    expect(refusalOf(seat({ state: 'accepted', repliedAt: replied }), ruleSet)).toBeNull();
  });

  it('records no refusal for an undeliverable invitation', () => {
    expect(refusalOf(seat({ state: 'undeliverable' }), ruleSet)).toBeNull();
  });

  it('carries the department’s decision with a decline', () => {
    const review = {
      decision: 'unjustified',
      note: 'n',
      decidedBy: 'k',
      decidedAt: replied,
    } as const;
    const decline = seat({
      state: 'declined',
      declineReason: 'approved_other',
      repliedAt: replied,
      review,
    });
    expect(refusalOf(decline, ruleSet)).toMatchObject({
      reason: 'approved_other',
      review: 'unjustified',
    });
  });
});

describe('isInPeriod', () => {
  it.each<[string, string, boolean]>([
    ['puts 2025-12-31T16:30Z into 2026 (Asia/Shanghai)', '2025-12-31T16:30:00Z', true],
    ['leaves 2025-12-31T15:59Z in 2025', '2025-12-31T15:59:00Z', false],
    ['puts 2026-12-31T15:59Z into 2026', '2026-12-31T15:59:00Z', true],
    ['leaves 2026-12-31T16:00Z for 2027', '2026-12-31T16:00:00Z', false],
  ])('%s', (_name, invitedAt, inside) => {
    expect(isInPeriod({ invitedAt: at(invitedAt) }, { from: '2026-01-01', to: '2026-12-31' })).toBe(
      inside,
    );
  });
});
