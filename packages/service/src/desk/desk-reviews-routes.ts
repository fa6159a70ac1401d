import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import type { DeclineItem } from '../reviews/decline-evidence.js';
import { beijingTime } from './desk-board-html.js';
import { type DeskLang, deskLang, escapeHtml, renderDesk, t } from './desk-layout.js';
import { documentDeskPage } from './desk-page-doc.js';
import { deskSessionOf, requireDeskSession } from './desk-session.js';
import { callV1, type DeskProblem, problemText } from './desk-v1-call.js';

/** The decline review queue (正当理由认定, 第二十三条（一）) with a decide form per decline. */
export const deskReviewsRoutes = createRouter();

documentDeskPage(deskReviewsRoutes, {
  method: 'get',
  path: '/desk/reviews',
  operationId: 'showDeskReviews',
  summary: 'The decline review queue / 拒绝理由认定',
  description: 'As GET /v1/reviews/declines (admins, dispatchers); ?state=decided for the decided.',
});
documentDeskPage(deskReviewsRoutes, {
  method: 'post',
  path: '/desk/reviews/{invitationId}',
  operationId: 'submitDeskReviewDecision',
  summary: 'Decide a decline’s reason from the desk / 认定拒绝理由',
  description: 'Posts to POST /v1/reviews/declines/{invitationId}; audited.',
  params: z.object({ invitationId: z.string() }),
});

const SEAT = /^\d{1,15}$/;

function evidence(item: DeclineItem, lang: DeskLang): string {
  const L = (zh: string, en: string) => t(lang, { zh, en });
  const reply = item.reply;
  const deliveries = item.deliveries.length;
  return (
    `<dl class="grid">` +
    `<div><dt>${L('任务', 'Task')}</dt><dd>${escapeHtml(item.invitation.taskId)}（${escapeHtml(item.invitation.role)}）</dd></div>` +
    `<div><dt>${L('邀请时间', 'Invited')}</dt><dd>${escapeHtml(item.invitation.invitedAt ?? '—')}</dd></div>` +
    `<div><dt>${L('送达', 'Delivered')}</dt><dd>${escapeHtml(item.invitation.deliveredAt ?? '—')} · ${deliveries} ${L('次发送', 'deliveries')}</dd></div>` +
    `<div><dt>${L('所称理由', 'Claimed reason')}</dt><dd>${escapeHtml(reply.reasonLabel === null ? (reply.reason ?? '—') : t(lang, reply.reasonLabel))}</dd></div>` +
    `<div><dt>${L('说明情况', 'Own words')}</dt><dd>${escapeHtml(reply.note ?? '—')}</dd></div>` +
    `<div><dt>${L('答复渠道', 'Channel')}</dt><dd>${escapeHtml(reply.channel ?? '—')} · ${escapeHtml(reply.recordedBy ?? '—')} · ${escapeHtml(reply.repliedAt ?? '—')}</dd></div>` +
    `</dl>`
  );
}

function decideForm(item: DeclineItem, lang: DeskLang, csrf: string): string {
  const L = (zh: string, en: string) => t(lang, { zh, en });
  const id = `decide-${item.invitationId}`;
  return (
    `<form method="post" action="/desk/reviews/${encodeURIComponent(item.invitationId)}" id="${id}">` +
    `<input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">` +
    `<fieldset><legend>${L('认定', 'Decision')}</legend>` +
    `<label><input type="radio" name="decision" value="justified" required> ${L('认定为正当理由', 'Justified')}</label>` +
    `<label><input type="radio" name="decision" value="unjustified"> ${L('认定为无正当理由（计入第二十三条（一））', 'Unjustified (counts toward 第二十三条（一）)')}</label></fieldset>` +
    `<label for="${id}-note">${L('认定意见', 'Note')}</label><textarea id="${id}-note" name="note" required maxlength="500" rows="2"></textarea>` +
    `<button type="submit">${L('提交认定', 'Decide')}</button></form>`
  );
}

