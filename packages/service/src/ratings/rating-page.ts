import { formatZhSpan, type Task, taskTypes, windowDays } from '@expert-dispatch/rules';
import { page } from '../dispatch/reply-page.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

/** What each score means to the person giving it. */
export const SCORE_LABELS: Readonly<Record<number, string>> = {
  1: '很不满意',
  2: '不满意',
  3: '一般',
  4: '满意',
  5: '很满意',
};

const ROLE_LABELS: Readonly<Record<string, string>> = { leader: '组长', member: '组员' };

/** One attended member as the rating page shows them: name and role only, no personal data. */
export interface RatingPageMember {
  readonly seatId: number;
  readonly name: string;
  readonly role: string;
  readonly rating: { readonly score: number; readonly comment: string | null } | null;
}

/**
 * The served unit's rating page (第二十条): the task, then each member who attended with, until
 * rated, a 1–5 choice and a comment; once rated, the recorded rating. GET shows it and changes
 * nothing (mail scanners open links); the form POSTs. `data-state` says `open` while someone is
 * unrated, `rated` when everyone is, `none` when nobody attended.
 *
 * @example
 * ratingPage({ task, members: [{ seatId: 7, name: '专家1', role: 'leader', rating: null }] });
 */
export function ratingPage(args: {
  readonly task: Task;
  readonly members: readonly RatingPageMember[];
  readonly notice?: string;
}): string {
  const { task, members } = args;
  const days = windowDays(task.window);
  const span = formatZhSpan(days.first, days.last);
  const summary = `<dl><dt>任务类型</dt><dd>${escapeHtml(taskTypes.labels[task.type].zh)}</dd><dt>时间</dt><dd>${span}</dd><dt>服务单位</dt><dd>${escapeHtml(task.enterprise.name)}</dd></dl>`;
  const open = members.filter((member) => member.rating === null);
  const state = members.length === 0 ? 'none' : open.length === 0 ? 'rated' : 'open';
  const stateText = {
    none: '本次任务没有到岗专家，无需评价。',
    rated: '感谢您的评价！所有专家均已评价，以下为评价结果。',
    open: '请对到岗服务的专家逐一评价（1–5 分，可附意见）。每位专家只能评价一次，提交后不能修改。',
  }[state];
  const notice = args.notice
    ? `<p id="notice"><strong>${escapeHtml(args.notice)}</strong></p>`
    : '';
  const items = members.map((member) => memberHtml(member)).join('');
  const body =
    state === 'open'
      ? `<form method="post">${items}<button type="submit">提交评价</button></form>`
      : items;
  return page(
    '专家服务评价',
    `<h1>专家服务评价</h1>${notice}${summary}<p id="state" data-state="${state}">${stateText}</p>${body}`,
  );
}

function memberHtml(member: RatingPageMember): string {
  const title = `${escapeHtml(member.name)}（${ROLE_LABELS[member.role] ?? escapeHtml(member.role)}）`;
  if (member.rating !== null) {
    const comment = member.rating.comment ? `<br>意见：${escapeHtml(member.rating.comment)}` : '';
    return `<section class="member" data-rated="true"><h2>${title}</h2><p>已评价：<span class="score">${member.rating.score}</span> 分（${SCORE_LABELS[member.rating.score] ?? ''}）${comment}</p></section>`;
  }
  const name = `score-${member.seatId}`;
  const radios = [5, 4, 3, 2, 1]
    .map(
      (score) =>
        `<label><input type="radio" name="${name}" value="${score}"> ${score} 分 ${SCORE_LABELS[score]}</label><br>`,
    )
    .join('');
  return `<section class="member" data-rated="false"><h2>${title}</h2><fieldset><legend>评分</legend>${radios}</fieldset><label for="comment-${member.seatId}">意见（选填）</label><br><textarea id="comment-${member.seatId}" name="comment-${member.seatId}" maxlength="500" rows="3" style="width:100%"></textarea></section>`;
}
