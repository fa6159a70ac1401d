import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateExpert } from './evaluate-expert.js';
import { makeExpert, makeTask } from './fixtures.test-helpers.js';
import { deriveRuleSet } from './rule-set/derive-rule-set.js';
import { yunnanGmy2025 as ruleSet } from './rule-set/yunnan-gmy-2025.js';
import { DISPATCH_RULES } from './rules/dispatch-rules.js';
import type { Expert } from './schemas/expert.js';

describe('evaluateExpert', () => {
  it('passes a dispatchable expert on every rule of the provincial set', () => {
    const evaluation = evaluateExpert(makeExpert(), makeTask(), {}, ruleSet);
    expect(evaluation.ok).toBe(true);
    expect(evaluation.outcomes.map((o) => o.ruleId)).toEqual(ruleSet.dispatchRules);
    expect(evaluation.reasons).toEqual([]);
  });

  it('reports every failure, not only the first', () => {
    const expert = makeExpert({
      birthDate: '1950-01-01',
      status: 'suspended',
      employer: { id: 'org-design', name: '某设计院', kind: 'design_institute' },
      industries: ['tobacco'],
      group: 'building_light_textile_tobacco_commerce',
    });
    const articles = evaluateExpert(expert, makeTask(), {}, ruleSet).reasons.map((r) => r.article);
    expect(articles).toEqual(['第十二条', '第九条（五）', '第十六条（一）', '第十四条']);
  });

  it('applies the provincial rules the measures require', () => {
    // Removing any of these from the provincial set must fail this test.
    expect(ruleSet.dispatchRules).toEqual([
      'appointment-in-force',
      'good-standing',
      'age-limit',
      'employer-recusal',
      'declared-conflict-recusal',
      'availability',
      'industry-expertise',
    ]);
  });

  it('applies a local rule only in a rule set derived with it (第二十六条)', () => {
    const derived = deriveRuleSet(ruleSet, {
      id: 'kunming-guandu-gmy',
      version: '1.0.0',
      addDispatchRules: ['outside-enterprise-county'],
    });
    if (!derived.ok) throw new Error('derivation failed');
    const local = makeExpert({ region: '530111' });
    expect(evaluateExpert(local, makeTask(), {}, ruleSet).ok).toBe(true);
    // Same-region avoidance is local policy: no article (本厅规定).
    expect(evaluateExpert(local, makeTask(), {}, derived.ruleSet).reasons[0]?.article).toBeNull();
  });

  it('reports an expert excluded exactly when some rule fails (property)', () => {
    const expertArbitrary = fc.record({
      birthDate: fc.constantFrom(
        '1955-03-02',
        '1960-03-02',
        '1961-03-02',
        '1976-05-20',
        '1960-02-29',
      ),
      status: fc.constantFrom<Expert['status']>(
        'active',
        'active',
        'suspended',
        'expired',
        'public_notice',
      ),
      outstanding: fc.boolean(),
      ageWaiver: fc.boolean(),
      sealed: fc.boolean(),
      termEnd: fc.constantFrom('2026-03-02', '2026-03-03', '2028-12-31'),
      employerId: fc.constantFrom('org-univ', 'org-steel', 'org-design'),
      conflictWith: fc.option(fc.constantFrom('org-steel', 'org-design', 'org-x'), {
        nil: undefined,
      }),
      group: fc.constantFrom<Expert['group']>(
        'comprehensive',
        'metallurgy_nonferrous_machinery',
        'building_light_textile_tobacco_commerce',
      ),
      industry: fc.constantFrom<Expert['industries'][number]>('metallurgy', 'tobacco'),
      unavailableStartMinute: fc.integer({ min: -600, max: 3000 }),
    });
    fc.assert(
      fc.property(expertArbitrary, (draw) => {
        const start =
          Date.parse('2026-03-02T08:30:00+08:00') + draw.unavailableStartMinute * 60_000;
        const expert = makeExpert({
          birthDate: draw.birthDate,
          status: draw.status,
          outstanding: draw.outstanding,
          ageWaiver: draw.ageWaiver,
          appointment: { from: '2025-01-01', to: draw.termEnd, sealed: draw.sealed },
          employer: { id: draw.employerId, name: '单位', kind: 'enterprise' },
          conflicts: draw.conflictWith
            ? [{ organizationId: draw.conflictWith, reason: '亲属' }]
            : [],
          group: draw.group,
          industries: [draw.industry],
          unavailable: [
            { from: new Date(start).toISOString(), to: new Date(start + 3_600_000).toISOString() },
          ],
        });
        const task = makeTask();
        const evaluation = evaluateExpert(expert, task, {}, ruleSet);
        const failing = ruleSet.dispatchRules.filter(
          (id) => !DISPATCH_RULES[id](expert, task, { ruleSet }).ok,
        );
        expect(evaluation.ok).toBe(failing.length === 0);
        expect(evaluation.reasons.map((r) => r.ruleId)).toEqual(failing);
        expect(evaluation.reasons.every((r) => !r.ok)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
