import type { Label } from '@expert-dispatch/rules';

/**
 * Every state of a seat (`panel_seats.state`): a reserve, an invitation and how it ended.
 * `replaced` is kept for rows of earlier versions only; nothing leads to it now.
 */
export const SEAT_STATES = [
  'reserve',
  'invited',
  'accepted',
  'declined',
  'timed_out',
  'undeliverable',
  'withdrawn',
  'released',
  'replaced',
  'waitlisted',
] as const;

export type SeatState = (typeof SEAT_STATES)[number];

/**
 * Who may cause a transition: the `expert` through the reply link or SMS, a `dispatcher` of
 * the requesting authority (a phone answer, a cancellation, a re-draw, completion), the
 * `system` (the deadline sweep, the delivery worker, backfills and promotions), an `admin`.
 */
export type SeatActor = 'expert' | 'dispatcher' | 'system' | 'admin';

/** One allowed move of a seat, who may cause it and why it exists. */
export interface SeatTransition {
  readonly from: SeatState;
  readonly to: SeatState;
  readonly by: readonly SeatActor[];
  /** The article it encodes, or null for local policy / bookkeeping. */
  readonly article: string | null;
  readonly label: Label;
}

/** The states a seat is created in: invited members, leaders and shadows; reserves. */
export const INITIAL_SEAT_STATES: readonly SeatState[] = ['invited', 'reserve'];

/**
 * The seat states that book an expert for the task's window: the no-double-booking exclusion
 * constraint's predicate (migration 0001), which 0011 leaves as it was.
 */
export const HOLDING_SEAT_STATES = ['invited', 'accepted'] as const;

const REPLIERS: readonly SeatActor[] = ['expert', 'dispatcher'];
const CLOSERS: readonly SeatActor[] = ['system', 'dispatcher', 'admin'];

/**
 * The seat state machine (第十五条: an invited expert answers, says why when they cannot
 * serve, and the department records it): every allowed transition, in one table. Every write
 * of `panel_seats.state` goes through it (`moveSeats`).
 */
export const SEAT_TRANSITIONS: readonly SeatTransition[] = [
  {
    from: 'reserve',
    to: 'invited',
    by: ['system'],
    article: '第十五条',
    label: { zh: '替补受邀', en: 'Reserve invited in place of a freed seat' },
  },
  {
    from: 'invited',
    to: 'accepted',
    by: REPLIERS,
    article: '第十五条',
    label: { zh: '接受邀请', en: 'Accepted' },
  },
  {
    from: 'invited',
    to: 'declined',
    by: REPLIERS,
    article: '第十五条',
    label: { zh: '谢绝邀请并说明原因', en: 'Declined with a claimed reason' },
  },
  {
    from: 'invited',
    to: 'waitlisted',
    by: REPLIERS,
    article: null,
    label: { zh: '接受但专家组已满，列入候补', en: 'Accepted with no place left: waiting list' },
  },
  {
    from: 'invited',
    to: 'timed_out',
    by: ['system'],
    article: '第十五条',
    label: {
      zh: '通知已送达，逾期未响应',
      en: 'No reply by the deadline after a delivered notification',
    },
  },
  {
    from: 'invited',
    to: 'undeliverable',
    by: ['system'],
    article: null,
    label: {
      zh: '通知无法送达（不计入专家责任）',
      en: 'No channel reached the expert (never counted against them)',
    },
  },
  {
    from: 'undeliverable',
    to: 'accepted',
    by: ['dispatcher'],
    article: '第十五条',
    label: { zh: '电话联系后登记接受', en: 'Acceptance recorded by phone' },
  },
  {
    from: 'undeliverable',
    to: 'declined',
    by: ['dispatcher'],
    article: '第十五条',
    label: { zh: '电话联系后登记谢绝', en: 'Decline recorded by phone' },
  },
  {
    from: 'undeliverable',
    to: 'waitlisted',
    by: ['dispatcher'],
    article: null,
    label: {
      zh: '电话联系后接受，空缺已补，列入候补',
      en: 'Accepted by phone after the place was filled: waiting list',
    },
  },
  {
    from: 'released',
    to: 'waitlisted',
    by: REPLIERS,
    article: null,
    label: {
      zh: '专家组满员后接受，列入候补',
      en: 'Accepted after the panel filled up: waiting list',
    },
  },
  {
    from: 'waitlisted',
    to: 'accepted',
    by: ['system'],
    article: null,
    label: { zh: '候补递补', en: 'Off the waiting list into a freed place' },
  },
  {
    from: 'accepted',
    to: 'withdrawn',
    by: REPLIERS,
    article: '第十五条',
    label: {
      zh: '接受后确因特殊情况不能参加',
      en: 'Accepted, then could no longer attend',
    },
  },
  {
    from: 'invited',
    to: 'released',
    by: CLOSERS,
    article: null,
    label: {
      zh: '邀请关闭（满员、取消、重新抽取或完成）',
      en: 'Invitation closed (panel full, cancelled, re-drawn or completed)',
    },
  },
  {
    from: 'reserve',
    to: 'released',
    by: CLOSERS,
    article: null,
    label: { zh: '备选释放', en: 'Reserve released' },
  },
  {
    from: 'accepted',
    to: 'released',
    by: ['dispatcher', 'admin'],
    article: null,
    label: {
      zh: '任务取消或重新抽取，释放预约',
      en: 'Task cancelled or re-drawn: booking released',
    },
  },
];

