import type { IsoDate } from '@expert-dispatch/rules';
import type { Transaction } from '../db/open-database.js';
import { publicAnnouncements } from '../db/schema.js';
import type { StoredNotice } from './notice-gate.js';

/** What an announcement (公告) says: whose term, from when to when, after which notice. */
export interface TermAnnouncement {
  readonly expertId: string;
  readonly kind: 'appointment' | 'renewal';
  readonly announcedOn: IsoDate;
  readonly term: { readonly from: IsoDate; readonly to: IsoDate };
  readonly notice: StoredNotice;
}

/**
 * Publishes the announcement of an appointment (第十条（五）) or a renewal (第十一条) in the
 * transaction of the action, whose audit entry records it. One per expert, kind and term start.
 *
 * @example
 * await announceTerm(tx, { expertId: 'p-1', kind: 'appointment', announcedOn: '2026-03-09', term, notice });
 */
export async function announceTerm(tx: Transaction, announcement: TermAnnouncement): Promise<void> {
  await tx
    .insert(publicAnnouncements)
    .values({
      id: `${announcement.expertId}:${announcement.kind}:${announcement.term.from}`,
      expertId: announcement.expertId,
      kind: announcement.kind,
      announcedOn: announcement.announcedOn,
      termFrom: announcement.term.from,
      termTo: announcement.term.to,
      noticeStart: announcement.notice.start,
      noticeEnd: announcement.notice.end,
    })
    .onConflictDoNothing();
}
