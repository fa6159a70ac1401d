import {
  type Expert,
  expertSchema,
  type InvitationRecord,
  toShanghaiDate,
  yunnanGmy2025,
} from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import { buildActionLists } from '../reports/action-lists.js';
import { listsPeriod } from '../reports/lists-on.js';
import type { ReportSeat } from '../reports/report-records.js';
import { makeActiveExpert } from '../testing/expert-fixtures.test-helpers.js';
import { buildDigest } from './build-digest.js';

const expert = (overrides: Record<string, unknown> = {}): Expert =>
  expertSchema.parse({
    ...makeActiveExpert({ id: 'e-1' }),
    outstanding: false,
    ageWaiver: false,
    conflicts: [],
    unavailable: [],
    profileUpdatedAt: '2026-06-01T10:00:00+08:00',
    ...overrides,
  });
const NOW = new Date('2026-12-01T09:00:00+08:00');

/** An invitation refused at `record.at`: answered then, or timed out then. */
const seatOf = (record: InvitationRecord, index: number): ReportSeat => {
  const at = new Date(record.at);
  return {
    seatId: index + 1,
    taskId: record.taskId,
    taskVisible: true,
    taskIndustries: [],
    expertId: record.expertId,
    role: 'member',
    state: record.outcome,
    declineReason: record.outcome === 'declined' ? (record.reason ?? null) : null,
    invitedAt: new Date(at.getTime() - 3_600_000),
    repliedAt: record.outcome === 'declined' ? at : null,
    replyDeadline: record.outcome === 'timed_out' ? at : null,
    updatedAt: at,
    attendance: null,
  };
};

/** The digest of one provincial pool on NOW, through the action lists of the reports. */
const digestOf = (pool: readonly Expert[], records: readonly InvitationRecord[] = []) => {
  const period = listsPeriod(toShanghaiDate(NOW), yunnanGmy2025);
  const experts = pool.map((e) => ({ ...e, ownPool: true }));
  const lists = buildActionLists(
    { experts, seats: records.map(seatOf), ratings: [] },
    period,
    yunnanGmy2025,
  );
  return buildDigest(lists);
};
const listsOf = (pool: Expert, records: readonly InvitationRecord[] = []) => {
  const digest = digestOf([pool], records);
  return Object.entries(digest).flatMap(([list, entries]) => (entries.length > 0 ? [list] : []));
};

describe('buildDigest', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['lists nobody in good order', {}, []],
    [
      'lists a term ending in 90 days (第十一条)',
      { appointment: { from: '2024-03-01', to: '2027-03-01', sealed: true } },
      ['termsEnding'],
    ],
    [
      'does not list a term ending in 91 days',
      { appointment: { from: '2024-03-02', to: '2027-03-02', sealed: true } },
      [],
    ],
    [
      'lists a term lapsed 31 days ago',
      { appointment: { from: '2023-11-01', to: '2026-10-31', sealed: true } },
      ['termsEnding'],
    ],
    [
      'keeps listing a term lapsed 32 days ago, as GET /v1/reports/lists does (第十一条)',
      { appointment: { from: '2023-10-31', to: '2026-10-30', sealed: true } },
      ['termsEnding'],
    ],
    [
      'lists a profile not updated for over 12 months (第八条（一）)',
      { profileUpdatedAt: '2025-11-30T10:00:00+08:00' },
      ['staleProfiles'],
    ],
    [
      'does not list a profile updated exactly 12 months ago',
      { profileUpdatedAt: '2025-12-01T10:00:00+08:00' },
      [],
    ],
    [
      'lists an expert who passes 65 on the last day of the next term (第九条（五）)',
      { birthDate: '1964-12-31' },
      ['ageLimit'],
    ],
    [
      // A term ending 2028-02-28: the next runs from 2028-02-29 to 2031-02-27 (第十一条).
      'lists an expert who passes 65 on 2031-02-27, the last day of a next term starting on 29 February',
      {
        birthDate: '1965-02-27',
        appointment: { from: '2025-03-01', to: '2028-02-28', sealed: true },
      },
      ['ageLimit'],
    ],
    [
      'does not list one who passes 65 on 2031-02-28, the day after that next term',
      {
        birthDate: '1965-02-28',
        appointment: { from: '2025-03-01', to: '2028-02-28', sealed: true },
      },
      [],
    ],
    ['does not list one who passes 65 the day after', { birthDate: '1965-01-01' }, []],
    [
      'does not list an expert under an age waiver',
      { birthDate: '1950-01-01', ageWaiver: true },
      [],
    ],
  ])('%s', (_name, overrides, lists) => {
    expect(listsOf(expert(overrides))).toEqual(lists);
  });

  it('lists two unjustified refusals within 12 months with their tasks, and an undecided decline apart (第二十三条（一）)', () => {
    const records = [
      { expertId: 'e-1', taskId: 't-1', at: '2026-01-10T10:00:00+08:00', outcome: 'timed_out' },
      {
        expertId: 'e-1',
        taskId: 't-2',
        at: '2026-06-01T10:00:00+08:00',
        outcome: 'declined',
        reason: 'unjustified',
      },
      {
        expertId: 'e-1',
        taskId: 't-3',
        at: '2026-07-01T10:00:00+08:00',
        outcome: 'declined',
        reason: 'illness',
      },
    ] as const;
    const [entry] = digestOf([expert()], records).refusals;
    expect(entry).toMatchObject({ expertId: 'e-1', article: '第二十三条（一）' });
    expect(entry?.evidence).toEqual([
      { taskId: 't-1', date: '2026-01-10', outcome: 'timed_out' },
      { taskId: 't-2', date: '2026-06-01', outcome: 'declined:unjustified' },
    ]);
    expect(digestOf([expert()], records).pendingDeclines.map((e) => e.evidence)).toEqual([
      [{ taskId: 't-3', date: '2026-07-01', outcome: 'declined:illness' }],
    ]);
  });
});
