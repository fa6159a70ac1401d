import { type DispatchRuleId, evaluateExpert, yunnanGmy2025 } from '@expert-dispatch/rules';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXCLUSION_REASONS, EXCLUSION_REASONS_V2, reasonKeysOf } from './exclusion-reasons.js';
import { makeExpert, makeTask, ruleScenario } from './fixtures.test-helpers.js';
import { prepareHistory } from './prepare-history.js';
import { preparePool } from './prepare-pool.js';
import { screenPool } from './screen-pool.js';

function screen(scenario: {
  task: Parameters<typeof screenPool>[2];
  experts: Parameters<typeof preparePool>[0];
  busy: readonly import('@expert-dispatch/rules').Busy[];
  ruleSet: Parameters<typeof screenPool>[3];
}) {
  const pool = preparePool(scenario.experts, { ruleSet: scenario.ruleSet });
  const history = prepareHistory({ invitations: [], ratings: [], busy: [...scenario.busy] }, pool);
  return screenPool(pool, history, scenario.task, scenario.ruleSet);
}

describe('screenPool, the compiled dispatch rules', () => {
  it('agrees with evaluateExpert on every expert: same pass/fail, rules and articles', () => {
    fc.assert(
      fc.property(ruleScenario, (scenario) => {
        const masks = screen(scenario);
        scenario.experts.forEach((expert, i) => {
          const evaluation = evaluateExpert(
            expert,
            scenario.task,
            { busy: scenario.busy },
            scenario.ruleSet,
          );
          const keys = reasonKeysOf(masks[i] as number, scenario.ruleSet.dispatchRules);
          // From selection 2 on, local-policy reasons carry no article, as the rules report.
          const dictionary =
            (scenario.ruleSet.selectionVersion ?? 1) >= 2
              ? EXCLUSION_REASONS_V2
              : EXCLUSION_REASONS;
          expect(keys.map((key) => dictionary[key].ruleId)).toEqual(
            evaluation.reasons.map((reason) => reason.ruleId),
          );
          expect(keys.map((key) => dictionary[key].article)).toEqual(
            evaluation.reasons.map((reason) => reason.article),
          );
        });
      }),
      { numRuns: 400 },
    );
  });

  const cases: [string, DispatchRuleId, Parameters<typeof makeExpert>[1]][] = [
    [
      'an expert who turns 66 on the task’s first day (第九条（五）)',
      'age-limit',
      { birthDate: '1960-03-10' },
    ],
    [
      'a term ending the day before the last task day (第十一条)',
      'appointment-in-force',
      { appointment: { from: '2025-01-01', to: '2026-03-10', sealed: true } },
    ],
    ['a suspended expert (第十二条)', 'good-standing', { status: 'suspended' }],
    [
      'an expert employed by the designer of the work (第十六条（一）)',
      'employer-recusal',
      { employer: { id: 'org-designer', name: '设计院', kind: 'design_institute' } },
    ],
    [
      'an expert with a declared conflict (第八条（四）)',
      'declared-conflict-recusal',
      { conflicts: [{ organizationId: 'ent-1', reason: '亲属' }] },
    ],
    [
      'an expert unavailable one minute into the window (第十五条)',
      'availability',
      { unavailable: [{ from: '2026-03-11T17:59:00+08:00', to: '2026-03-12T00:00:00+08:00' }] },
    ],
    [
      'a tobacco-only expert on a metallurgy task (第十四条)',
      'industry-expertise',
      { group: 'building_light_textile_tobacco_commerce', industries: ['tobacco'] },
    ],
  ];
  it.each(cases)('excludes %s', (_, ruleId, overrides) => {
    const masks = screen({
      task: makeTask(),
      experts: [makeExpert('a', overrides)],
      busy: [],
      ruleSet: yunnanGmy2025,
    });
    const keys = reasonKeysOf(masks[0] as number, yunnanGmy2025.dispatchRules);
    expect(keys.map((key) => EXCLUSION_REASONS[key].ruleId)).toContain(ruleId);
  });

  it.each([
    [
      'excludes an expert who turns 66 on the task’s second day',
      '1960-03-11',
      yunnanGmy2025,
      false,
    ],
    ['keeps an expert who turns 66 the day after the task', '1960-03-13', yunnanGmy2025, true],
    [
      'keeps the second-day expert under a rule set stored before every day was checked (replay)',
      '1960-03-11',
      { ...yunnanGmy2025, age: { limit: 65, outstandingLimit: 70 } },
      true,
    ],
  ])('%s (第九条（五）)', (_name, birthDate, ruleSet, kept) => {
    const masks = screen({
      task: makeTask(),
      experts: [makeExpert('a', { birthDate })],
      busy: [],
      ruleSet,
    });
    expect(masks[0] === 0).toBe(kept);
  });

  it('ignores a booking on the same task and one ending as the window opens (第十五条)', () => {
    const busy = [
      {
        expertId: 'a',
        taskId: 'task-1',
        from: '2026-03-10T09:00:00+08:00',
        to: '2026-03-11T00:00:00+08:00',
      },
      {
        expertId: 'a',
        taskId: 'other',
        from: '2026-03-09T09:00:00+08:00',
        to: '2026-03-10T09:00:00+08:00',
      },
    ];
    const masks = screen({
      task: makeTask(),
      experts: [makeExpert('a')],
      busy,
      ruleSet: yunnanGmy2025,
    });
    expect(masks[0]).toBe(0);
  });
});
