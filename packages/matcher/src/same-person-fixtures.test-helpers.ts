import type { DrawExpert } from '@expert-dispatch/rules';
import { makeExpert, makeExperts, makeTask, NOW } from './fixtures.test-helpers.js';
import type { SelectPanelInput, SelectPanelResult } from './select-panel-types.js';

export const KUNMING = { authorityId: 'km-yjj', tier: 'city', region: '530100' } as const;
export const PROVINCE = { authorityId: 'yn-yjt', tier: 'province', region: '530000' } as const;

/**
 * Fixtures of one person with a provincial record `p-1` and a Kunming record `k-1`, and four others (records of
 * one person in the provincial and a Kunming pool, 第二十一条（一）).
 */
export const person: DrawExpert[] = [
  makeExpert('p-1', { personId: 'p-1' } as Partial<DrawExpert>),
  makeExpert('k-1', {
    personId: 'p-1',
    tier: 'city',
    region: '530102',
    employer: { id: 'emp-k-1', name: '昆明单位', kind: 'enterprise' },
  } as Partial<DrawExpert>),
];
export const others = makeExperts(4);
export const pool: DrawExpert[] = [...person, ...others];
export const booking = (expertId: string) => ({
  expertId,
  taskId: 'task-elsewhere',
  from: '2026-03-10T08:00:00+08:00',
  to: '2026-03-10T12:00:00+08:00',
});
export const ids = (result: SelectPanelResult) =>
  result.ok
    ? [
        ...result.members.map((m) => m.expertId),
        ...result.alternates.map((a) => a.expertId),
        ...result.shadows.map((s) => s.expertId),
      ]
    : [];
export const input = (patch: Partial<SelectPanelInput> = {}): SelectPanelInput => ({
  task: makeTask({ requestedBy: KUNMING, panelSize: 3, alternates: 3 }),
  experts: pool,
  now: NOW,
  seed: 'same-person',
  ...patch,
});
