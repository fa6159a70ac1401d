import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../http/create-router.js';
import { json, jsonBody, problems } from '../http/openapi-helpers.js';
import { applicationInputSchema } from './application-input.js';
import { ATTACHMENT_MAX_BYTES, ATTACHMENTS_MAX } from './attachment-type.js';
import { submitApplication } from './submit-application.js';

const submittedSchema = z
  .object({
    applicationId: z.string(),
    expertId: z.string(),
    status: z.literal('applied'),
    attachments: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        mediaType: z.string(),
        size: z.number().int(),
        sha256: z.string(),
      }),
    ),
    message: z.object({ zh: z.string(), en: z.string() }),
  })
  .openapi('ApplicationReceived');

const applyRoute = createRoute({
  method: 'post',
  path: '/v1/public/applications',
  operationId: 'submitApplication',
  tags: ['Applications 专家申报'],
  summary: 'Apply to join the expert pool (第十条（一）（二）) / 申报省级工贸专家',
  description:
    'The 申报表 as JSON, with proof attachments (身份、学历、职称、推荐意见) base64-encoded: PDF, ' +
    `JPEG or PNG only, judged by their content (never by name or declared type), at most ` +
    `${ATTACHMENT_MAX_BYTES} bytes each and ${ATTACHMENTS_MAX} in all; the whole request stays ` +
    'under the body limit (BODY_LIMIT_BYTES, 1 MiB by default). The employer’s consent is ' +
    'declared with who gave it (consent.kind employer); an applicant without an employer is ' +
    'recommended by an emergency-management department (consent.kind department, employer null). ' +
    'The applicant lands in the provincial pool in state applied for the review (recommend, ' +
    'start-review). Throttled per address; a refusal stores nothing. Attachments are never ' +
    'served back to the public; admins download them as attachments.',
  security: [],
  request: { body: jsonBody(applicationInputSchema) },
  responses: {
    201: json(submittedSchema, 'Received; state applied'),
    ...problems(400, 413, 415, 422, 429, 503),
  },
});

/** `POST /v1/public/applications`: the public application (第十条（一）（二）). */
export const publicApplicationsRoutes = createRouter();

publicApplicationsRoutes.openapi(applyRoute, async (c) => {
  const submitted = await submitApplication(c, c.req.valid('json'));
  return c.json(
    {
      ...submitted,
      attachments: [...submitted.attachments],
      status: 'applied' as const,
      message: {
        zh: `申报已受理，编号 ${submitted.applicationId}，请等待审核。`,
        en: `application ${submitted.applicationId} received; it awaits review`,
      },
    },
    201,
  );
});