async function reviewsPage(
  c: Context<AppEnv>,
  notice: string,
  status: 200 | 403 | 404 | 409 | 422 = 200,
): Promise<Response> {
  const session = deskSessionOf(c);
  const lang = deskLang(c);
  const L = (zh: string, en: string) => t(lang, { zh, en });
  const decided = c.req.query('state') === 'decided';
  const title = { zh: '拒绝理由认定', en: 'Decline reviews' };
  const answer = await callV1<{ items: DeclineItem[] } & DeskProblem>(
    c,
    'GET',
    `/v1/reviews/declines?state=${decided ? 'decided' : 'pending'}&limit=200`,
  );
  const tabs = `<p class="noprint"><a href="/desk/reviews"${decided ? '' : ' aria-current="page"'}>${L('待认定', 'Pending')}</a> · <a href="/desk/reviews?state=decided"${decided ? ' aria-current="page"' : ''}>${L('已认定', 'Decided')}</a></p>`;
  const intro = `<p class="hint">${L('拒绝理由是否正当由主管部门认定；只有认定为无正当理由的拒绝计入第二十三条（一）。', 'Whether a reason is justified is the department’s decision; only unjustified declines count toward 第二十三条（一）.')}</p>`;
  if (!answer.ok) {
    const error = `<p class="notice error" role="alert">${escapeHtml(problemText(answer.body))}</p>`;
    return renderDesk(
      c,
      session,
      { title, body: `<h1>${t(lang, title)}</h1>${error}`, active: 'reviews' },
      answer.status === 403 ? 403 : 422,
    );
  }
  const items = answer.body.items.map((item) => {
    const decision =
      item.review === null
        ? decideForm(item, lang, session.csrf)
        : `<p class="ok">${escapeHtml(t(lang, item.review.decisionLabel))} — ${escapeHtml(item.review.note)} (${beijingTime(item.review.decidedAt)})</p>`;
    return `<section class="review" id="review-${escapeHtml(item.invitationId)}" aria-labelledby="review-${escapeHtml(item.invitationId)}-h"><h2 id="review-${escapeHtml(item.invitationId)}-h">${escapeHtml(item.expert.name)} · ${L('邀请', 'invitation')} ${escapeHtml(item.invitationId)} · ${escapeHtml(t(lang, item.standingLabel))}</h2>${evidence(item, lang)}${decision}</section>`;
  });
  const list = items.length === 0 ? `<p id="no-reviews">${L('无', 'None')}</p>` : items.join('');
  return renderDesk(
    c,
    session,
    { title, body: `<h1>${t(lang, title)}</h1>${notice}${tabs}${intro}${list}`, active: 'reviews' },
    status,
  );
}

deskReviewsRoutes.get('/desk/reviews', requireDeskSession(), (c) => reviewsPage(c, ''));

deskReviewsRoutes.post('/desk/reviews/:invitationId', requireDeskSession(), async (c) => {
  const seat = c.req.param('invitationId');
  const lang = deskLang(c);
  if (!SEAT.test(seat)) return reviewsPage(c, '', 404);
  const form = await c.req.parseBody();
  const answer = await callV1<DeskProblem>(c, 'POST', `/v1/reviews/declines/${seat}`, {
    json: {
      decision: typeof form.decision === 'string' ? form.decision : '',
      note: typeof form.note === 'string' ? form.note : '',
    },
  });
  if (answer.ok) {
    return reviewsPage(
      c,
      `<p class="notice" role="status" id="review-done">${t(lang, { zh: '已认定，并记入审计。', en: 'Decided and audited.' })}</p>`,
    );
  }
  const status =
    answer.status === 403 || answer.status === 404 || answer.status === 409 ? answer.status : 422;
  return reviewsPage(
    c,
    `<p class="notice error" role="alert" id="review-refused">${escapeHtml(problemText(answer.body))}</p>`,
    status,
  );
});
