import type { RuleSet } from '@expert-dispatch/rules';
import { inArray } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { tasks } from '../db/schema.js';
import type { Principal } from '../http/app-env.js';
import { resolveRuleSet } from '../rule-set/resolve-rule-set.js';
import { isPanelSealedFor } from '../tasks/sealed-panel.js';
import type { campaignView } from './campaign-view.js';

type CampaignView = Awaited<ReturnType<typeof campaignView>>;

/**
 * The campaign as `principal` may see it now (第八条（五）（七）): while any of its tasks' panels
 * is sealed for the caller (`isPanelSealedFor`), the planned members of those tasks lose their
 * ids and the per-expert loads (planned, current, one by one) are withheld — their keys are the
 * drawn experts; fill, totals, maximum load and Gini stay.
 *
 * @example
 * const shown = await sealCampaignViewFor(db, principal, view, services.ruleSet, now);
 */
export async function sealCampaignViewFor(
  db: Executor,
  principal: Principal,
  view: CampaignView,
  base: RuleSet,
  now: Date,
): Promise<CampaignView> {
  const ids = view.tasks.map((task) => task.taskId);
  if (ids.length === 0) return view;
  const rows = await db
    .select({ id: tasks.id, authorityId: tasks.authorityId, windowFrom: tasks.windowFrom })
    .from(tasks)
    .where(inArray(tasks.id, ids));
  const sealed = new Set<string>();
  for (const row of rows) {
    const ruleSet = await resolveRuleSet(db, row.authorityId, base);
    if (isPanelSealedFor(principal, row, ruleSet, now)) sealed.add(row.id);
  }
  if (sealed.size === 0) return view;
  return {
    ...view,
    tasks: view.tasks.map((task) =>
      sealed.has(task.taskId)
        ? { ...task, planned: task.planned.map((member) => ({ ...member, expertId: '' })) }
        : task,
    ),
    plan: { ...view.plan, load: {} },
    current: { ...view.current, load: {} },
    oneByOne: { ...view.oneByOne, load: {} },
  };
}
