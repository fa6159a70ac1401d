import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { beijingTime } from './desk-board-html.js';
import { type DeskLang, deskLang, escapeHtml, renderDesk, t } from './desk-layout.js';
import { documentDeskPage } from './desk-page-doc.js';
import { deskSessionOf, requireDeskSession } from './desk-session.js';
import { callV1, type DeskProblem, problemText } from './desk-v1-call.js';

/** Keys and users: admins issue dispatcher, auditor and viewer keys for their own authority. */
export const deskKeysRoutes = createRouter();

documentDeskPage(deskKeysRoutes, {
  method: 'get',
  path: '/desk/keys',
  operationId: 'showDeskKeys',
  summary: 'The authority’s API keys / 密钥管理',
  description: 'As GET /v1/keys (admins).',
});
documentDeskPage(deskKeysRoutes, {
  method: 'post',
  path: '/desk/keys',
  operationId: 'submitDeskKey',
  summary: 'Issue a dispatcher, auditor or viewer key; shown once / 签发密钥',
  description: 'Posts to POST /v1/keys (admins); the secret is shown on this one page only.',
});
documentDeskPage(deskKeysRoutes, {
  method: 'post',
  path: '/desk/keys/{id}/revoke',
  operationId: 'revokeDeskKey',
  summary: 'Revoke a key of the own authority, once confirmed / 吊销密钥',
  description:
    'Admins of the key’s own authority; the form’s `confirm=yes` box must be ticked. Goes through DELETE /v1/keys/{id} (audited as api_key.revoked); the key is refused (401) from the next request on.',
  params: z.object({ id: z.string() }),
});

/** The roles a desk admin hands out to staff; admin and recommender keys stay with the API. */
const DESK_ROLES = {
  dispatcher: { zh: '调度员', en: 'dispatcher' },
  auditor: { zh: '审计员', en: 'auditor' },
  viewer: { zh: '查看者', en: 'viewer' },
} as const;

/** Every role a listed key may hold, as the staff read it; times are Beijing time (北京时间). */
const KEY_ROLE_LABELS: Readonly<Record<string, { zh: string; en: string }>> = {
  admin: { zh: '管理员', en: 'admin' },
  ...DESK_ROLES,
  recommender: { zh: '推荐单位', en: 'recommender' },
};

