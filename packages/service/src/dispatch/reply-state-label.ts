/** What an invitation's state means to the expert, in Simplified Chinese and English. */
export interface ReplyStateLabel {
  readonly zh: string;
  readonly en: string;
}

const LABELS: Readonly<Record<string, ReplyStateLabel>> = {
  invited: { zh: '待答复', en: 'awaiting your answer' },
  accepted: {
    zh: '您已接受邀请，感谢！具体安排将另行通知。',
    en: 'you accepted the invitation, thank you; the details follow',
  },
  declined: { zh: '您已谢绝邀请，感谢告知。', en: 'you declined the invitation, thank you' },
  timed_out: {
    zh: '答复期限已过，本次邀请已失效。',
    en: 'the reply deadline has passed; the invitation has lapsed',
  },
  waitlisted: {
    zh: '已列入候补名单：感谢您接受邀请，专家组已满员；如有空缺将另行通知。',
    en: 'put on the waiting list: thank you for accepting; the panel is full, you will be told if a place opens',
  },
  undeliverable: {
    zh: '本次邀请通知未能送达，组织单位将电话联系您；此情形不计入您的记录。',
    en: 'the invitation could not be delivered; the organiser will phone you; this never counts against you',
  },
  // An accepted seat the expert can no longer attend (第十五条).
  withdrawn: {
    zh: '已登记您不能参加本次任务，感谢及时说明情况；空缺将另行安排。',
    en: 'recorded that you can no longer attend, thank you for telling us; the place will be filled',
  },
  released: {
    zh: '本次邀请已关闭（专家组已满员、任务已取消或重新抽取），无需答复。',
    en: 'the invitation is closed (the panel is full, or the task was cancelled or drawn again); no answer needed',
  },
  replaced: {
    zh: '本次邀请已由其他专家替补，无需答复。',
    en: 'another expert took this place; no answer needed',
  },
};

/**
 * The label of an invitation state as the reply page, the SMS answer and the reply API show it.
 *
 * @example
 * replyStateLabel('waitlisted').zh; // '已列入候补名单：…'
 */
export function replyStateLabel(state: string): ReplyStateLabel {
  return LABELS[state] ?? { zh: '本次邀请无需答复。', en: 'no answer is needed' };
}
