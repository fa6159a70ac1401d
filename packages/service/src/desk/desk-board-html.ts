import { industries, taskTypes } from '@expert-dispatch/rules';
import { CLAIMABLE_REASONS, CLAIMED_REASON_LABELS } from '../dispatch/claimed-reasons.js';
import type { TaskView } from '../tasks/task-view.js';
import { type Bilingual, type DeskLang, escapeHtml, t } from './desk-layout.js';

/** A seat's state as the dispatcher reads it. */
const SEAT_LABELS: Readonly<Record<string, Bilingual>> = {
  reserve: { zh: '备选（未邀请）', en: 'reserve (not invited)' },
  invited: { zh: '待答复', en: 'awaiting reply' },
  accepted: { zh: '已接受', en: 'accepted' },
  declined: { zh: '已谢绝', en: 'declined' },
  timed_out: { zh: '逾期未答复', en: 'timed out' },
  undeliverable: { zh: '通知未送达，需电话联系', en: 'undeliverable: phone the expert' },
  withdrawn: { zh: '接受后退出', en: 'withdrawn' },
  released: { zh: '已释放', en: 'released' },
  replaced: { zh: '已由他人替补', en: 'replaced' },
  waitlisted: { zh: '候补', en: 'waitlisted' },
};

/** How a reply came in (record-reply's ReplyChannel), as the dispatcher reads it. */
const REPLY_CHANNEL_LABELS: Readonly<Record<string, Bilingual>> = {
  link: { zh: '答复链接', en: 'reply link' },
  sms: { zh: '短信', en: 'SMS' },
  phone: { zh: '电话', en: 'phone' },
  api: { zh: '接口', en: 'API' },
};

const NOTIFICATION_LABELS: Readonly<Record<string, Bilingual>> = {
  pending: { zh: '待发送', en: 'pending' },
  sending: { zh: '发送中', en: 'sending' },
  sent: { zh: '已发送', en: 'sent' },
  failed: { zh: '发送失败', en: 'failed' },
  cancelled: { zh: '已撤销', en: 'cancelled' },
};

const TASK_STATUS: Readonly<Record<string, Bilingual>> = {
  inviting: { zh: '邀请中', en: 'inviting' },
  confirmed: { zh: '已组齐', en: 'confirmed' },
  understaffed: { zh: '人数不足', en: 'understaffed' },
  cancelled: { zh: '已取消', en: 'cancelled' },
  completed: { zh: '已完成', en: 'completed' },
};

const ROLE_LABELS: Readonly<Record<string, Bilingual>> = {
  leader: { zh: '组长', en: 'leader' },
  member: { zh: '成员', en: 'member' },
  alternate: { zh: '备选', en: 'alternate' },
  shadow: { zh: '见习', en: 'shadow' },
};

/** The label of a code in a table, the code itself when unknown. */
export const labelOf = (
  lang: DeskLang,
  table: Readonly<Record<string, Bilingual>>,
  code: string,
): string => {
  const label = table[code];
  return label === undefined ? code : t(lang, label);
};

export const seatLabel = (lang: DeskLang, state: string) => labelOf(lang, SEAT_LABELS, state);
export const roleLabel = (lang: DeskLang, role: string) => labelOf(lang, ROLE_LABELS, role);
export const taskStatusLabel = (lang: DeskLang, status: string) =>
  labelOf(lang, TASK_STATUS, status);

/** Beijing time, to the minute: `2026-12-02 14:05`. */
export function beijingTime(iso: string | null): string {
  if (iso === null) return '—';
  const at = new Date(new Date(iso).getTime() + 8 * 3_600_000);
  return `${at.toISOString().slice(0, 16).replace('T', ' ')}`;
}

