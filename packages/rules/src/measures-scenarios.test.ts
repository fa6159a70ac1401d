// Scenario tests drawn from 《云南省级工贸行业安全生产专家管理办法》: each case is a situation an
// official could be asked about, decided through the public API as a caller would use it.
import { describe, expect, it } from 'vitest';
import { evaluateAdmission } from './admission/evaluate-admission.js';
import { addWorkingDays, countWorkingDays } from './calendar/add-working-days.js';
import { chinaNational2025To2026 as calendar } from './calendar/china-national-2025-2026.js';
import { isWorkingDay } from './calendar/is-working-day.js';
import { isPublicNoticeOver, publicNoticePeriod } from './calendar/public-notice-period.js';
import { evaluateConduct } from './conduct/evaluate-conduct.js';
import { findDeclineRuns, findDeclineWarning } from './conduct/find-decline-warning.js';
import { isProfileStale } from './conduct/is-profile-stale.js';
import { isRenewalDue, termStanding } from './conduct/term-standing.js';
import { evaluateExpert } from './evaluate-expert.js';
import { makeExpert, makeTask } from './fixtures.test-helpers.js';
import { deriveRuleSet } from './rule-set/derive-rule-set.js';
import type { RuleSet } from './rule-set/rule-set.js';
import { yunnanGmy2025 as ruleSet } from './rule-set/yunnan-gmy-2025.js';
import type { Expert } from './schemas/expert.js';
import type { Busy, InvitationRecord } from './schemas/history.js';
import type { Task } from './schemas/task.js';
import type { ExpertState } from './vocabulary/expert-state.js';
import type { RelatedOrganizationRole } from './vocabulary/related-organization-role.js';

// The default task runs 2026-03-02 08:30 to 2026-03-03 18:00 (Asia/Shanghai), for the enterprise
// org-steel (530111), designed by org-design; the default expert works at org-univ.

/** The failing rules of an evaluation as `ruleId@article`. */
function failures(
  expert: Expert,
  task: Task = makeTask(),
  busy: readonly Busy[] = [],
  rules: RuleSet = ruleSet,
) {
  return evaluateExpert(expert, task, { busy }, rules).reasons.map(
    (r) => `${r.ruleId}@${r.article}`,
  );
}

/** An expert whose appointment covers every task date these scenarios use. */
const longTerm = { appointment: { from: '2024-01-01', to: '2029-12-31', sealed: true } };
const windowed = (from: string, to: string) => makeTask({ window: { from, to } });

