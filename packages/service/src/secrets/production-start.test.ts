import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../dispatch/dispatch.test-helpers.js';
import {
  createSharedDatabase,
  issueProvinceKey,
  requestJson,
  type SharedDatabase,
  seedPoolOverHttp,
} from '../scale/scale-out.test-helpers.js';
import { type HttpReceiver, startHttpReceiver } from '../testing/http-receiver.test-helpers.js';
import {
  availableQueueModes,
  dropQueuePrefix,
  freshQueuePrefix,
  TEST_REDIS_URL,
} from '../testing/redis.test-helpers.js';
import {
  type ServiceProcess,
  startServiceProcess,
} from '../testing/service-process.test-helpers.js';
import { availableBackends } from '../testing/test-backends.test-helpers.js';

// The root README's "as in production" block, run as written: NODE_ENV=production, secrets made
// with `openssl rand -hex 32`, PUBLIC_BASE_URL, the API (DISPATCH_WORKERS=false) and
// `npm run worker` as separate processes on one PostgreSQL and one Redis — and the same split
// in development, where nothing is configured and the worker links to the API's address.
const backends = await availableBackends();
const modes = await availableQueueModes();
const runnable = backends.includes('postgres') && modes.includes('bullmq');
if (!runnable) console.warn('production start test left out: it needs PostgreSQL and Redis');

const PUBLIC_BASE_URL = 'https://dispatch.example.gov.cn';
/** As `openssl rand -hex 32` prints them. */
const opensslRandHex32 = () => randomBytes(32).toString('hex');
/** As `openssl genpkey -algorithm ed25519` writes it. */
const AUDIT_SIGNING_KEY = generateKeyPairSync('ed25519')
  .privateKey.export({ format: 'pem', type: 'pkcs8' })
  .toString();
const checkpointDir = mkdtempSync(join(tmpdir(), 'ed-production-start-'));
const AUDIT_CHECKPOINT_FILE = join(checkpointDir, 'audit-checkpoints.jsonl');

describe('a production start without its settings', () => {
  it.each([
    ['API', 'REPLY_LINK_SECRET', 'api', {}],
    ['worker', 'NOTIFY_SIGNING_SECRET', 'worker', {}],
    [
      'worker',
      'PUBLIC_BASE_URL',
      'worker',
      { REPLY_LINK_SECRET: opensslRandHex32(), NOTIFY_SIGNING_SECRET: opensslRandHex32() },
    ],
  ] as const)(
    'refuses to start the %s without %s and says so in Chinese and English (exit 1)',
    async (_name, missing, role, extra) => {
      const start = startServiceProcess(role, `refused-${role}`, {
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/never_opened',
        ...extra,
      });
      const failure = await start.then(
        () => new Error('started'),
        (error: unknown) => error as Error,
      );
      expect(failure.message).toContain('ended before it was ready (exit code 1)');
      expect(failure.message).toMatch(
        new RegExp(`${missing}: required in production.*/ 生产环境必须设置`),
      );
      expect(failure.message).not.toMatch(/\n\s+at /);
    },
  );
});

/** How a pair of processes is started, and where its reply links must point. */
interface SplitMode {
  readonly name: string;
  readonly env: Record<string, string>;
  /** Production: the worker may start first. Development: the API records its address first. */
  readonly workerFirst: boolean;
  readonly linkBase: (apiUrl: string) => string;
  /** Whether the processes warn that they generated the reply-link secret. */
  readonly generates: boolean;
}

const SPLIT_MODES: readonly SplitMode[] = [
  {
    name: 'production as the README starts it',
    env: {
      NODE_ENV: 'production',
      REPLY_LINK_SECRET: opensslRandHex32(),
      PUBLIC_BASE_URL,
      AUDIT_SIGNING_KEY,
      AUDIT_CHECKPOINT_FILE,
    },
    workerFirst: true,
    linkBase: () => PUBLIC_BASE_URL,
    generates: false,
  },
  {
    name: 'development without PUBLIC_BASE_URL or REPLY_LINK_SECRET',
    env: {},
    workerFirst: false,
    linkBase: (apiUrl) => `http://localhost:${new URL(apiUrl).port}`,
    generates: true,
  },
];

