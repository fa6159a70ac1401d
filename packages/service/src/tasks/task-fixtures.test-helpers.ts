import { makeActiveExpert } from '../testing/expert-fixtures.test-helpers.js';
import { call, type KeyName, type TestContext } from '../testing/test-backends.test-helpers.js';
import type { TaskView } from './task-view.js';

/** Adds `count` active metallurgy experts of the provincial pool, each with its own employer. */
export async function seedPanelPool(
  t: TestContext,
  count: number,
  prefix = 'e-p',
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const id = `${prefix}${String(i).padStart(3, '0')}`;
    const created = await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeActiveExpert({
        id,
        name: `专家${i}`,
        phone: `139${String(10_000_000 + i).slice(-8)}`,
        idNumber: undefined,
        employer: { id: `org-${id}`, name: `单位${i}`, kind: 'university' },
        title: i % 3 === 0 ? 'senior_full' : 'senior_associate',
        industries: ['metallurgy'],
        specialties: i % 2 === 0 ? ['molten_metal'] : ['gas'],
      }),
    });
    if (created.status !== 201) throw new Error(`seeding ${id} failed: ${created.text}`);
    ids.push(id);
  }
  return ids;
}

/**
 * Adds active provincial experts by id, each with its own employer and no ID number, with the
 * given overrides (a term, a birth date, a stale profile…); fails unless each is created.
 *
 * @example
 * await addActiveExperts(t, [['m-old', { birthDate: '1962-05-01' }], ['m-fresh', {}]]);
 */
export async function addActiveExperts(
  t: TestContext,
  entries: readonly (readonly [string, Record<string, unknown>])[],
): Promise<void> {
  for (const [id, overrides] of entries) {
    const created = await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeActiveExpert({
        id,
        idNumber: undefined,
        name: `专家${id}`,
        employer: { id: `org-${id}`, name: `单位${id}`, kind: 'university' },
        ...overrides,
      }),
    });
    if (created.status !== 201) throw new Error(`adding ${id} failed: ${created.text}`);
  }
}

/**
 * Adds one active expert through `key`'s pool (`makeActiveExpert` with `overrides`); throws
 * unless it was created.
 *
 * @example
 * await addExpert(t, 'km.admin', { id: 'sp-km', tier: 'city', region: '530102' });
 */
export async function addExpert(
  t: TestContext,
  key: KeyName,
  overrides: Record<string, unknown>,
): Promise<void> {
  const created = await call(t, 'POST', '/v1/experts', {
    key,
    json: makeActiveExpert(overrides),
  });
  if (created.status !== 201) throw new Error(`seeding failed: ${created.text}`);
}

/** A metallurgy inspection request (the body of POST /v1/tasks); override what a case needs. */
export function makeTaskRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'enforcement_inspection',
    industries: ['metallurgy'],
    specialties: ['molten_metal'],
    enterprise: { id: 'org-steel', name: '昆明钢铁有限公司', region: '530111' },
    relatedOrganizations: [],
    window: { from: '2026-03-10T08:30:00+08:00', to: '2026-03-11T18:00:00+08:00' },
    panelSize: 3,
    alternates: 2,
    policy: 'lottery',
    ...overrides,
  };
}

/** POST /v1/tasks with an Idempotency-Key. */
export function postTask(t: TestContext, body: unknown, key: string, as: 'yn' | 'km' = 'yn') {
  return call(t, 'POST', '/v1/tasks', {
    key: `${as}.dispatcher`,
    json: body,
    headers: { 'idempotency-key': key },
  });
}

/**
 * Posts a task that runs 08:30–18:00 on one day (Asia/Shanghai), keyed `key-<id>`, and expects
 * it to be drawn (201); each test gives each task its own day so that no booking collides.
 */
export async function postTaskOnDay(
  t: TestContext,
  id: string,
  date: string,
  overrides: Record<string, unknown> = {},
) {
  const created = await postTask(
    t,
    makeTaskRequest({
      id,
      window: { from: `${date}T08:30:00+08:00`, to: `${date}T18:00:00+08:00` },
      ...overrides,
    }),
    `key-${id}`,
  );
  if (created.status !== 201) throw new Error(`task ${id} was not drawn: ${created.text}`);
  return created;
}

/**
 * At `at`, posts a one-day task led by `expertId` (a panel of 2, no alternates) and has the
 * expert decline it at once for no justified reason: a refusal on the record (第二十三条（一）).
 */
export async function declineAsLeader(
  t: TestContext,
  expertId: string,
  at: string,
  taskId: string,
  date: string,
): Promise<void> {
  t.clock.set(at);
  const task = await postTask(
    t,
    makeTaskRequest({
      id: taskId,
      leaderId: expertId,
      panelSize: 2,
      alternates: 0,
      window: { from: `${date}T08:30:00+08:00`, to: `${date}T18:00:00+08:00` },
    }),
    `key-${taskId}`,
  );
  const seat = (task.body as unknown as TaskView).panel.find((s) => s.expertId === expertId);
  const declined = await call(t, 'POST', `/v1/invitations/${seat?.invitationId}/reply`, {
    key: 'yn.dispatcher',
    json: { answer: 'decline', reason: 'unjustified' },
  });
  if (declined.status !== 200) throw new Error(`decline failed: ${declined.text}`);
}