describe('age over every day of the task (第九条（五）)', () => {
  it.each<[string, string, Partial<Expert>, Task, string[]]>([
    [
      'excludes an expert who turns 66 on the first day of a task crossing midnight',
      '1960-03-01',
      {},
      windowed('2026-03-01T22:00:00+08:00', '2026-03-02T04:00:00+08:00'),
      ['age-limit@第九条（五）'],
    ],
    [
      'excludes an expert who turns 66 on the second day of a task crossing midnight',
      '1960-03-02',
      {},
      windowed('2026-03-01T22:00:00+08:00', '2026-03-02T04:00:00+08:00'),
      ['age-limit@第九条（五）'],
    ],
    [
      'passes an expert who turns 66 the day after a task crossing midnight',
      '1960-03-03',
      {},
      windowed('2026-03-01T22:00:00+08:00', '2026-03-02T04:00:00+08:00'),
      [],
    ],
    [
      'reads a window given at UTC−05:00 as the Shanghai date it starts on',
      '1960-03-02',
      {},
      windowed('2026-03-01T11:30:00-05:00', '2026-03-01T20:00:00-05:00'),
      ['age-limit@第九条（五）'],
    ],
    [
      'passes the same expert when the UTC−05:00 window ends before Shanghai midnight',
      '1960-03-02',
      {},
      windowed('2026-03-01T09:30:00-05:00', '2026-03-01T10:30:00-05:00'),
      [],
    ],
    ['passes an expert who turns 65 on the first day', '1961-03-02', {}, makeTask(), []],
    [
      'excludes an outstanding expert who turns 71 on the first day',
      '1955-03-02',
      { outstanding: true },
      makeTask(),
      ['age-limit@第九条（五）'],
    ],
    [
      'excludes an outstanding expert who turns 71 on a later day of the task',
      '1955-03-03',
      { outstanding: true },
      makeTask(),
      ['age-limit@第九条（五）'],
    ],
    [
      'passes an expert of 80 under a waiver stored without a limit (old draw inputs)',
      '1946-01-01',
      { ageWaiver: true },
      makeTask(),
      [],
    ],
    [
      'passes an outstanding expert of 75 under the department’s waiver',
      '1951-03-02',
      { ageWaiver: true, outstanding: true },
      makeTask(),
      [],
    ],
  ])('%s (第九条（五）)', (_name, birthDate, flags, task, expected) => {
    expect(failures(makeExpert({ birthDate, ...flags, ...longTerm }), task)).toEqual(expected);
  });

  it.each<[string, string, string, boolean]>([
    [
      'a 29 February birthday turns 66 on 28 February in a common year',
      '1960-02-29',
      '2026-02-28',
      false,
    ],
    ['the day before, that expert is still 65', '1960-02-29', '2026-02-27', true],
    [
      'a 29 February birthday turns 66 on 29 February in a leap year',
      '1962-02-29',
      '2028-02-29',
      false,
    ],
    ['in a leap year 28 February is still within 65', '1962-02-29', '2028-02-28', true],
  ])('%s (第九条（五）)', (_name, birthDate, firstDay, ok) => {
    const task = windowed(`${firstDay}T09:00:00+08:00`, `${firstDay}T17:00:00+08:00`);
    expect(evaluateExpert(makeExpert({ birthDate, ...longTerm }), task, {}, ruleSet).ok).toBe(ok);
  });

  it('treats a leap-day outstanding expert’s 71st birthday as 28 February (第九条（五）)', () => {
    const expert = makeExpert({ birthDate: '1956-02-29', outstanding: true, ...longTerm });
    const on = (day: string) => windowed(`${day}T09:00:00+08:00`, `${day}T12:00:00+08:00`);
    expect(failures(expert, on('2027-02-27'))).toEqual([]);
    expect(failures(expert, on('2027-02-28'))).toEqual(['age-limit@第九条（五）']);
  });

  it('applies the same limit at admission, on the review date (第九条（五）)', () => {
    const applicant = makeExpert({ birthDate: '1961-03-02', status: 'under_review' });
    const ages = (date: string) =>
      evaluateAdmission(applicant, date, ruleSet).reasons.map((r) => r.ruleId);
    expect(ages('2026-03-01')).toEqual([]);
    expect(ages('2027-03-02')).toEqual(['admission-age']);
    const outstanding = { ...applicant, outstanding: true };
    expect(evaluateAdmission(outstanding, '2027-03-02', ruleSet).ok).toBe(true);
  });
});

describe('qualification at admission (第九条（四）)', () => {
  it.each<[string, Partial<Expert>, boolean]>([
    [
      'admits a 副高级 title with no registration',
      { title: 'senior_associate', safetyEngineer: null, practiceYears: 0 },
      true,
    ],
    [
      'admits a 正高级 title',
      { title: 'senior_full', safetyEngineer: null, practiceYears: 1 },
      true,
    ],
    [
      'admits an intermediate registered safety engineer with exactly 5 years',
      { title: 'intermediate', safetyEngineer: 'intermediate', practiceYears: 5 },
      true,
    ],
    [
      'refuses an intermediate registered safety engineer with 4 years',
      { title: 'intermediate', safetyEngineer: 'intermediate', practiceYears: 4 },
      false,
    ],
    [
      'admits a senior registered safety engineer with 5 years',
      { title: 'none', safetyEngineer: 'senior', practiceYears: 5 },
      true,
    ],
    [
      'refuses an assistant registered safety engineer however long',
      { title: 'intermediate', safetyEngineer: 'assistant', practiceYears: 30 },
      false,
    ],
    [
      'refuses an intermediate title without registration',
      { title: 'intermediate', safetyEngineer: null, practiceYears: 30 },
      false,
    ],
  ])('%s (第九条（四）)', (_name, overrides, ok) => {
    const evaluation = evaluateAdmission(makeExpert(overrides), '2026-03-01', ruleSet);
    expect(evaluation.ok).toBe(ok);
    if (!ok) expect(evaluation.reasons.map((r) => r.article)).toEqual(['第九条（四）']);
  });
});