describe.runIf(runnable).each(SPLIT_MODES)('$name: API and worker apart', (mode) => {
  let shared: SharedDatabase;
  let receiver: HttpReceiver;
  let api: ServiceProcess | undefined;
  let worker: ServiceProcess | undefined;
  let adminKey = '';
  let dispatcherKey = '';
  const prefix = freshQueuePrefix();
  const signingSecret = opensslRandHex32();

  beforeAll(async () => {
    receiver = await startHttpReceiver(signingSecret);
    shared = await createSharedDatabase();
    adminKey = await issueProvinceKey(shared.database, 'admin');
    dispatcherKey = await issueProvinceKey(shared.database, 'dispatcher');
    const env = {
      DATABASE_URL: shared.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      NOTIFY_SIGNING_SECRET: signingSecret,
      // The test's webhook receiver listens on 127.0.0.1, which is refused otherwise.
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      OUTBOX_RELAY_INTERVAL_MS: '200',
      NOTIFY_RATE_LIMIT_PER_HOUR: '0',
      ...mode.env,
    };
    const startApi = () => startServiceProcess('api', 'api', { ...env, DISPATCH_WORKERS: 'false' });
    const startWorker = () => startServiceProcess('worker', 'worker', env);
    if (mode.workerFirst) {
      worker = await startWorker();
      api = await startApi();
    } else {
      api = await startApi();
      worker = await startWorker();
    }
    await seedPoolOverHttp([api.url], adminKey, 6, receiver.url);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await receiver?.close();
    await shared?.drop();
    await dropQueuePrefix(prefix);
    rmSync(checkpointDir, { recursive: true, force: true });
  }, 60_000);

  it('sends reply links to the API from the worker, never to the worker’s own port, and the API opens them (第十五条)', async () => {
    const running = api as ServiceProcess;
    const created = await requestJson(
      `${running.url}/v1/tasks`,
      'POST',
      dispatcherKey,
      {
        type: 'enforcement_inspection',
        industries: ['metallurgy'],
        enterprise: { id: 'org-steel', name: '昆明钢铁有限公司', region: '530111' },
        window: { from: '2026-12-08T08:30:00+08:00', to: '2026-12-09T18:00:00+08:00' },
        panelSize: 3,
        alternates: 1,
      },
      { 'idempotency-key': 'production-start-0001' },
    );
    expect(created.status).toBe(201);
    await until(() => receiver.requests.some((request) => request.body.replyUrl), 30_000);
    const invitation = receiver.requests.find((request) => request.body.replyUrl);
    expect(invitation?.signatureOk).toBe(true);
    const replyUrl = String(invitation?.body.replyUrl);
    const base = mode.linkBase(running.url);
    expect(replyUrl.startsWith(`${base}/r/`)).toBe(true);
    expect(replyUrl).not.toContain('localhost:3000');

    // The API checks the worker's signature: both run on one secret, configured or kept in
    // the database.
    const token = replyUrl.slice(`${base}/r/`.length);
    const page = await fetch(`${running.url}/r/${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('接受邀请');

    // Neither process logs the token; a generated secret is named in one warning, never shown.
    for (const child of [running, worker as ServiceProcess]) {
      const output = child.output();
      expect(output).not.toContain(token);
      const warnings = output.split('\n').filter((line) => line.includes('service_secrets'));
      expect(warnings).toHaveLength(mode.generates ? 1 : 0);
      for (const warning of warnings) expect(warning).toContain('REPLY_LINK_SECRET not set');
      expect(output).not.toMatch(/[0-9a-f]{64}/);
      expect(output).not.toContain('PRIVATE KEY');
      // The configured checkpoint key is used, not one generated into the database.
      if (mode.env.AUDIT_SIGNING_KEY) expect(output).not.toContain('set AUDIT_SIGNING_KEY');
    }
    if (mode.env.AUDIT_CHECKPOINT_FILE) {
      // The first scheduled round signs a checkpoint; the worker appends it outside the database.
      const file = AUDIT_CHECKPOINT_FILE;
      await until(
        () => existsSync(file) && readFileSync(file, 'utf8').includes('"signature"'),
        30_000,
      );
    }
  });
});
