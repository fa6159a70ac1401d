import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER } from '../db/open-database.js';
import { certificates, experts } from '../db/schema.js';
import { makeActiveExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

/** The statements of migration 0019 that give existing appointments their certificates. */
const BACKFILL = readFileSync(
  join(MIGRATIONS_FOLDER, '0019_certificates_and_recommenders.sql'),
  'utf8',
)
  .split('--> statement-breakpoint')
  .map((statement) =>
    statement
      .split('\n')
      .filter((line) => !line.startsWith('--'))
      .join('\n')
      .trim(),
  )
  .filter((statement) => /^INSERT INTO "certificate(s|_counters)"/.test(statement));

describe.each(backends)('certificates of the appointments before 0019 (第十一条) on %s', (kind) => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext(kind);
    for (const [id, from, to, sealed, idNumber] of [
      ['b-3', '2025-01-01', '2027-12-31', true, '530102197506151113'],
      ['b-1', '2026-03-01', '2029-02-28', false, '530102197506151111'],
      ['b-2', '2025-01-01', '2027-12-31', true, '530102197506151112'],
    ] as const) {
      const created = await call(t, 'POST', '/v1/experts', {
        key: 'yn.admin',
        json: makeActiveExpert({ id, idNumber, appointment: { from, to, sealed } }),
      });
      expect(created.status, created.text).toBe(201);
    }
    // As before 0019: appointments without certificates; one expert dismissed since.
    await t.database.db.update(experts).set({ status: 'dismissed' }).where(eq(experts.id, 'b-3'));
    await t.database.db.execute(sql`delete from certificates`);
    await t.database.db.execute(sql`delete from certificate_counters`);
    expect(BACKFILL).toHaveLength(2);
    for (const statement of BACKFILL) await t.database.db.execute(sql.raw(statement));
    // Setup time for a loaded machine (a fresh database and its migrations).
  }, 180_000);
  afterAll(() => t.close());

  it('numbers them per year by term start, then expert id, with their seal and revocation', async () => {
    const rows = await t.database.db
      .select()
      .from(certificates)
      .orderBy(asc(certificates.year), asc(certificates.seq));
    expect(
      rows.map((r) => [r.year, r.seq, r.expertId, r.sealedAt !== null, r.revokedAt !== null]),
    ).toEqual([
      [2025, 1, 'b-2', true, false],
      [2025, 2, 'b-3', true, true],
      [2026, 1, 'b-1', false, false],
    ]);
  });

  it('continues each year’s numbers after them', async () => {
    const created = await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeActiveExpert({
        id: 'b-4',
        idNumber: '530102197506151114',
        appointment: { from: '2025-06-01', to: '2028-05-31', sealed: false },
      }),
    });
    expect(created.status).toBe(201);
    const view = await call(t, 'GET', '/v1/experts/b-4/certificate', { key: 'yn.admin' });
    expect(view.body.current).toMatchObject({ number: '云应急专家〔2025〕第0003号' });
  });
});
