import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../audit/append-audit.js';
import { hashEntry } from '../audit/audit-entry.js';
import { loadCheckpointSigner, publicKeyPem } from '../audit/checkpoint-key.js';
import { exportCheckpoint } from '../audit/export-checkpoint.js';
import { takeCheckpoint } from '../audit/take-checkpoint.js';
import { AUDIT_SELECTION, rowToAuditEntry } from '../audit/verify-audit-chain.js';
import { type OpenDatabase, openDatabase } from '../db/open-database.js';
import { auditLog } from '../db/schema.js';
import { createScratchPostgres } from '../testing/scratch-postgres.test-helpers.js';
import { availableBackends, POSTGRES_ADMIN_URL } from '../testing/test-backends.test-helpers.js';
import { runCli } from './run-cli.js';

const backends = await availableBackends();

/** A database the CLI can open from the environment: PGlite on disk, or a scratch PostgreSQL. */
interface CliDatabase {
  readonly env: Record<string, string>;
  /** Runs `work` on the database (PGlite is closed again, so that the CLI can open it). */
  readonly use: <T>(work: (database: OpenDatabase) => Promise<T>) => Promise<T>;
  readonly drop: () => Promise<void>;
}

async function cliDatabase(kind: 'pglite' | 'postgres', dir: string): Promise<CliDatabase> {
  if (kind === 'postgres') {
    const scratch = await createScratchPostgres(POSTGRES_ADMIN_URL, 'ed_cli', 4);
    return {
      env: { DATABASE_URL: scratch.url },
      use: (work) => work(scratch.database),
      drop: scratch.drop,
    };
  }
  const dataDir = join(dir, 'pglite');
  return {
    env: { DATA_DIR: dir },
    use: async (work) => {
      const database = await openDatabase({ kind: 'pglite', dataDir });
      try {
        await database.migrate();
        return await work(database);
      } finally {
        await database.close();
      }
    },
    drop: async () => {},
  };
}

describe.each(backends)('expert-dispatch audit-verify on %s', (kind) => {
  let dir: string;
  let target: CliDatabase;
  let file: string;
  let rightKey: string;

  const run = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, {
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
      env: target.env,
    });
    return { code, stdout: out.join(''), stderr: err.join('') };
  };
  /** Appends `count` entries, signs the head, and exports the checkpoint to the file. */
  const appendAndCheckpoint = (database: OpenDatabase, count: number, at: string) =>
    database.db.transaction(async (tx) => {
      const now = new Date(at);
      await appendAudit(
        tx,
        Array.from({ length: count }, (_, k) => ({
          actor: { keyId: 'k-cli', authorityId: 'yn-yjt' },
          action: 'test.appended',
          entityType: 'test',
          entityId: `cli-${at}-${k}`,
        })),
        now,
      );
      const signer = await loadCheckpointSigner(database.db, undefined);
      const round = await takeCheckpoint(tx, signer, {
        now,
        trigger: 'on_demand',
        exportIt: false,
      });
      const [checkpoint] = round.checkpoints;
      if (checkpoint === undefined || round.broken.length > 0) throw new Error('chain broken');
      return { signer, id: checkpoint.id };
    });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ed-audit-verify-'));
    target = await cliDatabase(kind, dir);
    file = join(dir, 'checkpoints.jsonl');
    rightKey = join(dir, 'right.pem');
    await target.use(async (database) => {
      for (const [count, at] of [
        [4, '2026-03-02T09:00:00+08:00'],
        [3, '2026-03-02T10:00:00+08:00'],
      ] as const) {
        // The signer is loaded outside the transaction on PGlite's single connection.
        await loadCheckpointSigner(database.db, undefined);
        const { signer, id } = await appendAndCheckpoint(database, count, at);
        const context = {
          db: database.db,
          now: () => new Date(at),
          signingSecret: 'x',
          timeoutMs: 1000,
        };
        await exportCheckpoint(context, { file }, id);
        await writeFile(rightKey, publicKeyPem(signer.publicKey));
      }
    });
  }, 180_000); // on-disk PGlite migrated and reopened twice: slow on a loaded machine
  afterAll(async () => {
    await target.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('confirms the database against the checkpoints kept outside (exit 0)', async () => {
    const result = await run(['audit-verify', '--checkpoints', file]);
    expect(result.stdout).toContain('VERIFIED 复核通过');
    expect(result.stdout).toContain('newest consistent / 最新一致检查点: #2 at entry 7');
    expect(result.code).toBe(0);
    expect(
      (await run(['audit-verify', '--checkpoints', file, '--public-key', rightKey])).code,
    ).toBe(0);
  });

  it('refuses checkpoints signed by another key than the one given (exit 1)', async () => {
    const otherKey = join(dir, 'other.pem');
    const { publicKey } = generateKeyPairSync('ed25519');
    await writeFile(otherKey, publicKey.export({ format: 'pem', type: 'spki' }).toString());
    const result = await run(['audit-verify', '--checkpoints', file, '--public-key', otherKey]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('NOT VERIFIED');
    expect(result.stdout).toContain('signature');
  });

  it('finds the tail and head rewritten together (exit 1)', async () => {
    await target.use(async (database) => {
      const [row] = await database.db
        .select(AUDIT_SELECTION)
        .from(auditLog)
        .where(and(eq(auditLog.chain, 'authority:yn-yjt'), eq(auditLog.chainSeq, 7)));
      if (row === undefined) throw new Error('no entry 7');
      const entry = { ...rowToAuditEntry(row), reason: '事后补记' };
      const hash = hashEntry(entry.prevHash, entry);
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(
          sql`update audit_log set reason = ${entry.reason}, hash = ${hash} where seq = ${entry.seq}`,
        );
        await tx.execute(
          sql`update audit_head set hash = ${hash} where chain = 'authority:yn-yjt'`,
        );
      });
    });
    const result = await run(['audit-verify', '--checkpoints', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('newest consistent / 最新一致检查点: #1 at entry 4');
    expect(result.stdout).toContain('history rewritten');
  });

  it.each([
    ['not JSON', '{"format":'],
    ['not a checkpoint', JSON.stringify({ format: 'something-else' })],
    ['empty', ''],
  ])('refuses a file that is %s (exit 2)', async (_name, content) => {
    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, content);
    const result = await run(['audit-verify', '--checkpoints', bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toBe('');
  });
});
