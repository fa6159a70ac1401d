import {
  type CampaignPlanned,
  canonicalJson,
  planCampaign,
  poolDigestVersionOf,
  preparePool,
} from '@expert-dispatch/matcher';
import type { DrawExpert } from '@expert-dispatch/rules';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { campaigns, campaignTasks, panelSeats, tasks } from '../db/schema.js';
import { loadSnapshotExperts } from '../draws/pool-snapshot-store.js';
import { ProblemError } from '../errors.js';
import type { Principal } from '../http/app-env.js';
import { canSeeTask } from '../tasks/task-view.js';
import type { StoredCampaignInput } from './create-campaign.js';
import { type CampaignFigures, drawnOneByOne, loadFigures } from './one-by-one.js';

/**
 * What a campaign stores of its plan; `oneByOne` is the comparison computed at creation (absent
 * from campaigns stored before it was kept: those compute it when read).
 */
type StoredPlan = Pick<CampaignPlanned, 'plans' | 'load' | 'totals'> & {
  readonly oneByOne?: CampaignFigures;
};

/** The 404 of a campaign the caller cannot see. */
export function campaignNotFound(id: string): ProblemError {
  return new ProblemError('not_found', { zh: `专项 ${id} 不存在`, en: `no campaign ${id}` });
}

/**
 * The stored campaign with the pool it was planned on, if the caller may see it (its own
 * authority, or a provincial auditor); 404 otherwise.
 */
async function loadCampaign(db: Executor, principal: Principal, id: string) {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id));
  if (row === undefined || !canSeeTask(row, principal)) throw campaignNotFound(id);
  // Stored whole, or as versions when a draw stored the same pool first (#17).
  const experts = await loadSnapshotExperts(db, row.poolSnapshotDigest);
  if (experts === null) throw campaignNotFound(id);
  return {
    row,
    input: row.input as StoredCampaignInput,
    experts: experts as DrawExpert[],
  };
}

/**
 * `GET /v1/campaigns/{id}`: each task's state and seats now; the plan's fill, specialty
 * coverage, load per expert and Gini; the same figures for the seats held now (after declines
 * and backfills); and, side by side, what drawing the tasks one by one would have given.
 *
 * @example
 * const view = await campaignView(db, principal, 'c_0123456789abcdef0123');
 */
export async function campaignView(db: Executor, principal: Principal, id: string) {
  const { row, input, experts } = await loadCampaign(db, principal, id);
  const plan = row.result as StoredPlan;
  const members = await db
    .select({ taskId: campaignTasks.taskId, status: tasks.status, drawId: tasks.currentDrawId })
    .from(campaignTasks)
    .innerJoin(tasks, eq(tasks.id, campaignTasks.taskId))
    .where(eq(campaignTasks.campaignId, id))
    .orderBy(asc(campaignTasks.position));
  const taskIds = members.map((m) => m.taskId);
  const seats =
    taskIds.length === 0
      ? []
      : await db
          .select({
            taskId: panelSeats.taskId,
            expertId: panelSeats.expertId,
            state: panelSeats.state,
          })
          .from(panelSeats)
          .where(
            and(
              inArray(panelSeats.taskId, taskIds),
              inArray(panelSeats.role, ['leader', 'member']),
              inArray(panelSeats.state, ['invited', 'accepted']),
            ),
          );
  const currentLoad: Record<string, number> = {};
  for (const seat of seats) currentLoad[seat.expertId] = (currentLoad[seat.expertId] ?? 0) + 1;
  const planned: CampaignFigures = {
    ...plan.totals,
    load: plan.load,
    unstaffed: plan.plans.filter((p) => p.members.length === 0).map((p) => p.taskId),
  };
  return {
    id: row.id,
    name: row.name,
    policy: row.policy as 'optimal' | 'randomized',
    loadCap: row.loadCap,
    seed: row.seed,
    digest: row.digest,
    inputDigest: row.inputDigest,
    createdAt: row.createdAt.toISOString(),
    tasks: members.map((m) => {
      const own = seats.filter((s) => s.taskId === m.taskId);
      return {
        taskId: m.taskId,
        status: m.status,
        drawId: m.drawId,
        planned: (plan.plans.find((p) => p.taskId === m.taskId)?.members ?? []).map((p) => ({
          expertId: p.expertId,
          role: p.role,
        })),
        accepted: own.filter((s) => s.state === 'accepted').length,
        invited: own.filter((s) => s.state === 'invited').length,
      };
    }),
    plan: planned,
    current: { holding: seats.length, ...loadFigures(currentLoad) },
    oneByOne: plan.oneByOne ?? drawnOneByOne({ ...input, experts }),
  };
}

/**
 * `GET /v1/campaigns/{id}/verify`: replays `planCampaign` from the stored input, seed and pool
 * snapshot, and compares the digest with the recorded one; replays the one-by-one comparison
 * the same way and compares it with the one stored at creation.
 *
 * @example
 * (await verifyCampaign(db, principal, id)).ok; // true
 */
export async function verifyCampaign(db: Executor, principal: Principal, id: string) {
  const { row, input, experts } = await loadCampaign(db, principal, id);
  // The pool hashed under the definition its recorded digest names (pool-digest@2 since #17).
  const pool = preparePool(experts, {
    ...(input.ruleSet === undefined ? {} : { ruleSet: input.ruleSet }),
    digest: poolDigestVersionOf(row.poolSnapshotDigest),
  });
  const replay = planCampaign({ ...input, experts: pool });
  const digest = replay.ok ? replay.digest : null;
  const inputDigest = replay.ok || replay.code === 'infeasible' ? replay.inputDigest : null;
  const stored = (row.result as StoredPlan).oneByOne;
  const oneByOneMatches =
    stored === undefined
      ? null
      : canonicalJson(drawnOneByOne({ ...input, experts })) === canonicalJson(stored);
  return {
    campaignId: row.id,
    ok: digest === row.digest && oneByOneMatches !== false,
    digest,
    recordedDigest: row.digest,
    inputDigestMatches: inputDigest === row.inputDigest,
    oneByOneMatches,
  };
}
