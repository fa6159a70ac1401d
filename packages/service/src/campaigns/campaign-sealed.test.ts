import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTaskRequest, seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type KeyName,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

/** A campaign task on one day: the task request without how to draw. */
function campaignTask(id: string, date: string) {
  const { policy: _policy, ...task } = makeTaskRequest({
    id,
    enterprise: { id: `org-${id}`, name: `企业${id}`, region: '530111' },
    window: { from: `${date}T08:30:00+08:00`, to: `${date}T18:00:00+08:00` },
  });
  return task;
}

describe.each(backends)('a campaign’s sealed panels on %s (第八条（五）（七）)', (kind) => {
  let t: TestContext;
  let campaignId = '';
  let drawn: string[] = [];

  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 10, 'e-cs');
    t.clock.set('2026-03-02T09:00:00+08:00');
    const created = await call(t, 'POST', '/v1/campaigns', {
      key: 'yn.dispatcher',
      headers: { 'idempotency-key': 'campaign-sealed' },
      json: {
        name: '专项检查',
        tasks: [campaignTask('t-cs-1', '2026-03-10'), campaignTask('t-cs-2', '2026-03-11')],
        loadCap: 2,
        policy: 'optimal',
        seed: 'campaign-sealed-seed',
      },
    });
    expect(created.status, created.text).toBe(201);
    campaignId = String(created.body.id);
    drawn = Object.keys(created.body.load as Record<string, number>);
  });
  afterAll(() => t.close());

  const campaign = (key: KeyName) => call(t, 'GET', `/v1/campaigns/${campaignId}`, { key });

  it('names no planned member to a viewer or an admin before the work starts', async () => {
    expect(drawn.length).toBeGreaterThan(0);
    for (const key of ['yn.viewer', 'yn.admin'] as const) {
      const answer = await campaign(key);
      expect(answer.status).toBe(200);
      for (const id of drawn) expect(answer.text, key).not.toContain(id);
      expect(answer.body).toMatchObject({ plan: { filled: 6, load: {} } });
    }
  });

  it('names them to the requesting dispatcher, and to everyone once the work has started', async () => {
    const told = await campaign('yn.dispatcher');
    for (const id of drawn) expect(told.text).toContain(id);
    t.clock.set('2026-03-11T08:30:00+08:00');
    try {
      const open = await campaign('yn.viewer');
      for (const id of drawn) expect(open.text).toContain(id);
    } finally {
      t.clock.set('2026-03-02T09:00:00+08:00');
    }
  });
});
