import {
  CERTIFICATE_STATE_LABELS,
  type CertificateNumbering,
  type CertificateState,
  certificateState,
  DEFAULT_CERTIFICATE_NUMBERING,
  formatCertificateNumber,
  parseCertificateNumber,
  type RuleSet,
} from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../db/open-database.js';
import { certificates } from '../db/schema.js';

export type CertificateRow = typeof certificates.$inferSelect;

const labelSchema = z.object({ zh: z.string(), en: z.string() });
const stateSchema = z.enum(['valid', 'not_sealed', 'lapsed', 'revoked']);

/** One certificate as admins and the expert see it (第十一条). */
export const certificateViewSchema = z
  .object({
    number: z.string().openapi({ example: '云应急专家〔2026〕第0001号' }),
    expertId: z.string(),
    term: z.object({ from: z.string(), to: z.string() }),
    state: stateSchema,
    stateLabel: labelSchema,
    issuedAt: z.string(),
    sealedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    verificationUrl: z
      .string()
      .openapi({ description: 'The public verification page / 公开核验页面' }),
  })
  .openapi('Certificate');

export type CertificateView = z.infer<typeof certificateViewSchema>;

/** What anyone may learn from a certificate's number: no personal data. */
export const publicCertificateSchema = z
  .object({
    number: z.string(),
    state: stateSchema,
    stateLabel: labelSchema,
    name: z.string().openapi({ description: "The expert's name as published (第十九条)" }),
    term: z.object({ from: z.string(), to: z.string() }),
  })
  .openapi('PublicCertificate');

/**
 * The numbering of the service's rule set, or the default scheme.
 *
 * @example
 * numberingOf(yunnanGmy2025).digits; // 4
 */
export function numberingOf(ruleSet: RuleSet): CertificateNumbering {
  return ruleSet.certificateNumbering ?? DEFAULT_CERTIFICATE_NUMBERING;
}

/**
 * The certificates of one expert, newest term first.
 *
 * @example
 * const [current] = await loadCertificatesOf(db, 'e-1');
 */
export async function loadCertificatesOf(
  db: Database,
  expertId: string,
): Promise<CertificateRow[]> {
  return db
    .select()
    .from(certificates)
    .where(eq(certificates.expertId, expertId))
    .orderBy(desc(certificates.termFrom));
}

/**
 * The certificate a printed number stands for, if any: a string of another shape finds none.
 *
 * @example
 * await findCertificateByNumber(db, numbering, '云应急专家〔2026〕第0001号');
 */
export async function findCertificateByNumber(
  db: Database,
  numbering: CertificateNumbering,
  printed: string,
): Promise<CertificateRow | undefined> {
  const parsed = parseCertificateNumber(numbering, printed);
  if (parsed === null) return undefined;
  const [row] = await db
    .select()
    .from(certificates)
    .where(and(eq(certificates.year, parsed.year), eq(certificates.seq, parsed.seq)));
  return row;
}

/**
 * The public verification URL of a number: `PUBLIC_BASE_URL` when set, else the request's origin.
 *
 * @example
 * verificationUrlOf('https://zj.example.cn', '云应急专家〔2026〕第0001号');
 */
export function verificationUrlOf(base: string, number: string): string {
  return `${base.replace(/\/+$/, '')}/certificates/${encodeURIComponent(number)}`;
}

/**
 * The state of a certificate on `now`, with its labels.
 *
 * @example
 * stateOf(row, now).state; // 'valid'
 */
export function stateOf(
  row: CertificateRow,
  now: Date,
): { state: CertificateState; stateLabel: { zh: string; en: string } } {
  const state = certificateState(row, now);
  return { state, stateLabel: { ...CERTIFICATE_STATE_LABELS[state] } };
}

/**
 * The view of a certificate.
 *
 * @example
 * toCertificateView(row, { numbering, now, base: 'https://zj.example.cn' }).number;
 */
export function toCertificateView(
  row: CertificateRow,
  context: { numbering: CertificateNumbering; now: Date; base: string },
): CertificateView {
  const number = formatCertificateNumber(context.numbering, row.year, row.seq);
  return {
    number,
    expertId: row.expertId,
    term: { from: row.termFrom, to: row.termTo },
    ...stateOf(row, context.now),
    issuedAt: row.issuedAt.toISOString(),
    sealedAt: row.sealedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    verificationUrl: verificationUrlOf(context.base, number),
  };
}