/** Time left until an instant, as `2 天 3 小时` / `2 d 3 h`; the board's script keeps it current. */
export function timeLeft(lang: DeskLang, iso: string, now: Date): string {
  const ms = new Date(iso).getTime() - now.getTime();
  if (ms <= 0) return t(lang, { zh: '已截止', en: 'past' });
  const minutes = Math.floor(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return lang === 'en'
    ? `${d > 0 ? `${d} d ` : ''}${h} h ${m} min`
    : `${d > 0 ? `${d} 天 ` : ''}${h} 小时 ${m} 分`;
}

/** A summary of the task: type, industries, window, enterprise. */
export function taskSummary(lang: DeskLang, view: Pick<TaskView, 'id' | 'task'>): string {
  const task = view.task as {
    type?: string;
    industries?: string[];
    window?: { from: string; to: string };
    enterprise?: { name: string };
    panelSize?: number;
    alternates?: number;
  };
  const type = task.type && taskTypes.is(task.type) ? t(lang, taskTypes.labels[task.type]) : '';
  const inds = (task.industries ?? [])
    .map((i) => (industries.is(i) ? t(lang, industries.labels[i]) : i))
    .join('、');
  return (
    `<dl class="grid"><div><dt>${t(lang, { zh: '任务', en: 'Task' })}</dt><dd>${escapeHtml(view.id)} · ${escapeHtml(type)}</dd></div>` +
    `<div><dt>${t(lang, { zh: '服务对象', en: 'Enterprise' })}</dt><dd>${escapeHtml(task.enterprise?.name ?? '—')}</dd></div>` +
    `<div><dt>${t(lang, { zh: '行业', en: 'Industries' })}</dt><dd>${escapeHtml(inds)}</dd></div>` +
    `<div><dt>${t(lang, { zh: '时间', en: 'Window' })}</dt><dd>${beijingTime(task.window?.from ?? null)} – ${beijingTime(task.window?.to ?? null)}</dd></div>` +
    `<div><dt>${t(lang, { zh: '人数', en: 'Panel' })}</dt><dd>${task.panelSize ?? ''} + ${t(lang, { zh: '备选', en: 'alternates' })} ${task.alternates ?? 0}</dd></div></dl>`
  );
}

/** The form recording an answer the expert gave on the phone (第十五条). */
function phoneForm(lang: DeskLang, csrf: string, invitationId: string): string {
  const id = escapeHtml(invitationId);
  const reasons = CLAIMABLE_REASONS.map(
    (r) => `<option value="${r}">${escapeHtml(t(lang, CLAIMED_REASON_LABELS[r]))}</option>`,
  ).join('');
  return `<details class="phone"><summary>${t(lang, { zh: '登记电话答复', en: 'Record a phone answer' })}</summary><form method="post" action="/desk/invitations/${id}/phone-reply">${csrf}<fieldset><legend>${t(lang, { zh: '专家的答复', en: "The expert's answer" })}</legend><label class="choice"><input type="radio" name="answer" value="accept" required> ${t(lang, { zh: '接受', en: 'Accept' })}</label><label class="choice"><input type="radio" name="answer" value="decline"> ${t(lang, { zh: '谢绝', en: 'Decline' })}</label></fieldset><label for="reason-${id}">${t(lang, { zh: '谢绝原因（谢绝时必选）', en: 'Reason (when declining)' })}</label><select id="reason-${id}" name="reason"><option value="">—</option>${reasons}</select><label for="note-${id}">${t(lang, { zh: '情况说明（选填）', en: 'Note (optional)' })}</label><textarea id="note-${id}" name="note" maxlength="500"></textarea><p><button type="submit">${t(lang, { zh: '登记', en: 'Record' })}</button></p></form></details>`;
}

/**
 * The live part of the board: the task's status and one row per seat with its notification,
 * reply and time left; undeliverable seats flagged, with the phone form for dispatchers.
 *
 * @example
 * boardFragment('zh', view, now, { csrf: csrfField(session), canAct: true });
 */
export function boardFragment(
  lang: DeskLang,
  view: TaskView,
  now: Date,
  options: { readonly csrf: string; readonly canAct: boolean },
): string {
  const rows = view.panel
    .map((seat) => {
      const flagged = seat.state === 'undeliverable';
      const open = seat.state === 'invited' || seat.state === 'undeliverable';
      const deadline =
        open && seat.replyDeadline !== null
          ? `<time data-deadline="${escapeHtml(seat.replyDeadline)}" datetime="${escapeHtml(seat.replyDeadline)}">${escapeHtml(timeLeft(lang, seat.replyDeadline, now))}</time>`
          : '—';
      const notification =
        seat.notification === null
          ? '—'
          : `${escapeHtml(labelOf(lang, NOTIFICATION_LABELS, seat.notification.state))}${seat.notification.attempts > 1 ? ` ×${seat.notification.attempts}` : ''}`;
      const reply =
        seat.state === 'declined' && seat.declineReason
          ? ` <small>${escapeHtml(t(lang, CLAIMED_REASON_LABELS[seat.declineReason as keyof typeof CLAIMED_REASON_LABELS] ?? { zh: seat.declineReason, en: seat.declineReason }))}</small>`
          : '';
      const via = seat.replyChannel
        ? ` <small>（${escapeHtml(t(lang, REPLY_CHANNEL_LABELS[seat.replyChannel] ?? { zh: seat.replyChannel, en: seat.replyChannel }))}）</small>`
        : '';
      return `<tr id="seat-${escapeHtml(seat.invitationId)}" data-state="${escapeHtml(seat.state)}"${flagged ? ' class="flagged"' : ''}><td>${escapeHtml(roleLabel(lang, seat.role))} <small>#${escapeHtml(seat.invitationId)}</small></td><td>${escapeHtml(seat.name || '***')}</td><td>${notification}</td><td class="${flagged ? 'flag' : seat.state === 'accepted' ? 'ok' : ''}">${flagged ? '⚠ ' : ''}${escapeHtml(seatLabel(lang, seat.state))}${reply}${via}</td><td>${deadline}</td><td>${options.canAct && open && seat.role !== 'alternate' ? phoneForm(lang, options.csrf, seat.invitationId) : ''}</td></tr>`;
    })
    .join('');
  return (
    `<p>${t(lang, { zh: '任务状态', en: 'Status' })}: <strong id="task-status" data-status="${escapeHtml(view.status)}">${escapeHtml(taskStatusLabel(lang, view.status))}</strong>${view.panelSealed ? ` · ${t(lang, { zh: '名单密封至工作开始（第八条（五）（七））', en: 'names sealed until the work starts' })}` : ''}</p>` +
    `<div class="scroll"><table id="seats"><caption>${t(lang, { zh: '专家组与答复', en: 'Panel and replies' })}</caption><thead><tr><th scope="col">${t(lang, { zh: '席位', en: 'Seat' })}</th><th scope="col">${t(lang, { zh: '姓名', en: 'Name' })}</th><th scope="col">${t(lang, { zh: '通知', en: 'Notification' })}</th><th scope="col">${t(lang, { zh: '答复', en: 'Reply' })}</th><th scope="col">${t(lang, { zh: '剩余时间', en: 'Time left' })}</th><th scope="col">${t(lang, { zh: '操作', en: 'Action' })}</th></tr></thead><tbody>${rows}</tbody></table></div>`
  );
}
