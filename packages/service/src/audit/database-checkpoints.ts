import { asc } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { auditCheckpoints, auditSigningKeys } from '../db/schema.js';
import type { CheckpointStatement } from './checkpoint-consistency.js';
import { isCheckpointSigned } from './checkpoint-key.js';
import { rowToCheckpoint } from './take-checkpoint.js';

/**
 * The checkpoints kept in the database, each with its signature checked against the key it
 * names in `audit_signing_keys`. They catch a tail deleted or rewritten by someone who left
 * the checkpoints alone; someone who rewrote those too is caught by the copies kept outside
 * (`expert-dispatch audit-verify --checkpoints`).
 *
 * @example
 * const report = await verifyAuditChain(db, await loadCheckpointStatements(db));
 */
export async function loadCheckpointStatements(db: Executor): Promise<CheckpointStatement[]> {
  const keys = new Map(
    (await db.select().from(auditSigningKeys)).map((key) => [key.keyId, key.publicKey]),
  );
  const rows = await db.select().from(auditCheckpoints).orderBy(asc(auditCheckpoints.id));
  return rows.map((row) => {
    const checkpoint = rowToCheckpoint(row);
    const publicKey = keys.get(checkpoint.keyId);
    return {
      id: checkpoint.id,
      chain: checkpoint.chain,
      sequence: checkpoint.sequence,
      hash: checkpoint.hash,
      at: checkpoint.at,
      keyId: checkpoint.keyId,
      signatureValid:
        publicKey !== undefined && isCheckpointSigned(checkpoint, checkpoint.signature, publicKey),
    };
  });
}
