import { formatZhSpan, type Task, taskTypes, windowDays } from '@expert-dispatch/rules';
import type { NewNotice } from './enqueue-notice.js';
import { cityNameOf } from './invitation-message.js';

/** The task as a notice names it: type, city and dates — never the enterprise (第八条（五）（七）). */
function taskLine(task: Task): string {
  const days = windowDays(task.window);
  const span = formatZhSpan(days.first, days.last);
  return `${taskTypes.labels[task.type].zh}（${cityNameOf(task.enterprise.region)}，${span}）`;
}

/**
 * The notice to an invited expert whose invitation closed because the panel filled up first
 * (urgent over-invitation): nothing to answer any more, and thanks.
 *
 * @example
 * await enqueueNotices(tx, [panelFullNotice(task, 'e-p004')], now);
 */
export function panelFullNotice(task: Task, expertId: string): NewNotice {
  return {
    kind: 'invitation_closed',
    recipient: { expertId },
    taskId: task.id,
    subject: '【专家邀请】专家组已满员',
    body: `您好！您受邀参加的${taskLine(task)}专家组已满员，本次邀请已关闭，无需再答复。感谢您的支持！`,
  };
}

/**
 * The thanks to an expert who accepted when the panel was already full (or had no place that
 * keeps the panel's constraints): they are on the waiting list and are told if a place opens.
 *
 * @example
 * await enqueueNotices(tx, [waitlistNotice(task, 'e-p005')], now);
 */
export function waitlistNotice(task: Task, expertId: string): NewNotice {
  return {
    kind: 'waitlist_thanks',
    recipient: { expertId },
    taskId: task.id,
    subject: '【专家邀请】已列入候补名单',
    body: `感谢您接受${taskLine(task)}的邀请。专家组已满员，您已列入候补名单；如有空缺，将另行通知。本次候补不占用您的时间安排。`,
  };
}

/**
 * The news to a waitlisted expert that a place opened (a member could no longer attend,
 * 第十五条) and is now theirs: their acceptance stands, the details follow as for any member.
 *
 * @example
 * await enqueueNotices(tx, [promotedNotice(task, 'e-p005')], now);
 */
export function promotedNotice(task: Task, expertId: string): NewNotice {
  return {
    kind: 'waitlist_promoted',
    recipient: { expertId },
    taskId: task.id,
    subject: '【专家邀请】候补转为正式成员',
    body: `您好！${taskLine(task)}专家组出现空缺，您已由候补转为正式成员，请按时参加。具体安排将另行通知；如确因特殊情况不能参加，请及时说明情况。感谢您的支持！`,
  };
}
