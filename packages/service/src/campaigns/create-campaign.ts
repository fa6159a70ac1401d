import {
  canonicalJson,
  type PlanCampaignInput,
  planCampaign,
  sha256Hex,
} from '@expert-dispatch/matcher';
import type { DrawHistory, RuleSet, Task } from '@expert-dispatch/rules';
import { appendAudit } from '../audit/append-audit.js';
import { campaigns, campaignTasks, poolSnapshots } from '../db/schema.js';
import type { Principal, Services } from '../http/app-env.js';
import { randomHex } from '../random-hex.js';
import { resolveRuleSet } from '../rule-set/resolve-rule-set.js';
import {
  actorOf,
  newDrawId,
  readDraw,
  sinceOf,
  takeDrawLock,
  withEngagements,
} from '../tasks/draw-task.js';
import {
  claimIdempotencyKey,
  Replayed,
  rememberInfeasible,
  type StoredResponse,
  storeIdempotentResponse,
} from '../tasks/idempotency.js';
import { DEADLOCK_DETECTED, EXCLUSION_VIOLATION, pgErrorCode } from '../tasks/pg-error-code.js';
import { campaignInfeasible, campaignInvalid } from './campaign-problems.js';
import type { CampaignRequest } from './campaign-request.js';
import { drawCampaignTasks } from './campaign-task-draws.js';
import { buildCampaignTasks, campaignSpan, insertCampaignTasks } from './campaign-tasks.js';
import { drawnOneByOne } from './one-by-one.js';

/** How often a campaign is planned again after a concurrent booking took one of its experts. */
const BOOKING_RETRIES = 3;

/** What a campaign stores to replay its plan: the plan's input but the pool (in its snapshot). */
export type StoredCampaignInput = Omit<
  PlanCampaignInput,
  'experts' | 'now' | 'history' | 'ruleSet'
> & {
  readonly now: string;
  readonly ruleSet: RuleSet;
  readonly history: DrawHistory;
};

/**
 * `POST /v1/campaigns`: in ONE transaction claims the idempotency key, plans every task with
 * `planCampaign` on the caller's pool and history, stores the campaign and its tasks, draws each
 * task with the planned panel (`fixed`) so that every draw verifies as today, books and invites
 * through the outbox, and audits it all. An infeasible plan stores only the 422 for the key.
 *
 * @example
 * const { status, body } = await createCampaign(services, principal, request, 'key-1');
 */
