import { idSchema } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../access/authenticate.js';
import { loadVisibleExpert } from '../experts/pool-scope.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY } from '../http/openapi-helpers.js';
import {
  CERTIFICATE_TAGS,
  certificateFormatQuery,
  certificateResponses,
  respondWithCertificates,
} from './certificate-response.js';

const getCertificateRoute = createRoute({
  method: 'get',
  path: '/v1/experts/{id}/certificate',
  operationId: 'getExpertCertificate',
  tags: CERTIFICATE_TAGS,
  summary: "An expert's certificate (聘书, 第十一条), JSON or a printable A4 page / 专家聘书",
  description:
    'One certificate per term, issued with the appointment or renewal, sealed by the `seal` ' +
    'action (valid only once sealed), revoked on dismissal or withdrawal, lapsed after the ' +
    'term. `?format=html` (or Accept: text/html) gives the printable A4 page of the current one ' +
    'with a QR code of the public verification page (404 when there is none yet).',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin', 'auditor', 'viewer')] as const,
  request: { params: z.object({ id: idSchema }), query: certificateFormatQuery },
  responses: certificateResponses(401, 403, 404, 422),
});

/** `GET /v1/experts/{id}/certificate`: the certificates of an expert the caller may see. */
export const certificateRoutes = createRouter();

certificateRoutes.openapi(getCertificateRoute, async (c) => {
  const { id } = c.req.valid('param');
  const { format } = c.req.valid('query');
  const { expert, row } = await loadVisibleExpert(c.var.db, c.var.principal, id);
  return respondWithCertificates(c, { expert, ownerAuthorityId: row.ownerAuthorityId }, format);
});
