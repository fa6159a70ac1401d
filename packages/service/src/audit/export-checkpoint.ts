import { appendFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/open-database.js';
import { auditCheckpointExports, auditCheckpoints, auditSigningKeys } from '../db/schema.js';
import { postSigned } from '../dispatch/webhook-channel.js';
import type { OutboundPolicy } from '../outbound/outbound-policy.js';
import { type AuditCheckpoint, rowToCheckpoint } from './take-checkpoint.js';

/** Where checkpoints go: `AUDIT_CHECKPOINT_URL` and/or `AUDIT_CHECKPOINT_FILE`. */
export interface CheckpointSinks {
  readonly url?: string | undefined;
  readonly file?: string | undefined;
}

/** The format tag of an exported checkpoint: /2 names its chain (0023). */
export const CHECKPOINT_FORMAT = 'expert-dispatch.audit-checkpoint/2';

/** The format of checkpoints exported before 0023: no chain, the legacy chain's. */
export const LEGACY_CHECKPOINT_FORMAT = 'expert-dispatch.audit-checkpoint/1';

/**
 * A checkpoint as it leaves the service: one JSON line of the file, the body the receiver gets,
 * and a line `expert-dispatch audit-verify --checkpoints` reads back. It carries the public key,
 * so that anyone can check the signature offline (and compare the key id with the one
 * `GET /v1/audit/checkpoints` lists).
 */
export interface ExportedCheckpoint extends AuditCheckpoint {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly algorithm: 'Ed25519';
  /** SPKI DER, base64. */
  readonly publicKey: string;
}

/**
 * The sinks configured, by name.
 *
 * @example
 * sinkNames({ url: 'https://anchor.example.gov.cn/checkpoints' }); // ['url']
 */
export function sinkNames(sinks: CheckpointSinks): ('url' | 'file')[] {
  return [
    ...(sinks.url === undefined ? [] : (['url'] as const)),
    ...(sinks.file === undefined ? [] : (['file'] as const)),
  ];
}

/**
 * Sends one checkpoint (`audit_checkpoint_export` job) to every configured sink that has not
 * confirmed it yet: appended as a JSON line to the file, POSTed to the receiver signed like
 * every webhook (HMAC-SHA256, `Idempotency-Key: audit-checkpoint-<id>`, so a repeat is one
 * checkpoint to the receiver). Each success is recorded in `audit_checkpoint_exports`; a sink
 * that failed makes the job throw, for the queue to retry — and the scheduler queues again,
 * hourly, whatever is still unconfirmed.
 *
 * @example
 * await exportCheckpoint({ db, now, signingSecret, timeoutMs: 10_000 }, sinks, 12);
 */
export async function exportCheckpoint(
  context: {
    readonly db: Database;
    readonly now: () => Date;
    readonly signingSecret: string;
    readonly timeoutMs: number;
    /** Internal receivers allowed (`OUTBOUND_ALLOW_HOSTS`); none: internal addresses refused. */
    readonly outbound?: OutboundPolicy | undefined;
  },
  sinks: CheckpointSinks,
  checkpointId: number,
): Promise<void> {
  const { db } = context;
  const [found] = await db
    .select({ checkpoint: auditCheckpoints, publicKey: auditSigningKeys.publicKey })
    .from(auditCheckpoints)
    .innerJoin(auditSigningKeys, eq(auditSigningKeys.keyId, auditCheckpoints.keyId))
    .where(eq(auditCheckpoints.id, checkpointId));
  if (found === undefined) return;
  const line: ExportedCheckpoint = {
    format: CHECKPOINT_FORMAT,
    ...rowToCheckpoint(found.checkpoint),
    algorithm: 'Ed25519',
    publicKey: found.publicKey,
  };
  const done = new Set(
    (
      await db
        .select({ sink: auditCheckpointExports.sink })
        .from(auditCheckpointExports)
        .where(eq(auditCheckpointExports.checkpointId, checkpointId))
    ).map((row) => row.sink),
  );
  const failures: string[] = [];
  const send = async (sink: 'url' | 'file', work: () => Promise<void>) => {
    if (done.has(sink)) return;
    try {
      await work();
      await db
        .insert(auditCheckpointExports)
        .values({ checkpointId, sink, exportedAt: context.now() })
        .onConflictDoNothing();
    } catch (error) {
      failures.push(`${sink}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const { url, file } = sinks;
  if (file !== undefined) {
    await send('file', () => appendFile(file, `${JSON.stringify(line)}\n`, { flag: 'a' }));
  }
  if (url !== undefined) {
    await send('url', () =>
      postSigned(url, line, {
        secret: context.signingSecret,
        idempotencyKey: `audit-checkpoint-${checkpointId}`,
        timeoutMs: context.timeoutMs,
        outbound: context.outbound,
      }),
    );
  }
  if (failures.length > 0) {
    throw new Error(`checkpoint ${checkpointId} not exported: ${failures.join('; ')}`);
  }
}