/** Attendance of a seat that served (第十五条 出勤): present, or accepted and then absent. */
export const ATTENDANCE_STATES = ['attended', 'no_show'] as const;

export type AttendanceState = (typeof ATTENDANCE_STATES)[number];

/** The one seat state attendance is recorded on: only an acceptance serves. */
export const ATTENDING_SEAT_STATE: SeatState = 'accepted';

/** One allowed change of an accepted seat's attendance (`panel_seats.attendance`). */
export interface AttendanceTransition {
  readonly from: AttendanceState | null;
  readonly to: AttendanceState;
  readonly by: readonly SeatActor[];
  readonly article: string;
  readonly label: Label;
}

/**
 * Attendance in the same table (第十五条: the department records attendance as the basis of
 * renewal): recorded on an accepted seat when the work is completed, corrected later with a
 * reason — by the requesting authority's dispatcher only. A no-show is attendance data, apart
 * from the seat's answer. Every write of `panel_seats.attendance` goes through it
 * (`recordAttendance`).
 */
export const ATTENDANCE_TRANSITIONS: readonly AttendanceTransition[] = [
  {
    from: null,
    to: 'attended',
    by: ['dispatcher'],
    article: '第十五条',
    label: { zh: '办结时登记到岗', en: 'Recorded present at completion' },
  },
  {
    from: null,
    to: 'no_show',
    by: ['dispatcher'],
    article: '第十五条',
    label: { zh: '接受后未到岗', en: 'Accepted, then absent (no-show)' },
  },
  {
    from: 'attended',
    to: 'no_show',
    by: ['dispatcher'],
    article: '第十五条',
    label: { zh: '更正为未到岗', en: 'Corrected to absent' },
  },
  {
    from: 'no_show',
    to: 'attended',
    by: ['dispatcher'],
    article: '第十五条',
    label: { zh: '更正为到岗', en: 'Corrected to present' },
  },
];

/**
 * The attendance change of a seat in `state` from `from` to `to`, when `by` may make it;
 * undefined otherwise (a seat that did not accept has no attendance).
 *
 * @example
 * findAttendanceTransition('accepted', null, 'no_show', 'dispatcher')?.label.zh; // '接受后未到岗'
 * findAttendanceTransition('declined', null, 'no_show', 'dispatcher'); // undefined
 */
export function findAttendanceTransition(
  state: string,
  from: string | null,
  to: AttendanceState,
  by: SeatActor,
): AttendanceTransition | undefined {
  if (state !== ATTENDING_SEAT_STATE) return undefined;
  return ATTENDANCE_TRANSITIONS.find((t) => t.from === from && t.to === to && t.by.includes(by));
}

/**
 * The transition from `from` to `to`, when `by` may cause it; undefined otherwise.
 *
 * @example
 * findSeatTransition('invited', 'undeliverable', 'system')?.label.zh; // '通知无法送达（不计入专家责任）'
 * findSeatTransition('undeliverable', 'timed_out', 'system'); // undefined
 */
export function findSeatTransition(
  from: SeatState,
  to: SeatState,
  by: SeatActor,
): SeatTransition | undefined {
  return SEAT_TRANSITIONS.find((t) => t.from === from && t.to === to && t.by.includes(by));
}

/**
 * True when `value` names a seat state.
 *
 * @example
 * isSeatState('withdrawn'); // true
 */
export function isSeatState(value: string): value is SeatState {
  return (SEAT_STATES as readonly string[]).includes(value);
}
