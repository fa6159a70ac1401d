import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/open-database.js';
import { MIGRATIONS_FOLDER } from '../db/open-database.js';
import { queryRows } from '../db/query-rows.js';
import { auditHead } from '../db/schema.js';
import { availableBackends, POSTGRES_ADMIN_URL } from '../testing/test-backends.test-helpers.js';
import { appendAudit } from './append-audit.js';
import { GENESIS_HASH, hashEntry, LEGACY_CHAIN } from './audit-entry.js';
import { checkpointMessage, loadCheckpointSigner } from './checkpoint-key.js';
import { loadCheckpointStatements } from './database-checkpoints.js';
import { takeCheckpoint } from './take-checkpoint.js';
import { verifyAuditChain } from './verify-audit-chain.js';

const backends = await availableBackends();

/** The migrations before 0023, in a folder of their own (files and journal). */
function migrationsBefore0023(): string {
  const folder = mkdtempSync(join(tmpdir(), 'ed-before-0023-'));
  mkdirSync(join(folder, 'meta'));
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8'));
  journal.entries = (journal.entries as { idx: number; tag: string }[]).filter((e) => e.idx < 23);
  for (const { tag } of journal.entries as { tag: string }[]) {
    copyFileSync(join(MIGRATIONS_FOLDER, `${tag}.sql`), join(folder, `${tag}.sql`));
  }
  writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify(journal));
  return folder;
}

