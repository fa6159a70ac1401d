import { createRoute, z } from '@hono/zod-openapi';
import { asc, gt } from 'drizzle-orm';
import { requireRole } from '../access/authenticate.js';
import { auditCheckpoints, auditSigningKeys } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, problems } from '../http/openapi-helpers.js';
import { authorityChain } from './audit-entry.js';
import { loadCheckpointSigner, publicKeyPem } from './checkpoint-key.js';
import { sinkNames } from './export-checkpoint.js';
import { rowToCheckpoint, takeCheckpoint } from './take-checkpoint.js';

const tags = ['Audit 审计'];

const checkpointSchema = z
  .object({
    id: z.number().int(),
    chain: z.string().openapi({
      description:
        'The chain whose head it signs: authority:<id>, system, or legacy (the single chain before the split)',
    }),
    sequence: z
      .number()
      .int()
      .openapi({ description: 'The place in the chain of the last entry it covers' }),
    hash: z.string().openapi({ description: 'That entry’s hash: the chain’s head' }),
    at: z.string().openapi({ description: 'When it was taken, as signed' }),
    keyId: z.string(),
    signature: z.string().openapi({
      description:
        'Ed25519 over the canonical JSON of {at, chain, hash, keyId, sequence} ({at, hash, keyId, sequence} for the legacy chain), base64',
    }),
    trigger: z.enum(['scheduled', 'on_demand']),
    requestedBy: z.string().nullable(),
  })
  .openapi('AuditCheckpoint');

const signingKeySchema = z
  .object({
    keyId: z.string().openapi({ description: 'First 32 hex digits of sha256 over the SPKI DER' }),
    algorithm: z.literal('Ed25519'),
    publicKey: z.string().openapi({ description: 'SPKI DER, base64' }),
    publicKeyPem: z.string(),
    current: z.boolean().openapi({ description: 'The key new checkpoints are signed with' }),
  })
  .openapi('AuditSigningKey');

const SIGNED_MESSAGE =
  'Ed25519 over the UTF-8 canonical JSON (keys sorted, no spaces) of {"at","chain","hash","keyId","sequence"}; for the legacy chain (before the split into chains) of {"at","hash","keyId","sequence"}';

const takeCheckpointRoute = createRoute({
  method: 'post',
  path: '/v1/audit/checkpoints',
  operationId: 'createAuditCheckpoint',
  tags,
  summary: 'Sign every audit chain’s head now and export them / 立即签署各审计链头检查点',
  description:
    'Roles: admin, auditor. Signs {chain, sequence, hash, at, keyId} of each chain’s head with ' +
    'Ed25519 (every chain with entries, or only `authorityId`’s; a closed chain once) after ' +
    'checking that the entries since the chain’s previous checkpoint extend it — if any chain ' +
    'does not, nothing is signed (409 `audit_chain_broken`, the broken links in `broken`) — and ' +
    'queues their export to AUDIT_CHECKPOINT_URL / AUDIT_CHECKPOINT_FILE. Checkpoints are also ' +
    'taken hourly, of the chains that moved (a broken chain then does not hold up the others).',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin', 'auditor')] as const,
  request: {
    query: z.object({ authorityId: z.string().min(1).max(64).optional() }),
  },
  responses: {
    201: json(z.object({ items: z.array(checkpointSchema) }), 'The checkpoints signed'),
    ...problems(401, 403, 409, 422, 503),
  },
});

const listCheckpointsRoute = createRoute({
  method: 'get',
  path: '/v1/audit/checkpoints',
  operationId: 'listAuditCheckpoints',
  tags,
  summary: 'Signed checkpoints of the audit chain, with the public keys / 审计检查点及验签公钥',
  description:
    'Roles: admin, auditor. Every checkpoint in order with the keys that signed them, so that ' +
    'anyone can check a signature offline (e.g. openssl pkeyutl -verify -rawin).',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin', 'auditor')] as const,
  request: {
    query: z.object({
      afterId: z.coerce.number().int().min(0).default(0),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
  },
  responses: {
    200: json(
      z.object({
        items: z.array(checkpointSchema),
        nextAfterId: z.number().int().nullable(),
        keys: z.array(signingKeySchema),
        signedMessage: z.string(),
      }),
      'Checkpoints',
    ),
    ...problems(401, 403, 422, 503),
  },
});

/** `POST /v1/audit/checkpoints`, `GET /v1/audit/checkpoints`. */
export const auditCheckpointRoutes = createRouter();

auditCheckpointRoutes.openapi(takeCheckpointRoute, async (c) => {
  const { db, services, principal } = c.var;
  const { authorityId } = c.req.valid('query');
  const signer = await loadCheckpointSigner(db, services.env.AUDIT_SIGNING_KEY, services.logger);
  const sinks = sinkNames({
    url: services.env.AUDIT_CHECKPOINT_URL,
    file: services.env.AUDIT_CHECKPOINT_FILE,
  });
  const round = await db.transaction(async (tx) => {
    const taken = await takeCheckpoint(tx, signer, {
      now: services.now(),
      trigger: 'on_demand',
      requestedBy: principal.keyId,
      exportIt: sinks.length > 0,
      ...(authorityId === undefined ? {} : { chain: authorityChain(authorityId) }),
    });
    const [first] = taken.broken;
    if (first !== undefined) {
      // Rolls the round back: an explicit request signs all of it or nothing.
      throw new ProblemError(
        'audit_chain_broken',
        {
          zh: `审计链 ${first.chain}：${first.message.zh}`,
          en: `audit chain ${first.chain}: ${first.message.en}`,
        },
        { extensions: { firstBroken: first, broken: taken.broken } },
      );
    }
    return taken;
  });
  if (sinks.length > 0 && round.checkpoints.length > 0) services.dispatch?.nudge();
  return c.json({ items: [...round.checkpoints] }, 201);
});

auditCheckpointRoutes.openapi(listCheckpointsRoute, async (c) => {
  const { db, services } = c.var;
  const query = c.req.valid('query');
  const signer = await loadCheckpointSigner(db, services.env.AUDIT_SIGNING_KEY, services.logger);
  const rows = await db
    .select()
    .from(auditCheckpoints)
    .where(gt(auditCheckpoints.id, query.afterId))
    .orderBy(asc(auditCheckpoints.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const keys = await db.select().from(auditSigningKeys).orderBy(asc(auditSigningKeys.createdAt));
  return c.json(
    {
      items: page.map(rowToCheckpoint),
      nextAfterId: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
      keys: keys.map((key) => ({
        keyId: key.keyId,
        algorithm: 'Ed25519' as const,
        publicKey: key.publicKey,
        publicKeyPem: publicKeyPem(key.publicKey),
        current: key.keyId === signer.keyId,
      })),
      signedMessage: SIGNED_MESSAGE,
    },
    200,
  );
});
