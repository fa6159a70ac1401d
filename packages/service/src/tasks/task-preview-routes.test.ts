import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeActiveExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  call,
  countAuditEntries,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { makeTaskRequest, postTask, seedPanelPool } from './task-fixtures.test-helpers.js';

describe('the preview of a draw and the live stream of a task', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext('pglite');
    await seedPanelPool(t, 6);
    // One more expert of another industry: the industry rule removes exactly one.
    const other = await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeActiveExpert({
        id: 'e-tobacco',
        name: '烟草专家',
        phone: '13900009999',
        idNumber: undefined,
        employer: { id: 'org-tob', name: '烟草单位', kind: 'university' },
        industries: ['tobacco'],
      }),
    });
    expect(other.status, other.text).toBe(201);
  }, 180_000);
  afterAll(() => t.close());

  it('previews the funnel a draw would see now, writing nothing and naming nobody', async () => {
    const before = await countAuditEntries(t);
    const preview = await call(t, 'POST', '/v1/tasks/preview', {
      key: 'yn.dispatcher',
      json: makeTaskRequest(),
    });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body).toMatchObject({ feasible: true, pool: 7, eligible: 6, unmet: [] });
    const steps = preview.body.steps as { ruleId: string; removed: number }[];
    expect(steps.find((s) => s.ruleId === 'industry-expertise')?.removed).toBe(1);
    expect(preview.text).not.toContain('专家1');
    expect(await countAuditEntries(t)).toBe(before);
  });

  it('says when no panel can be formed, with the unmet constraint', async () => {
    const preview = await call(t, 'POST', '/v1/tasks/preview', {
      key: 'yn.dispatcher',
      json: makeTaskRequest({ panelSize: 9 }),
    });
    expect(preview.status).toBe(200);
    expect(preview.body.feasible).toBe(false);
    expect((preview.body.unmet as { constraint: string }[]).map((u) => u.constraint)).toContain(
      'panel-size',
    );
  });

  it('refuses the preview to a viewer and an invalid task with field paths', async () => {
    const viewer = await call(t, 'POST', '/v1/tasks/preview', {
      key: 'yn.viewer',
      json: makeTaskRequest(),
    });
    expect(viewer.status).toBe(403);
    const invalid = await call(t, 'POST', '/v1/tasks/preview', {
      key: 'yn.dispatcher',
      json: makeTaskRequest({ industries: [] }),
    });
    expect(invalid.status).toBe(422);
    // Widening (local policy) takes the rule set's ladder in order, as the draw does.
    const skipped = await call(t, 'POST', '/v1/tasks/preview', {
      key: 'yn.dispatcher',
      json: makeTaskRequest({ widen: ['other_prefectures'] }),
    });
    expect(skipped.status).toBe(422);
    expect(skipped.body.errors?.[0]?.path).toBe('widen');
  });

  it('streams the task as Server-Sent Events to every role of its authority, 404 elsewhere', async () => {
    const created = await postTask(t, makeTaskRequest({ id: 't-sse' }), 'key-t-sse');
    expect(created.status, created.text).toBe(201);
    const response = await t.app.request('/v1/tasks/t-sse/events', {
      headers: { authorization: `Bearer ${t.keys['yn.viewer']}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body?.getReader();
    let text = '';
    while (reader !== undefined && !text.includes('\n\n')) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    await reader?.cancel();
    expect(text).toContain('event: task');
    const data = JSON.parse(/^data: (.*)$/m.exec(text)?.[1] ?? '{}') as { id?: string };
    expect(data.id).toBe('t-sse');
    const foreign = await call(t, 'GET', '/v1/tasks/t-sse/events', { key: 'km.dispatcher' });
    expect(foreign.status).toBe(404);
    const anonymous = await call(t, 'GET', '/v1/tasks/t-sse/events');
    expect(anonymous.status).toBe(401);
  });
});
