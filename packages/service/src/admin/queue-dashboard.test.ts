import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBullmqQueue, DISPATCH_QUEUE_NAME } from '../queue/bullmq-queue.js';
import type { JobQueue } from '../queue/job-queue.js';
import {
  availableQueueModes,
  dropQueuePrefix,
  freshQueuePrefix,
  TEST_REDIS_URL,
} from '../testing/redis.test-helpers.js';
import {
  availableBackends,
  type CallOptions,
  call,
  countAuditEntries,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { SESSION_COOKIE } from './admin-access.js';

const backends = await availableBackends();
const modes = await availableQueueModes();
const prefix = freshQueuePrefix();
const START = '2026-03-02T09:00:00+08:00';

afterAll(() => (modes.includes('bullmq') ? dropQueuePrefix(prefix) : undefined));

/** The `name=value` of the session cookie a response sets, for the next request's Cookie. */
function sessionCookieOf(headers: Headers): string | undefined {
  const cookie = headers.getSetCookie().find((line) => line.startsWith(`${SESSION_COOKIE}=`));
  return cookie?.split(';')[0];
}

/** A file bull-board's UI ships under static/, to fetch through the dashboard. */
function someStaticFile(): string {
  const ui = dirname(createRequire(import.meta.url).resolve('@bull-board/ui/package.json'));
  const [file] = readdirSync(join(ui, 'dist/static/js')).filter((name) => name.endsWith('.js'));
  if (file === undefined) throw new Error('bull-board ships no script');
  return `static/js/${file}`;
}

describe.runIf(modes.includes('bullmq')).each(backends)('the queue dashboard on %s', (kind) => {
  let t: TestContext;
  let jobs: JobQueue;
  let dashboardQueue: Queue;
  const withCookie = (cookie: string): CallOptions => ({ headers: { cookie } });

  beforeAll(async () => {
    const queuePrefix = `${prefix}-${kind}`;
    dashboardQueue = new Queue(DISPATCH_QUEUE_NAME, {
      connection: { url: TEST_REDIS_URL },
      prefix: queuePrefix,
    });
    t = await createTestContext(kind, {}, { dashboardQueues: [dashboardQueue] });
    // Jobs as the relay adds them: two due now, one held back (no worker takes them here).
    jobs = createBullmqQueue({ url: TEST_REDIS_URL, prefix: queuePrefix });
    await jobs.add('deliver_invitation', { deliveryId: 'dl-1' }, { id: 'ob-dash-1' });
    await jobs.add('deliver_invitation', { deliveryId: 'dl-2' }, { id: 'ob-dash-2' });
    await jobs.add('invitation_deadline', { seatId: 1 }, { id: 'ob-dash-3', delayMs: 600_000 });
  });
  afterAll(async () => {
    await jobs.close();
    await dashboardQueue.close();
    await t.close();
  });

  it('shows a province admin the dashboard page, its scripts, and the dispatch queue with its counts', async () => {
    const page = await call(t, 'GET', '/admin/queues', { key: 'yn.admin' });
    expect(page.status).toBe(200);
    expect(page.contentType).toContain('text/html');
    expect(page.text).toContain('专家调度队列');
    const script = await call(t, 'GET', `/admin/queues/${someStaticFile()}`, { key: 'yn.admin' });
    expect(script.status).toBe(200);
    expect(script.contentType).toContain('javascript');
    const api = await call(t, 'GET', '/admin/queues/api/queues', { key: 'yn.admin' });
    expect(api.status).toBe(200);
    const queues = api.body.queues as { name: string; counts: Record<string, number> }[];
    expect(queues.map((queue) => queue.name)).toEqual([DISPATCH_QUEUE_NAME]);
    expect(queues[0]?.counts).toMatchObject({ waiting: 2, delayed: 1, failed: 0 });
  });

  it.each<[string, CallOptions, number]>([
    ['no key', {}, 401],
    ['an unknown key', { key: { secret: 'edk_not-a-key' } }, 401],
    ['a viewer key', { key: 'yn.viewer' }, 403],
    ['a dispatcher key', { key: 'yn.dispatcher' }, 403],
    ['an auditor key', { key: 'yn.auditor' }, 403],
    ['a city admin key (the queue holds every authority’s jobs)', { key: 'km.admin' }, 403],
  ])('refuses %s with %i, as problem+json', async (_, options, status) => {
    for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
      const response = await call(t, 'GET', path, options);
      expect([path, response.status]).toEqual([path, status]);
      expect(response.contentType).toContain('application/problem+json');
    }
  });

  it('signs a browser in from the form with a short, HttpOnly, SameSite=Strict cookie, audited', async () => {
    const login = await call(t, 'GET', '/admin/login');
    expect(login.text).toContain('<form method="post" action="/admin/session">');
    const audited = await countAuditEntries(t);
    const signIn = await call(t, 'POST', '/admin/session', {
      body: new URLSearchParams({ key: t.keys['yn.admin'] }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe('/admin/queues');
    const setCookie = signIn.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\/admin/);
    expect(setCookie).toMatch(/Max-Age=1800/);
    expect(await countAuditEntries(t)).toBe(audited + 1);
    const cookie = sessionCookieOf(signIn.headers);
    if (cookie === undefined) throw new Error('no session cookie');
    const api = await call(t, 'GET', '/admin/queues/api/queues', withCookie(cookie));
    expect(api.status).toBe(200);
  });

  it('opens a session from JSON too, and refuses other roles a session', async () => {
    const opened = await call(t, 'POST', '/admin/session', { json: { key: t.keys['yn.admin'] } });
    expect(opened.status).toBe(200);
    expect(typeof opened.body.expiresAt).toBe('string');
    const audited = await countAuditEntries(t);
    const refused = await call(t, 'POST', '/admin/session', { key: 'yn.dispatcher' });
    expect(refused.status).toBe(403);
    expect(sessionCookieOf(refused.headers)).toBeUndefined();
    expect((await call(t, 'POST', '/admin/session', { json: {} })).status).toBe(401);
    expect(await countAuditEntries(t)).toBe(audited);
  });

  it('ends a session that was tampered with, has expired, was closed, or whose key was revoked', async () => {
    const open = async () => {
      const opened = await call(t, 'POST', '/admin/session', { key: 'yn.admin' });
      const cookie = sessionCookieOf(opened.headers);
      if (cookie === undefined) throw new Error('no session cookie');
      return cookie;
    };
    const api = (cookie: string) =>
      call(t, 'GET', '/admin/queues/api/queues', withCookie(cookie)).then((r) => r.status);
    const cookie = await open();
    const value = decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1));
    const forged = value.replace(/^\d+/, (expires) => String(Number(expires) + 86_400));
    expect(await api(`${SESSION_COOKIE}=${encodeURIComponent(forged)}`)).toBe(401);
    t.clock.set('2026-03-02T09:31:00+08:00');
    expect(await api(cookie)).toBe(401);
    t.clock.set(START);
    expect(await api(cookie)).toBe(200);
    const closed = await call(t, 'DELETE', '/admin/session', withCookie(cookie));
    expect(closed.status).toBe(204);
    expect(closed.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    const issued = await call(t, 'POST', '/v1/keys', {
      key: 'yn.admin',
      json: { role: 'admin', label: 'dashboard operator' },
    });
    const session = await call(t, 'POST', '/admin/session', {
      key: { secret: String(issued.body.key) },
    });
    const operatorCookie = sessionCookieOf(session.headers) ?? '';
    expect(await api(operatorCookie)).toBe(200);
    await call(t, 'DELETE', `/v1/keys/${issued.body.id}`, { key: 'yn.admin' });
    expect(await api(operatorCookie)).toBe(401);
  });
});

describe.each(backends)('the queue dashboard without Redis, on %s', (kind) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(kind);
  });
  afterAll(() => t.close());

  it('tells an admin that the dashboard needs Redis (503 problem), and still refuses others first', async () => {
    const answer = await call(t, 'GET', '/admin/queues', { key: 'yn.admin' });
    expect(answer.status).toBe(503);
    expect(answer.contentType).toContain('application/problem+json');
    expect(answer.body.detail).toContain('REDIS_URL');
    expect((await call(t, 'GET', '/admin/queues/api/queues', { key: 'yn.admin' })).status).toBe(
      503,
    );
    expect((await call(t, 'GET', '/admin/queues')).status).toBe(401);
    expect((await call(t, 'GET', '/admin/queues', { key: 'yn.viewer' })).status).toBe(403);
  });
});
