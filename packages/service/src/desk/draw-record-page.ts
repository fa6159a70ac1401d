import type { Funnel } from '@expert-dispatch/matcher';
import { wideningSteps } from '@expert-dispatch/rules';
import { eq, inArray } from 'drizzle-orm';
import type { Context } from 'hono';
import QRCode from 'qrcode';
import { experts, tasks } from '../db/schema.js';
import { drawFileSchema, verifyDrawFile } from '../draws/draw-file.js';
import { loadDrawFile, loadVisibleDraw } from '../draws/load-draw-file.js';
import { ProblemError } from '../errors.js';
import type { AppEnv } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { resolveRuleSet } from '../rule-set/resolve-rule-set.js';
import { type StoredDrawInput, storedResult } from '../tasks/draw-task.js';
import { isPanelSealedFor } from '../tasks/sealed-panel.js';
import { beijingTime, roleLabel, taskSummary } from './desk-board-html.js';
import { deskLang, escapeHtml, renderDesk, t } from './desk-layout.js';
import { funnelTable } from './desk-request-page.js';
import { deskSessionOf, requireDeskSession } from './desk-session.js';
import { loadSignatories } from './draw-signatories.js';
import { type StoredSpecialtyCoverage, specialtyCoverageHtml } from './specialty-coverage-html.js';

/** The draw policies as the request form names them; the record is printed and signed in Chinese. */
const POLICY_LABELS: Readonly<Record<string, { zh: string; en: string }>> = {
  lottery: { zh: '随机抽取', en: 'Lottery' },
  capped: { zh: '限概率随机', en: 'Capped lottery' },
  best: { zh: '择优', en: 'Best score' },
};

/** Who may read a draw record: as `GET /v1/draws/{id}`. */
const READERS = ['dispatcher', 'auditor', 'admin'] as const;
const DRAW_ID = /^[A-Za-z0-9_-]{1,64}$/;

interface StoredPanel {
  readonly members?: readonly { expertId: string; role: string }[];
  readonly alternates?: readonly { expertId: string }[];
  readonly funnel?: Funnel;
  readonly specialtyCoverage?: readonly StoredSpecialtyCoverage[];
  readonly exclusionReasons?: Record<
    string,
    { ruleId: string; article: string | null } | undefined
  >;
}

function refused(c: Context<AppEnv>, error: ProblemError) {
  const lang = deskLang(c);
  return renderDesk(
    c,
    deskSessionOf(c),
    {
      title: { zh: '抽取记录', en: 'Draw record' },
      body: `<h1>${t(lang, { zh: '抽取记录', en: 'Draw record' })}</h1><p class="notice error" role="alert">${escapeHtml(t(lang, error.detail))}</p>`,
      active: 'tasks',
    },
    error.status === 404 ? 404 : 403,
  );
}

/** The printable 抽取记录 of a draw and its replay. */
export const drawRecordRoutes = createRouter();

