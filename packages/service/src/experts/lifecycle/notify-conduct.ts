import type { Expert, IsoDate } from '@expert-dispatch/rules';
import { formatZhDate } from '@expert-dispatch/rules';
import { and, desc, eq } from 'drizzle-orm';
import type { Transaction } from '../../db/open-database.js';
import {
  authorities,
  conductNotifications,
  type ExpertContact,
  organizations,
  recommendations,
} from '../../db/schema.js';
import { enqueueNotices } from '../../dispatch/enqueue-notice.js';
import { randomHex } from '../../random-hex.js';

/** The lifecycle actions under 第二十三条 that are told to the employer and recommending unit. */
const TOLD: Readonly<Record<string, string>> = { interview: '约谈', warn: '警告', dismiss: '解聘' };

/** One recipient of a 通报 whose contact is known. */
interface Recipient {
  readonly recipient: 'employer' | 'recommending_unit';
  readonly name: string;
  readonly contact: ExpertContact;
}

/**
 * 通报 (第二十三条): when an interview, warning or dismissal under 第二十三条 is recorded, queues a
 * notice to the expert's employer (the organisation of `employer.id`, when it has a contact) and
 * to the recommending unit (the authority of the expert's latest approved recommendation, when
 * it has a contact), like the other notices, in the action's transaction; and records who was
 * told, for the lists. Returns how many notices were queued (0 for any other action or article,
 * or when no contact is known). The notice names the expert, the action, the article and the
 * date; never the expert's phone, ID number or birth date.
 *
 * @example
 * const queued = await notifyConduct(tx, { expert, action: 'warn', article: '第二十三条（一）', on: '2026-12-01' }, now);
 */
export async function notifyConduct(
  tx: Transaction,
  change: {
    readonly expert: Pick<Expert, 'id' | 'name' | 'employer'>;
    readonly action: string;
    readonly article: string;
    readonly on: IsoDate;
  },
  now: Date,
): Promise<number> {
  const told = TOLD[change.action];
  if (told === undefined || !change.article.startsWith('第二十三条')) return 0;
  const recipients = await recipientsOf(tx, change.expert);
  if (recipients.length === 0) return 0;
  const { expert } = change;
  const noticeIds = await enqueueNotices(
    tx,
    recipients.map((to) => ({
      kind: 'conduct_notice' as const,
      recipient: { contact: to.contact },
      subject: `【通报】省级工贸行业安全生产专家${expert.name}被${told}`,
      body:
        `${to.name}：\n` +
        `${to.recipient === 'employer' ? '贵单位' : '贵部门推荐的'}专家${expert.name}（编号 ${expert.id}）` +
        `依据《云南省级工贸行业安全生产专家管理办法》${change.article}，于${formatZhDate(change.on)}被${told}。特此通报。`,
    })),
    now,
  );
  await tx.insert(conductNotifications).values(
    recipients.map((to, index) => ({
      id: `cn_${randomHex(10)}`,
      expertId: expert.id,
      action: change.action,
      article: change.article,
      recipient: to.recipient,
      recipientName: to.name,
      noticeId: noticeIds[index] as string,
      createdAt: now,
    })),
  );
  return noticeIds.length;
}

async function recipientsOf(
  tx: Transaction,
  expert: Pick<Expert, 'id' | 'employer'>,
): Promise<Recipient[]> {
  const recipients: Recipient[] = [];
  const [employer] = await tx
    .select({ name: organizations.name, contact: organizations.contact })
    .from(organizations)
    .where(eq(organizations.id, expert.employer.id));
  if (employer?.contact) {
    recipients.push({ recipient: 'employer', name: employer.name, contact: employer.contact });
  }
  const [recommender] = await tx
    .select({ name: authorities.name, contact: authorities.contact })
    .from(recommendations)
    .innerJoin(authorities, eq(authorities.id, recommendations.fromAuthorityId))
    .where(and(eq(recommendations.expertId, expert.id), eq(recommendations.state, 'approved')))
    .orderBy(desc(recommendations.decidedAt))
    .limit(1);
  if (recommender?.contact) {
    recipients.push({
      recipient: 'recommending_unit',
      name: recommender.name,
      contact: recommender.contact,
    });
  }
  return recipients;
}
