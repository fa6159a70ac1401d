import { createHash } from 'node:crypto';
import { taskTypes } from '@expert-dispatch/rules';
import { eq } from 'drizzle-orm';
import type { Transaction } from '../db/open-database.js';
import { authorities, experts, notices, outbox, type panelSeats, tasks } from '../db/schema.js';
import { noticePayload } from './enqueue-notice.js';
import { formatShanghai, formatShanghaiZh } from './invitation-message.js';
import { newOutboxId } from './write-invitation-outbox.js';

const ROLE_LABELS: Readonly<Record<string, { zh: string; en: string }>> = {
  leader: { zh: '组长', en: 'leader' },
  member: { zh: '组员', en: 'member' },
  alternate: { zh: '候补', en: 'alternate' },
};

/**
 * The notice id of a seat's undeliverable notice: derived from the seat, so that it is written
 * once per seat whatever runs twice. `nt_` and 20 hex digits, like every notice id.
 *
 * @example
 * undeliverableNoticeId(42); // 'nt_…' (the same for seat 42 every time)
 */
export function undeliverableNoticeId(seatId: number): string {
  const digest = createHash('sha256').update(`invitation_undeliverable:${seatId}`).digest('hex');
  return `nt_${digest.slice(0, 20)}`;
}

/**
 * Tells the requesting authority at once, through its own contact (`authorities.contact`, set
 * by `PUT /v1/authorities/{id}/contact`), that no channel reached an invited expert: an
 * `invitation_undeliverable` notice in the caller's transaction, in Chinese with English
 * alongside, naming the task, the seat's role, the expert's name (never their phone, ID number
 * or birth date) and the reply deadline until which a phone answer can be recorded
 * (`POST /v1/invitations/{id}/phone-reply`). Once per seat (the id derives from the seat);
 * nothing when the authority has no contact. Returns whether a notice was queued.
 *
 * @example
 * await tellAuthorityUndeliverable(tx, seat, now); // true once, false afterwards
 */
export async function tellAuthorityUndeliverable(
  tx: Transaction,
  seat: typeof panelSeats.$inferSelect,
  now: Date,
): Promise<boolean> {
  const [row] = await tx
    .select({ type: tasks.type, contact: authorities.contact, authorityName: authorities.name })
    .from(tasks)
    .innerJoin(authorities, eq(authorities.id, tasks.authorityId))
    .where(eq(tasks.id, seat.taskId));
  if (!row?.contact) return false;
  const [expert] = await tx
    .select({ name: experts.name })
    .from(experts)
    .where(eq(experts.id, seat.expertId));
  const name = expert?.name ?? seat.expertId;
  const role = ROLE_LABELS[seat.role] ?? { zh: seat.role, en: seat.role };
  const type = taskTypes.labels[row.type as keyof typeof taskTypes.labels];
  const deadline = seat.replyDeadline === null ? null : formatShanghai(seat.replyDeadline);
  const deadlineZh = seat.replyDeadline === null ? null : formatShanghaiZh(seat.replyDeadline);
  const phoneReply = `POST /v1/invitations/${seat.id}/phone-reply`;
  const body = [
    `${row.authorityName}：`,
    `任务 ${seat.taskId}${type ? `（${type.zh}）` : ''}的${role.zh}邀请未能送达专家${name}：所有通知渠道均失败，其位置已如谢绝一样递补。`,
    deadline === null
      ? `如已电话联系到该专家，可通过 ${phoneReply} 登记其答复。`
      : `如在${deadlineZh}（答复期限）前电话联系到该专家，可通过 ${phoneReply} 登记其答复。`,
    '未送达不计入专家的拒绝或超时未响应记录。',
    '',
    `The invitation of ${name} as ${role.en} of task ${seat.taskId}${type ? ` (${type.en})` : ''} reached no channel; the place has been refilled as after a decline.`,
    deadline === null
      ? `An answer the expert gives by phone can be recorded through ${phoneReply}.`
      : `Until the reply deadline, ${deadline} (Asia/Shanghai), an answer the expert gives by phone can be recorded through ${phoneReply}.`,
    'An undeliverable invitation never counts against the expert.',
  ].join('\n');
  const id = undeliverableNoticeId(seat.id);
  const inserted = await tx
    .insert(notices)
    .values({
      id,
      kind: 'invitation_undeliverable',
      expertId: null,
      contact: row.contact,
      taskId: seat.taskId,
      subject: `【邀请未送达】任务 ${seat.taskId} 专家${name} / Invitation undeliverable`,
      body,
      link: null,
      state: 'pending',
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: notices.id })
    .returning({ id: notices.id });
  if (inserted.length === 0) return false;
  await tx.insert(outbox).values({
    id: newOutboxId(),
    kind: 'deliver_notice',
    payload: noticePayload(id, 'invitation_undeliverable'),
    runAt: now,
    createdAt: now,
  });
  return true;
}
