import { yunnanGmy2025 } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import type { ReportSeat } from '../reports/report-records.js';
import { refusalsByMonth } from './desk-reports-refusals.js';

function seat(overrides: Partial<ReportSeat>): ReportSeat {
  return {
    seatId: 1,
    taskId: 't-1',
    taskVisible: true,
    taskIndustries: ['metallurgy'],
    expertId: 'e-1',
    role: 'member',
    state: 'declined',
    declineReason: 'unjustified',
    invitedAt: new Date('2026-02-10T02:00:00Z'),
    repliedAt: new Date('2026-02-10T03:00:00Z'),
    replyDeadline: new Date('2026-02-11T02:00:00Z'),
    updatedAt: new Date('2026-02-10T03:00:00Z'),
    attendance: null,
    ...overrides,
  };
}

const PERIOD = { from: '2026-01-01', to: '2026-04-15' };

describe('refusalsByMonth (第二十三条（一）)', () => {
  it.each<[string, ReportSeat[], [string, number, number][]]>([
    [
      'lists every month of the period, empty ones with zeros',
      [],
      [
        ['2026-01', 0, 0],
        ['2026-02', 0, 0],
        ['2026-03', 0, 0],
        ['2026-04', 0, 0],
      ],
    ],
    [
      'counts a decline in the month of its reply and a time-out in the month of its deadline',
      [
        seat({}),
        seat({
          seatId: 2,
          state: 'timed_out',
          declineReason: null,
          repliedAt: null,
          invitedAt: new Date('2026-03-31T10:00:00Z'),
          replyDeadline: new Date('2026-04-01T02:00:00Z'),
        }),
      ],
      [
        ['2026-01', 0, 0],
        ['2026-02', 1, 0],
        ['2026-03', 0, 0],
        ['2026-04', 0, 1],
      ],
    ],
    [
      'dates by Asia/Shanghai: a reply at 17:00 UTC on 31 January is 1 February',
      [
        seat({
          invitedAt: new Date('2026-01-31T10:00:00Z'),
          repliedAt: new Date('2026-01-31T17:00:00Z'),
        }),
      ],
      [
        ['2026-01', 0, 0],
        ['2026-02', 1, 0],
        ['2026-03', 0, 0],
        ['2026-04', 0, 0],
      ],
    ],
    [
      'leaves out acceptances, undeliverable invitations and invitations before the period',
      [
        seat({ state: 'accepted', declineReason: null }),
        seat({ state: 'undeliverable', declineReason: null, repliedAt: null }),
        seat({ invitedAt: new Date('2025-12-20T02:00:00Z') }),
      ],
      [
        ['2026-01', 0, 0],
        ['2026-02', 0, 0],
        ['2026-03', 0, 0],
        ['2026-04', 0, 0],
      ],
    ],
  ])('%s', (_name, seats, expected) => {
    expect(
      refusalsByMonth(seats, PERIOD, yunnanGmy2025).map((m) => [m.month, m.declined, m.timedOut]),
    ).toEqual(expected);
  });
});
