import { yunnanGmy2025 } from '@expert-dispatch/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { verifyAuditChain } from '../audit/verify-audit-chain.js';
import type { OpenDatabase } from '../db/open-database.js';
import { readEnv } from '../env.js';
import { createLogger } from '../logger.js';
import { resolveServiceEnv } from '../secrets/resolve-service-env.js';
import { availableBackends, createTestDatabase } from '../testing/test-backends.test-helpers.js';
import { seedDemoIfEmpty } from './seed-demo.js';
import { type DemoHistory, demoHistoryTasks, seedDemoHistory } from './seed-demo-history.js';

const backends = await availableBackends();
const now = new Date('2026-03-02T01:00:00Z');

describe.each(backends)('the demo history on %s', (kind) => {
  let database: OpenDatabase;
  let adminKey: string;
  let history: DemoHistory;
  let app: ReturnType<typeof createApp>;
  const get = async (path: string): Promise<Record<string, unknown>> => {
    const response = await app.request(path, { headers: { authorization: `Bearer ${adminKey}` } });
    return (await response.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const env = (await resolveServiceEnv(readEnv({ LOG_LEVEL: 'silent' }), database.db, 'api')).env;
    const seeded = await seedDemoIfEmpty(database.db, { size: 300, seed: 7, now });
    adminKey = seeded?.key.key ?? '';
    history = await seedDemoHistory(database.db, env, yunnanGmy2025, {
      seed: 7,
      now,
      tasks: demoHistoryTasks(300),
    });
    app = createApp({
      db: database.db,
      env,
      logger: createLogger('silent'),
      ruleSet: yunnanGmy2025,
      now: () => now,
    });
  }, 300_000);
  afterAll(() => database.close());

  it('fills last year’s annual report with tasks, declines and ratings made through the API', async () => {
    expect(history.tasks).toBeGreaterThanOrEqual(24);
    const report = await get('/v1/reports/annual?year=2025');
    const experts = report.experts as unknown as Record<string, number>[];
    const sum = (key: string) => experts.reduce((total, row) => total + (row[key] ?? 0), 0);
    expect(sum('tasksServed')).toBeGreaterThan(20);
    expect(sum('declinedJustified') + sum('declinedUnjustified')).toBeGreaterThan(3);
    expect(sum('ratings')).toBeGreaterThan(20);
  });

  it('leaves warnings with their evidence (第二十三条（一）（二）), decided declines and a sound audit chain', async () => {
    expect(history.warnings).toBeGreaterThan(0);
    const exported = await get('/v1/experts/export?status=active');
    const warned = (exported.experts as { warnings?: { article: string }[] }[]).filter(
      (expert) => (expert.warnings ?? []).length > 0,
    );
    expect(warned).toHaveLength(history.warnings);
    for (const expert of warned) {
      expect(expert.warnings?.[0]?.article).toMatch(/^第二十三条（[一二]）$/);
    }
    const decided = await get('/v1/reviews/declines?state=decided');
    expect((decided.items as unknown[]).length).toBeGreaterThan(0);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });
});
