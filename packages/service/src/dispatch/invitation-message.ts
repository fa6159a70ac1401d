import {
  formatZhDate,
  formatZhSpan,
  type Task,
  type TaskType,
  taskTypes,
  windowDays,
} from '@expert-dispatch/rules';
import { YUNNAN_CITIES } from '../demo/yunnan-places.js';
import { smsReasonList } from './claimed-reasons.js';

/**
 * Task types whose work is done at a served unit (第六条: design review, completion
 * acceptance, on-site verification, enforcement inspection, standardisation review, hazard
 * investigation and rectification acceptance): only their invitations say that the unit is
 * named after acceptance. Drafting, consulting, training, rescue, accident investigation,
 * research and other work may have no such unit.
 */
export const INSPECTION_LIKE_TYPES: ReadonlySet<TaskType> = new Set<TaskType>([
  'enforcement_inspection',
  'site_verification',
  'hazard_investigation',
  'rectification_acceptance',
  'completion_acceptance',
  'standardization_review',
  'design_review',
]);

/** The text of one invitation, for each kind of channel. */
export interface InvitationMessage {
  readonly subject: string;
  readonly text: string;
  /** The short form for SMS, with the reply code. */
  readonly sms: string;
}

/** The city (州、市) a region code lies in, by name when known. */
export function cityNameOf(region: string): string {
  const cityCode = `${region.slice(0, 4)}00`;
  return YUNNAN_CITIES.find((city) => city.code === cityCode)?.name ?? `行政区划 ${cityCode}`;
}

/** A date-time as Shanghai wall-clock `YYYY-MM-DD HH:mm`, for English sentences and data. */
export function formatShanghai(at: Date): string {
  const shifted = new Date(at.getTime() + 8 * 3600_000).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 16)}`;
}

/**
 * A date-time as a Chinese sentence writes it, Shanghai wall-clock: never an ISO date in Chinese.
 *
 * @example
 * formatShanghaiZh(new Date('2026-03-02T17:30:00Z')); // '2026年3月3日 01:30'
 */
export function formatShanghaiZh(at: Date): string {
  const wall = formatShanghai(at);
  return `${formatZhDate(wall.slice(0, 10))} ${wall.slice(11)}`;
}

/**
 * The invitation an expert receives, in Simplified Chinese: what they need to decide — the
 * task type, dates, city, expected duration and reply deadline — with the reply link and, for
 * SMS, the reply code and the reason codes of a decline. It says that no reply by the deadline
 * is recorded (第十五条: 记录在案). The enterprise is never named before acceptance
 * (第八条（五）（七）); only inspection-like work (`INSPECTION_LIKE_TYPES`) says it will be.
 *
 * @example
 * invitationMessage({ task, replyDeadline, replyUrl: 'https://…/r/…', replyCode: '42' }).sms;
 */
export function invitationMessage(args: {
  readonly task: Task;
  readonly replyDeadline: Date;
  readonly replyUrl: string;
  readonly replyCode: string;
}): InvitationMessage {
  const { task, replyDeadline, replyUrl, replyCode } = args;
  const days = windowDays(task.window);
  const span = formatZhSpan(days.first, days.last);
  const hours = Math.round((Date.parse(task.window.to) - Date.parse(task.window.from)) / 3600_000);
  const duration = hours >= 24 ? `约 ${Math.ceil(hours / 24)} 天` : `约 ${hours} 小时`;
  const type = taskTypes.labels[task.type].zh;
  const city = cityNameOf(task.enterprise.region);
  const deadline = formatShanghaiZh(replyDeadline);
  return {
    subject: `【专家邀请】${type}（${city}，${span}）`,
    text: [
      '您好！您已被抽取参加一项安全生产专家任务，请确认能否参加。',
      `任务类型：${type}`,
      `时间：${span}（${duration}）`,
      `地点：${city}`,
      `请于${deadline}前答复；逾期未响应将记录在案。`,
      `答复链接：${replyUrl}`,
      `也可回复短信“1 ${replyCode}”接受，“2 ${replyCode} 原因代码 情况说明”谢绝（原因代码 ${smsReasonList()}）。`,
      INSPECTION_LIKE_TYPES.has(task.type)
        ? '接受后将告知服务对象（被检查单位）等详细信息。'
        : '接受后将告知详细安排。',
    ].join('\n'),
    sms: `【专家邀请】${type}，${city}，${span}（${duration}）。请于${deadline}前答复，逾期未响应将记录在案：回复“1 ${replyCode}”接受，“2 ${replyCode} 原因代码 说明”谢绝（${smsReasonList()}），或打开 ${replyUrl}`,
  };
}
