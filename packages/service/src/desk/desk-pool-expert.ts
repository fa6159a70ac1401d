import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { CertificateView } from '../certificates/certificate-record.js';
import type { ExpertView } from '../experts/expert-view.js';
import type { AppEnv } from '../http/app-env.js';
import { deskLang, escapeHtml, renderDesk, t } from './desk-layout.js';
import { loadExpertExclusions } from './desk-pool-exclusions.js';
import {
  actionForms,
  certificateSection,
  exclusionsSection,
  type HistoryEntry,
  historySection,
  profileTable,
  warningsSection,
} from './desk-pool-view.js';
import { deskSessionOf } from './desk-session.js';
import { callV1, type DeskProblem, problemText } from './desk-v1-call.js';

// An expert's page of the desk: what the API gives the session's role about the expert, and the
// action forms for admins. The routes are in desk-pool-routes.ts.

interface AuditPage {
  readonly items: readonly {
    readonly at: string;
    readonly action: string;
    readonly reason: string | null;
    readonly after: unknown;
  }[];
}

/** The expert's audit entries, newest first; null when the role may not read the audit log. */
async function loadHistory(c: Context<AppEnv>, id: string): Promise<HistoryEntry[] | null> {
  const role = c.var.principal.role;
  if (role !== 'admin' && role !== 'auditor') return null;
  const answer = await callV1<AuditPage>(
    c,
    'GET',
    `/v1/audit?${new URLSearchParams({ entityType: 'expert', entityId: id, limit: '500' })}`,
  );
  if (!answer.ok) return null;
  return answer.body.items
    .map((entry): HistoryEntry => {
      const record = lifecycleRecordOf(entry.after);
      return {
        at: entry.at,
        action: entry.action,
        reason: entry.reason,
        article: record?.article ?? null,
        evidence: record?.evidence ?? [],
      };
    })
    .reverse();
}

const lifecycleSchema = z.object({
  lifecycleAction: z.object({
    article: z.string().nullable().optional(),
    evidence: z
      .array(z.object({ kind: z.string(), ref: z.string(), note: z.string().optional() }))
      .optional(),
  }),
});

function lifecycleRecordOf(after: unknown) {
  const parsed = lifecycleSchema.safeParse(after);
  return parsed.success ? parsed.data.lifecycleAction : null;
}

/**
 * An expert's page: profile and term, certificate, warnings with evidence, history, the own
 * draws that left them out, and the action forms (admins), with `notice` on top.
 *
 * @example
 * return expertPage(c, 'e-1', '', 200);
 */
export async function expertPage(
  c: Context<AppEnv>,
  id: string,
  notice: string,
  status: 200 | 403 | 404 | 409 | 422,
): Promise<Response> {
  const session = deskSessionOf(c);
  const lang = deskLang(c);
  const L = (zh: string, en: string) => t(lang, { zh, en });
  const answer = await callV1<ExpertView & DeskProblem>(
    c,
    'GET',
    `/v1/experts/${encodeURIComponent(id)}`,
  );
  if (!answer.ok) {
    const title = { zh: '未找到专家', en: 'Expert not found' };
    return renderDesk(
      c,
      session,
      {
        title,
        body: `<h1>${t(lang, title)}</h1><p class="notice error">${escapeHtml(problemText(answer.body))}</p>`,
        active: 'experts',
      },
      404,
    );
  }
  const expert = answer.body;
  const [history, exclusions, certificate] = await Promise.all([
    loadHistory(c, id),
    loadExpertExclusions(c.var.db, c.var.principal, id),
    callV1<{ current: CertificateView | null }>(
      c,
      'GET',
      `/v1/experts/${encodeURIComponent(id)}/certificate?format=json`,
    ),
  ]);
  const isAdmin = session.principal.role === 'admin';
  const body =
    `<h1>${escapeHtml(expert.name)}</h1>${notice}` +
    `<h2>${L('基本信息与聘期', 'Profile and term')}</h2>${profileTable(expert, lang, isAdmin)}` +
    certificateSection(certificate.ok ? certificate.body.current : undefined, lang) +
    `<h2>${L('警告（第二十三条）', 'Warnings (第二十三条)')}</h2>${warningsSection(expert, history, lang)}` +
    `<h2>${L('变更历史', 'History')}</h2>${historySection(history, lang)}` +
    `<h2>${L('抽取中被排除', 'Left out of draws')}</h2>${exclusionsSection(exclusions, lang)}` +
    (isAdmin
      ? `<h2>${L('状态变更', 'Lifecycle actions')}</h2><div id="actions">${actionForms(expert, lang, session.csrf)}</div>`
      : '');
  return renderDesk(
    c,
    session,
    { title: { zh: expert.name, en: expert.name }, body, active: 'experts' },
    status,
  );
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/**
 * The action form as the API's body: empty fields left out, evidence rows with a reference.
 *
 * @example
 * actionBody({ reason: '警告', article: '第二十三条（一）', evidenceKind0: 'document', evidenceRef0: '7号' });
 * // { reason: '警告', article: '第二十三条（一）', evidence: [{ kind: 'document', ref: '7号' }] }
 */
export function actionBody(form: Record<string, unknown>) {
  const evidence = [0, 1, 2].flatMap((n) => {
    const ref = text(form[`evidenceRef${n}`]);
    const note = text(form[`evidenceNote${n}`]);
    return ref === ''
      ? []
      : [{ kind: text(form[`evidenceKind${n}`]), ref, ...(note === '' ? {} : { note }) }];
  });
  const on = text(form.on);
  const article = text(form.article);
  return {
    reason: text(form.reason),
    ...(on === '' ? {} : { on }),
    ...(article === '' ? {} : { article }),
    ...(evidence.length === 0 ? {} : { evidence }),
  };
}
