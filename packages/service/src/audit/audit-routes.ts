import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, gt, type SQL } from 'drizzle-orm';
import { requireRole } from '../access/authenticate.js';
import { auditLog } from '../db/schema.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, problems } from '../http/openapi-helpers.js';
import { authorityChain } from './audit-entry.js';
import { loadCheckpointStatements } from './database-checkpoints.js';
import { sealAuditEntriesFor } from './seal-audit-entries.js';
import { AUDIT_SELECTION, rowToAuditEntry, verifyAuditSnapshot } from './verify-audit-chain.js';

const tags = ['Audit 审计'];

const auditEntrySchema = z
  .object({
    seq: z.number().int().openapi({ description: 'The listing order across chains' }),
    chain: z.string().openapi({
      description:
        'The hash chain: authority:<id>, system (no authority), or legacy (before the chains were split)',
    }),
    chainSeq: z.number().int().openapi({ description: 'The place in the chain, from 1' }),
    at: z.string(),
    actorKeyId: z.string().nullable(),
    actorAuthorityId: z.string().nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string(),
    reason: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    prevHash: z.string(),
    hash: z.string(),
    sealed: z
      .literal(true)
      .optional()
      .openapi({
        description:
          'Present when reason, before and after are withheld: the entry is about a task whose ' +
          'panel is sealed for the caller until its work starts (第八条（五）（七）); auditors read it whole',
      }),
    hashVersion: z.union([z.literal(1), z.literal(2), z.literal(3)]).openapi({
      description:
        '1: time hashed to the millisecond (older entries); 2: to the microsecond; 3: with the chain and the place in it',
    }),
  })
  .openapi('AuditEntry');

const checkpointRefSchema = z
  .object({
    id: z.number().int(),
    chain: z.string(),
    sequence: z.number().int(),
    hash: z.string(),
    at: z.string(),
    keyId: z.string(),
  })
  .openapi('AuditCheckpointRef');

const brokenLinkSchema = z
  .object({
    chain: z.string(),
    seq: z.number().int().openapi({ description: 'The place in the chain' }),
    problem: z.enum(['sequence_gap', 'prev_hash_mismatch', 'hash_mismatch', 'head_mismatch']),
    message: z.object({ zh: z.string(), en: z.string() }),
  })
  .openapi('AuditBrokenLink');

const checkpointFindingSchema = z
  .object({
    checkpoint: checkpointRefSchema,
    problem: z.enum(['signature_invalid', 'hash_mismatch', 'entry_missing']),
    message: z.object({ zh: z.string(), en: z.string() }),
  })
  .openapi('AuditCheckpointFinding');

const chainVerificationSchema = z
  .object({
    chain: z.string(),
    authorityId: z.string().nullable(),
    closed: z.boolean(),
    ok: z.boolean(),
    entries: z.number().int(),
    lastSeq: z.number().int(),
    lastHash: z.string(),
    firstBroken: brokenLinkSchema.nullable(),
    head: z.object({ seq: z.number().int(), hash: z.string(), matches: z.boolean() }),
    checkpoints: z.object({
      checked: z.number().int(),
      newestConsistent: checkpointRefSchema.nullable(),
      firstInconsistent: checkpointFindingSchema.nullable(),
      inconsistent: z.number().int(),
    }),
  })
  .openapi('AuditChainVerification');

const verificationSchema = z
  .object({
    ok: z.boolean(),
    entries: z.number().int(),
    chains: z.array(chainVerificationSchema),
    firstBroken: brokenLinkSchema.nullable(),
    checkpoints: z.object({
      checked: z.number().int(),
      inconsistent: z.number().int(),
      firstInconsistent: checkpointFindingSchema.nullable(),
    }),
  })
  .openapi('AuditVerification');

const listAuditRoute = createRoute({
  method: 'get',
  path: '/v1/audit',
  operationId: 'listAuditEntries',
  tags,
  summary: 'Audit entries in order; local authorities see their own / 审计日志',
  security: BEARER_SECURITY,
  middleware: [requireRole('auditor', 'admin')] as const,
  request: {
    query: z.object({
      entityType: z.string().max(40).optional(),
      entityId: z.string().max(64).optional(),
      action: z.string().max(60).optional(),
      afterSeq: z.coerce.number().int().min(0).default(0),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
  },
  responses: {
    200: json(
      z.object({ items: z.array(auditEntrySchema), nextAfterSeq: z.number().int().nullable() }),
      'Entries',
    ),
    ...problems(401, 403, 422, 503),
  },
});

const verifyAuditRoute = createRoute({
  method: 'get',
  path: '/v1/audit/verify',
  operationId: 'verifyAuditChain',
  tags,
  summary:
    "Check every hash chain (one per authority, system, legacy) against its head and the signed checkpoints; reports each chain's first broken link and the newest checkpoint it agrees with / 校验审计哈希链（含链头与签名检查点）",
  description:
    "Roles: admin, auditor. `authorityId`: only that authority's chain (`authority:<id>`).",
  security: BEARER_SECURITY,
  middleware: [requireRole('auditor', 'admin')] as const,
  request: {
    query: z.object({ authorityId: z.string().min(1).max(64).optional() }),
  },
  responses: { 200: json(verificationSchema, 'Verification'), ...problems(401, 403, 422, 503) },
});

/** `GET /v1/audit`, `GET /v1/audit/verify`. */
export const auditRoutes = createRouter();

auditRoutes.openapi(listAuditRoute, async (c) => {
  const principal = c.var.principal;
  const query = c.req.valid('query');
  const conditions: SQL[] = [gt(auditLog.seq, query.afterSeq)];
  if (principal.tier !== 'province') {
    conditions.push(eq(auditLog.actorAuthorityId, principal.authorityId));
  }
  if (query.entityType) conditions.push(eq(auditLog.entityType, query.entityType));
  if (query.entityId) conditions.push(eq(auditLog.entityId, query.entityId));
  if (query.action) conditions.push(eq(auditLog.action, query.action));
  const rows = await c.var.db
    .select(AUDIT_SELECTION)
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(asc(auditLog.seq))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return c.json(
    {
      // Entries about a panel still sealed for the caller keep only their frame (第八条（五）（七）).
      items: await sealAuditEntriesFor(
        c.var.db,
        principal,
        page.map(rowToAuditEntry),
        c.var.services.ruleSet,
        c.var.services.now(),
      ),
      nextAfterSeq: rows.length > query.limit && last ? last.seq : null,
    },
    200,
  );
});

auditRoutes.openapi(verifyAuditRoute, async (c) => {
  const { authorityId } = c.req.valid('query');
  const options = authorityId === undefined ? {} : { chain: authorityChain(authorityId) };
  return c.json(await verifyAuditSnapshot(c.var.db, loadCheckpointStatements, options), 200);
});
