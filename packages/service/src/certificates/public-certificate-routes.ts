import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { experts } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import type { AppEnv } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { json, problems } from '../http/openapi-helpers.js';
import { CERTIFICATE_PAGE_CSP, publicCertificatePageHtml } from './certificate-html.js';
import {
  findCertificateByNumber,
  numberingOf,
  publicCertificateSchema,
  stateOf,
} from './certificate-record.js';

const TAGS = ['Public 公众查询'];
const numberParams = z.object({
  number: z.string().min(1).max(100).openapi({
    description: 'The printed number / 聘书编号',
    example: '云应急专家〔2026〕第0001号',
  }),
});

const verifyRoute = createRoute({
  method: 'get',
  path: '/v1/public/certificates/{number}',
  operationId: 'verifyCertificate',
  tags: TAGS,
  summary: 'Verify a certificate by its number, no key needed (第十一条) / 聘书公开核验',
  description:
    'valid (sealed, term running), not_sealed (issued, not yet sealed, so not in force), ' +
    'lapsed (term ended) or revoked (dismissed or withdrawn while the term ran); the name and ' +
    'term only — no personal data. Rate-limited per client address.',
  request: { params: numberParams },
  responses: {
    200: json(publicCertificateSchema, 'The certificate’s state'),
    ...problems(404, 422, 429),
  },
});

const pageRoute = createRoute({
  method: 'get',
  path: '/certificates/{number}',
  operationId: 'showCertificateVerificationPage',
  tags: TAGS,
  summary: 'The public verification page a certificate’s QR code opens / 聘书核验页面',
  request: { params: numberParams },
  responses: {
    200: {
      description: 'The page / 页面',
      content: { 'text/html': { schema: z.string().openapi({ description: 'In Chinese' }) } },
    },
    404: {
      description: 'No such certificate (a page) / 未找到',
      content: { 'text/html': { schema: z.string() } },
    },
    ...problems(422, 429),
  },
});

async function lookUp(c: Context<AppEnv>, number: string) {
  const { db, services } = c.var;
  const row = await findCertificateByNumber(db, numberingOf(services.ruleSet), number);
  if (row === undefined) return null;
  const [expert] = await db
    .select({ name: experts.name })
    .from(experts)
    .where(eq(experts.id, row.expertId));
  return {
    number,
    ...stateOf(row, services.now()),
    name: expert?.name ?? '',
    term: { from: row.termFrom, to: row.termTo },
  };
}

/** The public verification of certificates: JSON and the page the QR code opens. */
export const publicCertificateRoutes = createRouter();

publicCertificateRoutes.openapi(verifyRoute, async (c) => {
  const { number } = c.req.valid('param');
  const found = await lookUp(c, number);
  if (found === null) {
    throw new ProblemError('not_found', {
      zh: `没有编号为 ${number} 的聘书`,
      en: `no certificate numbered ${number}`,
    });
  }
  return c.json(found, 200);
});

publicCertificateRoutes.openapi(pageRoute, async (c) => {
  const { number } = c.req.valid('param');
  const found = await lookUp(c, number);
  c.header('Content-Security-Policy', CERTIFICATE_PAGE_CSP);
  return c.html(publicCertificatePageHtml(found, number), found === null ? 404 : 200);
});
