import type { Expert } from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { accepts } from 'hono/accepts';
import { authorities } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import type { AppEnv } from '../http/app-env.js';
import { problems } from '../http/openapi-helpers.js';
import { CERTIFICATE_PAGE_CSP, certificatePageHtml } from './certificate-html.js';
import {
  certificateViewSchema,
  loadCertificatesOf,
  numberingOf,
  toCertificateView,
} from './certificate-record.js';

export const CERTIFICATE_TAGS = ['Certificates 聘书'];

export const expertCertificatesSchema = z
  .object({
    expertId: z.string(),
    expertName: z.string(),
    /** The certificate of the latest term; null before the first appointment. */
    current: certificateViewSchema.nullable(),
    /** Every term's certificate, newest first. */
    items: z.array(certificateViewSchema),
  })
  .openapi('ExpertCertificates');

export const certificateFormatQuery = z.object({
  format: z.enum(['json', 'html']).optional().openapi({
    description: 'json or html; without it the Accept header decides (default JSON)',
  }),
});

/** The responses of a certificate read: JSON, or the A4 page; 404 for a page of no certificate. */
export const certificateResponses = (...statuses: (401 | 403 | 404 | 422)[]) => ({
  200: {
    description: 'The certificates / 聘书',
    content: {
      'application/json': { schema: expertCertificatesSchema },
      'text/html': { schema: z.string().openapi({ description: 'The A4 certificate (中文)' }) },
    },
  },
  ...problems(...statuses),
});

/**
 * Answers with an expert's certificates: JSON, or (`?format=html`, Accept: text/html) the
 * printable A4 page of the current one, issued in the name of the pool's authority.
 *
 * @example
 * return respondWithCertificates(c, { expert, ownerAuthorityId: row.ownerAuthorityId }, format);
 */
export async function respondWithCertificates(
  c: Context<AppEnv>,
  subject: { readonly expert: Expert; readonly ownerAuthorityId: string },
  format: 'json' | 'html' | undefined,
): Promise<Response> {
  const { services, db } = c.var;
  const { expert } = subject;
  const context = {
    numbering: numberingOf(services.ruleSet),
    now: services.now(),
    base: services.env.PUBLIC_BASE_URL,
  };
  const items = (await loadCertificatesOf(db, expert.id)).map((r) => toCertificateView(r, context));
  const current = items[0] ?? null;
  const media = accepts(c, {
    header: 'Accept',
    supports: ['application/json', 'text/html'],
    default: 'application/json',
  });
  c.header('Vary', 'Accept');
  if ((format ?? (media === 'text/html' ? 'html' : 'json')) === 'json') {
    return c.json({ expertId: expert.id, expertName: expert.name, current, items }, 200);
  }
  if (current === null) {
    throw new ProblemError('not_found', {
      zh: `专家 ${expert.id} 尚未聘任，没有聘书`,
      en: `expert ${expert.id} has no certificate yet`,
    });
  }
  const [authority] = await db
    .select({ name: authorities.name })
    .from(authorities)
    .where(eq(authorities.id, subject.ownerAuthorityId));
  c.header('Content-Security-Policy', CERTIFICATE_PAGE_CSP);
  return c.html(
    await certificatePageHtml({
      certificate: current,
      expert,
      department: authority?.name ?? subject.ownerAuthorityId,
    }),
    200,
  );
}
