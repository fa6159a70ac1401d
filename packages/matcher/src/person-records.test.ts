import {
  type DrawExpert,
  type History,
  type InvitationRecord,
  yunnanGmy2025,
} from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import { hasActiveWarning } from './conduct-signals.js';
import { explainExclusion } from './explain-exclusion.js';
import { makeTask } from './fixtures.test-helpers.js';
import { prepareHistory } from './prepare-history.js';
import { preparePool } from './prepare-pool.js';
import {
  booking,
  ids,
  input,
  KUNMING,
  others,
  person,
  pool,
} from './same-person-fixtures.test-helpers.js';
import { scoringContextOf } from './scoring-context.js';
import { selectPanel } from './select-panel.js';
import type { SelectPanelInput } from './select-panel-types.js';

describe('availability and conduct follow the person (第十五条, 第八条（四）, 第二十三条（一）)', () => {
  it.each<[string, Partial<SelectPanelInput>, string]>([
    [
      'a booking under the provincial record',
      { history: { invitations: [], ratings: [], busy: [booking('p-1')] } },
      'availability',
    ],
    [
      'a booking under the Kunming record',
      { history: { invitations: [], ratings: [], busy: [booking('k-1')] } },
      'availability',
    ],
    [
      'a period declared unavailable under one record',
      {
        experts: [
          {
            ...(person[0] as DrawExpert),
            unavailable: [{ from: booking('x').from, to: booking('x').to }],
          },
          person[1] as DrawExpert,
          ...others,
        ],
      },
      'availability',
    ],
    [
      'a conflict with the enterprise declared under one record',
      {
        experts: [
          person[0] as DrawExpert,
          {
            ...(person[1] as DrawExpert),
            conflicts: [{ organizationId: 'ent-1', reason: '亲属任职' }],
          },
          ...others,
        ],
      },
      'declared-conflict-recusal',
    ],
  ])('%s makes every record of the person ineligible', (_name, patch, reason) => {
    const result = selectPanel(
      input({ task: makeTask({ requestedBy: KUNMING, panelSize: 3, alternates: 1 }), ...patch }),
    );
    if (!result.ok) throw new Error('expected a panel');
    expect(ids(result)).not.toContain('p-1');
    expect(ids(result)).not.toContain('k-1');
    for (const id of ['p-1', 'k-1']) {
      const group = result.excluded.find((g) => g.expertIds.includes(id));
      expect(group?.reasons).toEqual([reason]);
      const explained = explainExclusion(input(patch), id);
      expect(explained.evaluation?.reasons.map((r) => r.ruleId)).toEqual([reason]);
    }
  });

  it('counts unjustified refusals under both records toward the person’s warning (第二十三条（一）)', () => {
    const refusal = (expertId: string, taskId: string, at: string): InvitationRecord => ({
      expertId,
      taskId,
      at,
      outcome: 'declined',
      reason: 'unjustified',
    });
    const history: History = {
      invitations: [
        refusal('p-1', 't-a', '2025-11-01T10:00:00+08:00'),
        refusal('k-1', 't-b', '2026-01-15T10:00:00+08:00'),
      ],
      ratings: [],
      busy: [],
    };
    const task = makeTask({ requestedBy: KUNMING });
    const warned = (experts: readonly DrawExpert[]) => {
      const prepared = preparePool(experts);
      const context = scoringContextOf(
        prepared,
        prepareHistory(history, prepared),
        yunnanGmy2025,
        task,
        '2026-03-01',
      );
      return ['p-1', 'k-1'].map((id) =>
        hasActiveWarning(context, prepared.indexOf.get(id) as number),
      );
    };
    expect(warned(pool)).toEqual([true, true]);
    // Without the shared person id each record has one refusal: no warning.
    const apart = pool.map(({ personId: _personId, ...expert }) => expert);
    expect(warned(apart)).toEqual([false, false]);
  });
});
