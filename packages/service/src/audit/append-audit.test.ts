import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../db/open-database.js';
import { auditHead, auditLog } from '../db/schema.js';
import { availableBackends, createTestDatabase } from '../testing/test-backends.test-helpers.js';
import { appendAudit } from './append-audit.js';
import { type AuditEntryInput, chainOf } from './audit-entry.js';
import { verifyAuditChain } from './verify-audit-chain.js';

const backends = await availableBackends();

function entry(
  n: number,
  after: unknown = { n },
  authorityId: string | null = 'yn',
): AuditEntryInput {
  return {
    actor: { keyId: 'k-test', authorityId },
    action: 'test.appended',
    entityType: 'test',
    entityId: `e-${n}`,
    before: null,
    after,
  };
}

const chainSeqs = (rows: { chainSeq: number | null }[]) => rows.map((row) => row.chainSeq);

describe.each(backends)('appendAudit on %s', (kind) => {
  let database: OpenDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database.close());

  const headOf = async (chain: string) => {
    const [head] = await database.db.select().from(auditHead).where(eq(auditHead.chain, chain));
    return head;
  };
  const rowsOf = (chain: string) =>
    database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.chain, chain))
      .orderBy(asc(auditLog.chainSeq));

  it('keeps one linear chain per authority when 24 transactions of two authorities append at once', async () => {
    await Promise.all(
      Array.from({ length: 24 }, (_, n) =>
        database.db.transaction((tx) =>
          appendAudit(tx, [
            entry(2 * n, { n }, n % 2 === 0 ? 'yn' : 'km'),
            entry(2 * n + 1, { n }, n % 2 === 0 ? 'yn' : 'km'),
          ]),
        ),
      ),
    );
    for (const chain of ['authority:yn', 'authority:km']) {
      const rows = await rowsOf(chain);
      expect(chainSeqs(rows)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
      // Each transaction's two entries are adjacent: nobody slipped between them.
      for (let i = 0; i < rows.length; i += 2) {
        const [first, second] = [rows[i], rows[i + 1]];
        expect(Number(second?.entityId.slice(2))).toBe(Number(first?.entityId.slice(2)) + 1);
      }
      expect(await headOf(chain)).toEqual({
        chain,
        seq: 24,
        hash: rows[23]?.hash,
        closedAt: null,
      });
    }
    const verification = await verifyAuditChain(database.db);
    expect(verification.ok).toBe(true);
    expect(verification.chains.map((c) => [c.chain, c.entries])).toEqual([
      ['authority:km', 24],
      ['authority:yn', 24],
      ['legacy', 0],
    ]);
  });

  it('puts entries of no authority on the system chain, several chains in one call', async () => {
    const written = await database.db.transaction((tx) =>
      appendAudit(tx, [entry(500, 1, null), entry(501, 2, 'km'), entry(502, 3, null)]),
    );
    expect(written.map((e) => [e.chain, e.chainSeq, e.entityId])).toEqual([
      ['system', 1, 'e-500'],
      ['authority:km', 25, 'e-501'],
      ['system', 2, 'e-502'],
    ]);
    // The listing number comes from a sequence: unique, and returned as stored.
    const stored = await database.db.select().from(auditLog).where(eq(auditLog.chain, 'system'));
    expect(stored.map((row) => row.seq).sort()).toEqual(
      written
        .filter((e) => e.chain === 'system')
        .map((e) => e.seq)
        .sort(),
    );
    expect(chainOf({ keyId: null, authorityId: null })).toBe('system');
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });

  it('leaves the head and the log untouched when the transaction rolls back', async () => {
    const before = await headOf('authority:yn');
    await expect(
      database.db.transaction(async (tx) => {
        await appendAudit(tx, entry(1000));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await headOf('authority:yn')).toEqual(before);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });

  it('stores null, nested and unicode values as they were hashed', async () => {
    await database.db.transaction((tx) =>
      appendAudit(tx, [
        entry(2000, null),
        entry(2001, { name: '张𠀋三', list: [1, 2.5, { deep: true }], empty: {} }),
        { ...entry(2002), reason: '回避：同单位' },
      ]),
    );
    const rows = await rowsOf('authority:yn');
    const last = rows.slice(-3);
    expect(last[0]?.after).toBeNull();
    expect(last[1]?.after).toEqual({ name: '张𠀋三', list: [1, 2.5, { deep: true }], empty: {} });
    expect(last[2]?.reason).toBe('回避：同单位');
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });

  it('appends thousands of entries in a few statements', async () => {
    const many = Array.from({ length: 2500 }, (_, n) => entry(10_000 + n));
    const written = await database.db.transaction((tx) => appendAudit(tx, many));
    expect(written).toHaveLength(2500);
    expect((await headOf('authority:yn'))?.hash).toBe(written[2499]?.hash);
    expect(await verifyAuditChain(database.db, [], { chain: 'authority:yn' })).toMatchObject({
      ok: true,
    });
  });

  it('puts a system actor’s entry about a task on the task authority’s chain', async () => {
    await database.db.execute(
      sql`insert into authorities (id, tier, region, name) values ('wh', 'county', '530102', '五华区')`,
    );
    await database.db.execute(
      sql`insert into tasks (id, authority_id, type, status, body, window_from, window_to, created_by)
          values ('t-wh', 'wh', 'review', 'inviting', '{}'::jsonb, now(), now() + interval '1 day', 'k')`,
    );
    const dispatch = { keyId: 'system:dispatch', authorityId: null };
    const written = await database.db.transaction((tx) =>
      appendAudit(tx, [
        { actor: dispatch, action: 'invitation.timed_out', entityType: 'task', entityId: 't-wh' },
        { actor: dispatch, action: 'x', entityType: 'task', entityId: 't-none' },
        { actor: dispatch, action: 'x', entityType: 'expert', entityId: 'e', authorityId: 'km' },
      ]),
    );
    expect(written.map((e) => e.chain)).toEqual(['authority:wh', 'system', 'authority:km']);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });

  it('never appends to the closed legacy chain', async () => {
    await expect(
      database.db.execute(
        sql`insert into audit_log (chain, chain_seq, at, action, entity_type, entity_id,
                                   prev_hash, hash, hash_version)
            values ('legacy', null, now(), 'x', 'x', 'x', ${'0'.repeat(64)}, ${'f'.repeat(64)}, 3)`,
      ),
    ).rejects.toThrow();
  });

  // Only PostgreSQL has a second connection to append on while the first transaction is open
  // (PGlite runs one statement at a time), so the PGlite suite does not define this case.
  if (kind === 'postgres') {
    it('lets authority B append while authority A’s head is locked by an open transaction', async () => {
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked: () => void = () => {};
      const lockTaken = new Promise<void>((resolve) => {
        locked = resolve;
      });
      // A's transaction appends (taking A's head row lock) and stays open.
      const holder = database.db.transaction(async (tx) => {
        await appendAudit(tx, entry(3000, 'held', 'yn'));
        locked();
        await held;
      });
      await lockTaken;
      try {
        // B's append commits while A's lock is held: lock_timeout would fail it otherwise.
        const [written] = await database.db.transaction(async (tx) => {
          await tx.execute(sql`set local lock_timeout = '5s'`);
          return appendAudit(tx, entry(3001, 'free', 'km'));
        });
        expect(written?.chain).toBe('authority:km');
        // The control: another append of A does wait for that lock (and gives up here).
        await expect(
          database.db.transaction(async (tx) => {
            await tx.execute(sql`set local lock_timeout = '200ms'`);
            await appendAudit(tx, entry(3002, 'waits', 'yn'));
          }),
        ).rejects.toMatchObject({ cause: { code: '55P03' } }); // lock_not_available
      } finally {
        release();
        await holder;
      }
      expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
    });
  }
});
