import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { deliveries, notices } from '../db/schema.js';
import { createInProcessQueue } from '../queue/in-process-queue.js';
import type { JobQueue } from '../queue/job-queue.js';
import {
  makeTaskRequest,
  postTask,
  postTaskOnDay,
  seedPanelPool,
} from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import {
  availableBackends,
  type CallOptions,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { parseSamples, type Sample, sampleValue } from './metrics.test-helpers.js';

const backends = await availableBackends();
const TOKEN = 'prometheus-scrape-token-0123456789abcdef';
const START = '2026-03-02T09:00:00+08:00';

describe.each(backends)('/metrics on %s', (kind) => {
  let t: TestContext;
  let queue: JobQueue;
  let experts: string[];

  const scrape = async (): Promise<Sample[]> => {
    const response = await call(t, 'GET', '/metrics', { key: 'yn.auditor' });
    expect(response.status).toBe(200);
    return parseSamples(response.text);
  };
  const drawsOf = (samples: Sample[], outcome: string) =>
    sampleValue(samples, 'ed_draws_total', { outcome }) ?? 0;

  beforeAll(async () => {
    queue = createInProcessQueue();
    t = await createTestContext(kind, { METRICS_TOKEN: TOKEN }, { queue });
    experts = await seedPanelPool(t, 10);
  });
  afterEach(() => t.clock.set(START));
  afterAll(async () => {
    await queue.close();
    await t.close();
  });

  it.each<[string, CallOptions, number]>([
    ['no key', {}, 401],
    ['a viewer key', { key: 'yn.viewer' }, 403],
    ['a dispatcher key', { key: 'yn.dispatcher' }, 403],
    ['an unknown bearer token', { key: { secret: 'not-the-metrics-token-0123456789abcd' } }, 401],
    ['an auditor key', { key: 'yn.auditor' }, 200],
    ['a city admin key', { key: 'km.admin' }, 200],
    ['the METRICS_TOKEN', { key: { secret: TOKEN } }, 200],
  ])('answers %s with %i', async (_, options, status) => {
    const response = await call(t, 'GET', '/metrics', options);
    expect(response.status).toBe(status);
    if (status === 200) expect(response.contentType).toContain('text/plain');
    else expect(response.contentType).toContain('application/problem+json');
  });

  it('times requests by method, route pattern and status, never by the raw path', async () => {
    await call(t, 'GET', '/v1/tasks/t-metrics-missing', { key: 'yn.viewer' });
    await call(t, 'GET', '/v1/no-such-thing/t-metrics-stray', { key: 'yn.viewer' });
    const samples = await scrape();
    const count = 'ed_http_request_duration_seconds_count';
    expect(
      sampleValue(samples, count, { method: 'GET', route: '/v1/tasks/:id', status: '404' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sampleValue(samples, count, { method: 'GET', route: 'unmatched', status: '404' }),
    ).toBeGreaterThanOrEqual(1);
    const labelValues = samples.flatMap((sample) => Object.values(sample.labels));
    expect(labelValues.filter((value) => value.includes('t-metrics'))).toEqual([]);
  });

  it('counts draws by outcome: a new panel, an infeasible one, a re-draw; replays count nothing', async () => {
    const before = await scrape();
    await postTaskOnDay(t, 't-metrics-drawn', '2026-03-16');
    const replay = await postTask(
      t,
      makeTaskRequest({
        id: 't-metrics-drawn',
        window: { from: '2026-03-16T08:30:00+08:00', to: '2026-03-16T18:00:00+08:00' },
      }),
      'key-t-metrics-drawn',
    );
    expect(replay.status).toBe(201);
    const infeasible = makeTaskRequest({ id: 't-metrics-tobacco', industries: ['tobacco'] });
    for (let i = 0; i < 2; i++) {
      const refused = await postTask(t, infeasible, 'key-metrics-tobacco');
      expect(refused.body.code).toBe('panel_infeasible');
    }
    const redrawn = await call(t, 'POST', '/v1/tasks/t-metrics-drawn/redraw', {
      key: 'yn.dispatcher',
      json: { reason: '组长临时调整 / leader changed' },
    });
    expect(redrawn.status).toBe(200);
    const after = await scrape();
    expect(
      ['drawn', 'infeasible', 'redraw'].map(
        (outcome) => drawsOf(after, outcome) - drawsOf(before, outcome),
      ),
    ).toEqual([1, 1, 1]);
  });

  it('reports the invitations of tasks not yet over by state, from the database', async () => {
    const invitationsOf = (samples: Sample[]) =>
      Object.fromEntries(
        samples
          .filter((sample) => sample.name === 'ed_invitations')
          .map((sample) => [sample.labels.state ?? '', sample.value]),
      );
    const before = invitationsOf(await scrape());
    const created = await postTaskOnDay(t, 't-metrics-invite', '2026-03-17');
    const [decliner] = (created.body as unknown as TaskView).panel.filter(
      (seat) => seat.state === 'invited',
    );
    if (decliner === undefined) throw new Error('nobody invited');
    const declined = await call(t, 'POST', `/v1/invitations/${decliner.invitationId}/reply`, {
      key: 'yn.dispatcher',
      json: { answer: 'decline', reason: 'schedule_conflict' },
    });
    expect(declined.status).toBe(200);
    // The new task's invitations, as the API shows them, are what the gauge gained.
    const view = await call(t, 'GET', '/v1/tasks/t-metrics-invite', { key: 'yn.dispatcher' });
    const expected: Record<string, number> = {};
    for (const seat of (view.body as unknown as TaskView).panel) {
      if (seat.invitedAt !== null) expected[seat.state] = (expected[seat.state] ?? 0) + 1;
    }
    expect(expected.declined).toBe(1);
    const after = invitationsOf(await scrape());
    const gained = Object.fromEntries(
      Object.entries(after)
        .map(([state, n]) => [state, n - (before[state] ?? 0)] as const)
        .filter(([, n]) => n !== 0),
    );
    expect(gained).toEqual(expected);
    // Once every task is over, nothing is current.
    t.clock.set('2026-04-01T09:00:00+08:00');
    expect(invitationsOf(await scrape())).toEqual({});
  });

  it('reports the outbox lag: the age of the oldest row not yet handed to the queue', async () => {
    // No relay runs in this file, so the rows of the draws above (all written at START) wait.
    t.clock.set('2026-03-02T09:01:30+08:00');
    const samples = await scrape();
    expect(sampleValue(samples, 'ed_outbox_lag_seconds')).toBe(90);
    expect(sampleValue(samples, 'ed_outbox_unrelayed')).toBeGreaterThan(0);
  });

  it('reports notifications failed for good by kind and channel', async () => {
    const [delivery] = await t.database.db.select().from(deliveries).limit(1);
    if (delivery === undefined) throw new Error('no delivery');
    await t.database.db
      .update(deliveries)
      .set({ state: 'failed', channel: 'sms' })
      .where(eq(deliveries.id, delivery.id));
    await t.database.db.insert(notices).values({
      id: 'n-metrics-1',
      kind: 'thanks',
      expertId: experts[0] ?? '',
      subject: '致谢',
      body: '感谢',
      state: 'failed',
      channel: 'email',
    });
    const samples = await scrape();
    expect([
      sampleValue(samples, 'ed_notifications_failed', { kind: 'invitation', channel: 'sms' }),
      sampleValue(samples, 'ed_notifications_failed', { kind: 'notice', channel: 'email' }),
    ]).toEqual([1, 1]);
  });

  it('reports the queue depth by state', async () => {
    await queue.add('invitation_deadline', {}, { id: 'ob-metrics-later', delayMs: 600_000 });
    await queue.add('deliver_invitation', {}, { id: 'ob-metrics-now' });
    const samples = await scrape();
    expect(
      ['waiting', 'active', 'delayed', 'failed'].map((state) =>
        sampleValue(samples, 'ed_queue_jobs', { state }),
      ),
    ).toEqual([1, 0, 1, 0]);
    expect(sampleValue(samples, 'ed_metrics_source_up', { source: 'queue' })).toBe(1);
  });

  it('still answers when the queue does not, marking that source down', async () => {
    const broken: JobQueue = { ...queue, counts: () => Promise.reject(new Error('redis down')) };
    const app = createApp({ ...t.services, queue: broken });
    const response = await call({ app, keys: t.keys }, 'GET', '/metrics', { key: 'yn.admin' });
    expect(response.status).toBe(200);
    const samples = parseSamples(response.text);
    expect(sampleValue(samples, 'ed_metrics_source_up', { source: 'queue' })).toBe(0);
    expect(sampleValue(samples, 'ed_metrics_source_up', { source: 'database' })).toBe(1);
    expect(sampleValue(samples, 'ed_queue_jobs')).toBeUndefined();
  });

  it('carries the process metrics and no personal data or ids in any label', async () => {
    const response = await call(t, 'GET', '/metrics', { key: { secret: TOKEN } });
    const samples = parseSamples(response.text);
    expect(sampleValue(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    const labelValues = samples.flatMap((sample) => Object.values(sample.labels));
    // The seeded experts' ids, names and phones (seedPanelPool), task ids, employers.
    const phones = experts.map((_, i) => `139${String(10_000_000 + i + 1).slice(-8)}`);
    const forbidden = [...experts, ...phones, '专家', 't-metrics', 'org-'];
    expect(labelValues.filter((value) => forbidden.some((word) => value.includes(word)))).toEqual(
      [],
    );
  });

  it('is described in the OpenAPI document', async () => {
    const doc = await call(t, 'GET', '/openapi.json');
    expect(Object.keys((doc.body.paths ?? {}) as Record<string, unknown>)).toContain('/metrics');
  });
});
