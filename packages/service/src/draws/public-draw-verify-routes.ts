import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../http/create-router.js';
import { json, problems } from '../http/openapi-helpers.js';
import { drawFileSchema, verifyDrawFile } from './draw-file.js';
import { loadAnyDrawFile } from './load-draw-file.js';

const publicVerificationSchema = z
  .object({
    drawId: z.string(),
    ok: z.boolean(),
    digestMatches: z.boolean(),
    resultMatches: z.boolean(),
    poolDigestMatches: z.boolean(),
    /** The input digest the replay computed, to compare with the printed record. */
    digest: z.string(),
    poolDigest: z.string(),
    ruleSet: z.object({ id: z.string(), version: z.string() }),
    createdAt: z.string(),
    message: z.object({ zh: z.string(), en: z.string() }),
  })
  .openapi('PublicDrawVerification');

const route = createRoute({
  method: 'get',
  path: '/v1/public/draws/{id}/verify',
  operationId: 'verifyDrawPublicly',
  tags: ['Public 公众查询'],
  summary: 'Anyone checks a printed draw record (抽取记录) by its QR code / 抽取结果公开核验',
  description:
    'Replays the draw from its stored input and pool snapshot and says whether it gives the ' +
    'recorded result, with the digests printed on the record. No names, panel or exclusions: ' +
    'those stay with the requesting authority and auditors (第八条（五）（七））. No key needed; ' +
    'rate-limited per client address.',
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: {
    200: json(publicVerificationSchema, 'Whether the replay gives the recorded result'),
    ...problems(404, 422, 429),
  },
});

/** The public check of a draw that the printed 抽取记录's QR code opens. */
export const publicDrawVerifyRoutes = createRouter();

publicDrawVerifyRoutes.openapi(route, async (c) => {
  const file = await loadAnyDrawFile(c.var.db, c.req.valid('param').id);
  // Replayed as stored, like the auditors' verify (records stored around today's bounds).
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
      poolDigest: file.draw.poolDigest,
      ruleSet: { id: file.input.ruleSet.id, version: file.input.ruleSet.version },
      createdAt: file.draw.createdAt,
      message: outcome.ok
        ? {
            zh: '核验通过：重放结果与抽取记录一致',
            en: 'verified: the replay gives the recorded result',
          }
        : {
            zh: '核验未通过：重放结果与抽取记录不一致',
            en: 'not verified: the replay differs from the record',
          },
    },
    200,
  );
});