describe('appointment in force over the whole task (第十一条)', () => {
  const term = (from: string, to: string, sealed = true): Partial<Expert> => ({
    appointment: { from, to, sealed },
  });
  it.each<[string, Partial<Expert>, Task, boolean]>([
    [
      'excludes an unsealed certificate (聘书需盖章方可生效)',
      term('2025-01-01', '2027-12-31', false),
      makeTask(),
      false,
    ],
    [
      'passes a term ending on the task’s last day',
      term('2023-03-04', '2026-03-03'),
      makeTask(),
      true,
    ],
    [
      'excludes a term ending on the task’s first day of two',
      term('2023-03-03', '2026-03-02'),
      makeTask(),
      false,
    ],
    [
      'passes a term ending the day before a task that ends exactly at midnight',
      term('2023-03-04', '2026-03-03'),
      windowed('2026-03-02T08:30:00+08:00', '2026-03-04T00:00:00+08:00'),
      true,
    ],
    [
      'passes the same when the midnight end is written in UTC',
      term('2023-03-04', '2026-03-03'),
      windowed('2026-03-02T00:30:00Z', '2026-03-03T16:00:00Z'),
      true,
    ],
    [
      'excludes it when the task runs one minute past midnight',
      term('2023-03-04', '2026-03-03'),
      windowed('2026-03-02T08:30:00+08:00', '2026-03-04T00:01:00+08:00'),
      false,
    ],
    [
      'excludes a term that starts on the second task day',
      term('2026-03-03', '2029-03-02'),
      makeTask(),
      false,
    ],
    ['excludes an expert with no appointment', { appointment: null }, makeTask(), false],
  ])('%s (第十一条)', (_name, overrides, task, ok) => {
    const outcome = failures(makeExpert(overrides), task);
    expect(outcome).toEqual(ok ? [] : ['appointment-in-force@第十一条']);
  });
});

describe('every state at dispatch (第十条–第十二条, 第二十三条, 第二十四条)', () => {
  it.each<[ExpertState, string[]]>([
    ['applied', ['appointment-in-force@第十一条']],
    ['recommended', ['appointment-in-force@第十一条']],
    ['under_review', ['appointment-in-force@第十一条']],
    ['public_notice', ['appointment-in-force@第十一条']],
    ['active', []],
    ['suspended', ['good-standing@第十二条']],
    ['dismissed', ['good-standing@第二十三条']],
    ['withdrawn', ['good-standing@第二十四条']],
    ['expired', ['appointment-in-force@第十一条']],
  ])('dispatches a %s expert only when active, citing the right article', (status, expected) => {
    expect(failures(makeExpert({ status }))).toEqual(expected);
  });
});

