import { describe, expect, it } from 'vitest';
import { ProblemError } from '../errors.js';
import {
  assertNoticeConcluded,
  isNoticeOpen,
  type NoticePurpose,
  type ObjectionCounts,
  type StoredNotice,
} from './notice-gate.js';

const NOTICE: StoredNotice = {
  start: '2026-09-29',
  end: '2026-10-10',
  workingDays: 5,
  covered: true,
};
const RENEWAL: StoredNotice = { ...NOTICE, purpose: 'renewal' };
const NONE: ObjectionCounts = { open: 0, upheld: 0, dismissed: 0 };

function refusal(run: () => unknown): { code: string; zh: string } | null {
  try {
    run();
    return null;
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    return { code: error.code, zh: error.detail.zh };
  }
}

describe('objections are taken inside the notice only (第十条（四）)', () => {
  it.each<[string, StoredNotice, string, boolean]>([
    ['the day before it starts', NOTICE, '2026-09-28', false],
    ['its first working day', NOTICE, '2026-09-29', true],
    ['a holiday inside it (国庆)', NOTICE, '2026-10-03', true],
    ['its last working day (调休 Saturday)', NOTICE, '2026-10-10', true],
    ['the day after it ends', NOTICE, '2026-10-11', false],
    [
      'a notice that already led to a term',
      { ...NOTICE, concludedOn: '2026-10-12' },
      '2026-10-05',
      false,
    ],
  ])('on %s: %s', (_, notice, today, open) => {
    expect(isNoticeOpen(notice, today)).toBe(open);
  });
});

describe('an appointment or renewal needs a concluded notice without open or upheld objections (第十条（五）, 第十一条)', () => {
  it.each<[string, StoredNotice | null, NoticePurpose, string, ObjectionCounts, string | null]>([
    ['no notice at all', null, 'appointment', '2026-10-12', NONE, 'illegal_transition'],
    [
      'an appointment notice for a renewal',
      NOTICE,
      'renewal',
      '2026-10-12',
      NONE,
      'illegal_transition',
    ],
    [
      'a renewal notice for an appointment',
      RENEWAL,
      'appointment',
      '2026-10-12',
      NONE,
      'illegal_transition',
    ],
    [
      'a used notice',
      { ...RENEWAL, concludedOn: '2026-10-12' },
      'renewal',
      '2026-10-13',
      NONE,
      'illegal_transition',
    ],
    [
      'on the last day of the notice',
      NOTICE,
      'appointment',
      '2026-10-10',
      NONE,
      'illegal_transition',
    ],
    [
      'an open objection',
      NOTICE,
      'appointment',
      '2026-10-12',
      { ...NONE, open: 1 },
      'notice_objected',
    ],
    [
      'an upheld objection',
      RENEWAL,
      'renewal',
      '2026-10-12',
      { ...NONE, upheld: 1, dismissed: 2 },
      'notice_objected',
    ],
    [
      'only dismissed objections',
      NOTICE,
      'appointment',
      '2026-10-12',
      { ...NONE, dismissed: 3 },
      null,
    ],
    ['no objection, the day after the notice', RENEWAL, 'renewal', '2026-10-11', NONE, null],
  ])('%s: %s', (_, notice, purpose, today, objections, code) => {
    const refused = refusal(() => assertNoticeConcluded(notice, purpose, today, objections));
    expect(refused?.code ?? null).toBe(code);
    if (refused !== null) expect(refused.zh).toMatch(/^不能(聘任|续聘)：/);
  });
});