drawRecordRoutes.get('/desk/draws/:id/record', requireDeskSession(...READERS), async (c) => {
  const lang = deskLang(c);
  const session = deskSessionOf(c);
  const drawId = c.req.param('id');
  try {
    if (!DRAW_ID.test(drawId))
      throw new ProblemError('not_found', { zh: '抽取记录不存在', en: 'no such draw' });
    const draw = await loadVisibleDraw(c.var.db, session.principal, drawId);
    const [task] = await c.var.db.select().from(tasks).where(eq(tasks.id, draw.taskId));
    const now = c.var.services.now();
    const sealed =
      task !== undefined &&
      isPanelSealedFor(
        session.principal,
        task,
        await resolveRuleSet(c.var.db, task.authorityId, c.var.services.ruleSet),
        now,
      );
    const result = storedResult(draw) as StoredPanel;
    const input = draw.input as StoredDrawInput;
    const ids = [
      ...(result.members ?? []).map((m) => m.expertId),
      ...(result.alternates ?? []).map((a) => a.expertId),
    ];
    const names = new Map(
      ids.length === 0
        ? []
        : (
            await c.var.db
              .select({ id: experts.id, name: experts.name })
              .from(experts)
              .where(inArray(experts.id, ids))
          ).map((row) => [row.id, row.name] as const),
    );
    const nameOf = (id: string) =>
      sealed ? t(lang, { zh: '（密封）', en: '(sealed)' }) : escapeHtml(names.get(id) ?? id);
    const signatories = await loadSignatories(c.var.db, draw.id);
    const verifyUrl = new URL(
      `/v1/public/draws/${encodeURIComponent(draw.id)}/verify`,
      c.var.services.env.PUBLIC_BASE_URL,
    ).toString();
    const qr = await QRCode.toString(verifyUrl, { type: 'svg', margin: 1, width: 120 });
    const reasons = Object.values(result.exclusionReasons ?? {});
    const funnel = result.funnel;
    const funnelHtml =
      funnel === undefined
        ? ''
        : funnelTable(lang, {
            feasible: true,
            ruleSet: { id: draw.ruleSetId, version: draw.ruleSetVersion },
            pool: funnel.pool,
            eligible: funnel.eligible,
            steps: funnel.steps.map((s) => ({
              ...s,
              article: reasons.find((r) => r?.ruleId === s.ruleId)?.article ?? null,
              message: null,
            })),
            samePerson: funnel.samePerson ?? 0,
            unmet: [],
          });
    const taskView = { id: draw.taskId, task: input.task };
    const line = (label: { zh: string; en: string }, value: string) =>
      `<tr><th scope="row">${t(lang, label)}</th><td>${value}</td></tr>`;
    const members = (result.members ?? [])
      .map(
        (m, i) =>
          `<tr><td>${i + 1}</td><td>${escapeHtml(roleLabel(lang, m.role))}</td><td>${nameOf(m.expertId)}</td></tr>`,
      )
      .join('');
    const alternates = (result.alternates ?? [])
      .map(
        (a, i) =>
          `<tr><td>${i + 1}</td><td>${escapeHtml(roleLabel(lang, 'alternate'))}</td><td>${nameOf(a.expertId)}</td></tr>`,
      )
      .join('');
    const policy = draw.policy as { policy?: string; seedSource?: string };
    const body =
      '<style>@page{size:A4;margin:15mm}.record table{margin:.4rem 0}.record svg{width:30mm;height:30mm}.sign{display:flex;gap:2rem;margin-top:1.5rem}.sign div{flex:1;border-top:1px solid #000;padding-top:.3rem}.qr{float:right;text-align:center;font-size:.75rem;max-width:34mm}@media print{body{font-size:10pt;line-height:1.35}.record th,.record td{padding:.1rem .35rem}.record h1{font-size:15pt;margin:0 0 .3rem}.record h2{font-size:12pt;margin:.4rem 0 .2rem}.record .grid{grid-template-columns:repeat(3,1fr)}.record .hint{font-size:8pt}.record table{margin:.2rem 0}}</style>' +
      `<article class="record"><div class="qr">${qr}<br>${t(lang, { zh: '扫码核验', en: 'Scan to verify' })}</div>` +
      `<h1>${t(lang, { zh: '专家抽取记录', en: 'Expert draw record' })}</h1>${taskSummary(lang, taskView)}` +
      `<table id="record-facts"><tbody>` +
      line(
        { zh: '抽取编号', en: 'Draw' },
        `${escapeHtml(draw.id)}（${t(lang, { zh: '第', en: 'no. ' })}${draw.sequence}${lang === 'en' ? '' : ' 次'}）`,
      ) +
      line(
        { zh: '抽取时间（北京时间）', en: 'Drawn at (Beijing)' },
        beijingTime(draw.createdAt.toISOString()),
      ) +
      line(
        { zh: '规则集及版本', en: 'Rule set and version' },
        `${escapeHtml(draw.ruleSetId)} ${escapeHtml(draw.ruleSetVersion)}`,
      ) +
      line(
        { zh: '抽取方式', en: 'Policy' },
        `${escapeHtml(t(lang, POLICY_LABELS[policy.policy ?? ''] ?? { zh: '', en: '' }))}（<code>${escapeHtml(policy.policy ?? '')}</code>）`,
      ) +
      line(
        { zh: '随机种子', en: 'Seed' },
        `<code>${escapeHtml(draw.seed)}</code>${policy.seedSource === 'caller' ? t(lang, { zh: '（申请方指定）', en: ' (chosen by the caller)' }) : ''}`,
      ) +
      line(
        { zh: '专家库摘要', en: 'Pool digest' },
        `<code>${escapeHtml(draw.poolSnapshotDigest)}</code>`,
      ) +
      line({ zh: '输入摘要', en: 'Input digest' }, `<code>${escapeHtml(draw.inputDigest)}</code>`) +
      (draw.reason
        ? line({ zh: '重新抽取理由', en: 'Reason for redraw' }, escapeHtml(draw.reason))
        : '') +
      // 异地抽取: the widening steps the draw took, in the ladder's order (local policy).
      ((input.task.widen ?? []).length > 0
        ? line(
            { zh: '扩大抽取范围（异地抽取）', en: 'Widened to (异地抽取)' },
            `<span id="record-widen">${(input.task.widen ?? [])
              .map((step) => escapeHtml(t(lang, wideningSteps.labels[step])))
              .join(' → ')}</span>`,
          )
        : '') +
      '</tbody></table>' +
      funnelHtml +
      `<h2>${t(lang, { zh: '抽取结果', en: 'Panel' })}</h2><table id="record-panel"><thead><tr><th scope="col">#</th><th scope="col">${t(lang, { zh: '席位', en: 'Seat' })}</th><th scope="col">${t(lang, { zh: '姓名', en: 'Name' })}</th></tr></thead><tbody>${members}${alternates}</tbody></table>` +
      specialtyCoverageHtml(lang, result.specialtyCoverage, nameOf) +
      `<div class="sign"><div>${t(lang, { zh: '抽取人', en: 'Drawn by' })}：<span id="drawn-by">${escapeHtml(signatories?.drawnBy ?? '')}</span></div><div>${t(lang, { zh: '监督人', en: 'Supervisor' })}：<span id="supervisor">${escapeHtml(signatories?.supervisor ?? '')}</span></div></div>` +
      `<p class="hint">${t(lang, { zh: '本记录可凭抽取编号、随机种子和专家库摘要重放核验；签字后存档。', en: 'This record can be replayed from its draw id, seed and pool digest; file it once signed.' })}</p></article>` +
      (session.principal.role === 'auditor'
        ? `<form class="noprint" method="get" action="/desk/draws/${escapeHtml(encodeURIComponent(draw.id))}/verify"><button type="submit" id="verify">${t(lang, { zh: '重放核验', en: 'Replay and verify' })}</button></form>`
        : '');
    return renderDesk(c, session, {
      title: { zh: `抽取记录 ${draw.id}`, en: `Draw record ${draw.id}` },
      body,
      active: 'tasks',
    });
  } catch (error) {
    if (error instanceof ProblemError && error.status < 500) return refused(c, error);
    throw error;
  }
});

