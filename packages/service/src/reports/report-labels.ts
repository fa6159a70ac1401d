import { expertStates, formatZhDate, groups, type Label } from '@expert-dispatch/rules';
import { formatShanghaiZh } from '../dispatch/invitation-message.js';
import type { ActionLists, Counts, Evidence, SeatOutcome } from './report-schemas.js';

// The Chinese (and English) words of the printed and spreadsheet reports, in one place.

export const OUTCOME_LABELS: Readonly<Record<SeatOutcome, Label>> = {
  accepted: { zh: '接受', en: 'Accepted' },
  declined_justified: { zh: '拒绝（正当理由）', en: 'Declined, justified' },
  declined_unjustified: { zh: '拒绝（无正当理由）', en: 'Declined, unjustified' },
  declined_pending: { zh: '拒绝（理由待认定）', en: 'Declined, awaiting decision' },
  timed_out: { zh: '送达后超时未响应', en: 'No reply after delivery' },
  undeliverable: { zh: '通知未送达', en: 'Undeliverable' },
  acceptance_withdrawn: { zh: '接受后退出', en: 'Withdrew after accepting' },
  pending: { zh: '待答复', en: 'Awaiting reply' },
  withdrawn: { zh: '邀请撤回', en: 'Withdrawn' },
};

/** The count columns of the per-expert table, in order. */
export const COUNT_COLUMNS: readonly { readonly key: keyof Counts; readonly label: Label }[] = [
  { key: 'invitations', label: { zh: '邀请次数', en: 'Invitations' } },
  { key: 'accepted', label: { zh: '接受', en: 'Accepted' } },
  { key: 'declinedJustified', label: { zh: '拒绝（正当理由）', en: 'Declined, justified' } },
  { key: 'declinedUnjustified', label: { zh: '拒绝（无正当理由）', en: 'Declined, unjustified' } },
  {
    key: 'declinedPending',
    label: { zh: '拒绝（理由待认定）', en: 'Declined, awaiting decision' },
  },
  { key: 'timedOut', label: { zh: '送达后超时未响应', en: 'No reply after delivery' } },
  { key: 'undeliverable', label: { zh: '通知未送达', en: 'Undeliverable' } },
  { key: 'acceptanceWithdrawn', label: { zh: '接受后退出', en: 'Withdrew after accepting' } },
  { key: 'pending', label: { zh: '待答复', en: 'Awaiting reply' } },
  { key: 'withdrawn', label: { zh: '邀请撤回', en: 'Withdrawn' } },
  { key: 'attended', label: { zh: '到岗', en: 'Attended' } },
  { key: 'noShow', label: { zh: '未到岗', en: 'No-show' } },
  { key: 'ratings', label: { zh: '评价次数', en: 'Ratings' } },
  { key: 'averageRating', label: { zh: '平均评分', en: 'Average rating' } },
  { key: 'tasksLed', label: { zh: '担任组长', en: 'Tasks led' } },
  { key: 'tasksServed', label: { zh: '参加任务', en: 'Tasks served' } },
];

/** The lists, with their headings and articles, in the order they are printed. */
export const LIST_SECTIONS: readonly {
  readonly key: Exclude<keyof ActionLists, 'period' | 'asOf'>;
  readonly heading: Label;
}[] = [
  {
    key: 'declineWarnings',
    heading: {
      zh: '一年内无正当理由拒绝或超时未响应2次及以上（第二十三条（一））',
      en: 'Two or more unjustified declines or time-outs within a year (第二十三条（一）)',
    },
  },
  {
    key: 'pendingDeclines',
    heading: {
      zh: '拒绝理由待认定（认定前不计入无正当理由拒绝次数）',
      en: 'Declines awaiting the department’s decision (not counted as unjustified until decided)',
    },
  },
  {
    key: 'noShows',
    heading: {
      zh: '接受后未到岗（出勤记录，第十五条）',
      en: 'No-shows after accepting (attendance data, 第十五条)',
    },
  },
  {
    key: 'staleProfiles',
    heading: {
      zh: '超过12个月未更新个人信息（第八条（一））',
      en: 'Profile not updated for 12 months (第八条（一）)',
    },
  },
  {
    key: 'terms',
    heading: {
      zh: '聘期90日内届满或已届满（第十一条）',
      en: 'Term ending within 90 days or lapsed (第十一条)',
    },
  },
  {
    key: 'ageLimits',
    heading: {
      zh: '下一聘期内达到年龄上限（第九条（五））',
      en: 'Reaching the age limit within the next term (第九条（五）)',
    },
  },
  {
    key: 'neverInvited',
    heading: { zh: '期间内从未被邀请', en: 'Never invited in the period' },
  },
];