describe('disqualification (第十六条（三）)', () => {
  it('never dispatches a disqualified expert still marked active (第十六条（三）)', () => {
    expect(failures(makeExpert({ disqualifiedOn: '2026-02-01' }))).toEqual([
      'good-standing@第十六条（三）',
    ]);
  });

  it('lists disqualification alongside every other failure (第十六条（三）, 第九条（五）)', () => {
    const expert = makeExpert({ disqualifiedOn: '2026-02-01', birthDate: '1950-01-01' });
    expect(failures(expert)).toEqual(['good-standing@第十六条（三）', 'age-limit@第九条（五）']);
  });

  it('does not dispatch on an appointment made inside the five-year bar (第十六条（三）)', () => {
    // 五年内不再聘用: a term starting within the bar is void, so the bar still excludes.
    const expert = makeExpert({
      disqualifiedOn: '2024-06-01',
      appointment: { from: '2025-01-01', to: '2027-12-31', sealed: true },
    });
    expect(failures(expert)).toEqual(['good-standing@第十六条（三）']);
  });

  it.each<[string, string, string[]]>([
    [
      'bars a term starting the day before the bar ends',
      '2025-05-31',
      ['good-standing@第十六条（三）'],
    ],
    ['restores a term starting the day the bar ends', '2025-06-01', []],
  ])('%s, at dispatch (第十六条（三）)', (_name, from, expected) => {
    const expert = makeExpert({
      disqualifiedOn: '2020-06-01',
      appointment: { from, to: '2028-05-30', sealed: true },
    });
    expect(failures(expert)).toEqual(expected);
  });

  it('dispatches again on an appointment made after the bar (第十六条（三）)', () => {
    const expert = makeExpert({
      disqualifiedOn: '2020-06-01',
      appointment: { from: '2025-06-01', to: '2028-05-31', sealed: true },
    });
    expect(failures(expert)).toEqual([]);
  });

  it.each<[string, string, string, boolean]>([
    ['refuses re-admission the day before the 5-year bar ends', '2021-03-02', '2026-03-01', false],
    ['admits again on the day the 5-year bar ends', '2021-03-02', '2026-03-02', true],
    [
      'ends a bar begun on 29 February on 28 February five years on',
      '2024-02-29',
      '2029-02-28',
      true,
    ],
    ['still bars the day before that', '2024-02-29', '2029-02-27', false],
  ])('%s (第十六条（三）)', (_name, disqualifiedOn, date, ok) => {
    const applicant = makeExpert({ disqualifiedOn, status: 'under_review', appointment: null });
    const evaluation = evaluateAdmission(applicant, date, ruleSet);
    expect(evaluation.ok).toBe(ok);
    if (!ok) expect(evaluation.reasons.map((r) => r.article)).toEqual(['第十六条（三）']);
  });

  it('refuses a disqualified person for good under a set without a bar (第九条（六）)', () => {
    const strict = deriveRuleSet(ruleSet, {
      id: 'strict-1',
      version: '1.0.0',
      parameters: { disqualificationBarYears: null },
    });
    expect(strict.ok).toBe(true);
    if (!strict.ok) return;
    const applicant = makeExpert({ disqualifiedOn: '2000-01-01', appointment: null });
    expect(evaluateAdmission(applicant, '2026-03-01', strict.ruleSet).reasons).toMatchObject([
      { ruleId: 'disqualification-bar', article: '第九条（六）' },
    ]);
  });
});

describe('recusal (第八条（四）, 第十六条（一）)', () => {
  const employedBy = (id: string, kind: Expert['employer']['kind'] = 'design_institute') =>
    makeExpert({ employer: { id, name: `单位${id}`, kind } });
  const linked = (role: RelatedOrganizationRole) =>
    makeTask({ relatedOrganizations: [{ id: 'org-x', role }] });

  it('recuses an expert employed by the enterprise served (第八条（四）)', () => {
    expect(failures(employedBy('org-steel', 'enterprise'))).toEqual([
      'employer-recusal@第八条（四）',
    ]);
  });

  it.each<RelatedOrganizationRole>([
    'designer',
    'evaluator',
    'standardization_reviewer',
    'testing_agency',
    'business_partner',
    'parent_company',
    'other',
  ])('recuses an expert whose employer is the %s of the work (第十六条（一）)', (role) => {
    expect(failures(employedBy('org-x'), linked(role))).toEqual([
      'employer-recusal@第十六条（一）',
    ]);
  });

  it('does not recuse a design-institute expert whose institute has no link to the work (第十六条（一）)', () => {
    expect(failures(employedBy('org-elsewhere'), linked('designer'))).toEqual([]);
  });

  it.each<[string, string, string[]]>([
    ['with the enterprise', 'org-steel', ['declared-conflict-recusal@第八条（四）']],
    ['with the designer of the work', 'org-design', ['declared-conflict-recusal@第八条（四）']],
    ['with an unrelated organisation', 'org-unrelated', []],
  ])('decides a declared conflict %s (第八条（四）)', (_name, organizationId, expected) => {
    const expert = makeExpert({ conflicts: [{ organizationId, reason: '曾任技术顾问' }] });
    expect(failures(expert)).toEqual(expected);
  });

  it('reports both recusals when the expert works for the designer and declared the enterprise', () => {
    const expert = makeExpert({
      employer: { id: 'org-design', name: '设计院', kind: 'design_institute' },
      conflicts: [{ organizationId: 'org-steel', reason: '近亲属任职' }],
    });
    expect(failures(expert)).toEqual([
      'employer-recusal@第十六条（一）',
      'declared-conflict-recusal@第八条（四）',
    ]);
  });
});

