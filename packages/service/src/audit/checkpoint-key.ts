import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { canonicalJson } from '@expert-dispatch/matcher';
import { asc, isNotNull } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Executor } from '../db/open-database.js';
import { auditSigningKeys } from '../db/schema.js';
import { LEGACY_CHAIN } from './audit-entry.js';

/** The Ed25519 key that signs checkpoints, and its public half as anyone may see it. */
export interface CheckpointSigner {
  /** The first 32 hex digits of sha256 over the public key (SPKI DER). */
  readonly keyId: string;
  /** SPKI DER, base64: `openssl pkey -pubin -inform DER` reads it once decoded. */
  readonly publicKey: string;
  /** Where the key came from: `AUDIT_SIGNING_KEY`, or generated at first start and kept. */
  readonly source: 'configured' | 'generated';
  /** The Ed25519 signature of `message`, base64. */
  readonly sign: (message: string) => string;
}

/** What a checkpoint signs: a chain's head and when, under which key. */
export interface CheckpointFields {
  /** The chain (0023); `legacy`, the single chain before it, is signed without its name. */
  readonly chain: string;
  readonly sequence: number;
  readonly hash: string;
  readonly at: string;
  readonly keyId: string;
}

/**
 * The signed message of a checkpoint: the canonical JSON (keys sorted, no spaces) of
 * `{at, chain, hash, keyId, sequence}` — or, for the legacy chain (before 0023), of
 * `{at, hash, keyId, sequence}`, the form its checkpoints were signed in, so they still verify.
 *
 * @example
 * checkpointMessage({ chain: 'authority:km-yjj', sequence: 42, hash: 'ab…', at: '2026-12-02T06:00:00.000Z', keyId: '1f…' });
 * // '{"at":"2026-12-02T06:00:00.000Z","chain":"authority:km-yjj","hash":"ab…","keyId":"1f…","sequence":42}'
 */
export function checkpointMessage(fields: CheckpointFields): string {
  const signed = {
    at: fields.at,
    hash: fields.hash,
    keyId: fields.keyId,
    sequence: fields.sequence,
  };
  return canonicalJson(fields.chain === LEGACY_CHAIN ? signed : { ...signed, chain: fields.chain });
}

/**
 * The key id of a public key (SPKI DER, base64).
 *
 * @example
 * keyIdOf(signer.publicKey) === signer.keyId; // true
 */
export function keyIdOf(publicKey: string): string {
  return createHash('sha256').update(Buffer.from(publicKey, 'base64')).digest('hex').slice(0, 32);
}

/**
 * Whether `signature` (base64) is the Ed25519 signature of the checkpoint under `publicKey`
 * (SPKI DER, base64) — and the checkpoint names that key. Never throws.
 *
 * @example
 * isCheckpointSigned(checkpoint, checkpoint.signature, key.publicKey); // true
 */
export function isCheckpointSigned(
  fields: CheckpointFields,
  signature: string,
  publicKey: string,
): boolean {
  try {
    if (keyIdOf(publicKey) !== fields.keyId) return false;
    const key = createPublicKey({
      key: Buffer.from(publicKey, 'base64'),
      format: 'der',
      type: 'spki',
    });
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(
      null,
      Buffer.from(checkpointMessage(fields), 'utf8'),
      key,
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return false;
  }
}

/**
 * An Ed25519 private key from `AUDIT_SIGNING_KEY`: PKCS8 PEM (`openssl genpkey -algorithm
 * ed25519`) or the same DER in base64 on one line. Throws on anything else.
 *
 * @example
 * parseSigningKey(readFileSync('audit-signing.pem', 'utf8')).asymmetricKeyType; // 'ed25519'
 */
export function parseSigningKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----BEGIN')
    ? createPrivateKey({ key: trimmed.replaceAll('\\n', '\n'), format: 'pem' })
    : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`AUDIT_SIGNING_KEY is a ${key.asymmetricKeyType} key, not ed25519`);
  }
  return key;
}

