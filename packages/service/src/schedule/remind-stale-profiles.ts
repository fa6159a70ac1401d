import {
  addMonths,
  formatZhDate,
  isProfileStale,
  type RuleSet,
  toShanghaiDate,
} from '@expert-dispatch/rules';
import { and, asc, eq, inArray, lt, max } from 'drizzle-orm';
import type { Transaction } from '../db/open-database.js';
import { experts, notices } from '../db/schema.js';
import { enqueueNotices } from '../dispatch/enqueue-notice.js';
import type { JobOutcome } from './run-once-per-period.js';

/** Experts in the pool, who owe the yearly profile update (第八条（一）). */
const SERVING = ['active', 'suspended'];

/**
 * Reminds every serving expert whose profile is stale (第八条（一）: 每年至少1次登录维护信息;
 * `isProfileStale` under the expert's own pool's rule set) with a `profile_reminder` notice —
 * at most one a month: an expert reminded on 2026-01-15 is reminded again from 2026-02-15 on,
 * until the profile is updated. Run daily, so a profile is reminded about the day it turns
 * stale.
 *
 * @example
 * const outcome = await remindStaleProfiles(tx, now, (authorityId) => ruleSets.get(authorityId) ?? base);
 * outcome.result.reminded; // notices written
 */
export async function remindStaleProfiles(
  tx: Transaction,
  now: Date,
  ruleSetOf: (authorityId: string) => RuleSet,
): Promise<JobOutcome> {
  const today = toShanghaiDate(now);
  // Coarse cut in SQL (no rule set allows fewer than one month), exact test below.
  const cutoff = new Date(now.getTime() - 27 * 86_400_000);
  const candidates = await tx
    .select({
      id: experts.id,
      name: experts.name,
      owner: experts.ownerAuthorityId,
      profileUpdatedAt: experts.profileUpdatedAt,
    })
    .from(experts)
    .where(and(inArray(experts.status, SERVING), lt(experts.profileUpdatedAt, cutoff)))
    .orderBy(asc(experts.id));
  const stale = candidates.filter((expert) =>
    isProfileStale(
      { profileUpdatedAt: expert.profileUpdatedAt.toISOString() },
      now,
      ruleSetOf(expert.owner),
    ),
  );
  if (stale.length === 0) return { result: { reminded: 0, experts: [] }, audit: [] };
  const last = await tx
    .select({ expertId: notices.expertId, at: max(notices.createdAt) })
    .from(notices)
    .where(
      and(
        eq(notices.kind, 'profile_reminder'),
        inArray(
          notices.expertId,
          stale.map((expert) => expert.id),
        ),
      ),
    )
    .groupBy(notices.expertId);
  const lastReminded = new Map(last.map((row) => [row.expertId, row.at]));
  const due = stale.filter((expert) => {
    const at = lastReminded.get(expert.id);
    return at === undefined || at === null || today >= addMonths(toShanghaiDate(at), 1);
  });
  await enqueueNotices(
    tx,
    due.map((expert) => {
      const updated = toShanghaiDate(expert.profileUpdatedAt);
      const months = ruleSetOf(expert.owner).profileStaleMonths;
      return {
        kind: 'profile_reminder' as const,
        recipient: { expertId: expert.id },
        subject: '请更新专家个人信息',
        body:
          `${expert.name}：您的专家信息自${formatZhDate(updated)}起已超过${months}个月未更新。` +
          '按《管理办法》第八条（一），专家每年至少1次登录专家管理系统维护信息，请尽快核对更新。',
      };
    }),
    now,
  );
  return {
    result: { reminded: due.length, experts: due.map((expert) => expert.id) },
    audit: [],
  };
}
