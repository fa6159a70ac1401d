import { describe, expect, it } from 'vitest';
import { makeExpert, makeTask } from '../fixtures.test-helpers.js';
import type { Expert } from '../schemas/expert.js';
import { checkAppointmentInForce } from './check-appointment-in-force.js';

// The default task runs 2026-03-02 08:30 to 2026-03-03 18:00 (Asia/Shanghai).
const term = (from: string, to: string, sealed = true): Partial<Expert> => ({
  appointment: { from, to, sealed },
});

describe('checkAppointmentInForce (第十一条)', () => {
  it.each<[string, Partial<Expert>, boolean]>([
    ['passes an active expert with a sealed term covering the task', {}, true],
    ['passes a term that ends on the task’s last day', term('2023-03-04', '2026-03-03'), true],
    [
      'excludes a term that ends the day before the task’s last day',
      term('2023-03-03', '2026-03-02'),
      false,
    ],
    ['passes a term that starts on the task’s first day', term('2026-03-02', '2029-03-01'), true],
    ['excludes a term that starts during the task', term('2026-03-03', '2029-03-02'), false],
    [
      'excludes an unsealed certificate (聘书需盖章方可生效)',
      term('2026-01-01', '2028-12-31', false),
      false,
    ],
    ['excludes an expert without an appointment', { appointment: null }, false],
    ['excludes an expert still under public notice', { status: 'public_notice' }, false],
    ['excludes an expert whose term has expired', { status: 'expired' }, false],
    [
      'leaves a suspended expert to the good-standing rule (第十二条)',
      { status: 'suspended' },
      true,
    ],
    [
      'leaves a dismissed expert with a covering term to the good-standing rule',
      { status: 'dismissed' },
      true,
    ],
  ])('%s', (_name, overrides, ok) => {
    const outcome = checkAppointmentInForce(makeExpert(overrides), makeTask());
    expect(outcome).toMatchObject({ ruleId: 'appointment-in-force', article: '第十一条', ok });
  });

  it('does not count a window ending at midnight as touching the next day', () => {
    const task = makeTask({
      window: { from: '2026-03-02T08:30:00+08:00', to: '2026-03-04T00:00:00+08:00' },
    });
    expect(checkAppointmentInForce(makeExpert(term('2023-03-04', '2026-03-03')), task).ok).toBe(
      true,
    );
  });

  it('counts a window crossing midnight in Asia/Shanghai as touching the next day', () => {
    const task = makeTask({
      window: { from: '2026-03-03T20:00:00+08:00', to: '2026-03-04T02:00:00+08:00' },
    });
    expect(checkAppointmentInForce(makeExpert(term('2023-03-04', '2026-03-03')), task).ok).toBe(
      false,
    );
  });
});