/**
 * Whether the text is an Ed25519 private key `parseSigningKey` reads (the env check).
 *
 * @example
 * isSigningKeyText(readFileSync('audit-signing.pem', 'utf8')); // true
 */
export function isSigningKeyText(text: string): boolean {
  try {
    parseSigningKey(text);
    return true;
  } catch {
    return false;
  }
}

const loaded = new WeakMap<object, Promise<CheckpointSigner>>();

/**
 * The checkpoint signer of this database: `AUDIT_SIGNING_KEY` when configured (its public half
 * recorded, so checkpoints it signed stay checkable after a change of key), else the key
 * generated at first start and kept in `audit_signing_keys` — one for every process on the
 * database, never a constant. Loaded once per database handle; a failed load is retried.
 *
 * @example
 * const signer = await loadCheckpointSigner(db, env.AUDIT_SIGNING_KEY, logger);
 */
export function loadCheckpointSigner(
  db: Executor,
  configured: string | undefined,
  logger?: Logger,
): Promise<CheckpointSigner> {
  const cached = loaded.get(db);
  if (cached !== undefined) return cached;
  const loading = readOrCreateSigner(db, configured, logger);
  loaded.set(db, loading);
  loading.catch(() => loaded.delete(db));
  return loading;
}

async function readOrCreateSigner(
  db: Executor,
  configured: string | undefined,
  logger: Logger | undefined,
): Promise<CheckpointSigner> {
  if (configured !== undefined) {
    const signer = signerOf(parseSigningKey(configured), 'configured');
    await db
      .insert(auditSigningKeys)
      .values({ keyId: signer.keyId, publicKey: signer.publicKey })
      .onConflictDoNothing();
    return signer;
  }
  const existing = await generatedKey(db);
  if (existing !== undefined) return existing;
  const { privateKey } = generateKeyPairSync('ed25519');
  const candidate = signerOf(privateKey, 'generated');
  // Two processes starting at once: the unique index keeps one generated key; both use it.
  await db
    .insert(auditSigningKeys)
    .values({
      keyId: candidate.keyId,
      publicKey: candidate.publicKey,
      privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    })
    .onConflictDoNothing();
  const kept = await generatedKey(db);
  if (kept === undefined) throw new Error('audit_signing_keys: the generated key was not kept');
  logger?.warn(
    { keyId: kept.keyId },
    'audit checkpoints are signed with a key generated and kept in the database; set ' +
      'AUDIT_SIGNING_KEY (openssl genpkey -algorithm ed25519) to keep the key apart from the data',
  );
  return kept;
}

async function generatedKey(db: Executor): Promise<CheckpointSigner | undefined> {
  const [row] = await db
    .select()
    .from(auditSigningKeys)
    .where(isNotNull(auditSigningKeys.privateKey))
    .orderBy(asc(auditSigningKeys.createdAt))
    .limit(1);
  if (row?.privateKey == null) return undefined;
  const key = createPrivateKey({
    key: Buffer.from(row.privateKey, 'base64'),
    format: 'der',
    type: 'pkcs8',
  });
  return signerOf(key, 'generated');
}

function signerOf(privateKey: KeyObject, source: CheckpointSigner['source']): CheckpointSigner {
  const publicKey = createPublicKey(privateKey)
    .export({ format: 'der', type: 'spki' })
    .toString('base64');
  return {
    keyId: keyIdOf(publicKey),
    publicKey,
    source,
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
  };
}

/**
 * A public key (SPKI DER, base64) as PEM, for `openssl pkeyutl -verify`.
 *
 * @example
 * publicKeyPem(signer.publicKey); // '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA…\n-----END PUBLIC KEY-----\n'
 */
export function publicKeyPem(publicKey: string): string {
  return createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' })
    .export({ format: 'pem', type: 'spki' })
    .toString();
}
