import { createPublicKey, verify } from 'node:crypto';
import { desc, eq, type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditHead, auditLog } from '../db/schema.js';
import {
  availableBackends,
  type CallResult,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { appendAudit } from './append-audit.js';
import { type AuditEntryInput, hashEntry, microsecondTime } from './audit-entry.js';
import { checkpointMessage, isCheckpointSigned } from './checkpoint-key.js';
import { AUDIT_SELECTION, rowToAuditEntry } from './verify-audit-chain.js';

const backends = await availableBackends();

const entry = (n: number): AuditEntryInput => ({
  actor: { keyId: 'k-test', authorityId: 'yn-yjt' },
  action: 'test.appended',
  entityType: 'test',
  entityId: `e-${n}`,
  reason: `第 ${n} 条`,
  after: { n },
});

interface Checkpoint {
  id: number;
  sequence: number;
  hash: string;
  at: string;
  keyId: string;
  signature: string;
}

describe.each(backends)('audit anchoring on %s', (kind) => {
  let t: TestContext;
  let n = 0;
  /** Appends `count` entries at the test clock's time. */
  const append = (count = 1) => {
    const first = n + 1;
    n += count;
    const inputs = Array.from({ length: count }, (_, k) => entry(first + k));
    return t.database.db.transaction((tx) => appendAudit(tx, inputs, t.clock.now()));
  };
  /** What someone with the database's superuser does: triggers off, for one transaction. */
  const tamper = (...statements: SQL[]) =>
    t.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      for (const statement of statements) await tx.execute(statement);
    });
  const verifyNow = () => call(t, 'GET', '/v1/audit/verify', { key: 'yn.auditor' });
  const checkpointNow = async (): Promise<Checkpoint> => {
    const response = await call(t, 'POST', '/v1/audit/checkpoints', { key: 'yn.auditor' });
    expect(response.status).toBe(201);
    return response.body as unknown as Checkpoint;
  };
  const entryAt = async (seq: number) => {
    const [row] = await t.database.db
      .select(AUDIT_SELECTION)
      .from(auditLog)
      .where(eq(auditLog.seq, seq));
    if (row === undefined) throw new Error(`no entry ${seq}`);
    return rowToAuditEntry(row);
  };
  const lastSeq = async () => {
    const [row] = await t.database.db
      .select({ seq: auditLog.seq })
      .from(auditLog)
      .orderBy(desc(auditLog.seq))
      .limit(1);
    return row?.seq ?? 0;
  };
  const expectIntact = (report: CallResult) =>
    expect(report.body).toMatchObject({
      ok: true,
      firstBroken: null,
      head: { matches: true },
      checkpoints: { firstInconsistent: null },
    });

  beforeAll(async () => {
    t = await createTestContext(kind);
  });
  afterAll(() => t.close());

  it('still verifies entries hashed to the millisecond before 0010, beside new microsecond ones', async () => {
    // An entry as appendAudit wrote it before migration 0010: version 1, milliseconds.
    const [head] = await t.database.db.select().from(auditHead);
    if (head === undefined) throw new Error('no head');
    const at = new Date('2026-03-02T01:00:00.123Z');
    const legacy = {
      seq: head.seq + 1,
      at: at.toISOString(),
      actorKeyId: 'k-old',
      actorAuthorityId: 'yn-yjt',
      action: 'test.legacy',
      entityType: 'test',
      entityId: 'legacy',
      reason: null,
      before: null,
      after: { old: true },
      hashVersion: 1 as const,
    };
    const hash = hashEntry(head.hash, legacy);
    await t.database.db.transaction(async (tx) => {
      await tx.insert(auditLog).values({ ...legacy, at, prevHash: head.hash, hash });
      await tx.update(auditHead).set({ seq: legacy.seq, hash }).where(eq(auditHead.id, 1));
    });
    await append(2);
    expectIntact(await verifyNow());
    const page = await call(t, 'GET', `/v1/audit?afterSeq=${head.seq}`, { key: 'yn.auditor' });
    expect(page.body.items?.map((e) => [e.hashVersion, e.at])).toEqual([
      [1, '2026-03-02T01:00:00.123Z'],
      [2, microsecondTime(t.clock.now())],
      [2, microsecondTime(t.clock.now())],
    ]);
  });

  it('verifies one snapshot while entries are appended: nothing is "past the head"', async () => {
    const reports = await Promise.all([
      ...Array.from({ length: 12 }, () => append(3).then(() => null)),
      ...Array.from({ length: 4 }, () => verifyNow()),
    ]);
    for (const report of reports) if (report !== null) expectIntact(report);
  });

  it('hashes the time to the microsecond: a change of one microsecond is found', async () => {
    const [written] = await append();
    const seq = written?.seq ?? 0;
    expect((await entryAt(seq)).at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await tamper(sql`update audit_log set at = at + interval '1 microsecond' where seq = ${seq}`);
    // The database writes the text itself: the same on PostgreSQL and PGlite.
    expect((await entryAt(seq)).at).toBe(microsecondTime(t.clock.now()).replace(/000Z$/, '001Z'));
    expect((await verifyNow()).body).toMatchObject({
      ok: false,
      firstBroken: { seq, problem: 'hash_mismatch' },
    });
    await tamper(sql`update audit_log set at = at - interval '1 microsecond' where seq = ${seq}`);
    expectIntact(await verifyNow());
  });

  it('finds a microsecond added to an entry hashed to the millisecond', async () => {
    const [legacy] = await t.database.db
      .select({ seq: auditLog.seq })
      .from(auditLog)
      .where(eq(auditLog.hashVersion, 1))
      .orderBy(desc(auditLog.seq))
      .limit(1);
    const seq = legacy?.seq ?? 0;
    await tamper(sql`update audit_log set at = at + interval '1 microsecond' where seq = ${seq}`);
    expect((await verifyNow()).body.firstBroken).toMatchObject({ seq, problem: 'hash_mismatch' });
    await tamper(sql`update audit_log set at = at - interval '1 microsecond' where seq = ${seq}`);
    expectIntact(await verifyNow());
  });

  it('signs the head with a key anyone can check from GET /v1/audit/checkpoints', async () => {
    await append(3);
    const checkpoint = await checkpointNow();
    expect(checkpoint).toMatchObject({ sequence: await lastSeq(), trigger: 'on_demand' });
    const listed = await call(t, 'GET', '/v1/audit/checkpoints', { key: 'yn.admin' });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual(checkpoint);
    const keys = listed.body.keys as { keyId: string; publicKeyPem: string; current: boolean }[];
    const key = keys.find((k) => k.keyId === checkpoint.keyId);
    expect(key?.current).toBe(true);
    const message = Buffer.from(checkpointMessage(checkpoint), 'utf8');
    const publicKey = createPublicKey(key?.publicKeyPem ?? '');
    expect(verify(null, message, publicKey, Buffer.from(checkpoint.signature, 'base64'))).toBe(
      true,
    );
    // The same statement with another sequence, hash or time is not what was signed.
    for (const altered of [
      { ...checkpoint, sequence: checkpoint.sequence - 1 },
      { ...checkpoint, hash: '0'.repeat(64) },
      { ...checkpoint, at: '2026-03-02T00:00:00.000Z' },
    ]) {
      const text = Buffer.from(checkpointMessage(altered), 'utf8');
      expect(verify(null, text, publicKey, Buffer.from(checkpoint.signature, 'base64'))).toBe(
        false,
      );
    }
    expect((await verifyNow()).body.checkpoints).toMatchObject({
      newestConsistent: { id: checkpoint.id, sequence: checkpoint.sequence },
      firstInconsistent: null,
    });
  });

  it('refuses checkpoints to viewers and dispatchers', async () => {
    for (const key of ['yn.viewer', 'yn.dispatcher'] as const) {
      expect((await call(t, 'POST', '/v1/audit/checkpoints', { key })).status).toBe(403);
      expect((await call(t, 'GET', '/v1/audit/checkpoints', { key })).status).toBe(403);
    }
  });

  it('finds the newest entry deleted: the log no longer ends at the head', async () => {
    await append(2);
    const seq = await lastSeq();
    await tamper(sql`delete from audit_log where seq = ${seq}`);
    const report = await verifyNow();
    expect(report.body).toMatchObject({
      ok: false,
      lastSeq: seq - 1,
      firstBroken: { seq, problem: 'head_mismatch' },
      head: { seq, matches: false },
    });
    // Nor is a checkpoint signed over it.
    const refused = await call(t, 'POST', '/v1/audit/checkpoints', { key: 'yn.admin' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'audit_chain_broken' });
  });

  it('finds the tail and the head rewritten together, against the checkpoint that signed them', async () => {
    // Mend the head the previous test left behind, as a careful intruder would.
    const mended = await entryAt(await lastSeq());
    await tamper(
      sql`update audit_head set seq = ${mended.seq}, hash = ${mended.hash} where id = 1`,
    );
    expectIntact(await verifyNow());
    const before = await checkpointNow();
    await append(2);
    const signed = await checkpointNow();

    // Rewrite the newest entry consistently: new reason, new hash, new head.
    const last = await entryAt(signed.sequence);
    const rewritten = { ...last, reason: '改写的理由' };
    const hash = hashEntry(last.prevHash, rewritten);
    await tamper(
      sql`update audit_log set reason = ${rewritten.reason}, hash = ${hash} where seq = ${last.seq}`,
      sql`update audit_head set hash = ${hash} where id = 1`,
    );
    const report = await verifyNow();
    expect(report.body).toMatchObject({
      ok: false,
      firstBroken: null,
      head: { matches: true },
      checkpoints: {
        newestConsistent: { id: before.id },
        firstInconsistent: { checkpoint: { id: signed.id }, problem: 'hash_mismatch' },
      },
    });

    // Cut the rewritten tail off instead, head and all: the checkpoint misses its entry.
    await tamper(
      sql`delete from audit_log where seq >= ${signed.sequence - 1}`,
      sql`update audit_head set seq = ${signed.sequence - 2},
            hash = (select hash from audit_log where seq = ${signed.sequence - 2}) where id = 1`,
    );
    expect((await verifyNow()).body).toMatchObject({
      ok: false,
      firstBroken: null,
      checkpoints: {
        newestConsistent: { id: before.id },
        firstInconsistent: { checkpoint: { id: signed.id }, problem: 'entry_missing' },
      },
    });
  });

  it('finds a checkpoint altered in the database: its signature no longer holds', async () => {
    const listed = await call(t, 'GET', '/v1/audit/checkpoints', { key: 'yn.auditor' });
    const [first] = listed.body.items as unknown as Checkpoint[];
    if (first === undefined) throw new Error('no checkpoint');
    await tamper(sql`update audit_checkpoints set seq = seq + 1 where id = ${first.id}`);
    expect((await verifyNow()).body.checkpoints).toMatchObject({
      firstInconsistent: { checkpoint: { id: first.id }, problem: 'signature_invalid' },
    });
    const [key] = listed.body.keys as { publicKey: string }[];
    expect(isCheckpointSigned(first, first.signature, key?.publicKey ?? '')).toBe(true);
    const moved = { ...first, sequence: first.sequence + 1 };
    expect(isCheckpointSigned(moved, first.signature, key?.publicKey ?? '')).toBe(false);
  });

  it('keeps checkpoints append-only at the database', async () => {
    await expect(
      t.database.db.execute(sql`delete from audit_checkpoints where id = 1`),
    ).rejects.toThrow();
  });
});