describe('availability, half-open windows (第十五条)', () => {
  const busy = (from: string, to: string, taskId = 't-other', expertId = 'e-1'): Busy => ({
    expertId,
    taskId,
    from,
    to,
  });
  it.each<[string, Busy[], Partial<Expert>, boolean]>([
    [
      'passes a booking on another task ending as this one starts',
      [busy('2026-03-01T08:00:00+08:00', '2026-03-02T08:30:00+08:00')],
      {},
      true,
    ],
    [
      'excludes a booking on another task overlapping by one minute',
      [busy('2026-03-01T08:00:00+08:00', '2026-03-02T08:31:00+08:00')],
      {},
      false,
    ],
    [
      'passes a booking on another task starting as this one ends',
      [busy('2026-03-03T18:00:00+08:00', '2026-03-04T18:00:00+08:00')],
      {},
      true,
    ],
    [
      'excludes a booking starting one minute before the end, written in UTC',
      [busy('2026-03-03T09:59:00Z', '2026-03-03T12:00:00Z')],
      {},
      false,
    ],
    [
      'ignores the expert’s own booking on this very task',
      [busy('2026-03-02T08:30:00+08:00', '2026-03-03T18:00:00+08:00', 't-1')],
      {},
      true,
    ],
    [
      'ignores another expert’s booking',
      [busy('2026-03-02T08:30:00+08:00', '2026-03-03T18:00:00+08:00', 't-9', 'e-2')],
      {},
      true,
    ],
    [
      'excludes a declared absence overlapping by one minute',
      [],
      { unavailable: [{ from: '2026-03-03T17:59:00+08:00', to: '2026-03-05T00:00:00+08:00' }] },
      false,
    ],
    [
      'passes a declared absence ending as the task starts',
      [],
      { unavailable: [{ from: '2026-02-20T00:00:00+08:00', to: '2026-03-02T08:30:00+08:00' }] },
      true,
    ],
  ])('%s (第十五条)', (_name, bookings, overrides, ok) => {
    expect(failures(makeExpert(overrides), makeTask(), bookings)).toEqual(
      ok ? [] : ['availability@第十五条'],
    );
  });
});

describe('industry expertise (第五条, 第十四条)', () => {
  it.each<[string, Partial<Expert>, Task['industries'], boolean]>([
    ['passes a direct match', { industries: ['metallurgy'] }, ['metallurgy'], true],
    [
      'passes a comprehensive-group expert for tobacco',
      { group: 'comprehensive', industries: [] },
      ['tobacco'],
      true,
    ],
    [
      'excludes a group member not listing the industry',
      { industries: ['nonferrous'] },
      ['machinery'],
      false,
    ],
    [
      'excludes an expert of another group',
      { group: 'building_light_textile_tobacco_commerce', industries: ['tobacco'] },
      ['metallurgy'],
      false,
    ],
    [
      'passes one industry of two',
      { industries: ['machinery'] },
      ['metallurgy', 'machinery'],
      true,
    ],
  ])('%s (第五条, 第十四条)', (_name, overrides, industries, ok) => {
    expect(failures(makeExpert(overrides), makeTask({ industries, panelSize: 3 }))).toEqual(
      ok ? [] : ['industry-expertise@第十四条'],
    );
  });
});

