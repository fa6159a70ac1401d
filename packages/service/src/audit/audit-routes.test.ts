import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeActiveExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

describe.each(backends)('the audit log on %s', (kind) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(kind);
    await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeActiveExpert({ id: 'a-1' }),
    });
    await call(t, 'POST', '/v1/experts', {
      key: 'km.admin',
      json: makeActiveExpert({ id: 'a-km', tier: 'city' }),
    });
  });
  afterAll(() => t.close());

  it('verifies an untouched chain', async () => {
    const report = await call(t, 'GET', '/v1/audit/verify', { key: 'yn.auditor' });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ ok: true, firstBroken: null });
    const chains = report.body.chains as { chain: string; entries: number; ok: boolean }[];
    // One chain per authority that wrote, the keys' (system), and the empty legacy chain.
    expect(chains.map((c) => [c.chain, c.ok])).toEqual([
      ['authority:km-yjj', true],
      ['authority:yn-yjt', true],
      ['legacy', true],
      ['system', true],
    ]);
    expect(report.body.entries).toBe(chains.reduce((sum, c) => sum + c.entries, 0));
  });

  it('chains each entry to the previous one of its chain', async () => {
    const page = await call(t, 'GET', '/v1/audit?limit=1000', { key: 'yn.auditor' });
    const items = page.body.items ?? [];
    expect(items.length).toBeGreaterThan(10);
    const last = new Map<unknown, { chainSeq: unknown; hash: unknown }>();
    let seq = 0;
    for (const entry of items) {
      expect(entry.seq).toBeGreaterThan(seq);
      seq = Number(entry.seq);
      const previous = last.get(entry.chain);
      expect(entry.chainSeq).toBe(Number(previous?.chainSeq ?? 0) + 1);
      expect(entry.prevHash).toBe(previous?.hash ?? '0'.repeat(64));
      last.set(entry.chain, entry as { chainSeq: unknown; hash: unknown });
    }
    expect([...last.keys()].sort()).toEqual(['authority:km-yjj', 'authority:yn-yjt', 'system']);
  });

  it('pages with afterSeq', async () => {
    const first = await call(t, 'GET', '/v1/audit?limit=3', { key: 'yn.admin' });
    expect(first.body.items?.map((e) => e.seq)).toEqual([1, 2, 3]);
    const next = await call(t, 'GET', `/v1/audit?limit=3&afterSeq=${first.body.nextAfterSeq}`, {
      key: 'yn.admin',
    });
    expect(next.body.items?.map((e) => e.seq)).toEqual([4, 5, 6]);
  });

  it('shows a city auditor its own authority’s entries only', async () => {
    const page = await call(t, 'GET', '/v1/audit?limit=1000', { key: 'km.auditor' });
    expect(new Set(page.body.items?.map((e) => e.actorAuthorityId))).toEqual(new Set(['km-yjj']));
  });

  it('keeps the chain linear under concurrent writers', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `c-${i}`);
    await Promise.all(
      ids.map((id) =>
        call(t, 'POST', '/v1/experts', { key: 'yn.admin', json: makeActiveExpert({ id }) }),
      ),
    );
    const responses = await Promise.all(
      ids.map((id) =>
        call(t, 'POST', `/v1/experts/${id}/actions/suspend`, {
          key: 'yn.admin',
          json: { reason: '并发' },
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(ids.map(() => 200));
    const report = await call(t, 'GET', '/v1/audit/verify', { key: 'yn.auditor' });
    expect(report.body).toMatchObject({ ok: true, firstBroken: null });
  });

  it('refuses UPDATE and DELETE on the log at the database', async () => {
    await expect(
      t.database.db.execute(sql`update audit_log set reason = 'x' where seq = 1`),
    ).rejects.toThrow();
    await expect(t.database.db.execute(sql`delete from audit_log where seq = 1`)).rejects.toThrow();
  });

  it('finds the first tampered entry, then a missing one', async () => {
    await t.database.db.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    const yn = sql`chain = 'authority:yn-yjt'`;
    await t.database.db.execute(
      sql`update audit_log set after = jsonb_set(after, '{name}', '"改名"')
          where ${yn} and chain_seq = 5`,
    );
    const tampered = await call(t, 'GET', '/v1/audit/verify', { key: 'yn.auditor' });
    expect(tampered.body).toMatchObject({
      ok: false,
      firstBroken: { chain: 'authority:yn-yjt', seq: 5, problem: 'hash_mismatch' },
    });
    const chains = tampered.body.chains as { chain: string; ok: boolean; entries: number }[];
    expect(chains.filter((c) => !c.ok).map((c) => [c.chain, c.entries])).toEqual([
      ['authority:yn-yjt', 4],
    ]);
    await t.database.db.execute(sql`delete from audit_log where ${yn} and chain_seq in (3, 5)`);
    const gap = await call(t, 'GET', '/v1/audit/verify?authorityId=yn-yjt', {
      key: 'yn.auditor',
    });
    expect(gap.body).toMatchObject({
      ok: false,
      firstBroken: { chain: 'authority:yn-yjt', seq: 3, problem: 'sequence_gap' },
    });
    // Another authority's chain is untouched.
    const km = await call(t, 'GET', '/v1/audit/verify?authorityId=km-yjj', { key: 'yn.auditor' });
    expect(km.body).toMatchObject({ ok: true, firstBroken: null });
  });
});
