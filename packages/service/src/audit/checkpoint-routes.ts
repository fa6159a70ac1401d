import { createRoute, z } from '@hono/zod-openapi';
import { asc, gt } from 'drizzle-orm';
import { requireRole } from '../access/authenticate.js';
import { auditCheckpoints, auditSigningKeys } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, problems } from '../http/openapi-helpers.js';
import { loadCheckpointSigner, publicKeyPem } from './checkpoint-key.js';
import { sinkNames } from './export-checkpoint.js';
import { rowToCheckpoint, takeCheckpoint } from './take-checkpoint.js';

const tags = ['Audit 审计'];

const checkpointSchema = z
  .object({
    id: z.number().int(),
    sequence: z.number().int().openapi({ description: 'The last entry the checkpoint covers' }),
    hash: z.string().openapi({ description: 'That entry’s hash: the chain’s head' }),
    at: z.string().openapi({ description: 'When it was taken, as signed' }),
    keyId: z.string(),
    signature: z.string().openapi({
      description: 'Ed25519 over the canonical JSON of {at, hash, keyId, sequence}, base64',
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
  'Ed25519 over the UTF-8 canonical JSON (keys sorted, no spaces) of {"at","hash","keyId","sequence"}';

const takeCheckpointRoute = createRoute({
  method: 'post',
  path: '/v1/audit/checkpoints',
  operationId: 'createAuditCheckpoint',
  tags,
  summary: 'Sign the audit chain’s head now and export it / 立即签署审计链头检查点',
  description:
    'Roles: admin, auditor. Signs {sequence, hash, at, keyId} of the chain’s head with Ed25519 ' +
    'after checking that the entries since the previous checkpoint extend it (409 ' +
    '`audit_chain_broken` otherwise), and queues its export to AUDIT_CHECKPOINT_URL / ' +
    'AUDIT_CHECKPOINT_FILE. Checkpoints are also taken hourly.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin', 'auditor')] as const,
  responses: {
    201: json(checkpointSchema, 'The checkpoint'),
    ...problems(401, 403, 409, 503),
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
  const signer = await loadCheckpointSigner(db, services.env.AUDIT_SIGNING_KEY, services.logger);
  const sinks = sinkNames({
    url: services.env.AUDIT_CHECKPOINT_URL,
    file: services.env.AUDIT_CHECKPOINT_FILE,
  });
  const outcome = await db.transaction((tx) =>
    takeCheckpoint(tx, signer, {
      now: services.now(),
      trigger: 'on_demand',
      requestedBy: principal.keyId,
      exportIt: sinks.length > 0,
    }),
  );
  if (!outcome.ok) {
    throw new ProblemError('audit_chain_broken', outcome.broken.message, {
      extensions: { firstBroken: outcome.broken },
    });
  }
  if (sinks.length > 0) services.dispatch?.nudge();
  return c.json(outcome.checkpoint, 201);
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