describe('derived local rule sets (第二十六条)', () => {
  const derive = (
    addDispatchRules: ('outside-enterprise-county' | 'outside-enterprise-city')[],
  ) => {
    const result = deriveRuleSet(ruleSet, { id: 'local-1', version: '1.0.0', addDispatchRules });
    if (!result.ok) throw new Error('the derived set was refused');
    return result.ruleSet;
  };
  it.each<[string, 'outside-enterprise-county' | 'outside-enterprise-city', string, boolean]>([
    [
      'county set excludes an expert of the enterprise’s county',
      'outside-enterprise-county',
      '530111',
      false,
    ],
    [
      'county set passes an expert of the same city, another county',
      'outside-enterprise-county',
      '530102',
      true,
    ],
    [
      'city set excludes an expert of the same city, another county',
      'outside-enterprise-city',
      '530102',
      false,
    ],
    [
      'city set passes an expert from another prefecture',
      'outside-enterprise-city',
      '532301',
      true,
    ],
  ])('%s (第二十六条)', (_name, rule, region, ok) => {
    const local = derive([rule]);
    expect(failures(makeExpert({ region }), makeTask(), [], local)).toEqual(
      ok ? [] : [`${rule}@null`],
    );
    // The provincial set does not apply local avoidance.
    expect(failures(makeExpert({ region }))).toEqual([]);
  });

  it.each<[string, Parameters<typeof deriveRuleSet>[1], string]>([
    [
      'a general age limit above the outstanding one',
      { id: 'x-1', version: '1.0.0', parameters: { age: { limit: 72 } } },
      'parameters.age.outstandingLimit',
    ],
    [
      'a non-numeric age limit',
      { id: 'x-1', version: '1.0.0', parameters: { age: { limit: 'sixty' as never } } },
      'parameters.age.limit',
    ],
    [
      'a zero public-notice period',
      { id: 'x-1', version: '1.0.0', parameters: { publicNoticeWorkingDays: 0 } },
      'parameters.publicNoticeWorkingDays',
    ],
    [
      'a leader title outside the vocabulary',
      {
        id: 'x-1',
        version: '1.0.0',
        parameters: { panel: { leaderTitles: ['professor' as never] } },
      },
      'parameters.panel.leaderTitles.0',
    ],
    [
      'an unknown parameter',
      { id: 'x-1', version: '1.0.0', parameters: { ageLimit: 60 } as never },
      'parameters.ageLimit',
    ],
  ])('refuses %s with the path of the bad field (第二十六条)', (_name, overrides, path) => {
    const result = deriveRuleSet(ruleSet, overrides);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toContain(path);
  });
});

describe('derived sets keep recusal and good standing (第二十六条, 第八条（四）, 第十六条, 第二十三条（三）)', () => {
  it.each<'good-standing' | 'employer-recusal' | 'declared-conflict-recusal'>([
    'good-standing',
    'employer-recusal',
    'declared-conflict-recusal',
  ])('refuses a local set that drops %s', (rule) => {
    const result = deriveRuleSet(ruleSet, {
      id: 'lax-1',
      version: '1.0.0',
      removeDispatchRules: ['availability', rule],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((e) => e.path)).toEqual(['removeDispatchRules.1']);
      expect(result.errors[0]?.message).toContain(rule);
    }
  });

  it('still lets a local set add avoidance on top of recusal', () => {
    const result = deriveRuleSet(ruleSet, {
      id: 'strict-2',
      version: '1.0.0',
      addDispatchRules: ['outside-enterprise-city'],
    });
    expect(result.ok && result.ruleSet.dispatchRules).toEqual([
      ...ruleSet.dispatchRules,
      'outside-enterprise-city',
    ]);
  });
});

