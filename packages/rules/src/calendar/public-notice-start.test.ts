import { describe, expect, it } from 'vitest';
import { chinaNational2025To2026 } from './china-national-2025-2026.js';
import { checkPublicNoticeStart } from './public-notice-start.js';

const national = chinaNational2025To2026;

describe('checkPublicNoticeStart (第十条（三）（四）)', () => {
  it.each<[string, string, string, boolean, string | null, string]>([
    // Today Wednesday 2 December 2026: one working day back is Tuesday the 1st.
    ['2026-12-02', '2026-11-27', '2026-12-02', true, null, 'today'],
    ['2026-12-01', '2026-11-27', '2026-12-02', true, null, 'yesterday, one working day back'],
    ['2026-12-09', '2026-11-27', '2026-12-02', true, null, 'a later day'],
    [
      '2026-11-30',
      '2026-11-27',
      '2026-12-02',
      false,
      'too_far_in_the_past',
      'two working days back',
    ],
    [
      '2024-02-29',
      '2026-11-27',
      '2026-12-02',
      false,
      'before_approval',
      'years back, before the approval',
    ],
    [
      '2026-11-26',
      '2026-11-27',
      '2026-11-27',
      false,
      'before_approval',
      'the day before the approval',
    ],
    // Monday 7 December: one working day back is Friday the 4th, so the weekend is fine too.
    ['2026-12-04', '2026-12-01', '2026-12-07', true, null, 'last Friday seen from Monday'],
    [
      '2026-12-03',
      '2026-12-01',
      '2026-12-07',
      false,
      'too_far_in_the_past',
      'last Thursday seen from Monday',
    ],
    // Thursday 8 October 2026, after 国庆节: one working day back is 30 September.
    ['2026-09-30', '2026-09-01', '2026-10-08', true, null, 'over 国庆节'],
  ])(
    'a notice starting %s (approved %s, today %s) is allowed: %s %s (%s)',
    (start, approvedOn, today, ok, code) => {
      const outcome = checkPublicNoticeStart(start, { approvedOn, today }, national);
      expect(outcome.ok).toBe(ok);
      if (!outcome.ok) expect(outcome.code).toBe(code);
    },
  );

  it('says the earliest allowed start in Chinese dates', () => {
    const outcome = checkPublicNoticeStart(
      '2026-11-30',
      { approvedOn: '2026-11-27', today: '2026-12-02' },
      national,
    );
    expect(outcome).toMatchObject({ ok: false, earliest: '2026-12-01' });
    if (!outcome.ok && outcome.code !== 'calendar_year_unknown') {
      expect(outcome.message.zh).toBe(
        '公示开始日期2026年11月30日早于2026年12月1日（最多可回溯1个工作日，本厅规定）',
      );
    }
  });

  it.each([
    ['2026-12-05', true, 'today, a Saturday'],
    ['2026-12-04', false, 'yesterday'],
  ])('without backdating allows %s: %s (%s)', (start, ok) => {
    const bounds = { approvedOn: '2026-11-27', today: '2026-12-05', backdate: 0 };
    expect(checkPublicNoticeStart(start, bounds, national).ok).toBe(ok);
  });

  it.each([
    [0, '2026-12-01', false],
    [2, '2026-11-30', true],
  ])(
    'follows the rule set’s backdating allowance (%i working days; 本厅规定)',
    (backdate, start, ok) => {
      const outcome = checkPublicNoticeStart(
        start,
        { approvedOn: '2026-11-27', today: '2026-12-02', backdate },
        national,
      );
      expect(outcome.ok).toBe(ok);
    },
  );

  it('answers calendar_year_unknown when today lies in a year without data', () => {
    expect(
      checkPublicNoticeStart(
        '2027-01-05',
        { approvedOn: '2027-01-04', today: '2027-01-05' },
        national,
      ),
    ).toEqual({ ok: false, code: 'calendar_year_unknown', year: 2027 });
  });
});
