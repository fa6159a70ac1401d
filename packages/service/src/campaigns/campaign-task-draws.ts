import { type CampaignPlanned, sha256Hex } from '@expert-dispatch/matcher';
import type { Busy, RuleSet, Task } from '@expert-dispatch/rules';
import type { Transaction } from '../db/open-database.js';
import type { Principal } from '../http/app-env.js';
import { type DrawMade, type DrawReads, drawTask } from '../tasks/draw-task.js';

/**
 * The seed of a campaign task's own draw: derived from the campaign's seed and the task id, so
 * the draws (and the one-by-one comparison) follow from the campaign's one seed.
 *
 * @example
 * taskDrawSeed('0123456789abcdef', 't-1').length; // 32
 */
export function taskDrawSeed(campaignSeed: string, taskId: string): string {
  return sha256Hex(`${campaignSeed}\u001f${taskId}`).slice(0, 32);
}

/**
 * The bookings the other campaign tasks' planned members will hold: each task's draw reads them
 * beside the stored history, so that its alternates are never experts the campaign already
 * seats in an overlapping window (第十五条).
 */
function plannedBookings(plan: CampaignPlanned, tasks: readonly Task[], exceptTaskId: string) {
  const windowOf = new Map(tasks.map((task) => [task.id, task.window] as const));
  const busy: Busy[] = [];
  for (const taskPlan of plan.plans) {
    const window = windowOf.get(taskPlan.taskId);
    if (taskPlan.taskId === exceptTaskId || window === undefined) continue;
    for (const member of taskPlan.members) {
      busy.push({ expertId: member.expertId, taskId: taskPlan.taskId, ...window });
    }
  }
  return busy;
}

/**
 * Experts at the campaign's load cap who are not on this task's panel: the task's draw and its
 * replacement draws leave them out (`exclude`), so no alternate can take them past the cap.
 *
 * @example
 * atCap({ 'e-1': 2, 'e-2': 1 }, 2, ['e-3']); // ['e-1']
 */
export function atCap(
  load: Readonly<Record<string, number>>,
  loadCap: number,
  members: readonly string[],
): string[] {
  const own = new Set(members);
  return Object.entries(load)
    .filter(([expertId, n]) => n >= loadCap && !own.has(expertId))
    .map(([expertId]) => expertId)
    .sort();
}

/**
 * Draws each campaign task as `POST /v1/tasks` does, with the plan's members as `fixed` and its
 * leader as the task's `leaderId`: every draw is stored with its input and seed, books and
 * invites its experts through the outbox, and verifies with `GET /v1/draws/{id}/verify`.
 *
 * @example
 * const made = await drawCampaignTasks(tx, { plan, tasks, drawIds, reads, … });
 */
export async function drawCampaignTasks(
  tx: Transaction,
  args: {
    readonly plan: CampaignPlanned;
    /** The tasks as stored (without the engagements the draw adds itself). */
    readonly tasks: readonly Task[];
    readonly drawIds: readonly string[];
    readonly reads: DrawReads;
    readonly principal: Principal;
    readonly now: Date;
    readonly ruleSet: RuleSet;
    readonly loadCap: number;
    readonly poolOwner: object;
  },
): Promise<DrawMade[]> {
  const made: DrawMade[] = [];
  for (const [i, task] of args.tasks.entries()) {
    const taskPlan = args.plan.plans.find((p) => p.taskId === task.id);
    if (taskPlan === undefined) throw new Error(`campaign plan lacks task ${task.id}`);
    const members = taskPlan.members.map((m) => m.expertId);
    const leader = taskPlan.members.find((m) => m.role === 'leader')?.expertId;
    const history = args.reads.history;
    made.push(
      await drawTask(tx, {
        task: leader === undefined ? task : { ...task, leaderId: leader },
        options: {
          policy: 'lottery',
          seed: taskDrawSeed(args.plan.seed, task.id),
          overInvite: 0,
        },
        principal: args.principal,
        now: args.now,
        ruleSet: args.ruleSet,
        sequence: 1,
        reason: null,
        poolOwner: args.poolOwner,
        drawId: args.drawIds[i] as string,
        fixed: members,
        exclude: atCap(args.plan.load, args.loadCap, members),
        reads: {
          ...args.reads,
          history: {
            ...history,
            busy: [...history.busy, ...plannedBookings(args.plan, args.tasks, task.id)],
          },
        },
      }),
    );
  }
  return made;
}