describe('5-working-day public notice (第十条（四）)', () => {
  it.each<[string, string, string, string]>([
    [
      'skips 春节 and counts the 调休 Saturday 14 February',
      '2026-02-12',
      '2026-02-12',
      '2026-02-25',
    ],
    ['counts the 调休 Saturday 28 February', '2026-02-27', '2026-02-27', '2026-03-04'],
    ['starts on the 调休 Sunday 20 September', '2026-09-20', '2026-09-20', '2026-09-24'],
    ['runs across 中秋 and 国庆 into 8 October', '2026-09-24', '2026-09-24', '2026-10-08'],
    ['starts on the 调休 Saturday 10 October', '2026-10-10', '2026-10-10', '2026-10-15'],
    ['moves a start on an ordinary Saturday to Monday', '2026-03-07', '2026-03-09', '2026-03-13'],
    [
      'moves a start on a holiday to the first working day after it, counting 调休 10 October',
      '2026-10-01',
      '2026-10-08',
      '2026-10-13',
    ],
    [
      'skips 元旦 2026 and counts the 调休 Sunday 4 January',
      '2025-12-31',
      '2025-12-31',
      '2026-01-07',
    ],
  ])('%s (第十条（四）)', (_name, from, start, end) => {
    const period = publicNoticePeriod(from, ruleSet, calendar);
    expect(period).toMatchObject({ ok: true, start, end, workingDays: 5 });
    expect(countWorkingDays(start, end, calendar)).toEqual({ ok: true, count: 4 });
    expect(isWorkingDay(end, calendar)).toBe(true);
    expect(isPublicNoticeOver({ start, end }, end)).toBe(false);
    expect(isPublicNoticeOver({ start, end }, nextDay(end))).toBe(true);
    expect(addWorkingDays(start, 4, calendar)).toEqual({ ok: true, date: end });
  });

  it('refuses to count a notice running past the calendar’s years (第十条（四）)', () => {
    expect(publicNoticePeriod('2026-12-29', ruleSet, calendar)).toEqual({
      ok: false,
      code: 'calendar_year_unknown',
      year: 2027,
    });
  });
});

