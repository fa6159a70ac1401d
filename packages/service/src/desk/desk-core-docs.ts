import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/app-env.js';
import { documentDeskPage } from './desk-page-doc.js';

// Never empty: an empty segment is another path (the app's 404 problem, not a desk page).
const idParams = z.object({ id: z.string().min(1).max(64) });
const TAGS = ['Dispatch desk 调度台'];

/**
 * States the desk core's pages in /openapi.json: sign-in, the request form with its preview,
 * the reply board with its fragment and event stream, the lifecycle forms and the draw record.
 *
 * @example
 * documentDeskCore(deskRoutes);
 */
export function documentDeskCore(router: OpenAPIHono<AppEnv>): void {
  const registry = router.openAPIRegistry;
  registry.registerPath({
    method: 'get',
    path: '/desk',
    operationId: 'showDesk',
    tags: TAGS,
    summary: 'The desk: on to the request form or the task list / 调度台入口',
    description: 'Redirects to /desk/request (dispatchers), /desk/tasks (others) or /desk/login.',
    security: [],
    responses: { 303: { description: 'On to the right page' } },
  });
  registry.registerPath({
    method: 'get',
    path: '/desk/login',
    operationId: 'showDeskLogin',
    tags: TAGS,
    summary: 'Sign-in form of the desk / 调度台登录页',
    description: 'A form for an API key; ?next= names the desk page to go on to.',
    security: [],
    responses: {
      200: { description: 'The form', content: { 'text/html': { schema: z.string() } } },
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/desk/login',
    operationId: 'openDeskSession',
    tags: TAGS,
    summary: 'Exchange an API key for a desk session / 以密钥登录调度台',
    description:
      'The form field `key` buys an HttpOnly, SameSite=Strict, signed cookie on /desk (4 hours; ' +
      'the key is checked again on every request, so revoking it ends the session), audited as ' +
      'api_key.desk_session_opened. A wrong key, or a form from another site, is the form again (401).',
    security: [],
    request: {
      body: {
        required: false,
        content: {
          'application/x-www-form-urlencoded': {
            schema: z.object({ key: z.string(), next: z.string().optional() }),
          },
        },
      },
    },
    responses: {
      303: { description: 'Signed in: on to the next page' },
      401: {
        description: 'Unknown or revoked key',
        content: { 'text/html': { schema: z.string() } },
      },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/desk/assets/board.js',
    operationId: 'getDeskBoardScript',
    tags: TAGS,
    summary: 'The live board’s script / 看板脚本',
    description: 'Served from the package (no CDN): EventSource to the board’s stream.',
    security: [],
    responses: {
      200: { description: 'JavaScript', content: { 'text/javascript': { schema: z.string() } } },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/desk/tasks/{id}/events',
    operationId: 'streamDeskTaskEvents',
    tags: TAGS,
    summary: 'The board’s live stream (Server-Sent Events) / 看板实时推送',
    description:
      'As GET /v1/tasks/{id}/events, for the desk session cookie. Without a session: 303 to ' +
      '/desk/login; a task the session cannot see: 404 page.',
    security: [],
    request: { params: idParams },
    responses: {
      200: { description: 'The stream', content: { 'text/event-stream': { schema: z.string() } } },
      303: { description: 'Not signed in: on to /desk/login' },
      404: { description: 'Not found', content: { 'text/html': { schema: z.string() } } },
    },
  });
  const pages = [
    [
      'post',
      '/desk/logout',
      'closeDeskSession',
      'Sign out of the desk / 退出调度台',
      'Clears the session cookie; on to /desk/login.',
    ],
    [
      'get',
      '/desk/request',
      'showDeskRequestForm',
      'Request a panel: the form / 申请抽取表单',
      'Every task field; enterprise and related organisations from the register; a working-day calendar. Dispatchers only.',
    ],
    [
      'post',
      '/desk/request/preview',
      'previewDeskRequest',
      'Preview the funnel before drawing / 抽取前预览',
      'As POST /v1/tasks/preview: how many experts each rule removes and whether a panel can be formed; writes nothing. Dispatchers only.',
    ],
    [
      'post',
      '/desk/request',
      'drawFromDesk',
      'Draw the panel / 确认抽取',
      'As POST /v1/tasks (same code path, Idempotency-Key from the form), plus the names of who drew and the supervisor (抽取记录). On to the board. Dispatchers only.',
    ],
    [
      'get',
      '/desk/tasks',
      'showDeskTasks',
      'The authority’s tasks / 本单位任务',
      'The latest 100 tasks of the session’s authority.',
    ],
    [
      'get',
      '/desk/tasks/{id}',
      'showDeskBoard',
      'The live reply board / 答复看板',
      'Each seat’s notification and reply, time left, undeliverable seats flagged with the phone form; cancel and redraw for dispatchers.',
    ],
    [
      'get',
      '/desk/tasks/{id}/board',
      'showDeskBoardFragment',
      'The board’s live part (HTML fragment) / 看板片段',
      'What the board’s script puts in place after each event.',
    ],
    [
      'post',
      '/desk/tasks/{id}/cancel',
      'cancelTaskFromDesk',
      'Cancel a task with a reason / 取消任务',
      'As POST /v1/tasks/{id}/cancel. Dispatchers only.',
    ],
    [
      'post',
      '/desk/tasks/{id}/redraw',
      'redrawTaskFromDesk',
      'Draw again with a reason / 重新抽取',
      'As POST /v1/tasks/{id}/redraw, with the names for the new draw record. Dispatchers only.',
    ],
    [
      'post',
      '/desk/invitations/{id}/phone-reply',
      'recordPhoneReplyFromDesk',
      'Record a phone answer / 登记电话答复',
      'As POST /v1/invitations/{id}/phone-reply (第十五条). Dispatchers only.',
    ],
    [
      'get',
      '/desk/draws/{id}/record',
      'showDrawRecord',
      'The printable draw record (抽取记录) / 抽取记录',
      'A4: task, time, rule set and version, seed, pool digest, funnel, panel, alternates, who drew and the supervisor, a QR code to the draw’s verification. Dispatchers, auditors, admins.',
    ],
    [
      'get',
      '/desk/draws/{id}/verify',
      'verifyDrawFromDesk',
      'Replay a draw / 重放核验',
      'As GET /v1/draws/{id}/verify. Auditors only.',
    ],
  ] as const;
  for (const [method, path, operationId, summary, description] of pages) {
    documentDeskPage(router, {
      method,
      path,
      operationId,
      summary,
      description,
      ...(path.includes('{id}') ? { params: idParams } : {}),
    });
  }
}
