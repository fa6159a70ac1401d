import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { LEGACY_CHAIN } from '../audit/audit-entry.js';
import type { CheckpointStatement } from '../audit/checkpoint-consistency.js';
import { isCheckpointSigned, keyIdOf } from '../audit/checkpoint-key.js';
import { CHECKPOINT_FORMAT, LEGACY_CHECKPOINT_FORMAT } from '../audit/export-checkpoint.js';
import { verifyAuditSnapshot } from '../audit/verify-audit-chain.js';
import { databaseTargetOf, openDatabase } from '../db/open-database.js';
import { readEnv } from '../env.js';
import type { CliCommand } from './cli-command.js';

/** One line of an exported checkpoint file (or a body the receiver kept). */
const exportedCheckpointSchema = z.object({
  format: z.union([z.literal(CHECKPOINT_FORMAT), z.literal(LEGACY_CHECKPOINT_FORMAT)]),
  id: z.number().int().min(1),
  /** Lines of format /1 (before 0023) have none: the legacy chain's. */
  chain: z.string().min(1).max(200).default(LEGACY_CHAIN),
  sequence: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string().min(1),
  keyId: z.string().min(1),
  algorithm: z.literal('Ed25519'),
  publicKey: z.string().min(1),
  signature: z.string().min(1),
});

type ExportedLine = z.infer<typeof exportedCheckpointSchema>;

const USAGE =
  'usage: expert-dispatch audit-verify --checkpoints <file.jsonl> [--public-key <key.pem>]\n';

/**
 * `expert-dispatch audit-verify --checkpoints checkpoints.jsonl`: checks the database's audit
 * chain (DATABASE_URL, else PGlite in DATA_DIR) against checkpoints kept outside it — the
 * AUDIT_CHECKPOINT_FILE, or the bodies the AUDIT_CHECKPOINT_URL receiver stored, one JSON per
 * line. Every signature is checked (with `--public-key`, only that key is trusted; without it,
 * the key each line carries — compare its id with your record). Exit 0 when the chain holds
 * and agrees with every checkpoint, 1 when history was rewritten or a checkpoint was forged,
 * 2 when the file cannot be read.
 *
 * @example
 * // DATABASE_URL=postgres://… npx expert-dispatch audit-verify --checkpoints /var/lib/anchor/checkpoints.jsonl
 */
export const auditVerifyCommand: CliCommand = async (args, io) => {
  const { values } = parseArgs({
    args: [...args],
    options: { checkpoints: { type: 'string' }, 'public-key': { type: 'string' } },
    strict: true,
  });
  if (values.checkpoints === undefined) {
    io.stderr(USAGE);
    return 2;
  }
  let lines: ExportedLine[];
  let pinned: string | undefined;
  try {
    lines = parseCheckpointLines(await readFile(values.checkpoints, 'utf8'));
    if (values['public-key'] !== undefined) {
      const pem = await readFile(values['public-key'], 'utf8');
      pinned = keyIdOf(
        createPublicKey(pem).export({ format: 'der', type: 'spki' }).toString('base64'),
      );
    }
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const statements = lines.map(
    (line): CheckpointStatement => ({
      id: line.id,
      chain: line.chain,
      sequence: line.sequence,
      hash: line.hash,
      at: line.at,
      keyId: line.keyId,
      signatureValid:
        (pinned === undefined || line.keyId === pinned) &&
        isCheckpointSigned(line, line.signature, line.publicKey),
    }),
  );
  const database = await openDatabase(databaseTargetOf(readEnv(io.env)));
  try {
    const report = await verifyAuditSnapshot(database.db, async () => statements);
    const keys = [...new Set(lines.map((line) => line.keyId))].join(', ');
    io.stdout(
      `audit chains / 审计链: ${report.chains.length} chains, ${report.entries} entries\n` +
        `checkpoints / 检查点: ${statements.length} read, signed by ${keys || 'none'}; ` +
        `${report.checkpoints.inconsistent} inconsistent\n`,
    );
    for (const chain of report.chains) {
      const newest = chain.checkpoints.newestConsistent;
      io.stdout(
        `  ${chain.chain}: ${chain.entries} entries, head ${chain.head.seq}` +
          `${chain.head.matches ? '' : ' (does not match / 不符)'}` +
          `${newest === null ? '' : `; newest consistent / 最新一致检查点: #${newest.id} at entry ${newest.sequence} (${newest.at})`}\n`,
      );
    }
    const broken = report.firstBroken;
    const finding = report.checkpoints.firstInconsistent;
    const problem =
      broken !== null
        ? { chain: broken.chain, message: broken.message }
        : finding !== null
          ? { chain: finding.checkpoint.chain, message: finding.message }
          : null;
    if (problem === null) {
      io.stdout('VERIFIED 复核通过: every chain agrees with every checkpoint\n');
      return 0;
    }
    io.stdout(
      `NOT VERIFIED 复核未通过: ${problem.chain}: ${problem.message.zh} / ${problem.message.en}\n`,
    );
    return 1;
  } finally {
    await database.close();
  }
};

/** The checkpoints of a JSON-lines file, once each (a sink may have been written twice). */
function parseCheckpointLines(text: string): ExportedLine[] {
  const byKey = new Map<string, ExportedLine>();
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new Error(`line ${index + 1}: not JSON`);
    }
    const result = exportedCheckpointSchema.safeParse(parsed);
    if (!result.success) throw new Error(`line ${index + 1}: not an exported audit checkpoint`);
    const line = result.data;
    byKey.set(`${line.keyId}/${line.id}/${line.signature}`, line);
  });
  if (byKey.size === 0) throw new Error('no checkpoints in the file');
  return [...byKey.values()];
}