export function groupLabel(group: string): string {
  return groups.is(group) ? groups.labels[group].zh : group;
}

export function statusLabel(status: string): string {
  return expertStates.is(status) ? expertStates.labels[status].zh : status;
}

/** One invitation as a line of text: 邀请 12 · 任务 T1 · 2026年3月2日 · 拒绝（时间冲突）. */
export function evidenceText(evidence: Evidence): string {
  const task = evidence.taskId === null ? '任务（其他部门）' : `任务 ${evidence.taskId}`;
  const outcome =
    evidence.outcome.startsWith('declined') && evidence.reasonLabel !== null
      ? `拒绝（${evidence.reasonLabel.zh}）`
      : OUTCOME_LABELS[evidence.outcome].zh;
  const parts = [`邀请 ${evidence.invitationId}`, task, formatZhDate(evidence.refusedOn), outcome];
  if (evidence.attendance === 'no_show') parts.push('未到岗');
  if (evidence.note !== null) parts.push(`说明：${evidence.note}`);
  const delivered = evidence.deliveredAt ?? evidence.delivery?.sentAt ?? null;
  parts.push(delivered === null ? '送达：无回执' : `送达：${zhInstant(delivered)}`);
  if (evidence.replyChannel !== null) {
    const channel = REPLY_CHANNEL_ZH[evidence.replyChannel] ?? evidence.replyChannel;
    parts.push(`答复渠道：${channel}（${evidence.recordedBy ?? '未知'} 登记）`);
  }
  if (evidence.review !== null) {
    const decision = evidence.review.decision === 'unjustified' ? '无正当理由' : '正当理由';
    parts.push(
      `认定：${decision}（${evidence.review.decidedBy}，${zhInstant(evidence.review.decidedAt)}：${evidence.review.note}）`,
    );
  }
  return parts.join(' · ');
}

/**
 * Who was told of the expert's warnings and dismissals (通报), as a line of text.
 *
 * @example
 * notificationsText(entry.notifications); // '通报所在单位 某设计院：2026-03-02T01:00:00.000Z 已送达'
 */
export function notificationsText(
  notifications: readonly {
    readonly recipient: string;
    readonly recipientName: string;
    readonly state: string;
    readonly sentAt: string | null;
    readonly queuedAt: string;
  }[],
): string {
  return notifications
    .map((n) => {
      const who = n.recipient === 'employer' ? '所在单位' : '推荐单位';
      const when = n.sentAt === null ? `${n.state}（${n.queuedAt} 排队）` : `${n.sentAt} 已送达`;
      return `通报${who} ${n.recipientName}：${when}`;
    })
    .join('；');
}

/** How a reply came in, by its Chinese name (as on the desk's reply board). */
const REPLY_CHANNEL_ZH: Readonly<Record<string, string>> = {
  link: '答复链接',
  sms: '短信',
  phone: '电话',
  api: '接口',
};

/** A stored instant in a Chinese line: Beijing wall-clock, never an ISO timestamp. */
function zhInstant(value: string): string {
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? value : formatShanghaiZh(at);
}
