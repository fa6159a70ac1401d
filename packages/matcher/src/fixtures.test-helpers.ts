import {
  addDays,
  addYears,
  type Busy,
  type Expert,
  type RuleSet,
  type Task,
  yunnanGmy2025,
} from '@expert-dispatch/rules';
import fc from 'fast-check';

/** The draw clock most tests use. */
export const NOW = '2026-03-01T09:00:00+08:00';

/** An active, dispatchable expert for a task in March 2026; override what a test varies. */
export function makeExpert(id: string, overrides: Partial<Expert> = {}): Expert {
  return {
    id,
    name: `专家${id}`,
    birthDate: '1970-05-01',
    phone: '+86 13800000000',
    title: 'senior_associate',
    safetyEngineer: null,
    practiceYears: 10,
    employer: { id: `emp-${id}`, name: `单位${id}`, kind: 'enterprise' },
    region: '530102',
    tier: 'province',
    group: 'metallurgy_nonferrous_machinery',
    industries: ['metallurgy'],
    specialties: ['gas'],
    status: 'active',
    appointment: { from: '2025-01-01', to: '2027-12-31', sealed: true },
    outstanding: false,
    ageWaiver: false,
    profileUpdatedAt: '2026-01-10T10:00:00+08:00',
    conflicts: [],
    unavailable: [],
    ...overrides,
  };
}

/** A metallurgy task on 2026-03-10/11, panel of 3 with 2 alternates. */
export function makeTask(overrides: Partial<Task> = {}): Task {
  return {
    id: 'task-1',
    type: 'site_verification',
    industries: ['metallurgy'],
    specialties: [],
    enterprise: { id: 'ent-1', name: '示例企业', region: '530302' },
    relatedOrganizations: [{ id: 'org-designer', role: 'designer' }],
    window: { from: '2026-03-10T09:00:00+08:00', to: '2026-03-11T18:00:00+08:00' },
    panelSize: 3,
    alternates: 2,
    requestedBy: { authorityId: 'auth-yn', tier: 'province', region: '530000' },
    shadows: 0,
    ...overrides,
  };
}

/** `count` experts who all pass every rule and differ only in id and employer. */
export function makeExperts(count: number, overrides: Partial<Expert> = {}): Expert[] {
  return Array.from({ length: count }, (_, n) =>
    makeExpert(`e${String(n).padStart(3, '0')}`, overrides),
  );
}

/** Rule sets the properties run under: the provincial one and derived local variants. */
export const RULE_SETS: readonly RuleSet[] = [
  yunnanGmy2025,
  {
    ...yunnanGmy2025,
    id: 'county-derived',
    dispatchRules: [...yunnanGmy2025.dispatchRules, 'outside-enterprise-county'],
    age: { limit: 60, outstandingLimit: 66 },
  },
  {
    ...yunnanGmy2025,
    id: 'city-derived',
    dispatchRules: ['industry-expertise', 'outside-enterprise-city', 'age-limit', 'availability'],
  },
];

const FIRST_DAYS = ['2026-03-10', '2028-02-29', '2027-02-28', '2028-03-01', '2026-12-31'];
const ORGS = ['ent-1', 'org-designer', 'org-eval', 'emp-a', 'emp-b'];
const REGIONS = ['530102', '530111', '530302', '530381', '532301'];

const minute = (date: string, minutes: number): string => {
  const ms = Date.parse(`${date}T00:00:00+08:00`) + minutes * 60_000;
  return new Date(ms).toISOString();
};

/** A task and experts built around its dates, with the edge cases the rules turn on. */
export interface RuleScenario {
  readonly task: Task;
  readonly experts: readonly Expert[];
  readonly busy: readonly Busy[];
  readonly ruleSet: RuleSet;
}

// Minutes from the window's start or end: exactly touching, one minute in, or anywhere near.
const nearBoundary = fc.oneof(
  fc.constantFrom(-1, 0, 1),
  fc.constantFrom(-60, -1440),
  fc.integer({ min: -3000, max: 3000 }),
);