/** A database migrated up to 0022, and a way to apply the rest. */
async function databaseBefore0023(kind: 'pglite' | 'postgres', folder: string) {
  if (kind === 'pglite') {
    const client = await PGlite.create({ extensions: { btree_gist } });
    const db = drizzlePglite({ client });
    await migratePglite(db, { migrationsFolder: folder });
    return {
      db: db as Database,
      migrateRest: () => migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER }),
      close: () => client.close(),
    };
  }
  const name = `ed_test_0023_${randomBytes(4).toString('hex')}`;
  const admin = postgres(POSTGRES_ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const client = postgres(url.toString(), { max: 4, onnotice: () => {} });
  const db = drizzlePostgres({ client });
  await migratePostgres(db, { migrationsFolder: folder });
  return {
    db: db as Database,
    migrateRest: () => migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER }),
    close: async () => {
      await client.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

describe.each(backends)('migration 0023 on an audit log written as one chain, on %s', (kind) => {
  let folder: string;
  let database: Awaited<ReturnType<typeof databaseBefore0023>>;
  let legacyHead: { seq: number; hash: string };

  beforeAll(async () => {
    folder = migrationsBefore0023();
    database = await databaseBefore0023(kind, folder);
    const { db } = database;
    // The log as the service wrote it before 0023: one chain, one head row (id = 1), entries of
    // hash version 1 (milliseconds) and 2, a checkpoint signed in the form of that time, and two
    // entries after it that no checkpoint covers yet.
    const signer = await loadCheckpointSigner(db, undefined);
    let prevHash = GENESIS_HASH;
    const write = async (seq: number, hashVersion: 1 | 2, authorityId: string | null) => {
      const at =
        hashVersion === 1 ? `2026-03-02T01:00:0${seq}.123Z` : `2026-03-02T01:00:0${seq}.123000Z`;
      const entry = {
        seq,
        at,
        actorKeyId: 'k-old',
        actorAuthorityId: authorityId,
        action: 'test.legacy',
        entityType: 'test',
        entityId: `legacy-${seq}`,
        reason: null,
        before: null,
        after: { seq },
        hashVersion,
      };
      const hash = hashEntry(prevHash, entry);
      await db.execute(sql`insert into audit_log (seq, at, actor_key_id, actor_authority_id,
          action, entity_type, entity_id, after, prev_hash, hash, hash_version)
        values (${seq}, ${at}::timestamptz, 'k-old', ${authorityId}, 'test.legacy', 'test',
          ${entry.entityId}, ${JSON.stringify({ seq })}::jsonb, ${prevHash}, ${hash}, ${hashVersion})`);
      await db.execute(sql`update audit_head set seq = ${seq}, hash = ${hash} where id = 1`);
      prevHash = hash;
      return hash;
    };
    for (const [seq, version, authority] of [
      [1, 1, 'yn-yjt'],
      [2, 1, null],
      [3, 2, 'km-yjj'],
    ] as const) {
      await write(seq, version, authority);
    }
    const at = '2026-03-02T01:30:00.000Z';
    const signed = { chain: LEGACY_CHAIN, sequence: 3, hash: prevHash, at, keyId: signer.keyId };
    await db.execute(sql`insert into audit_checkpoints (seq, hash, at, key_id, signature, trigger)
      values (3, ${prevHash}, ${at}::timestamptz, ${signer.keyId},
              ${signer.sign(checkpointMessage(signed))}, 'scheduled')`);
    await write(4, 2, 'yn-yjt');
    legacyHead = { seq: 5, hash: await write(5, 2, 'km-yjj') };
    await database.migrateRest();
    // Every migration from scratch, on a fresh PGlite too (no migrated template fits a log
    // written before 0023): slow on a loaded machine.
  }, 240_000);
  afterAll(async () => {
    await database?.close();
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });

  it('keeps the old chain as the closed legacy chain, verified as it was hashed and signed', async () => {
    const { db } = database;
    expect(await db.select().from(auditHead)).toEqual([
      { chain: LEGACY_CHAIN, ...legacyHead, closedAt: expect.any(Date) },
    ]);
    const report = await verifyAuditChain(db, await loadCheckpointStatements(db));
    expect(report).toMatchObject({ ok: true, entries: 5, firstBroken: null });
    expect(report.chains).toEqual([
      expect.objectContaining({
        chain: LEGACY_CHAIN,
        closed: true,
        entries: 5,
        head: { ...legacyHead, matches: true },
        checkpoints: expect.objectContaining({
          checked: 1,
          newestConsistent: expect.objectContaining({ chain: LEGACY_CHAIN, sequence: 3 }),
          firstInconsistent: null,
        }),
      }),
    ]);
  });

  it('appends new entries to chains of their own, numbered on after the old log', async () => {
    const { db } = database;
    const written = await db.transaction((tx) =>
      appendAudit(tx, [
        {
          actor: { keyId: 'k-new', authorityId: 'km-yjj' },
          action: 'test.new',
          entityType: 'test',
          entityId: 'n-1',
        },
        {
          actor: { keyId: null, authorityId: null },
          action: 'test.new',
          entityType: 'test',
          entityId: 'n-2',
        },
      ]),
    );
    expect(written.map((e) => [e.chain, e.chainSeq, e.seq, e.hashVersion])).toEqual([
      ['authority:km-yjj', 1, 6, 3],
      ['system', 1, 7, 3],
    ]);
    const report = await verifyAuditChain(db, await loadCheckpointStatements(db));
    expect(report.ok).toBe(true);
    expect(report.chains.map((c) => [c.chain, c.entries])).toEqual([
      ['authority:km-yjj', 1],
      [LEGACY_CHAIN, 5],
      ['system', 1],
    ]);
  });

  it('signs the legacy head once, in its old form, and the new chains as they move', async () => {
    const { db } = database;
    const signer = await loadCheckpointSigner(db, undefined);
    const round = (trigger: 'scheduled' | 'on_demand') =>
      db.transaction((tx) =>
        takeCheckpoint(tx, signer, { now: new Date(), trigger, exportIt: false }),
      );
    const first = await round('scheduled');
    expect(first.broken).toEqual([]);
    expect(first.checkpoints.map((c) => [c.chain, c.sequence])).toEqual([
      ['authority:km-yjj', 1],
      [LEGACY_CHAIN, 5],
      ['system', 1],
    ]);
    expect((await round('scheduled')).checkpoints).toEqual([]);
    // On demand every open chain is signed again; the closed one is not.
    expect((await round('on_demand')).checkpoints.map((c) => c.chain)).toEqual([
      'authority:km-yjj',
      'system',
    ]);
    const report = await verifyAuditChain(db, await loadCheckpointStatements(db));
    expect(report).toMatchObject({ ok: true, checkpoints: { checked: 6, inconsistent: 0 } });
  });

  it('finds a legacy entry changed by a microsecond, and nothing else', async () => {
    const { db } = database;
    const tamper = (statement: ReturnType<typeof sql>) =>
      db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(statement);
      });
    await tamper(sql`update audit_log set at = at + interval '1 microsecond' where seq = 2`);
    const report = await verifyAuditChain(db, await loadCheckpointStatements(db));
    expect(report.firstBroken).toMatchObject({
      chain: LEGACY_CHAIN,
      seq: 2,
      problem: 'hash_mismatch',
    });
    expect(report.chains.filter((c) => !c.ok).map((c) => c.chain)).toEqual([LEGACY_CHAIN]);
    await tamper(sql`update audit_log set at = at - interval '1 microsecond' where seq = 2`);
    expect((await verifyAuditChain(db)).ok).toBe(true);
    // And the legacy chain takes no new entry.
    const rows = await queryRows<{ closed: boolean }>(
      db,
      sql`select closed_at is not null as closed from audit_head where chain = 'legacy'`,
    );
    expect(rows).toEqual([{ closed: true }]);
  });
});
