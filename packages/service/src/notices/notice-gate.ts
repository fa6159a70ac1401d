import { formatZhDate, type IsoDate, isPublicNoticeOver } from '@expert-dispatch/rules';
import { ProblemError } from '../errors.js';
import type { ExpertRow } from '../experts/expert-row.js';

/** A stored public notice (公示): its window, and whether it already led to a term. */
export type StoredNotice = NonNullable<ExpertRow['publicNotice']>;

/** How the objections to one notice stand (see `countNoticeObjections`). */
export interface ObjectionCounts {
  /** Lodged and not yet settled. */
  readonly open: number;
  /** Settled as founded: the notice cannot lead to a term. */
  readonly upheld: number;
  /** Settled as unfounded. */
  readonly dismissed: number;
}

/** What a notice is for: a first appointment (第十条（四）) or a renewal (第十一条). */
export type NoticePurpose = 'appointment' | 'renewal';

/**
 * The purpose of a stored notice.
 *
 * @example
 * noticePurposeOf({ start: '2026-03-02', end: '2026-03-06', workingDays: 5, covered: true }); // 'appointment'
 */
export function noticePurposeOf(notice: StoredNotice): NoticePurpose {
  return notice.purpose === 'renewal' ? 'renewal' : 'appointment';
}

/**
 * Whether anyone may object to the notice today: from its first to its last working day, both
 * included, and only while it has not led to a term yet.
 *
 * @example
 * isNoticeOpen({ start: '2026-03-02', end: '2026-03-06', workingDays: 5, covered: true }, '2026-03-06'); // true
 */
export function isNoticeOpen(notice: StoredNotice, today: IsoDate): boolean {
  return notice.concludedOn === undefined && notice.start <= today && today <= notice.end;
}

/**
 * Refuses an appointment (第十条（五）) or a renewal (第十一条) that the notice does not allow: the
 * notice must be of that purpose, not used already, over (公示 5 working days, 第十条（四）), and
 * every objection settled, none upheld ("公示无异议的专家名单" are announced). Returns the notice.
 *
 * @example
 * assertNoticeConcluded(notice, 'appointment', '2026-03-09', { open: 0, upheld: 0, dismissed: 1 });
 */
export function assertNoticeConcluded(
  notice: StoredNotice | null,
  purpose: NoticePurpose,
  today: IsoDate,
  objections: ObjectionCounts,
): StoredNotice {
  const what = purpose === 'renewal' ? { zh: '续聘', en: 'renew' } : { zh: '聘任', en: 'appoint' };
  if (notice === null || noticePurposeOf(notice) !== purpose || notice.concludedOn !== undefined) {
    throw new ProblemError(
      'illegal_transition',
      {
        zh: `不能${what.zh}：尚未进行${purpose === 'renewal' ? '续聘' : ''}公示`,
        en: `cannot ${what.en}: no ${purpose === 'renewal' ? 'renewal ' : ''}public notice has run`,
      },
      { extensions: { purpose } },
    );
  }
  if (!isPublicNoticeOver(notice, today)) {
    throw new ProblemError(
      'illegal_transition',
      {
        zh: `不能${what.zh}：公示期未满（至${formatZhDate(notice.end)}）`,
        en: `cannot ${what.en}: the public notice has not run its term (until ${notice.end})`,
      },
      { extensions: { noticeEnd: notice.end } },
    );
  }
  if (objections.open > 0 || objections.upheld > 0) {
    throw new ProblemError(
      'notice_objected',
      {
        zh:
          objections.upheld > 0
            ? `不能${what.zh}：公示期间的异议经核实成立，不能据此次公示${what.zh}`
            : `不能${what.zh}：公示期间有 ${objections.open} 条异议尚未处理`,
        en:
          objections.upheld > 0
            ? `cannot ${what.en}: an objection to the notice was upheld`
            : `cannot ${what.en}: ${objections.open} objection(s) to the notice are not settled`,
      },
      { extensions: { open: objections.open, upheld: objections.upheld } },
    );
  }
  return notice;
}
