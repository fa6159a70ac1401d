import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries } from '../db/schema.js';
import {
  type DispatchHarness,
  FAST_SETTINGS,
  makeDispatchContext,
  makeTestQueue,
  openDispatchHarness,
  TEST_SIGNING_SECRET,
  until,
} from '../dispatch/dispatch.test-helpers.js';
import { startDispatch } from '../dispatch/start-dispatch.js';
import { createWebhookChannel } from '../dispatch/webhook-channel.js';
import { makeTaskRequest, postTask } from '../tasks/task-fixtures.test-helpers.js';
import {
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { parseOutboundAllowList, STRICT_OUTBOUND_POLICY } from './outbound-policy.js';
import { internalUrlErrors } from './refuse-internal-urls.js';

describe('a target on the internal network, at send time', () => {
  let h: DispatchHarness;

  beforeAll(async () => {
    h = await openDispatchHarness('pglite', 4);
  });
  afterAll(async () => {
    await h.stop();
    await h.close();
  });

  it('is a failed delivery with the reason recorded, never sent, when the allow-list does not name it', async () => {
    // The experts' webhooks and the task's callback point at the receiver on 127.0.0.1, which
    // this dispatcher (no OUTBOUND_ALLOW_HOSTS) must refuse.
    const outbound = STRICT_OUTBOUND_POLICY;
    h.dispatcher = startDispatch(
      {
        ...makeDispatchContext(h.t, {
          webhook: createWebhookChannel({
            secret: TEST_SIGNING_SECRET,
            timeoutMs: 2_000,
            outbound,
          }),
        }),
        outbound,
      },
      makeTestQueue('in-process', 'unused'),
      { ...FAST_SETTINGS, deliveryAttempts: 2, deliveryRetryWindowMs: 50 },
    );
    const created = await postTask(
      h.t,
      makeTaskRequest({
        id: 't-ssrf',
        panelSize: 2,
        alternates: 0,
        callbackUrl: `${h.receiver.url}?callback=t-ssrf`,
      }),
      'key-t-ssrf',
    );
    expect(created.status).toBe(201);
    const rows = () =>
      h.t.database.db.select().from(deliveries).where(eq(deliveries.taskId, 't-ssrf'));
    await until(async () => {
      const found = await rows();
      // Each undeliverable seat is filled by a replacement, refused in turn.
      return found.length >= 2 && found.every((row) => row.state === 'failed');
    });
    for (const row of (await rows()).filter((found) => found.state === 'failed')) {
      expect(row.lastError).toContain(
        'outbound target refused: it is a loopback address (not in OUTBOUND_ALLOW_HOSTS)',
      );
    }
    expect(h.receiver.requests).toEqual([]);
  });
});

describe('a URL naming an internal address, at input time', () => {
  let t: TestContext;

  beforeAll(async () => {
    // No OUTBOUND_ALLOW_HOSTS: every internal address is refused.
    t = await createTestContext('pglite', { OUTBOUND_ALLOW_HOSTS: '' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses a task whose callbackUrl is the metadata address (422, with the field)', async () => {
    const response = await postTask(
      t,
      makeTaskRequest({ callbackUrl: 'http://169.254.169.254/latest/meta-data/' }),
      'key-ssrf-callback',
    );
    expect(response.status).toBe(422);
    expect(response.body.errors?.map((error) => error.path)).toEqual(['callbackUrl']);
  });

  it('refuses a webhook contact on loopback (422, with the field)', async () => {
    const response = await call(t, 'PUT', '/v1/experts/e-any/contacts', {
      key: 'yn.admin',
      json: {
        contacts: [
          { channel: 'sms', address: '13800000000' },
          { channel: 'webhook', address: 'http://[::1]:8080/hook' },
        ],
      },
    });
    expect(response.status).toBe(422);
    expect(response.body.errors?.map((error) => error.path)).toEqual(['contacts.1.address']);
  });

  it.each([
    ['a public address', 'https://93.184.216.34/hook', STRICT_OUTBOUND_POLICY, 0],
    ['a host name (checked when sending)', 'https://hooks.example.org/', STRICT_OUTBOUND_POLICY, 0],
    ['localhost', 'http://localhost:9/', STRICT_OUTBOUND_POLICY, 1],
    ['a private address', 'http://10.0.0.8/', STRICT_OUTBOUND_POLICY, 1],
    ['an allowed private address', 'http://10.0.0.8/', parseOutboundAllowList('10.0.0.0/8'), 0],
  ])('judges %s cheaply', (_, url, policy, errors) => {
    expect(internalUrlErrors([{ path: 'callbackUrl', url }], policy)).toHaveLength(errors);
  });
});
