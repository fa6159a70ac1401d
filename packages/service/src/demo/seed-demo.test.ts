import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../audit/verify-audit-chain.js';
import type { OpenDatabase } from '../db/open-database.js';
import { experts } from '../db/schema.js';
import { availableBackends, createTestDatabase } from '../testing/test-backends.test-helpers.js';
import { hasAuthority, seedDemoIfEmpty } from './seed-demo.js';
import { DEMO_EMPLOYERS } from './yunnan-places.js';

const backends = await availableBackends();
const now = new Date('2026-03-02T01:00:00Z');

describe.each(backends)('the demo seed on %s', (kind) => {
  let database: OpenDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database.close());

  it('fills an empty database once, with an admin key and a verifiable audit trail', async () => {
    expect(await hasAuthority(database.db)).toBe(false);
    const seeded = await seedDemoIfEmpty(database.db, { size: 120, seed: 3, now });
    expect(seeded?.experts).toBe(120);
    expect(seeded?.key).toMatchObject({ authorityId: 'yn-yjt', role: 'admin' });
    const [row] = await database.db.select({ n: count() }).from(experts);
    expect(row?.n).toBe(120);
    expect(await verifyAuditChain(database.db)).toMatchObject({
      ok: true,
      entries: 2 + DEMO_EMPLOYERS.length + 120,
    });
  });

  it('leaves a database that already has data alone', async () => {
    expect(await seedDemoIfEmpty(database.db, { size: 50, seed: 4, now })).toBeNull();
    const [row] = await database.db.select({ n: count() }).from(experts);
    expect(row?.n).toBe(120);
  });
});
