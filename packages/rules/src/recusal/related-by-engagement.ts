import { addYears, type IsoDate, toShanghaiDate } from '../dates/calendar-date.js';
import type { RelatedOrganization, Task } from '../schemas/task.js';
import type { EngagementKind } from '../vocabulary/engagement-kind.js';
import type { RelatedOrganizationRole } from '../vocabulary/related-organization-role.js';

/** A recorded engagement: agency `agencyId` did `kind` for enterprise `enterpriseId`, from–to. */
export interface Engagement {
  readonly id: string;
  readonly agencyId: string;
  readonly enterpriseId: string;
  readonly kind: EngagementKind;
  /** First day, `YYYY-MM-DD`. */
  readonly from: IsoDate;
  /** Last day, `YYYY-MM-DD` (both ends counted). */
  readonly to: IsoDate;
}

/** The role in the work an engagement of each kind stands for (第十六条（一）). */
const ROLE_OF: Readonly<Record<EngagementKind, RelatedOrganizationRole>> = {
  design: 'designer',
  safety_evaluation: 'evaluator',
  testing: 'testing_agency',
  standardization_review: 'standardization_reviewer',
  consulting: 'business_partner',
};

/** Default look-back of engagement recusal when a rule set does not name one. */
export const DEFAULT_ENGAGEMENT_LOOKBACK_YEARS = 3;

/**
 * The agencies a task's enterprise had engagements with (第十六条（一）: 本单位承担或与本单位有
 * 业务、利益关系), as related organisations carrying the engagement that links them: every
 * engagement with the served enterprise that ended within `lookbackYears` before the task's
 * first day (or is still running), one entry per agency (its latest engagement). Agencies the
 * dispatcher already named keep the dispatcher's entry.
 *
 * @example
 * relatedByEngagement(task, [{ id: 'eg-1', agencyId: 'org-eval', enterpriseId: task.enterprise.id,
 *   kind: 'safety_evaluation', from: '2025-01-01', to: '2025-03-31' }], 3);
 * // [{ id: 'org-eval', role: 'evaluator', engagement: { id: 'eg-1', kind: 'safety_evaluation', … } }]
 */
export function relatedByEngagement(
  task: Task,
  engagements: readonly Engagement[],
  lookbackYears: number = DEFAULT_ENGAGEMENT_LOOKBACK_YEARS,
): RelatedOrganization[] {
  const firstDay = toShanghaiDate(task.window.from);
  const lastDay = toShanghaiDate(Date.parse(task.window.to) - 1);
  const since = addYears(firstDay, -lookbackYears);
  const named = new Set(task.relatedOrganizations.map((organization) => organization.id));
  const latest = new Map<string, Engagement>();
  for (const engagement of engagements) {
    if (engagement.enterpriseId !== task.enterprise.id || named.has(engagement.agencyId)) continue;
    if (engagement.to < since || engagement.from > lastDay) continue;
    const seen = latest.get(engagement.agencyId);
    if (seen === undefined || isLater(engagement, seen))
      latest.set(engagement.agencyId, engagement);
  }
  return [...latest.values()]
    .sort((a, b) => (a.agencyId < b.agencyId ? -1 : a.agencyId > b.agencyId ? 1 : 0))
    .map((engagement) => ({
      id: engagement.agencyId,
      role: ROLE_OF[engagement.kind],
      engagement: {
        id: engagement.id,
        kind: engagement.kind,
        from: engagement.from,
        to: engagement.to,
      },
    }));
}

function isLater(a: Engagement, b: Engagement): boolean {
  return a.to !== b.to ? a.to > b.to : a.id > b.id;
}