export async function createCampaign(
  services: Services,
  principal: Principal,
  request: CampaignRequest,
  idempotencyKey: string,
): Promise<StoredResponse> {
  const now = services.now();
  const requestHash = sha256Hex(canonicalJson({ campaign: request }));
  const tasks = buildCampaignTasks(request, principal);
  const seed = request.seed ?? randomHex(16);
  const campaignId = `c_${randomHex(10)}`;
  try {
    const outcome = await withBookingRetries(() =>
      services.db.transaction(async (tx) => {
        // Campaigns are rare and book many experts at once: they take the draw lock first, so
        // they see every booking made before them and never race a single draw.
        await takeDrawLock(tx);
        const claim = await claimIdempotencyKey(
          tx,
          principal.authorityId,
          idempotencyKey,
          requestHash,
        );
        if (claim.kind === 'replay') throw new Replayed(claim.response);
        const ruleSet = await resolveRuleSet(tx, principal.authorityId, services.ruleSet);
        const planned: Task[] = [];
        for (const task of tasks) planned.push(await withEngagements(tx, task, ruleSet));
        const reads = await readDraw(
          tx,
          principal,
          campaignSpan(tasks),
          sinceOf(now, ruleSet),
          services.db,
        );
        const input: StoredCampaignInput = {
          tasks: planned,
          now: now.toISOString(),
          ruleSet,
          policy: request.policy,
          loadCap: request.loadCap,
          ...(request.probabilityCap === undefined
            ? {}
            : { probabilityCap: request.probabilityCap }),
          seed,
          history: reads.history,
        };
        const plan = planCampaign({ ...input, experts: reads.loaded.pool });
        if (!plan.ok) {
          throw plan.code === 'infeasible'
            ? campaignInfeasible(plan.unmet)
            : campaignInvalid(plan.problems);
        }
        const drawIds = tasks.map(() => newDrawId());
        await insertCampaignTasks(tx, { tasks, request, drawIds, principal, now });
        const pool = reads.loaded.pool;
        await tx
          .insert(poolSnapshots)
          .values({ digest: pool.digest, experts: pool.experts, createdAt: now })
          .onConflictDoNothing();
        const made = await drawCampaignTasks(tx, {
          plan,
          tasks,
          drawIds,
          reads,
          principal,
          now,
          ruleSet,
          loadCap: request.loadCap,
          poolOwner: services.db,
        });
        const { plans, load, totals, solver, inputDigest, digest } = plan;
        // The comparison with drawing the tasks one by one, once, from the stored input and
        // seed on the snapshot's experts: GET serves it, GET …/verify replays it.
        const oneByOne = drawnOneByOne({ ...input, experts: pool.experts });
        await tx.insert(campaigns).values({
          id: campaignId,
          authorityId: principal.authorityId,
          name: request.name,
          policy: request.policy,
          loadCap: request.loadCap,
          seed,
          poolSnapshotDigest: pool.digest,
          input,
          inputDigest,
          digest,
          result: { plans, load, totals, solver, oneByOne },
          createdBy: principal.keyId,
          createdAt: now,
        });
        await tx
          .insert(campaignTasks)
          .values(tasks.map((task, position) => ({ taskId: task.id, campaignId, position })));
        const body = {
          id: campaignId,
          name: request.name,
          policy: request.policy,
          loadCap: request.loadCap,
          seed,
          seedSource: request.seed === undefined ? ('service' as const) : ('caller' as const),
          digest,
          inputDigest,
          tasks: plans.map((p, i) => ({
            taskId: p.taskId,
            drawId: drawIds[i] as string,
            members: p.members.map((m) => ({ expertId: m.expertId, role: m.role })),
            specialtyGaps: [...p.specialtyGaps],
          })),
          load,
          totals,
          createdAt: now.toISOString(),
        };
        const response = { status: 201, body };
        const actor = actorOf(principal);
        await storeIdempotentResponse(
          tx,
          principal.authorityId,
          idempotencyKey,
          requestHash,
          response,
          now,
        );
        // The audit chain's lock is held until commit: its append is the last write.
        await appendAudit(
          tx,
          [
            {
              actor,
              action: 'campaign.created',
              entityType: 'campaign',
              entityId: campaignId,
              before: null,
              after: {
                name: request.name,
                policy: request.policy,
                loadCap: request.loadCap,
                seed,
                digest,
                tasks: tasks.map((t) => t.id),
              },
            },
            ...tasks.map((task) => ({
              actor,
              action: 'task.created',
              entityType: 'task',
              entityId: task.id,
              before: null,
              after: task,
            })),
            ...made.map((m) => m.audit),
          ],
          now,
        );
        return { response, made };
      }),
    );
    for (const made of outcome.made) made.onCommitted();
    services.metrics?.draws.inc({ outcome: 'drawn' }, outcome.made.length);
    services.dispatch?.nudge(outcome.made.flatMap((made) => made.outbox));
    return outcome.response;
  } catch (error) {
    if (error instanceof Replayed) return error.response;
    // The same request gets the same answer: an infeasible plan is remembered for the key.
    await rememberInfeasible(
      services.db,
      principal.authorityId,
      idempotencyKey,
      requestHash,
      error,
      now,
    );
    throw error;
  }
}

/**
 * Runs the campaign's transaction again when a single draw that read before the campaign took
 * the draw lock booked one of its experts first (the exclusion constraint refused a seat).
 */
async function withBookingRetries<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = pgErrorCode(error);
      if (code !== EXCLUSION_VIOLATION && code !== DEADLOCK_DETECTED) throw error;
      if (attempt >= BOOKING_RETRIES) throw error;
    }
  }
}
