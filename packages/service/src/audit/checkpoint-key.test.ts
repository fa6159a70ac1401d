import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenDatabase, openDatabase } from '../db/open-database.js';
import { auditSigningKeys } from '../db/schema.js';
import { readEnv } from '../env.js';
import { createScratchPostgres } from '../testing/scratch-postgres.test-helpers.js';
import {
  availableBackends,
  createTestDatabase,
  POSTGRES_ADMIN_URL,
} from '../testing/test-backends.test-helpers.js';
import {
  checkpointMessage,
  isCheckpointSigned,
  keyIdOf,
  loadCheckpointSigner,
  parseSigningKey,
} from './checkpoint-key.js';

const backends = await availableBackends();

const ed25519 = generateKeyPairSync('ed25519').privateKey;
const PEM = ed25519.export({ format: 'pem', type: 'pkcs8' }).toString();
const DER_BASE64 = ed25519.export({ format: 'der', type: 'pkcs8' }).toString('base64');
const RSA_PEM = generateKeyPairSync('rsa', { modulusLength: 1024 })
  .privateKey.export({ format: 'pem', type: 'pkcs8' })
  .toString();

describe('the checkpoint signing key', () => {
  const opened: OpenDatabase[] = [];
  const fresh = async () => {
    const database = await createTestDatabase('pglite');
    opened.push(database);
    return database;
  };
  let first: OpenDatabase;
  beforeAll(async () => {
    first = await fresh();
  });
  afterAll(() => Promise.all(opened.map((database) => database.close())));

  it.each([
    ['PKCS8 PEM (openssl genpkey -algorithm ed25519)', PEM],
    ['PKCS8 PEM with escaped newlines, as an env file holds it', PEM.replaceAll('\n', '\\n')],
    ['PKCS8 DER in base64', DER_BASE64],
  ])('reads AUDIT_SIGNING_KEY given as %s', (_name, text) => {
    expect(parseSigningKey(text).asymmetricKeyType).toBe('ed25519');
    expect(readEnv({ AUDIT_SIGNING_KEY: text }).AUDIT_SIGNING_KEY).toBe(text);
  });

  it.each([
    ['an RSA key', RSA_PEM],
    ['not a key', 'not-a-key-at-all-but-long-enough-to-look-like-one'],
  ])('refuses AUDIT_SIGNING_KEY that is %s at start', (_name, text) => {
    expect(() => readEnv({ AUDIT_SIGNING_KEY: text })).toThrow(/AUDIT_SIGNING_KEY/);
  });

  it('signs with the configured key and records only its public half', async () => {
    const database = await fresh();
    const signer = await loadCheckpointSigner(database.db, PEM);
    expect(signer.source).toBe('configured');
    const rows = await database.db.select().from(auditSigningKeys);
    expect(rows).toEqual([
      expect.objectContaining({
        keyId: signer.keyId,
        publicKey: signer.publicKey,
        privateKey: null,
      }),
    ]);
    expect(keyIdOf(signer.publicKey)).toBe(signer.keyId);
    const fields = {
      chain: 'authority:km-yjj',
      sequence: 3,
      hash: 'a'.repeat(64),
      at: '2026-03-02T01:00:00.000Z',
      keyId: signer.keyId,
    };
    const signature = signer.sign(checkpointMessage(fields));
    expect(isCheckpointSigned(fields, signature, signer.publicKey)).toBe(true);
    expect(isCheckpointSigned({ ...fields, keyId: 'another' }, signature, signer.publicKey)).toBe(
      false,
    );
    // A statement of one chain is not one of another chain, nor of the legacy chain.
    for (const chain of ['authority:wh-yjj', 'system', 'legacy']) {
      expect(isCheckpointSigned({ ...fields, chain }, signature, signer.publicKey)).toBe(false);
    }
    // The legacy chain's statements keep the form they were signed in before the chains (0023).
    const legacy = { ...fields, chain: 'legacy' };
    expect(checkpointMessage(legacy)).toBe(
      `{"at":"2026-03-02T01:00:00.000Z","hash":"${'a'.repeat(64)}","keyId":"${signer.keyId}","sequence":3}`,
    );
    expect(checkpointMessage(fields)).toContain('"chain":"authority:km-yjj"');
  });

  it('generates a key at first start and keeps it with the data', async () => {
    const signer = await loadCheckpointSigner(first.db, undefined);
    expect(signer.source).toBe('generated');
    const rows = await first.db.select().from(auditSigningKeys);
    expect(rows).toEqual([expect.objectContaining({ keyId: signer.keyId })]);
    expect(rows[0]?.privateKey).not.toBeNull();
  });

  it.runIf(backends.includes('postgres'))(
    'gives two processes starting at once on one PostgreSQL the same generated key',
    async () => {
      const scratch = await createScratchPostgres(POSTGRES_ADMIN_URL, 'ed_key', 2);
      const second = await openDatabase({ kind: 'postgres', url: scratch.url, maxConnections: 2 });
      try {
        const [a, b] = await Promise.all([
          loadCheckpointSigner(scratch.database.db, undefined),
          loadCheckpointSigner(second.db, undefined),
        ]);
        expect(b.keyId).toBe(a.keyId);
        expect(await second.db.select().from(auditSigningKeys)).toHaveLength(1);
      } finally {
        await second.close();
        await scratch.drop();
      }
    },
  );

  it('never shares a generated key between two databases (no constant in code)', async () => {
    const other = await fresh();
    const [keyA, keyB] = await Promise.all([
      loadCheckpointSigner(first.db, undefined),
      loadCheckpointSigner(other.db, undefined),
    ]);
    expect(keyA.keyId).not.toBe(keyB.keyId);
  });
});
