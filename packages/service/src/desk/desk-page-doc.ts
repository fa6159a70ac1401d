import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { problemSchema } from '../errors.js';
import type { AppEnv } from '../http/app-env.js';

const page = (description: string) => ({
  description,
  content: {
    'text/html': { schema: z.string().openapi({ description: 'A desk page (中文/English)' }) },
  },
});

/** What one desk page route states about itself in /openapi.json. */
export interface DeskPageDoc {
  readonly method: 'get' | 'post';
  /** OpenAPI path syntax: `/desk/experts/{id}`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description: string;
  readonly params?: z.ZodObject<Record<string, z.ZodString>>;
}

/**
 * Documents a desk page: HTML for a browser with a desk session cookie (no API key), a 303 to
 * the sign-in page without one (GET), 401/403 pages for posts without a session, from another
 * site, without the form's CSRF token, or from a role the page does not allow.
 *
 * @example
 * documentDeskPage(deskPoolRoutes, { method: 'get', path: '/desk/experts', operationId: 'showDeskPool', … });
 */
export function documentDeskPage(router: OpenAPIHono<AppEnv>, doc: DeskPageDoc): void {
  router.openAPIRegistry.registerPath({
    method: doc.method,
    path: doc.path,
    operationId: doc.operationId,
    tags: ['Dispatch desk 调度台'],
    summary: doc.summary,
    description: `${doc.description} Needs the desk session cookie (POST /desk/login); forms carry its CSRF token.`,
    security: [],
    ...(doc.params === undefined ? {} : { request: { params: doc.params } }),
    responses: {
      200: page('The page / 页面'),
      303: { description: 'Not signed in (GET): on to /desk/login; or done: on to the next page' },
      401: page('Not signed in / 请先登录'),
      403: page('Role not allowed, another site’s form, or no CSRF token / 无权或表单无效'),
      // A path no desk route matches (an empty id, say) gets the service's 404 problem.
      404: {
        description: 'Not found / 未找到',
        content: {
          'text/html': { schema: z.string() },
          'application/problem+json': { schema: problemSchema },
        },
      },
      422: page('The form did not pass validation / 表单未通过校验'),
    },
  });
}
