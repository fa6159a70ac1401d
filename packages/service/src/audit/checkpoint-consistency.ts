import { GENESIS_HASH } from './audit-entry.js';

/** A checkpoint as a verifier reads it, its signature already checked against a trusted key. */
export interface CheckpointStatement {
  /** The checkpoint's number in the database that took it. */
  readonly id: number;
  /** The chain whose head it signed (`legacy` for those taken before 0023). */
  readonly chain: string;
  /** The place in that chain of the last entry it covers. */
  readonly sequence: number;
  readonly hash: string;
  readonly at: string;
  readonly keyId: string;
  /** The Ed25519 signature verifies with the key named `keyId`, and that key is trusted. */
  readonly signatureValid: boolean;
}

export type CheckpointRef = Omit<CheckpointStatement, 'signatureValid'>;

/** Why a checkpoint contradicts the chain. */
export interface CheckpointFinding {
  readonly checkpoint: CheckpointRef;
  readonly problem: 'signature_invalid' | 'hash_mismatch' | 'entry_missing';
  readonly message: { readonly zh: string; readonly en: string };
}

/** What the checkpoints say about the chain. */
export interface CheckpointConsistency {
  readonly checked: number;
  /** The newest checkpoint the chain agrees with: history up to it is as it was signed. */
  readonly newestConsistent: CheckpointRef | null;
  /** The checkpoint of lowest sequence the chain contradicts: history was rewritten before it. */
  readonly firstInconsistent: CheckpointFinding | null;
  readonly inconsistent: number;
}

/**
 * Compares checkpoints with a walk of the chain: a checkpoint holds when the entry it signed
 * still has the hash it signed. One whose entry has another hash, or is gone (deleted, or past
 * a broken link), shows that history was rewritten; one whose signature fails was forged or
 * altered, and proves nothing.
 *
 * @example
 * compareWithCheckpoints({ lastSeq: 42, hashesAt }, statements).newestConsistent?.sequence; // 40
 */
export function compareWithCheckpoints(
  walk: { readonly lastSeq: number; readonly hashesAt: ReadonlyMap<number, string> },
  statements: readonly CheckpointStatement[],
): CheckpointConsistency {
  let newestConsistent: CheckpointRef | null = null;
  const findings: CheckpointFinding[] = [];
  for (const statement of statements) {
    const { signatureValid: _, ...checkpoint } = statement;
    const finding = findingOf(statement, checkpoint, walk);
    if (finding !== null) {
      findings.push(finding);
    } else if (
      newestConsistent === null ||
      checkpoint.sequence > newestConsistent.sequence ||
      (checkpoint.sequence === newestConsistent.sequence && checkpoint.id > newestConsistent.id)
    ) {
      newestConsistent = checkpoint;
    }
  }
  findings.sort((a, b) => a.checkpoint.sequence - b.checkpoint.sequence);
  return {
    checked: statements.length,
    newestConsistent,
    firstInconsistent: findings[0] ?? null,
    inconsistent: findings.length,
  };
}

function findingOf(
  statement: CheckpointStatement,
  checkpoint: CheckpointRef,
  walk: { readonly lastSeq: number; readonly hashesAt: ReadonlyMap<number, string> },
): CheckpointFinding | null {
  const n = checkpoint.id;
  const seq = checkpoint.sequence;
  if (!statement.signatureValid) {
    return {
      checkpoint,
      problem: 'signature_invalid',
      message: {
        zh: `检查点 ${n} 的签名无效或签名密钥不受信任（检查点被伪造或改动）`,
        en: `checkpoint ${n} has an invalid signature or an untrusted key (forged or altered)`,
      },
    };
  }
  const hash = seq === 0 ? GENESIS_HASH : walk.hashesAt.get(seq);
  if (hash === undefined) {
    return {
      checkpoint,
      problem: 'entry_missing',
      message: {
        zh: `检查点 ${n} 签署了第 ${seq} 条记录，经校验的日志只到第 ${walk.lastSeq} 条（记录被删除或链已断）`,
        en: `checkpoint ${n} signed entry ${seq}; the verified log ends at ${walk.lastSeq} (entries deleted, or the chain broke)`,
      },
    };
  }
  if (hash !== checkpoint.hash) {
    return {
      checkpoint,
      problem: 'hash_mismatch',
      message: {
        zh: `第 ${seq} 条记录的哈希与检查点 ${n} 签署的不同（历史记录被改写）`,
        en: `entry ${seq} no longer has the hash checkpoint ${n} signed (history rewritten)`,
      },
    };
  }
  return null;
}
