import { declineReasons } from '@expert-dispatch/rules';
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../dispatch/webhook-channel.js';
import { problemSchema } from '../errors.js';
import type { AppEnv } from './app-env.js';
import { json } from './openapi-helpers.js';

/** A status a token page answers with a page of its own. */
const htmlPage = (description: string) => ({
  description,
  content: { 'text/html': { schema: z.string().openapi({ description: 'A page in Chinese' }) } },
});

const tokenParam = z.object({
  token: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,200}$/)
    .openapi({ description: 'The signed token of the link (it is the credential)' }),
});

const replyForm = z
  .object({
    answer: z.enum(['accept', 'decline', 'withdraw']).openapi({
      description: 'accept; decline (with reason); withdraw an acceptance (with reason, 第十五条)',
    }),
    reason: declineReasons.schema.optional(),
  })
  .openapi('ReplyForm');

const ratingForm = z
  .record(
    z.string().regex(/^(score|comment)-\d{1,15}$/),
    z.string().max(2000).openapi({ description: 'score-<seat>: 1–5; comment-<seat>: text' }),
  )
  .openapi('RatingForm', {
    description: '`score-<seat>` (1–5) and optional `comment-<seat>` for each attended member',
  });

const forbiddenPage = {
  description:
    'The link is invalid or was altered (a page), or the form was posted from another site ' +
    '(a problem) / 链接无效，或来自其他网站的提交',
  content: {
    'text/html': { schema: z.string() },
    'application/problem+json': { schema: problemSchema },
  },
};

const smsReply = z
  .object({
    reply: z.string().nullable().openapi({ description: 'The text to send back to the expert' }),
    error: z.string().optional(),
  })
  .openapi('SmsReply');

const pageTag = ['Links 链接页面'];

/**
 * The operations documented here by hand, statuses included: their handlers read their input
 * themselves, so the statuses of `@hono/zod-openapi`'s validation (400, 415, 422) do not apply.
 */
export const PAGE_OPERATION_IDS: ReadonlySet<string> = new Set([
  'showReplyPage',
  'submitReplyForm',
  'showRatingPage',
  'submitRatingForm',
  'receiveSmsReply',
  // The expert's pages (self/expert-page.ts) read their forms themselves.
  'showExpertPage',
  'submitExpertLoginForm',
  'submitExpertCodeForm',
  'submitExpertConfirmForm',
  // The notice page's objection form (notices/notice-pages.ts).
  'submitObjectionForm',
  // The application and withdrawal pages (applications/apply-page.ts, withdrawals/withdrawal-page.ts).
  'showApplyPage',
  'submitApplyForm',
  'showExpertWithdrawalPage',
  'submitExpertWithdrawalForm',
]);

/**
 * Documents the routes that are not JSON API operations — the reply and rating link pages
 * (HTML, form posts) and the SMS gateway's inbound hook — so that `/openapi.json` covers every
 * route a client or gateway calls. Their handlers live with the dispatch and rating code.
 *
 * @example
 * registerPageOperations(app);
 */
export function registerPageOperations(app: OpenAPIHono<AppEnv>): void {
  const registry = app.openAPIRegistry;
  registry.registerPath({
    method: 'get',
    path: '/r/{token}',
    operationId: 'showReplyPage',
    tags: pageTag,
    summary: "The expert's reply page of an invitation / 专家邀请答复页面",
    description:
      'Opened from the invitation (SMS, e-mail, webhook). Shows the task summary and the state; ' +
      'changes nothing (mail scanners open links). Sent with Cache-Control: no-store.',
    security: [],
    request: { params: tokenParam },
    responses: {
      200: htmlPage('The reply page / 答复页面'),
      403: htmlPage('The link is invalid or was altered / 链接无效'),
      404: htmlPage('No such invitation / 未找到该邀请'),
      410: htmlPage('The reply deadline has passed / 链接已过期'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/r/{token}',
    operationId: 'submitReplyForm',
    tags: pageTag,
    summary: "The reply page's form: accept, decline or withdraw / 提交答复",
    description:
      'Posted by the reply page itself. A decline or a withdrawal needs the reason (第十五条). ' +
      "A post whose Origin is another site's is refused (403 problem).",
    security: [],
    request: {
      params: tokenParam,
      body: {
        required: true,
        content: { 'application/x-www-form-urlencoded': { schema: replyForm } },
      },
    },
    responses: {
      200: htmlPage('The page with the recorded answer / 已登记答复'),
      403: forbiddenPage,
      404: htmlPage('No such invitation / 未找到该邀请'),
      409: htmlPage('The acceptance can no longer be withdrawn / 不能再登记不参加'),
      410: htmlPage('The reply deadline has passed / 链接已过期'),
      422: htmlPage('No answer or no reason was chosen / 请选择答复及原因'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/rate/{token}',
    operationId: 'showRatingPage',
    tags: pageTag,
    summary: "The served unit's rating page / 服务单位评价页面 (第二十条)",
    description:
      'Sent to the served unit when the task is completed. Shows the attended members and, until ' +
      'rated, a 1–5 choice each; changes nothing. Sent with Cache-Control: no-store.',
    security: [],
    request: { params: tokenParam },
    responses: {
      200: htmlPage('The rating page / 评价页面'),
      403: htmlPage('The link is invalid or was altered / 链接无效'),
      404: htmlPage('No such completed task / 未找到该任务'),
      410: htmlPage('The rating period has passed / 链接已过期'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/rate/{token}',
    operationId: 'submitRatingForm',
    tags: pageTag,
    summary: "The rating page's form / 提交评价 (第二十条)",
    description:
      'Posted by the rating page itself; each member is rated once. A post whose Origin is ' +
      "another site's is refused (403 problem).",
    security: [],
    request: {
      params: tokenParam,
      body: {
        required: true,
        content: { 'application/x-www-form-urlencoded': { schema: ratingForm } },
      },
    },
    responses: {
      200: htmlPage('The page with the recorded ratings / 已记录评价'),
      403: forbiddenPage,
      404: htmlPage('No such completed task / 未找到该任务'),
      410: htmlPage('The rating period has passed / 链接已过期'),
      422: htmlPage('A score outside 1–5 or an unstorable comment / 评分或意见无效'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/hooks/sms',
    operationId: 'receiveSmsReply',
    tags: ['Dispatch 通知与答复'],
    summary: 'Inbound SMS replies from the gateway / 短信网关回传答复',
    description:
      '`1 <code>` accepts, `2 <code> <reason digit>` declines. Signed like outgoing webhooks: ' +
      `${SIGNATURE_HEADER} is HMAC-SHA256 (NOTIFY_SIGNING_SECRET) over \`<timestamp>.<body>\`, ` +
      `${TIMESTAMP_HEADER} within 5 minutes. Only the invited expert's phone may answer. ` +
      'The answer `reply` is the text the gateway sends back.',
    security: [],
    request: {
      headers: z.object({
        [SIGNATURE_HEADER]: z.string().openapi({ description: 'sha256=<hex>' }),
        [TIMESTAMP_HEADER]: z.string().openapi({ description: 'Unix seconds' }),
      }),
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z
              .object({
                from: z.string().openapi({ description: 'The sender phone' }),
                text: z.string(),
              })
              .openapi('InboundSms'),
          },
        },
      },
    },
    responses: {
      200: json(smsReply, 'What to reply to the expert / 回复短信内容'),
      400: json(smsReply, 'The body is not JSON / 请求体不是 JSON'),
      403: json(smsReply, 'Bad or stale signature / 签名无效或已过期'),
    },
  });
}