function nextDay(date: string): string {
  const ms = Date.parse(`${date}T00:00:00Z`) + 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

describe('conduct flags (第二十三条（一）, 第八条（一）, 第十一条)', () => {
  const invitation = (
    at: string,
    outcome: InvitationRecord['outcome'],
    reason?: InvitationRecord['reason'],
  ): InvitationRecord => ({
    expertId: 'e-1',
    taskId: `t-${at}`,
    at,
    outcome,
    ...(reason === undefined ? {} : { reason }),
  });
  const on = (date: string) => `${date}T10:00:00+08:00`;

  it.each<[string, InvitationRecord[], boolean]>([
    [
      'warns after 2 unjustified refusals 12 months apart to the day (1年内)',
      [
        invitation(on('2025-03-04'), 'declined', 'unjustified'),
        invitation(on('2026-03-04'), 'declined', 'unjustified'),
      ],
      true,
    ],
    [
      'does not warn for 2 refusals 12 months and a day apart',
      [
        invitation(on('2025-03-03'), 'declined', 'unjustified'),
        invitation(on('2026-03-04'), 'declined', 'unjustified'),
      ],
      false,
    ],
    [
      'counts 2027-03-01 and 2028-02-29 within one year across the leap day',
      [
        invitation(on('2027-03-01'), 'declined', 'unjustified'),
        invitation(on('2028-02-29'), 'timed_out'),
      ],
      true,
    ],
    [
      'counts 2027-02-28 and 2028-02-29 as more than a year (a year from 28 February ends on 28 February)',
      [
        invitation(on('2027-02-28'), 'declined', 'unjustified'),
        invitation(on('2028-02-29'), 'timed_out'),
      ],
      false,
    ],
    [
      'counts time-outs as refusals without a valid reason',
      [invitation(on('2026-01-05'), 'timed_out'), invitation(on('2026-02-05'), 'timed_out')],
      true,
    ],
    [
      'waits for the department’s decision on a decline with no reason given (待认定)',
      [invitation(on('2026-01-05'), 'declined'), invitation(on('2026-02-05'), 'timed_out')],
      false,
    ],
    [
      'does not count declines justified on the word or awaiting a decision (第七条（六）, 第八条（四）)',
      [
        invitation(on('2026-01-05'), 'declined', 'illness'),
        invitation(on('2026-01-06'), 'declined', 'conflict_of_interest'),
        invitation(on('2026-01-07'), 'declined', 'schedule_conflict'),
        invitation(on('2026-01-08'), 'declined', 'approved_other'),
        invitation(on('2026-01-09'), 'declined', 'unjustified'),
      ],
      false,
    ],
    [
      'does not count a single refusal',
      [invitation(on('2026-01-05'), 'declined', 'unjustified')],
      false,
    ],
  ])('%s (第二十三条（一）)', (_name, records, warned) => {
    expect(findDeclineRuns(records, ruleSet).length > 0).toBe(warned);
  });

  it('keeps the warning in force for 12 months to the day after the last refusal (第二十三条（一）)', () => {
    const records = [
      invitation(on('2026-01-05'), 'timed_out'),
      invitation(on('2026-02-05'), 'declined', 'unjustified'),
    ];
    expect(findDeclineWarning(records, '2027-02-05T09:00:00+08:00', ruleSet)).not.toBeNull();
    expect(findDeclineWarning(records, '2027-02-06T09:00:00+08:00', ruleSet)).toBeNull();
  });

  it('ignores refusals after the report date (第二十三条（一）)', () => {
    const records = [
      invitation(on('2026-01-05'), 'timed_out'),
      invitation(on('2026-05-05'), 'timed_out'),
    ];
    expect(findDeclineWarning(records, '2026-03-01T09:00:00+08:00', ruleSet)).toBeNull();
  });

  it('orders refusals by instant when records carry different offsets (第二十三条（一）)', () => {
    // 21:00 in Kunming on 30 April comes before 20:00 at UTC−10:00 on 30 April (06:00Z, 1 May).
    const early = invitation('2026-04-30T21:00:00+08:00', 'declined', 'unjustified');
    const late = invitation('2026-04-30T20:00:00-10:00', 'timed_out');
    const [run] = findDeclineRuns([late, early], ruleSet);
    expect(run?.evidence).toEqual([early, late]);
    expect(run?.firstDate).toBe('2026-04-30');
    expect(run?.lastDate).toBe('2026-05-01');
  });

  it.each<[string, string, boolean]>([
    ['is current exactly 12 months after the update', '2026-03-01T23:59:00+08:00', false],
    ['is stale the day after 12 months', '2026-03-02T00:00:00+08:00', true],
    [
      'reads now in Asia/Shanghai: 16:00Z on 1 March is already 2 March',
      '2026-03-01T16:00:00Z',
      true,
    ],
  ])('a profile updated on 2025-03-01 %s (第八条（一）)', (_name, now, stale) => {
    const expert = makeExpert({ profileUpdatedAt: '2025-02-28T20:00:00-05:00' });
    expect(isProfileStale(expert, now, ruleSet)).toBe(stale);
    expect(evaluateConduct(expert, [], now, ruleSet).some((f) => f.flag === 'stale_profile')).toBe(
      stale,
    );
  });

  it.each<[string, string, boolean, number]>([
    ['is due exactly 90 days before the term ends', '2026-03-03T09:00:00+08:00', true, 90],
    ['is not yet due 91 days before', '2026-03-02T09:00:00+08:00', false, 91],
    ['is due on the last day of the term', '2026-06-01T09:00:00+08:00', true, 0],
  ])('renewal of a term ending 2026-06-01 %s (第十一条)', (_name, now, due, daysLeft) => {
    const expert = makeExpert({
      appointment: { from: '2023-06-02', to: '2026-06-01', sealed: true },
    });
    expect(isRenewalDue(expert, now, ruleSet)).toBe(due);
    expect(termStanding(expert, now, ruleSet)).toMatchObject({ daysLeft });
    const flags = evaluateConduct(expert, [], now, ruleSet).map((f) => f.flag);
    expect(flags.includes('renewal_due')).toBe(due);
  });

  it('reports a lapsed term the day after it ends (第十一条)', () => {
    const expert = makeExpert({
      appointment: { from: '2023-06-02', to: '2026-06-01', sealed: true },
    });
    expect(termStanding(expert, '2026-06-02T00:00:00+08:00', ruleSet)).toEqual({
      state: 'lapsed',
      daysSince: 1,
    });
  });
});
