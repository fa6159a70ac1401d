import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../dispatch/dispatch.test-helpers.js';
import { createScratchPostgres } from '../testing/scratch-postgres.test-helpers.js';
import {
  type ServiceProcess,
  startServiceProcess,
} from '../testing/service-process.test-helpers.js';
import { availableBackends, POSTGRES_ADMIN_URL } from '../testing/test-backends.test-helpers.js';

// The first start of a demo, as `npm start` (PGlite) and `DEMO=true npm start` (PostgreSQL) do
// it: the pool is seeded before the scheduler's first round, which then reminds the pool's
// stale profiles (第八条（一）) — and the once-shown admin key comes after those reminders. No
// secret is configured, so the first start generates them and says so once.
const backends = await availableBackends();

/** The storage settings of a fresh demo start on a backend, and how to remove it afterwards. */
async function freshStorage(kind: string) {
  if (kind === 'postgres') {
    const scratch = await createScratchPostgres(POSTGRES_ADMIN_URL, 'ed_demo', 2);
    await scratch.database.close();
    return { env: { DATABASE_URL: scratch.url, DEMO: 'true' }, remove: scratch.drop };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'ed-demo-'));
  return {
    env: { DATA_DIR: dataDir },
    remove: () => rm(dataDir, { recursive: true, force: true }),
  };
}

describe.each(backends)('a demo’s first start on %s', (kind) => {
  let api: ServiceProcess | undefined;
  let remove: () => Promise<void> = async () => {};
  afterAll(async () => {
    await api?.stop();
    await remove();
  }, 60_000);

  it('seeds the pool before the scheduler reminds stale profiles (第八条（一）) and prints the admin key after the reminders, warning once of generated secrets', async () => {
    const storage = await freshStorage(kind);
    remove = storage.remove;
    // It listens once the pool and its year of history are seeded: minutes on a loaded machine.
    api = await startServiceProcess(
      'api',
      `demo-${kind}`,
      { ...storage.env, DEMO_SIZE: '30' },
      { readyTimeoutMs: 180_000 },
    );
    const running = api;
    // A first start seeds a year of demo history too: allow a loaded CI machine its time.
    await until(() => running.output().includes('Admin API key'), 150_000);
    const lines = running.output().split('\n');

    const reminderRun = lines
      .filter((line) => line.includes('"msg":"scheduled job ran"'))
      .map((line) => JSON.parse(line) as { job: string; result: { reminded?: number } })
      .find((entry) => entry.job === 'profile_reminder');
    expect(reminderRun?.result.reminded).toBeGreaterThan(0);

    const keyAt = lines.findIndex((line) => line.includes('Admin API key'));
    const lastReminder = lines.findLastIndex((line) => line.includes('notice (log channel)'));
    expect(lastReminder).toBeGreaterThanOrEqual(0);
    expect(lastReminder).toBeLessThan(keyAt);
    expect(lines[keyAt + 1]).toMatch(/^ {3}edk_\S+$/);

    // No secret is configured: one warning says they were generated, without their values.
    const warnings = lines.filter((line) => line.includes('service_secrets'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"level":40');
    expect(warnings[0]).toContain('REPLY_LINK_SECRET, NOTIFY_SIGNING_SECRET not set');
    expect(warnings[0]).not.toMatch(/[0-9a-f]{32}/);
  }, 360_000);
});
