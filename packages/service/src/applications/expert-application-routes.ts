import { idSchema } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq } from 'drizzle-orm';
import { requireRole } from '../access/authenticate.js';
import { applicationAttachments, expertApplications } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import { assertOwnsExpert, loadVisibleExpert } from '../experts/pool-scope.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, problems } from '../http/openapi-helpers.js';
import { ATTACHMENT_KIND_LABELS, attachmentKinds } from './application-input.js';

const TAGS = ['Applications 专家申报'];

const applicationViewSchema = z
  .object({
    id: z.string(),
    expertId: z.string(),
    consent: z.union([
      z.object({ kind: z.literal('employer'), employerName: z.string(), declaredBy: z.string() }),
      z.object({ kind: z.literal('department'), department: z.string() }),
    ]),
    education: z.string(),
    resume: z.string().nullable(),
    createdAt: z.string(),
    attachments: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        kindLabel: z.string(),
        fileName: z.string(),
        mediaType: z.string(),
        size: z.number().int(),
        sha256: z.string(),
      }),
    ),
  })
  .openapi('ExpertApplication');

const getRoute = createRoute({
  method: 'get',
  path: '/v1/experts/{id}/application',
  operationId: 'getExpertApplication',
  tags: TAGS,
  summary: 'The application an expert record came from (第十条（一）（二）) / 申报材料',
  description:
    'The consent or recommending department, education, résumé and the attachments’ list.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin', 'auditor')] as const,
  request: { params: z.object({ id: idSchema }) },
  responses: {
    200: json(applicationViewSchema, 'The application'),
    ...problems(401, 403, 404, 422),
  },
});

const binary = { schema: z.string().openapi({ format: 'binary' }) };
const downloadRoute = createRoute({
  method: 'get',
  path: '/v1/experts/{id}/application/attachments/{attachmentId}',
  operationId: 'downloadApplicationAttachment',
  tags: TAGS,
  summary: 'Download one proof attachment / 下载申报附件',
  description:
    'Always a download (Content-Disposition: attachment), with its type as checked on upload, ' +
    'X-Content-Type-Options: nosniff and a sandboxing CSP: never rendered inline.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin', 'auditor')] as const,
  request: { params: z.object({ id: idSchema, attachmentId: idSchema }) },
  responses: {
    200: {
      description: 'The file',
      content: { 'application/pdf': binary, 'image/jpeg': binary, 'image/png': binary },
    },
    ...problems(401, 403, 404, 422),
  },
});

/** The admins' view of applications and their attachments. */
export const expertApplicationRoutes = createRouter();

const noApplication = (id: string) =>
  new ProblemError('not_found', {
    zh: `专家 ${id} 无申报材料`,
    en: `no application for expert ${id}`,
  });

expertApplicationRoutes.openapi(getRoute, async (c) => {
  const { id } = c.req.valid('param');
  const db = c.var.db;
  // Proofs carry personal data: only the pool that reviews the application reads them.
  assertOwnsExpert((await loadVisibleExpert(db, c.var.principal, id)).row, c.var.principal);
  const [application] = await db
    .select()
    .from(expertApplications)
    .where(eq(expertApplications.expertId, id));
  if (application === undefined) throw noApplication(id);
  const files = await db
    .select({
      id: applicationAttachments.id,
      kind: applicationAttachments.kind,
      fileName: applicationAttachments.fileName,
      mediaType: applicationAttachments.mediaType,
      size: applicationAttachments.size,
      sha256: applicationAttachments.sha256,
    })
    .from(applicationAttachments)
    .where(eq(applicationAttachments.applicationId, application.id))
    .orderBy(asc(applicationAttachments.position));
  return c.json(
    {
      id: application.id,
      expertId: id,
      consent: application.consent,
      education: application.education,
      resume: application.resume,
      createdAt: application.createdAt.toISOString(),
      attachments: files.map((f) => ({
        ...f,
        kindLabel: (attachmentKinds as readonly string[]).includes(f.kind)
          ? ATTACHMENT_KIND_LABELS[f.kind as (typeof attachmentKinds)[number]]
          : f.kind,
      })),
    },
    200,
  );
});

expertApplicationRoutes.openapi(downloadRoute, async (c) => {
  const { id, attachmentId } = c.req.valid('param');
  const db = c.var.db;
  // Proofs carry personal data: only the pool that reviews the application reads them.
  assertOwnsExpert((await loadVisibleExpert(db, c.var.principal, id)).row, c.var.principal);
  const [file] = await db
    .select({
      fileName: applicationAttachments.fileName,
      mediaType: applicationAttachments.mediaType,
      content: applicationAttachments.content,
    })
    .from(applicationAttachments)
    .innerJoin(expertApplications, eq(expertApplications.id, applicationAttachments.applicationId))
    .where(and(eq(applicationAttachments.id, attachmentId), eq(expertApplications.expertId, id)));
  if (file === undefined) {
    throw new ProblemError('not_found', { zh: '附件不存在', en: `no attachment ${attachmentId}` });
  }
  const extension = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' }[
    file.mediaType
  ];
  // The stored name is the applicant's: only its RFC 5987 form goes out, with a safe fallback.
  const fallback = `attachment-${attachmentId}.${extension ?? 'bin'}`;
  const body = new Uint8Array(file.content);
  return c.body(body, 200, {
    'Content-Type': file.mediaType,
    'Content-Disposition': `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "sandbox; default-src 'none'",
    'Cache-Control': 'no-store',
  });
});
