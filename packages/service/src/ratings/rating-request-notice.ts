import { formatZhSpan, type Task, taskTypes, windowDays } from '@expert-dispatch/rules';
import type { ExpertContact } from '../db/schema.js';
import type { NewNotice } from '../dispatch/enqueue-notice.js';
import { formatShanghaiZh } from '../dispatch/invitation-message.js';

/**
 * The notice that asks the served unit to rate the experts who came (第二十条), in Simplified
 * Chinese; the signed link travels in `link`. It names no expert (the page lists them) and no
 * personal data.
 *
 * @example
 * ratingRequestNotice({ taskId: 't-1', task, contact, link, expiresAt }).subject; // '【服务评价】…'
 */
export function ratingRequestNotice(args: {
  readonly taskId: string;
  readonly task: Task;
  readonly contact: ExpertContact;
  readonly link: string;
  readonly expiresAt: Date;
}): NewNotice {
  const { task } = args;
  const days = windowDays(task.window);
  const span = formatZhSpan(days.first, days.last);
  const type = taskTypes.labels[task.type].zh;
  return {
    kind: 'rating_request',
    recipient: { contact: args.contact },
    taskId: args.taskId,
    subject: `【服务评价】${type}（${span}）`,
    body: [
      `您好！${span}在贵单位开展的${type}工作已完成。`,
      '请打开评价链接，对到岗服务的专家逐一评价（1–5 分，可附意见），每位专家只能评价一次。',
      `链接有效期至${formatShanghaiZh(args.expiresAt)}。`,
    ].join('\n'),
    // The delivery adds the link after the body (dispatch/deliver-notice.ts).
    link: args.link,
  };
}
