import { formatZhSpan, type Task, taskTypes, windowDays } from '@expert-dispatch/rules';
import { CLAIMABLE_REASONS, CLAIMED_REASON_LABELS } from './claimed-reasons.js';
import { cityNameOf, formatShanghaiZh } from './invitation-message.js';
import { DECLINE_NOTE_MAX } from './record-reply.js';
import { replyStateLabel } from './reply-state-label.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

/** A small mobile page in Chinese around a body. */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:1rem auto;padding:0 1rem;line-height:1.6}button{font-size:1.1rem;padding:.6rem 1.2rem;margin:.3rem 0;width:100%}fieldset{border:1px solid #ccc;border-radius:.4rem;margin:.6rem 0}label.choice{display:block;padding:.45rem 0;font-size:1.05rem}input[type=radio]{width:1.2rem;height:1.2rem;vertical-align:middle;margin-right:.5rem}textarea{width:100%;box-sizing:border-box;font:inherit;min-height:5rem}small{color:#555}dt{color:#555}</style></head><body>${body}</body></html>`;
}

/**
 * The reply page of an invitation: the task summary (never the enterprise, 第八条（五）（七）),
 * its state and, while open, the two answers — decline asks for the reason the expert claims
 * (one of the list, none pre-approved: the department decides whether it is 正当) and their
 * own words (说明情况, ≤ 500 chars). An accepted invitation may say, until the work starts
 * (`canWithdraw`), that the expert can no longer attend, with the reason and words (第十五条).
 * GET shows it and changes nothing (mail scanners open links); the forms POST.
 *
 * @example
 * replyPage({ task, state: 'accepted', replyDeadline, canWithdraw: true });
 */
export function replyPage(args: {
  readonly task: Task;
  readonly state: string;
  readonly replyDeadline: Date | null;
  readonly notice?: string;
  readonly canWithdraw?: boolean;
}): string {
  const { task, state } = args;
  const days = windowDays(task.window);
  const summary = `<dl><dt>任务类型</dt><dd>${escapeHtml(taskTypes.labels[task.type].zh)}</dd><dt>时间</dt><dd>${formatZhSpan(days.first, days.last)}</dd><dt>地点</dt><dd>${escapeHtml(cityNameOf(task.enterprise.region))}</dd>${args.replyDeadline ? `<dt>答复期限</dt><dd>${formatShanghaiZh(args.replyDeadline)}</dd>` : ''}</dl>`;
  const notice = args.notice ? `<p><strong>${escapeHtml(args.notice)}</strong></p>` : '';
  const label = replyStateLabel(state).zh;
  const status = `<p id="state" data-state="${escapeHtml(state)}">${escapeHtml(label)}</p>`;
  // One radio button per reason, none chosen: a decline must say why (第十五条); then the
  // expert's own words. Whether the reason is 正当 is the department's decision.
  const reasons = `${CLAIMABLE_REASONS.map(
    (v) =>
      `<label class="choice"><input type="radio" name="reason" value="${v}" required>${escapeHtml(CLAIMED_REASON_LABELS[v].zh)}</label>`,
  ).join(
    '',
  )}<label for="note">情况说明（选填，不超过 ${DECLINE_NOTE_MAX} 字）</label><textarea id="note" name="note" maxlength="${DECLINE_NOTE_MAX}"></textarea><small>所选原因是否属于正当理由，由组织单位认定。</small>`;
  const forms =
    state === 'invited'
      ? `<form method="post"><input type="hidden" name="answer" value="accept"><button type="submit">接受邀请</button></form><form method="post"><input type="hidden" name="answer" value="decline"><fieldset><legend>谢绝原因（必选）</legend>${reasons}</fieldset><button type="submit">谢绝邀请</button></form>`
      : state === 'accepted' && args.canWithdraw === true
        ? `<form method="post"><input type="hidden" name="answer" value="withdraw"><fieldset><legend>如确因特殊情况不能参加，请说明原因（必选）</legend>${reasons}</fieldset><button type="submit">无法参加</button></form>`
        : '';
  return page('专家邀请答复', `<h1>专家邀请</h1>${notice}${summary}${status}${forms}`);
}
