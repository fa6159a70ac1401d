import { declineReasons, type Task } from '@expert-dispatch/rules';
import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { formatShanghai, formatShanghaiZh } from './invitation-message.js';
import { DECLINE_NOTE_MAX } from './record-reply.js';
import { replyPage } from './reply-page.js';
import { type WithdrawalOutcome, withdrawAcceptance } from './withdraw-acceptance.js';

/** The audit actor of answers given through the signed link: the link is the credential. */
export const LINK_ACTOR = { keyId: 'reply-link', authorityId: null } as const;

/** A seat as the reply link loads it, with what decides whether it may still be withdrawn. */
export interface LinkSeat {
  readonly task: unknown;
  readonly taskStatus: string;
  readonly windowFrom: Date;
  readonly seat: { readonly state: string; readonly replyDeadline: Date | null };
}

/**
 * Whether the reply page offers "无法参加" (can no longer attend, 第十五条): an accepted
 * invitation of a task still open, before its window starts.
 *
 * @example
 * replyPage({ …, canWithdraw: canWithdraw(row, services.now()) });
 */
export function canWithdraw(row: LinkSeat, now: Date): boolean {
  return (
    row.seat.state === 'accepted' &&
    ['inviting', 'confirmed', 'understaffed'].includes(row.taskStatus) &&
    now.getTime() < row.windowFrom.getTime()
  );
}

/**
 * Why a withdrawal was refused, as the expert (page) and the dispatcher (problem detail) read it.
 *
 * @example
 * refusalMessage(outcome).zh; // '任务已开始（…），不能再登记不参加，请直接联系组织单位。'
 */
export function refusalMessage(outcome: Extract<WithdrawalOutcome, { ok: false }>): {
  zh: string;
  en: string;
} {
  switch (outcome.refusal) {
    case 'not_found':
      return { zh: '未找到该邀请', en: 'no such invitation' };
    case 'task_closed':
      return {
        zh: `任务状态为 ${outcome.taskStatus}（已取消或已办结），无需登记不参加。`,
        en: `the task is ${outcome.taskStatus}; there is nothing to withdraw from`,
      };
    case 'window_started': {
      const from = outcome.windowFrom === null ? '' : formatShanghai(outcome.windowFrom);
      const fromZh = outcome.windowFrom === null ? '' : formatShanghaiZh(outcome.windowFrom);
      return {
        zh: `任务工作时间已开始（${fromZh}），不能再通过本系统登记不参加，请直接联系组织单位。`,
        en: `the task's window has started (${from}); contact the organising authority directly`,
      };
    }
    case 'not_accepted':
      return {
        zh: `该邀请当前状态为 ${outcome.seatState}，只有已接受的邀请才能登记不参加。`,
        en: `the invitation is ${outcome.seatState}; only an accepted one can be withdrawn`,
      };
  }
}

/**
 * The expert's own "can no longer attend" through the signed link: asks again (422) without a
 * reason, shows the refusal (409) or the recorded withdrawal (200) on the reply page.
 *
 * @example
 * if (form.answer === 'withdraw') return withdrawFromLink(c, seatId, form.reason, form.note, row);
 */
export async function withdrawFromLink(
  c: Context<AppEnv>,
  seatId: number,
  reason: unknown,
  note: unknown,
  row: LinkSeat,
): Promise<Response> {
  const services = c.var.services;
  const base = {
    task: row.task as Task,
    replyDeadline: row.seat.replyDeadline,
  };
  const said = typeof note === 'string' ? note.trim() : '';
  if (!declineReasons.is(reason) || said.length > DECLINE_NOTE_MAX) {
    return c.html(
      replyPage({
        ...base,
        state: row.seat.state,
        canWithdraw: canWithdraw(row, services.now()),
        notice: '请选择不能参加的原因；情况说明不超过 500 字。',
      }),
      422,
    );
  }
  const outcome = await withdrawAcceptance(
    c.var.db,
    seatId,
    said === '' ? { reason } : { reason, note: said },
    services.now(),
    LINK_ACTOR,
    'link',
  );
  services.dispatch?.nudge();
  if (!outcome.ok) {
    const state = outcome.seatState === '' ? row.seat.state : outcome.seatState;
    return c.html(replyPage({ ...base, state, notice: refusalMessage(outcome).zh }), 409);
  }
  return c.html(replyPage({ ...base, state: 'withdrawn' }), 200);
}
