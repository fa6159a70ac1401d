import { createPublicKey, verify } from 'node:crypto';
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../db/schema.js';
import {
  availableBackends,
  type CallResult,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { appendAudit } from './append-audit.js';
import { type AuditEntryInput, hashEntry, microsecondTime } from './audit-entry.js';
import { checkpointMessage, isCheckpointSigned, loadCheckpointSigner } from './checkpoint-key.js';
import { takeCheckpoint } from './take-checkpoint.js';
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
  chain: string;
  sequence: number;
  hash: string;
  at: string;
  keyId: string;
  signature: string;
}

/** The chain the entries above go to: the province's. */
const CHAIN = 'authority:yn-yjt';

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
  /** The province chain's report in a verification. */
  const chainIn = (report: CallResult) =>
    (report.body.chains as unknown as { chain: string }[]).find((c) => c.chain === CHAIN);
  const checkpointNow = async (): Promise<Checkpoint> => {
    const response = await call(t, 'POST', '/v1/audit/checkpoints', { key: 'yn.auditor' });
    expect(response.status).toBe(201);
    const items = response.body.items as unknown as Checkpoint[];
    const mine = items.find((c) => c.chain === CHAIN);
    if (mine === undefined) throw new Error(`no checkpoint of ${CHAIN}`);
    return mine;
  };
  const entryAt = async (chainSeq: number) => {
    const [row] = await t.database.db
      .select(AUDIT_SELECTION)
      .from(auditLog)
      .where(and(eq(auditLog.chain, CHAIN), eq(auditLog.chainSeq, chainSeq)));
    if (row === undefined) throw new Error(`no entry ${chainSeq}`);
    return rowToAuditEntry(row);
  };
  const lastSeq = async () => {
    const [row] = await t.database.db
      .select({ chainSeq: auditLog.chainSeq })
      .from(auditLog)
      .where(eq(auditLog.chain, CHAIN))
      .orderBy(desc(auditLog.chainSeq))
      .limit(1);
    return row?.chainSeq ?? 0;
  };
  const expectIntact = (report: CallResult) => {
    expect(report.body).toMatchObject({
      ok: true,
      firstBroken: null,
      checkpoints: { firstInconsistent: null },
    });
    expect(chainIn(report)).toMatchObject({ ok: true, head: { matches: true } });
  };

  beforeAll(async () => {
    t = await createTestContext(kind);
    await append(1);
  });
  afterAll(() => t.close());

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
    const place = written?.chainSeq ?? 0;
    expect((await entryAt(place)).at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await tamper(sql`update audit_log set at = at + interval '1 microsecond' where seq = ${seq}`);
    // The database writes the text itself: the same on PostgreSQL and PGlite.
    expect((await entryAt(place)).at).toBe(microsecondTime(t.clock.now()).replace(/000Z$/, '001Z'));
    expect((await verifyNow()).body).toMatchObject({
      ok: false,
      firstBroken: { chain: CHAIN, seq: place, problem: 'hash_mismatch' },
    });
    await tamper(sql`update audit_log set at = at - interval '1 microsecond' where seq = ${seq}`);
    expectIntact(await verifyNow());
  });

  it('signs each chain’s head with a key anyone can check from GET /v1/audit/checkpoints', async () => {
    await append(3);
    const checkpoint = await checkpointNow();
    expect(checkpoint).toMatchObject({
      chain: CHAIN,
      sequence: await lastSeq(),
      trigger: 'on_demand',
    });
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
    // The same statement of another chain, sequence, hash or time is not what was signed.
    for (const altered of [
      { ...checkpoint, chain: 'authority:km-yjj' },
      { ...checkpoint, sequence: checkpoint.sequence - 1 },
      { ...checkpoint, hash: '0'.repeat(64) },
      { ...checkpoint, at: '2026-03-02T00:00:00.000Z' },
    ]) {
      const text = Buffer.from(checkpointMessage(altered), 'utf8');
      expect(verify(null, text, publicKey, Buffer.from(checkpoint.signature, 'base64'))).toBe(
        false,
      );
    }
    expect(chainIn(await verifyNow())).toMatchObject({
      checkpoints: {
        newestConsistent: { id: checkpoint.id, sequence: checkpoint.sequence },
        firstInconsistent: null,
      },
    });
  });

  it('refuses checkpoints to viewers and dispatchers', async () => {
    for (const key of ['yn.viewer', 'yn.dispatcher'] as const) {
      expect((await call(t, 'POST', '/v1/audit/checkpoints', { key })).status).toBe(403);
      expect((await call(t, 'GET', '/v1/audit/checkpoints', { key })).status).toBe(403);
    }
  });

  it('finds the newest entry deleted: the chain no longer ends at its head', async () => {
    await append(2);
    const seq = await lastSeq();
    await tamper(sql`delete from audit_log where chain = ${CHAIN} and chain_seq = ${seq}`);
    const report = await verifyNow();
    expect(report.body).toMatchObject({
      ok: false,
      firstBroken: { chain: CHAIN, seq, problem: 'head_mismatch' },
    });
    expect(chainIn(report)).toMatchObject({
      ok: false,
      lastSeq: seq - 1,
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
      sql`update audit_head set seq = ${mended.chainSeq}, hash = ${mended.hash}
          where chain = ${CHAIN}`,
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
      sql`update audit_head set hash = ${hash} where chain = ${CHAIN}`,
    );
    const report = await verifyNow();
    expect(report.body).toMatchObject({ ok: false, firstBroken: null });
    expect(chainIn(report)).toMatchObject({
      ok: false,
      head: { matches: true },
      checkpoints: {
        newestConsistent: { id: before.id },
        firstInconsistent: { checkpoint: { id: signed.id }, problem: 'hash_mismatch' },
      },
    });

    // Cut the rewritten tail off instead, head and all: the checkpoint misses its entry.
    await tamper(
      sql`delete from audit_log where chain = ${CHAIN} and chain_seq >= ${signed.sequence - 1}`,
      sql`update audit_head set seq = ${signed.sequence - 2},
            hash = (select hash from audit_log where chain = ${CHAIN}
                    and chain_seq = ${signed.sequence - 2}) where chain = ${CHAIN}`,
    );
    const cut = await verifyNow();
    expect(cut.body).toMatchObject({ ok: false, firstBroken: null });
    expect(chainIn(cut)).toMatchObject({
      checkpoints: {
        newestConsistent: { id: before.id },
        firstInconsistent: { checkpoint: { id: signed.id }, problem: 'entry_missing' },
      },
    });
    // The other chains are untouched, and say so when asked one by one.
    const other = await call(t, 'GET', '/v1/audit/verify?authorityId=km-yjj', {
      key: 'yn.auditor',
    });
    expect(other.body).toMatchObject({ ok: true, firstBroken: null });
    expect(other.body.chains).toEqual([
      expect.objectContaining({ chain: 'authority:km-yjj', ok: true }),
    ]);
    // An explicit checkpoint signs all or nothing; the hourly round still signs the others.
    const refused = await call(t, 'POST', '/v1/audit/checkpoints', { key: 'yn.admin' });
    expect(refused.status).toBe(409);
    const signer = await loadCheckpointSigner(t.database.db, undefined);
    await t.database.db.transaction((tx) =>
      appendAudit(tx, { ...entry(900), actor: { keyId: null, authorityId: 'km-yjj' } }),
    );
    const round = await t.database.db.transaction((tx) =>
      takeCheckpoint(tx, signer, { now: t.clock.now(), trigger: 'scheduled', exportIt: false }),
    );
    expect(round.broken.map((link) => link.chain)).toEqual([CHAIN]);
    expect(round.checkpoints.map((c) => c.chain)).toContain('authority:km-yjj');
    // Deleting a whole chain, head and all, leaves its checkpoints without their entries.
    await tamper(
      sql`delete from audit_log where chain = 'authority:km-yjj'`,
      sql`delete from audit_head where chain = 'authority:km-yjj'`,
    );
    const gone = await call(t, 'GET', '/v1/audit/verify?authorityId=km-yjj', {
      key: 'yn.auditor',
    });
    expect(gone.body).toMatchObject({
      ok: false,
      checkpoints: { firstInconsistent: { problem: 'entry_missing' } },
    });
  });

  it('finds a checkpoint altered in the database: its signature no longer holds', async () => {
    const listed = await call(t, 'GET', '/v1/audit/checkpoints', { key: 'yn.auditor' });
    const [first] = listed.body.items as unknown as Checkpoint[];
    if (first === undefined) throw new Error('no checkpoint');
    await tamper(sql`update audit_checkpoints set seq = seq + 1 where id = ${first.id}`);
    const report = await verifyNow();
    const findings = (report.body.chains as unknown as { checkpoints: unknown }[]).map(
      (c) => c.checkpoints,
    );
    expect(findings).toContainEqual(
      expect.objectContaining({
        firstInconsistent: expect.objectContaining({
          checkpoint: expect.objectContaining({ id: first.id }),
          problem: 'signature_invalid',
        }),
      }),
    );
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
