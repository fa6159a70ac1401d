import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { requireRole } from '../access/authenticate.js';
import { tasks } from '../db/schema.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, problems } from '../http/openapi-helpers.js';
import { resolveRuleSet } from '../rule-set/resolve-rule-set.js';
import { type StoredDrawInput, storedResult } from '../tasks/draw-task.js';
import { isPanelSealedFor } from '../tasks/sealed-panel.js';
import { readExclusions } from './compact-exclusions.js';
import { drawFileSchema, verifyDrawFile } from './draw-file.js';
import { loadDrawFile, loadVisibleDraw } from './load-draw-file.js';

const TAGS = ['Draws 抽取记录'];
const idParams = z.object({ id: z.string().min(1).max(64) });

const drawViewSchema = z
  .object({
    id: z.string(),
    taskId: z.string(),
    sequence: z.number().int(),
    reason: z.string().nullable(),
    seed: z.string(),
    policy: z.unknown(),
    ruleSet: z.object({ id: z.string(), version: z.string() }),
    digest: z.string(),
    poolDigest: z.string(),
    createdAt: z.string(),
    createdByAuthorityId: z.string(),
    /**
     * The matcher's full result: panel, funnel and every exclusion with its article. Null while
     * the panel is sealed for the caller (`panelSealed`, 第八条（五）（七）).
     */
    result: z.unknown(),
    /** True when the names are withheld until the work starts (`sealedPanelList`). */
    panelSealed: z.boolean(),
    /**
     * 异地抽取: the widening steps the draw took, in the rule set's ladder order (named by the
     * request, or taken unasked where the rule set pre-approves them); empty when none.
     */
    widen: z.array(z.string()),
  })
  .openapi('Draw');

const verificationSchema = z
  .object({
    drawId: z.string(),
    ok: z.boolean(),
    digestMatches: z.boolean(),
    resultMatches: z.boolean(),
    poolDigestMatches: z.boolean(),
    digest: z.string(),
    recordedDigest: z.string().nullable(),
  })
  .openapi('DrawVerification');

const getDrawRoute = createRoute({
  method: 'get',
  path: '/v1/draws/{id}',
  operationId: 'getDraw',
  tags: TAGS,
  summary: 'A draw: seed, digests, panel and every exclusion with its article / 抽取记录',
  security: BEARER_SECURITY,
  middleware: [requireRole('dispatcher', 'auditor', 'admin')] as const,
  request: { params: idParams },
  responses: { 200: json(drawViewSchema, 'The draw'), ...problems(401, 403, 404) },
});

const exportDrawRoute = createRoute({
  method: 'get',
  path: '/v1/draws/{id}/export',
  operationId: 'exportDraw',
  tags: TAGS,
  summary: 'The draw with its input, for offline verification / 导出抽取记录',
  description: 'Verify it with no database: `npx expert-dispatch verify draw.json`.',
  security: BEARER_SECURITY,
  middleware: [requireRole('auditor')] as const,
  request: { params: idParams },
  responses: { 200: json(drawFileSchema, 'The draw file'), ...problems(401, 403, 404) },
});

const verifyDrawRoute = createRoute({
  method: 'get',
  path: '/v1/draws/{id}/verify',
  operationId: 'verifyDraw',
  tags: TAGS,
  summary: 'Replay the draw from its stored snapshot and compare / 复核抽取',
  security: BEARER_SECURITY,
  middleware: [requireRole('auditor')] as const,
  request: { params: idParams },
  responses: {
    200: json(verificationSchema, 'Whether the replay gives the recorded panel'),
    ...problems(401, 403, 404),
  },
});

/** Draw records: read, export and verify (auditors). */
export const drawRoutes = createRouter();

drawRoutes.openapi(getDrawRoute, async (c) => {
  const principal = c.var.principal;
  const draw = await loadVisibleDraw(c.var.db, principal, c.req.valid('param').id);
  const [task] = await c.var.db
    .select({ authorityId: tasks.authorityId, windowFrom: tasks.windowFrom })
    .from(tasks)
    .where(eq(tasks.id, draw.taskId));
  const sealed =
    task !== undefined &&
    isPanelSealedFor(
      principal,
      task,
      await resolveRuleSet(c.var.db, task.authorityId, c.var.services.ruleSet),
      c.var.services.now(),
    );
  return c.json(
    {
      id: draw.id,
      taskId: draw.taskId,
      sequence: draw.sequence,
      reason: draw.reason,
      seed: draw.seed,
      policy: draw.policy,
      ruleSet: { id: draw.ruleSetId, version: draw.ruleSetVersion },
      digest: draw.inputDigest,
      poolDigest: draw.poolSnapshotDigest,
      createdAt: draw.createdAt.toISOString(),
      createdByAuthorityId: draw.createdByAuthorityId,
      result: sealed
        ? null
        : storedResult({ ...draw, exclusions: await readExclusions(c.var.db, draw) }),
      panelSealed: sealed,
      widen: [...((draw.input as StoredDrawInput).task.widen ?? [])],
    },
    200,
  );
});

drawRoutes.openapi(exportDrawRoute, async (c) => {
  const file = await loadDrawFile(c.var.db, c.var.principal, c.req.valid('param').id);
  c.header('content-disposition', `attachment; filename="draw-${file.draw.id}.json"`);
  return c.json(file, 200);
});

drawRoutes.openapi(verifyDrawRoute, async (c) => {
  const file = await loadDrawFile(c.var.db, c.var.principal, c.req.valid('param').id);
  // A draw made from records stored around the API (a date outside today's bounds) is replayed
  // as stored: the replay needs the data the draw read, not today's validation of it.
  const parsed = drawFileSchema.safeParse(file);
  const outcome = verifyDrawFile(parsed.success ? parsed.data : file);
  return c.json(
    {
      drawId: outcome.drawId,
      ok: outcome.ok,
      digestMatches: outcome.digestMatches,
      resultMatches: outcome.resultMatches,
      poolDigestMatches: outcome.poolDigestMatches,
      digest: outcome.digest,
      recordedDigest: outcome.recordedDigest,
    },
    200,
  );
});
