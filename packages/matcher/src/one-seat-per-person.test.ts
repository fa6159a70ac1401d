import type { DrawExpert } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import { explainExclusion } from './explain-exclusion.js';
import { makeTask } from './fixtures.test-helpers.js';
import {
  ids,
  input,
  KUNMING,
  others,
  PROVINCE,
  person,
} from './same-person-fixtures.test-helpers.js';
import { selectPanel } from './select-panel.js';
import type { SelectPanelInput } from './select-panel-types.js';

describe('one seat per person (第二十一条: one person, records in the provincial and a local pool)', () => {
  it.each<[string, Partial<SelectPanelInput>, string, string]>([
    ['a Kunming request keeps the Kunming record', {}, 'k-1', 'p-1'],
    [
      'a provincial request keeps the provincial record',
      { task: makeTask({ requestedBy: PROVINCE, panelSize: 3, alternates: 3 }) },
      'p-1',
      'k-1',
    ],
    ['a fixed record is the one kept, whatever the pool', { fixed: ['p-1'] }, 'p-1', 'k-1'],
    [
      'a named leader is the one kept',
      { task: makeTask({ requestedBy: KUNMING, leaderId: 'p-1', panelSize: 3, alternates: 3 }) },
      'p-1',
      'k-1',
    ],
    [
      'an ineligible own record leaves the other record to stand for the person',
      {
        experts: [
          person[0] as DrawExpert,
          { ...(person[1] as DrawExpert), status: 'suspended' },
          ...others,
        ],
      },
      'p-1',
      'none',
    ],
  ])('%s, and leaves the other out with its reason', (_name, patch, kept, leftOut) => {
    const result = selectPanel(input(patch));
    if (!result.ok) throw new Error(`expected a panel: ${JSON.stringify(result)}`);
    // A pool of five people for six seats: every person is seated once, the kept record only.
    expect(ids(result)).toContain(kept);
    expect(ids(result).filter((id) => id === 'p-1' || id === 'k-1')).toEqual([kept]);
    const samePerson = result.excluded.find((group) => group.reasons.includes('same-person'));
    expect(samePerson?.expertIds ?? []).toEqual(leftOut === 'none' ? [] : [leftOut]);
    expect(result.funnel.samePerson).toBe(leftOut === 'none' ? 0 : 1);
    if (leftOut !== 'none') {
      expect(samePerson?.reasons).toEqual(['same-person']);
      expect(result.exclusionReasons['same-person']?.article).toBe('第二十一条');
      expect(explainExclusion(input(patch), leftOut)).toMatchObject({
        keptRecordId: kept,
        evaluation: { ok: true, reasons: [] },
      });
    }
    const listed = result.excluded.flatMap((group) => group.expertIds).length;
    expect(result.funnel.eligible + listed).toBe(result.funnel.pool);
  });

  it('leaves the other record out when the caller excluded one (the person declined)', () => {
    const result = selectPanel(input({ exclude: ['k-1'] }));
    expect(ids(result)).not.toContain('p-1');
    expect(result.ok && result.excluded.find((g) => g.expertIds.includes('p-1'))?.reasons).toEqual([
      'same-person',
    ]);
  });

  it('refuses two records of one person as fixed members (invalid_input)', () => {
    const result = selectPanel(input({ fixed: ['p-1', 'k-1'] }));
    expect(result).toMatchObject({
      ok: false,
      code: 'invalid_input',
      problems: [{ problem: 'fixed-same-person', expertId: 'k-1' }],
    });
  });
});
