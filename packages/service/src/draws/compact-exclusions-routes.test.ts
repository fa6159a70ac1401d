import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draws, exclusionSets } from '../db/schema.js';
import { loadExpertExclusions } from '../desk/desk-pool-exclusions.js';
import {
  addActiveExperts,
  makeTaskRequest,
  postTask,
  seedPanelPool,
} from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import {
  AUTHORITIES,
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import {
  COMPACT_EXCLUSIONS,
  compactExclusions,
  type ExclusionRecord,
  expandExclusions,
  isCompactExclusions,
  loadSnapshotIds,
} from './compact-exclusions.js';
import { loadExclusionSets, REASON_SET_EXCLUSIONS } from './exclusion-sets.js';

const backends = await availableBackends();

/** Every answer a stored draw's exclusion record shows up in. */
async function answers(t: TestContext, drawId: string) {
  const read = await call(t, 'GET', `/v1/draws/${drawId}`, { key: 'yn.auditor' });
  const exported = await call(t, 'GET', `/v1/draws/${drawId}/export`, { key: 'yn.auditor' });
  const verified = await call(t, 'GET', `/v1/draws/${drawId}/verify`, { key: 'yn.auditor' });
  const principal = {
    keyId: 'yn.auditor',
    authorityId: AUTHORITIES.yn.id,
    tier: 'province' as const,
    region: AUTHORITIES.yn.region,
    role: 'auditor' as const,
  };
  const desk = await loadExpertExclusions(t.database.db, principal, 'e-x2');
  return {
    read: { status: read.status, body: read.body },
    exported: { status: exported.status, body: exported.body },
    verified: { status: verified.status, body: verified.body },
    desk,
  };
}

describe.each(backends)('a draw stored with a compact exclusion record on %s', (kind) => {
  let t: TestContext;
  let drawId: string;

  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 8);
    // Three experts of another industry: left out (第十四条), so the record has a group.
    await addActiveExperts(t, [
      ['e-x1', { industries: ['machinery'] }],
      ['e-x2', { industries: ['machinery'] }],
      ['e-x3', { industries: ['machinery'] }],
    ]);
    const created = await postTask(t, makeTaskRequest({ id: 't-cx-1' }), 'key-t-cx-1');
    expect(created.status).toBe(201);
    drawId = (created.body as unknown as TaskView).draw?.id ?? '';
  });
  afterAll(() => t.close());

  it('stores pool indices, not the excluded experts ids', async () => {
    const [row] = await t.database.db.select().from(draws).where(eq(draws.id, drawId));
    expect(row?.exclusions).toMatchObject({ encoding: REASON_SET_EXCLUSIONS });
    expect(JSON.stringify(row?.exclusions)).not.toContain('e-x2');
  });

  it('answers every read as the uncompressed record it stands for, and as an old draw does', async () => {
    const compact = await answers(t, drawId);
    expect(compact.read.status).toBe(200);
    expect(compact.exported.status).toBe(200);
    expect(compact.verified.status).toBe(200);
    const result = (compact.read.body as { result: { excluded: { expertIds: string[] }[] } })
      .result;
    expect(result.excluded.flatMap((group) => group.expertIds).sort()).toEqual([
      'e-x1',
      'e-x2',
      'e-x3',
    ]);
    expect(compact.verified.body).toMatchObject({ ok: true });
    expect(compact.desk.map((found) => found.drawId)).toEqual([drawId]);

    // The same draw as an old one: its record rewritten with the ids, as draws stored before.
    const [row] = await t.database.db.select().from(draws).where(eq(draws.id, drawId));
    if (row === undefined) throw new Error('no draw row');
    const ids = await loadSnapshotIds(t.database.db, row.poolSnapshotDigest);
    const stored = row.exclusions as Record<string, unknown>;
    const old = expandExclusions(stored, ids, await loadExclusionSets(t.database.db, stored));
    expect(isCompactExclusions(old)).toBe(false);
    const rewrite = async (exclusions: unknown) => {
      await t.database.db.update(draws).set({ exclusions }).where(eq(draws.id, drawId));
      return answers(t, drawId);
    };
    expect(await rewrite(old)).toEqual(compact);

    // As a draw stored it before 0029: one encoded index set per group (pool-indices@1).
    const idList = ids ?? [];
    const perGroup = compactExclusions(
      old as ExclusionRecord,
      idList,
      new Map(idList.map((id, i) => [id, i])),
    );
    expect(perGroup).toMatchObject({ encoding: COMPACT_EXCLUSIONS });
    expect(await rewrite(perGroup)).toEqual(compact);

    // Every reason's set stored by hash in exclusion_sets (what a large pool's draw stores).
    const reasonSets = stored.reasonSets as { reason: string; indices?: string; set?: string }[];
    const byHash = reasonSets.map((entry) =>
      entry.indices === undefined ? entry : { reason: entry.reason, set: `test-${entry.reason}` },
    );
    for (const entry of reasonSets)
      if (entry.indices !== undefined)
        await t.database.db
          .insert(exclusionSets)
          .values({ hash: `test-${entry.reason}`, indices: entry.indices })
          .onConflictDoNothing();
    expect(await rewrite({ ...stored, reasonSets: byHash })).toEqual(compact);
    expect(await rewrite(stored)).toEqual(compact);
  });
});
