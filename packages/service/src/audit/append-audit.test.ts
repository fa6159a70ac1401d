import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../db/open-database.js';
import { auditHead, auditLog } from '../db/schema.js';
import { availableBackends, createTestDatabase } from '../testing/test-backends.test-helpers.js';
import { appendAudit } from './append-audit.js';
import type { AuditEntryInput } from './audit-entry.js';
import { verifyAuditChain } from './verify-audit-chain.js';

const backends = await availableBackends();

function entry(n: number, after: unknown = { n }): AuditEntryInput {
  return {
    actor: { keyId: 'k-test', authorityId: 'yn' },
    action: 'test.appended',
    entityType: 'test',
    entityId: `e-${n}`,
    before: null,
    after,
  };
}

describe.each(backends)('appendAudit on %s', (kind) => {
  let database: OpenDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database.close());

  it('keeps one linear chain when 24 transactions append at once', async () => {
    await Promise.all(
      Array.from({ length: 24 }, (_, n) =>
        database.db.transaction((tx) => appendAudit(tx, [entry(2 * n), entry(2 * n + 1)])),
      ),
    );
    const rows = await database.db.select().from(auditLog).orderBy(asc(auditLog.seq));
    expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 48 }, (_, i) => i + 1));
    // Each transaction's two entries are adjacent: nobody slipped between them.
    for (let i = 0; i < rows.length; i += 2) {
      const [first, second] = [rows[i], rows[i + 1]];
      expect(Number(second?.entityId.slice(2))).toBe(Number(first?.entityId.slice(2)) + 1);
    }
    const verification = await verifyAuditChain(database.db);
    expect(verification.ok).toBe(true);
    const [head] = await database.db.select().from(auditHead);
    expect(head).toEqual({ id: 1, seq: 48, hash: rows[47]?.hash });
  });

  it('leaves the head and the log untouched when the transaction rolls back', async () => {
    const [before] = await database.db.select().from(auditHead);
    await expect(
      database.db.transaction(async (tx) => {
        await appendAudit(tx, entry(1000));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const [after] = await database.db.select().from(auditHead);
    expect(after).toEqual(before);
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
    const rows = await database.db.select().from(auditLog).orderBy(asc(auditLog.seq));
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
    const [head] = await database.db.select().from(auditHead);
    expect(head?.hash).toBe(written[2499]?.hash);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });
});
