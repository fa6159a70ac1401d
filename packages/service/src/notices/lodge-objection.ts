import { formatZhDate, type IsoDate } from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import type { Database } from '../db/open-database.js';
import { experts, noticeObjections } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import { randomHex } from '../random-hex.js';
import { isNoticeOpen, type StoredNotice } from './notice-gate.js';

/** What anyone sends to object to a notice (异议): who, how to reach them, and why. */
export const objectionInputSchema = z
  .object({
    name: z.string().trim().min(1).max(50).openapi({ description: '异议人姓名或单位名称' }),
    contact: z.string().trim().min(3).max(100).openapi({
      description: 'Phone or e-mail for the reply / 联系方式（仅供核实答复，不公开）',
    }),
    reason: z.string().trim().min(5).max(2000).openapi({ description: '异议事实和理由' }),
  })
  .strict()
  .openapi('ObjectionInput');

export type ObjectionInput = z.infer<typeof objectionInputSchema>;

/** Who lodges an objection: the public, not a key. */
const PUBLIC_ACTOR = { keyId: 'public:objection', authorityId: null } as const;

/**
 * Records an objection to the expert's running notice, with its audit entry, in one
 * transaction: 404 when the expert is not under notice, 409 `notice_closed` outside the window
 * (first to last working day, 第十条（四）). The contact stays in the table only: the
 * append-only log keeps no way to reach the objector.
 *
 * @example
 * await lodgeObjection(db, 'p-1', { name: '王某', contact: '139…', reason: '…' }, now, '2026-10-05');
 */
export async function lodgeObjection(
  db: Database,
  expertId: string,
  input: ObjectionInput,
  now: Date,
  today: IsoDate,
): Promise<{ readonly id: string; readonly notice: StoredNotice }> {
  return db.transaction(async (tx) => {
    // Locked so that an appointment cannot pass between the check and the insert.
    const [row] = await tx.select().from(experts).where(eq(experts.id, expertId)).for('update');
    const notice = row?.publicNotice ?? null;
    const underNotice =
      row !== undefined &&
      notice !== null &&
      notice.concludedOn === undefined &&
      (notice.purpose === 'renewal'
        ? row.status === 'active' || row.status === 'expired'
        : row.status === 'public_notice');
    if (!underNotice || notice === null) {
      throw new ProblemError('not_found', {
        zh: `专家 ${expertId} 不在公示中`,
        en: `expert ${expertId} is not under public notice`,
      });
    }
    if (!isNoticeOpen(notice, today)) {
      throw new ProblemError(
        'notice_closed',
        {
          zh: `公示期为${formatZhDate(notice.start)}至${formatZhDate(notice.end)}，不在公示期内不能提出异议`,
          en: `objections are accepted from ${notice.start} to ${notice.end} only`,
        },
        { extensions: { start: notice.start, end: notice.end } },
      );
    }
    const id = `obj_${randomHex(8)}`;
    await tx.insert(noticeObjections).values({
      id,
      expertId,
      noticeStart: notice.start,
      noticeEnd: notice.end,
      name: input.name,
      contact: input.contact,
      reason: input.reason,
      status: 'open',
      createdAt: now,
    });
    await appendAudit(
      tx,
      {
        actor: PUBLIC_ACTOR,
        action: 'objection.lodged',
        entityType: 'notice_objection',
        entityId: id,
        reason: input.reason,
        after: { expertId, notice: { start: notice.start, end: notice.end }, name: input.name },
      },
      now,
    );
    return { id, notice };
  });
}
