import type { RelatedOrganization } from '@expert-dispatch/rules';
import { REASON_BIT } from './exclusion-reasons.js';
import type { PreparedPool } from './prepare-pool.js';

/** An agency related to the work by a recorded engagement, and the experts it excluded. */
export interface EngagementRecusal {
  readonly organizationId: string;
  readonly article: '第十六条（一）';
  readonly engagement: NonNullable<RelatedOrganization['engagement']>;
  /** Pool records employed by the agency and left out for it, in pool order. */
  readonly expertIds: readonly string[];
}

/**
 * Names, in a draw's exclusion record, the engagement behind each agency recusal that came from
 * recorded engagements (第十六条（一）): the exclusion group only says `employer-recusal.related`.
 * Empty when the task carries no engagement, so draws made before engagements replay unchanged.
 *
 * @example
 * engagementRecusals(pool, task.relatedOrganizations, masks);
 * // [{ organizationId: 'org-eval', article: '第十六条（一）', engagement: { id: 'eg-1', … }, expertIds: ['e-7'] }]
 */
export function engagementRecusals(
  pool: PreparedPool,
  relatedOrganizations: readonly RelatedOrganization[],
  masks: Uint16Array,
): EngagementRecusal[] {
  const byEmployer = new Map<number, EngagementRecusal & { expertIds: string[] }>();
  const recusals: (EngagementRecusal & { expertIds: string[] })[] = [];
  for (const organization of relatedOrganizations) {
    const employer = pool.employerIndex.get(organization.id);
    if (organization.engagement === undefined || employer === undefined) continue;
    const recusal = {
      organizationId: organization.id,
      article: '第十六条（一）' as const,
      engagement: organization.engagement,
      expertIds: [],
    };
    byEmployer.set(employer, recusal);
    recusals.push(recusal);
  }
  if (recusals.length === 0) return [];
  const bit = REASON_BIT['employer-recusal.related'];
  for (let i = 0; i < pool.size; i++) {
    if (((masks[i] as number) & bit) === 0) continue;
    byEmployer.get(pool.employer[i] as number)?.expertIds.push(pool.ids[i] as string);
  }
  return recusals.filter((recusal) => recusal.expertIds.length > 0);
}