interface KeyView {
  readonly id: string;
  readonly authorityId: string;
  readonly role: string;
  readonly label: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/** A revoke button for a live key of the admin's own authority, with a box to tick first. */
function revokeForm(lang: DeskLang, csrf: string, key: KeyView, authorityId: string): string {
  if (key.revokedAt !== null || key.authorityId !== authorityId) return '';
  const L = (zh: string, en: string) => t(lang, { zh, en });
  const id = escapeHtml(key.id);
  return (
    `<form method="post" action="/desk/keys/${encodeURIComponent(key.id)}/revoke" class="revoke-key"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">` +
    `<label><input type="checkbox" name="confirm" value="yes" required> ${L(`确认吊销 ${id}`, `Confirm revoking ${id}`)}</label> ` +
    `<button type="submit">${L('吊销', 'Revoke')}</button></form>`
  );
}

function issueForm(lang: DeskLang, csrf: string): string {
  const L = (zh: string, en: string) => t(lang, { zh, en });
  return (
    `<form method="post" action="/desk/keys" id="issue-key"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}"><div class="grid">` +
    `<div><label for="role">${L('角色', 'Role')}</label><select id="role" name="role">${Object.entries(
      DESK_ROLES,
    )
      .map(([role, label]) => `<option value="${role}">${escapeHtml(t(lang, label))}</option>`)
      .join('')}</select></div>` +
    `<div><label for="label">${L('使用人或用途', 'Holder or purpose')}</label><input type="text" id="label" name="label" required maxlength="100"></div>` +
    `</div><p><button type="submit">${L('签发密钥', 'Issue key')}</button></p></form>`
  );
}

async function keysPage(c: Context<AppEnv>, notice: string, status: 200 | 403 | 404 | 422 = 200) {
  const session = deskSessionOf(c);
  const lang = deskLang(c);
  const L = (zh: string, en: string) => t(lang, { zh, en });
  const title = { zh: '密钥管理', en: 'API keys' };
  const answer = await callV1<{ items: KeyView[] } & DeskProblem>(c, 'GET', '/v1/keys');
  if (!answer.ok) {
    const error = `<p class="notice error" role="alert">${escapeHtml(problemText(answer.body))}</p>`;
    return renderDesk(
      c,
      session,
      { title, body: `<h1>${t(lang, title)}</h1>${notice}${error}`, active: 'keys' },
      answer.status === 403 ? 403 : 422,
    );
  }
  const rows = answer.body.items.map(
    (key) =>
      `<tr><td>${escapeHtml(key.id)}</td><td>${escapeHtml(key.authorityId)}</td><td>${escapeHtml(t(lang, KEY_ROLE_LABELS[key.role] ?? { zh: key.role, en: key.role }))}</td><td>${escapeHtml(key.label)}</td><td>${beijingTime(key.createdAt)}</td><td>${beijingTime(key.revokedAt)}</td><td>${revokeForm(lang, session.csrf, key, session.principal.authorityId)}</td></tr>`,
  );
  const table = `<div class="scroll"><table id="keys"><thead><tr><th scope="col">${L('密钥编号', 'Key id')}</th><th scope="col">${L('部门', 'Authority')}</th><th scope="col">${L('角色', 'Role')}</th><th scope="col">${L('使用人', 'Label')}</th><th scope="col">${L('签发时间', 'Issued')}</th><th scope="col">${L('吊销时间', 'Revoked')}</th><th scope="col">${L('操作', 'Action')}</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
  return renderDesk(
    c,
    session,
    {
      title,
      body: `<h1>${t(lang, title)}</h1>${notice}<h2>${L('签发新密钥', 'Issue a key')}</h2>${issueForm(lang, session.csrf)}<h2>${L('已签发的密钥', 'Keys issued')}</h2>${table}`,
      active: 'keys',
    },
    status,
  );
}

deskKeysRoutes.get('/desk/keys', requireDeskSession(), (c) => keysPage(c, ''));

deskKeysRoutes.post('/desk/keys', requireDeskSession(), async (c) => {
  const lang = deskLang(c);
  const L = (zh: string, en: string) => t(lang, { zh, en });
  const form = await c.req.parseBody();
  const role = typeof form.role === 'string' && form.role in DESK_ROLES ? form.role : '';
  const label = typeof form.label === 'string' ? form.label : '';
  const answer = await callV1<{ id: string; key: string; role: string } & DeskProblem>(
    c,
    'POST',
    '/v1/keys',
    {
      json: { role, label },
    },
  );
  if (!answer.ok) {
    const error = `<p class="notice error" role="alert" id="key-refused">${escapeHtml(problemText(answer.body))}</p>`;
    return keysPage(c, error, answer.status === 403 ? 403 : 422);
  }
  // The secret is in this response only; the service keeps its hash.
  const shown = `<div class="notice" role="status" id="key-issued"><p>${L('密钥已签发，仅显示这一次，请立即交给使用人并妥善保存：', 'The key is issued and shown this once only; hand it over now and keep it safe:')}</p><p><code id="new-key">${escapeHtml(answer.body.key)}</code></p><p class="hint">${escapeHtml(answer.body.id)} · ${escapeHtml(answer.body.role)}</p></div>`;
  return keysPage(c, shown);
});

deskKeysRoutes.post('/desk/keys/:id/revoke', requireDeskSession('admin'), async (c) => {
  const session = deskSessionOf(c);
  const lang = deskLang(c);
  const refuse = (status: 403 | 404 | 422, zh: string, en: string) =>
    keysPage(
      c,
      `<p class="notice error" role="alert" id="key-refused">${escapeHtml(t(lang, { zh, en }))}</p>`,
      status,
    );
  const id = c.req.param('id');
  const listed = await callV1<{ items: KeyView[] } & DeskProblem>(c, 'GET', '/v1/keys');
  const key = listed.ok ? listed.body.items.find((item) => item.id === id) : undefined;
  if (key === undefined) return refuse(404, `密钥 ${id} 不存在`, `no API key ${id}`);
  // A provincial admin lists every authority's keys; the desk revokes only its own.
  if (key.authorityId !== session.principal.authorityId) {
    return refuse(
      403,
      '只能吊销本部门的密钥',
      'only keys of your own authority can be revoked here',
    );
  }
  const form = await c.req.parseBody();
  if (form.confirm !== 'yes') {
    return refuse(422, '请先勾选确认框再吊销密钥', 'tick the confirmation box to revoke the key');
  }
  const answer = await callV1<KeyView & DeskProblem>(
    c,
    'DELETE',
    `/v1/keys/${encodeURIComponent(id)}`,
  );
  if (!answer.ok) {
    const error = `<p class="notice error" role="alert" id="key-refused">${escapeHtml(problemText(answer.body))}</p>`;
    return keysPage(c, error, answer.status === 403 ? 403 : answer.status === 404 ? 404 : 422);
  }
  const done = `<p class="notice" role="status" id="key-revoked">${escapeHtml(t(lang, { zh: `密钥 ${id} 已吊销，即刻失效`, en: `key ${id} is revoked and refused from now on` }))}</p>`;
  return keysPage(c, done);
});