const expertShape = fc.record({
  ageYears: fc.integer({ min: 55, max: 72 }),
  birthdayShift: fc.constantFrom(-1, 0, 1, 2, 400),
  leapBirthday: fc.boolean(),
  outstanding: fc.boolean(),
  ageWaiver: fc.boolean(),
  status: fc.constantFrom(
    'active',
    'active',
    'active',
    'suspended',
    'dismissed',
    'withdrawn',
    'expired',
    'applied',
  ),
  appointment: fc.option(
    fc.record({
      fromShift: fc.constantFrom(-400, -1, 0, 1),
      toShift: fc.constantFrom(-1, 0, 1, 300),
      sealed: fc.boolean(),
    }),
    { freq: 6 },
  ),
  disqualifiedShift: fc.option(fc.constantFrom(-1, 0, 1), { freq: 2 }),
  employer: fc.constantFrom(...ORGS, 'emp-c', 'emp-d'),
  conflicts: fc.subarray(['ent-1', 'org-designer', 'org-eval', 'org-x']),
  unavailable: fc.option(
    fc.record({
      atEnd: fc.boolean(),
      startMinute: nearBoundary,
      length: fc.constantFrom(1, 60, 540, 1440),
    }),
    { freq: 2 },
  ),
  busy: fc.option(
    fc.record({
      atEnd: fc.boolean(),
      startMinute: nearBoundary,
      length: fc.constantFrom(1, 60, 1440),
      sameTask: fc.boolean(),
    }),
    { freq: 2 },
  ),
  group: fc.constantFrom(
    'metallurgy_nonferrous_machinery',
    'building_light_textile_tobacco_commerce',
    'comprehensive',
  ),
  industries: fc.subarray(['metallurgy', 'nonferrous', 'tobacco', 'commerce'] as const),
  region: fc.constantFrom(...REGIONS),
});

/**
 * Random rule scenarios: birthdays on the task's first day (and 29 February), terms ending on
 * the last task day, one-minute overlaps, windows crossing Shanghai midnight, conflicts and
 * recusal, the comprehensive group, and derived rule sets.
 */
export const ruleScenario: fc.Arbitrary<RuleScenario> = fc
  .record({
    firstDay: fc.constantFrom(...FIRST_DAYS),
    startMinute: fc.constantFrom(0, 540, 1439, 1410),
    lengthMinutes: fc.constantFrom(1, 30, 60, 900, 1440, 2 * 1440, 2 * 1440 - 540),
    ruleSet: fc.constantFrom(...RULE_SETS),
    enterpriseRegion: fc.constantFrom(...REGIONS),
    experts: fc.array(expertShape, { minLength: 1, maxLength: 8 }),
  })
  .map(({ firstDay, startMinute, lengthMinutes, ruleSet, enterpriseRegion, experts }) => {
    const from = minute(firstDay, startMinute);
    const to = new Date(Date.parse(from) + lengthMinutes * 60_000).toISOString();
    const task = makeTask({
      industries: ['metallurgy', 'tobacco'],
      enterprise: { id: 'ent-1', name: '示例企业', region: enterpriseRegion },
      relatedOrganizations: [
        { id: 'org-designer', role: 'designer' },
        { id: 'emp-a', role: 'evaluator' },
      ],
      window: { from, to },
      panelSize: 3,
    });
    const busy: Busy[] = [];
    const anchor = (atEnd: boolean) => (atEnd ? startMinute + lengthMinutes : startMinute);
    const list = experts.map((shape, n) => {
      const id = `x${n}`;
      const birthBase = shape.leapBirthday ? '1960-02-29' : addYears(firstDay, -shape.ageYears);
      const birthDate = shape.leapBirthday
        ? addYears(
            birthBase,
            Math.round((Number(firstDay.slice(0, 4)) - 1960 - shape.ageYears) / 4) * 4,
          )
        : addDays(birthBase, shape.birthdayShift);
      const appointment =
        shape.appointment === null
          ? null
          : {
              from: addDays(firstDay, shape.appointment.fromShift),
              to: addDays(
                addDays(firstDay, Math.ceil(lengthMinutes / 1440)),
                shape.appointment.toShift,
              ),
              sealed: shape.appointment.sealed,
            };
      if (appointment !== null && appointment.to < appointment.from)
        appointment.to = appointment.from;
      if (shape.busy !== null) {
        busy.push({
          expertId: id,
          taskId: shape.busy.sameTask ? task.id : `other-${n}`,
          from: minute(firstDay, anchor(shape.busy.atEnd) + shape.busy.startMinute),
          to: minute(
            firstDay,
            anchor(shape.busy.atEnd) + shape.busy.startMinute + shape.busy.length,
          ),
        });
      }
      return makeExpert(id, {
        birthDate,
        outstanding: shape.outstanding,
        ageWaiver: shape.ageWaiver,
        status: shape.status as Expert['status'],
        appointment,
        ...(shape.disqualifiedShift !== null && appointment !== null
          ? { disqualifiedOn: addDays(appointment.from, shape.disqualifiedShift) }
          : {}),
        employer: { id: shape.employer, name: `单位${shape.employer}`, kind: 'design_institute' },
        conflicts: shape.conflicts.map((organizationId) => ({ organizationId, reason: '曾任职' })),
        unavailable:
          shape.unavailable === null
            ? []
            : [
                {
                  from: minute(
                    firstDay,
                    anchor(shape.unavailable.atEnd) + shape.unavailable.startMinute,
                  ),
                  to: minute(
                    firstDay,
                    anchor(shape.unavailable.atEnd) +
                      shape.unavailable.startMinute +
                      shape.unavailable.length,
                  ),
                },
              ],
        group: shape.group as Expert['group'],
        industries: shape.industries,
        region: shape.region,
      });
    });
    return { task, experts: list, busy, ruleSet };
  });
