import { createRoute } from '@hono/zod-openapi';
import {
  certificateFormatQuery,
  certificateResponses,
  respondWithCertificates,
} from '../certificates/certificate-response.js';
import { rowToExpert } from '../experts/expert-row.js';
import { createRouter } from '../http/create-router.js';
import { SELF_TAGS } from './self-login-routes.js';
import { loadOwnRow } from './self-profile-routes.js';
import { SELF_SECURITY } from './self-security.js';
import { requireSelfExpert } from './self-session.js';

const selfCertificateRoute = createRoute({
  method: 'get',
  path: '/v1/self/certificate',
  operationId: 'getSelfCertificate',
  tags: SELF_TAGS,
  summary: 'My certificate (聘书, 第十一条) / 本人聘书',
  description:
    "The signed-in expert's certificates, newest term first, with their state and public " +
    'verification link; `?format=html` gives the printable A4 page of the current one. With the ' +
    "expert's own session token (Authorization: Bearer eds_…); API keys are refused.",
  security: SELF_SECURITY,
  request: { query: certificateFormatQuery },
  responses: certificateResponses(401, 404, 422),
});

/** The signed-in expert's own certificates. */
export const selfCertificateRoutes = createRouter();

selfCertificateRoutes.openapi(selfCertificateRoute, async (c) => {
  const { format } = c.req.valid('query');
  const expertId = await requireSelfExpert(c);
  const row = await loadOwnRow(c.var.db, expertId, false);
  return respondWithCertificates(
    c,
    { expert: rowToExpert(row), ownerAuthorityId: row.ownerAuthorityId },
    format,
  );
});
