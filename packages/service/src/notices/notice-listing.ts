import type { IsoDate, Label } from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { authorities, experts, publicAnnouncements } from '../db/schema.js';
import { rowToExpert } from '../experts/expert-row.js';
import { publicExpertSchema, toPublicExpert } from '../public/public-expert-view.js';
import { type NoticePurpose, noticePurposeOf } from './notice-gate.js';

const labelSchema = z.object({ zh: z.string(), en: z.string() });

/** 拟聘任 / 拟续聘: what a notice proposes. */
export const NOTICE_PURPOSE_LABELS: Readonly<Record<NoticePurpose, Label>> = {
  appointment: { zh: '拟聘任', en: 'Proposed appointment' },
  renewal: { zh: '拟续聘', en: 'Proposed renewal' },
};

/** 聘任 / 续聘: what an announcement announces. */
export const ANNOUNCEMENT_KIND_LABELS: Readonly<Record<'appointment' | 'renewal', Label>> = {
  appointment: { zh: '聘任', en: 'Appointment' },
  renewal: { zh: '续聘', en: 'Renewal' },
};

/** One expert under public notice: public fields only, the window and who gives notice. */
export const publicNoticeSchema = z
  .object({
    expert: publicExpertSchema,
    purpose: z.enum(['appointment', 'renewal']),
    purposeLabel: labelSchema,
    /** The first and last working day of the notice (第十条（四）), both included. */
    start: z.string(),
    end: z.string(),
    workingDays: z.number().int(),
    authorityName: z.string(),
  })
  .openapi('PublicNotice');

export type PublicNotice = z.infer<typeof publicNoticeSchema>;

/** One announcement (公告): whose term, of what kind, announced when. */
export const publicAnnouncementSchema = z
  .object({
    expert: publicExpertSchema,
    kind: z.enum(['appointment', 'renewal']),
    kindLabel: labelSchema,
    announcedOn: z.string(),
    term: z.object({ from: z.string(), to: z.string() }),
    authorityName: z.string(),
  })
  .openapi('PublicAnnouncement');

export type PublicAnnouncement = z.infer<typeof publicAnnouncementSchema>;

/**
 * The notices running or still to run on `today`, first ending first: experts proposed for
 * appointment (state `public_notice`) and serving or expired experts proposed for renewal.
 *
 * @example
 * await listPublicNotices(db, '2026-03-04'); // [{ expert: { name: '张明华', … }, start: '2026-03-02', end: '2026-03-06', … }]
 */
export async function listPublicNotices(db: Executor, today: IsoDate): Promise<PublicNotice[]> {
  const notice = experts.publicNotice;
  const rows = await db
    .select({ expert: experts, authorityName: authorities.name })
    .from(experts)
    .innerJoin(authorities, eq(authorities.id, experts.ownerAuthorityId))
    .where(
      and(
        sql`${notice} is not null`,
        sql`${notice}->>'concludedOn' is null`,
        sql`${notice}->>'end' >= ${today}`,
        or(
          and(eq(experts.status, 'public_notice'), sql`${notice}->>'purpose' is null`),
          and(
            inArray(experts.status, ['active', 'expired']),
            sql`${notice}->>'purpose' = 'renewal'`,
          ),
        ),
      ),
    )
    .orderBy(sql`${notice}->>'end'`, experts.id)
    .limit(500);
  return rows.flatMap(({ expert: row, authorityName }) => {
    const stored = row.publicNotice;
    if (stored === null) return [];
    const purpose = noticePurposeOf(stored);
    return [
      {
        expert: toPublicExpert(rowToExpert(row)),
        purpose,
        purposeLabel: { ...NOTICE_PURPOSE_LABELS[purpose] },
        start: stored.start,
        end: stored.end,
        workingDays: stored.workingDays,
        authorityName,
      },
    ];
  });
}

/**
 * The announcements (公告) of appointments and renewals, newest first, of experts not since
 * dismissed or withdrawn.
 *
 * @example
 * await listPublicAnnouncements(db, 50); // [{ kind: 'appointment', announcedOn: '2026-03-09', term: … }]
 */
export async function listPublicAnnouncements(
  db: Executor,
  limit: number,
): Promise<PublicAnnouncement[]> {
  const rows = await db
    .select({ announcement: publicAnnouncements, expert: experts, authorityName: authorities.name })
    .from(publicAnnouncements)
    .innerJoin(experts, eq(experts.id, publicAnnouncements.expertId))
    .innerJoin(authorities, eq(authorities.id, experts.ownerAuthorityId))
    .where(sql`${experts.status} not in ('dismissed', 'withdrawn')`)
    .orderBy(desc(publicAnnouncements.announcedOn), desc(publicAnnouncements.id))
    .limit(limit);
  return rows.map(({ announcement, expert, authorityName }) => ({
    expert: toPublicExpert(rowToExpert(expert)),
    kind: announcement.kind,
    kindLabel: { ...ANNOUNCEMENT_KIND_LABELS[announcement.kind] },
    announcedOn: announcement.announcedOn,
    term: { from: announcement.termFrom, to: announcement.termTo },
    authorityName,
  }));
}