drawRecordRoutes.get('/desk/draws/:id/verify', requireDeskSession('auditor'), async (c) => {
  const lang = deskLang(c);
  const session = deskSessionOf(c);
  const drawId = c.req.param('id');
  try {
    if (!DRAW_ID.test(drawId))
      throw new ProblemError('not_found', { zh: '抽取记录不存在', en: 'no such draw' });
    // The replay of GET /v1/draws/{id}/verify: the stored input and pool snapshot, drawn again.
    const file = await loadDrawFile(c.var.db, session.principal, drawId);
    const parsed = drawFileSchema.safeParse(file);
    const outcome = verifyDrawFile(parsed.success ? parsed.data : file);
    const body =
      `<h1>${t(lang, { zh: '重放核验', en: 'Replay' })}</h1>` +
      `<p id="verify-outcome" class="notice${outcome.ok ? '' : ' error'}" data-ok="${outcome.ok}">${
        outcome.ok
          ? t(lang, {
              zh: '核验通过：重放得到与记录相同的专家组。',
              en: 'Verified: the replay gives the recorded panel.',
            })
          : t(lang, {
              zh: '核验未通过：重放结果与记录不一致。',
              en: 'Not verified: the replay differs from the record.',
            })
      }</p><ul><li>${t(lang, { zh: '输入摘要一致', en: 'Input digest matches' })}: ${outcome.digestMatches}</li><li>${t(lang, { zh: '结果一致', en: 'Result matches' })}: ${outcome.resultMatches}</li><li>${t(lang, { zh: '专家库摘要一致', en: 'Pool digest matches' })}: ${outcome.poolDigestMatches}</li></ul>` +
      `<p><a href="/desk/draws/${escapeHtml(encodeURIComponent(drawId))}/record">${t(lang, { zh: '返回抽取记录', en: 'Back to the record' })}</a></p>`;
    return renderDesk(c, session, {
      title: { zh: '重放核验', en: 'Replay' },
      body,
      active: 'tasks',
    });
  } catch (error) {
    if (error instanceof ProblemError && error.status < 500) return refused(c, error);
    throw error;
  }
});
