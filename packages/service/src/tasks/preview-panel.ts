import { prepareHistory, selectPanel } from '@expert-dispatch/matcher';
import {
  DEFAULT_ENGAGEMENT_LOOKBACK_YEARS,
  relatedByEngagement,
  type Task,
} from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import { ProblemError } from '../errors.js';
import type { Principal, Services } from '../http/app-env.js';
import { loadEngagements } from '../organizations/engagement-input.js';
import { randomHex } from '../random-hex.js';
import { resolveRuleSet } from '../rule-set/resolve-rule-set.js';
import { readDraw, sinceOf } from './draw-task.js';
import { buildTask, type TaskRequest } from './task-request.js';
import { checkWiden } from './widening/widening-options.js';

const label = z.object({ zh: z.string(), en: z.string() });

/** What `POST /v1/tasks/preview` answers: the funnel a draw would see now, and no panel. */
export const panelPreviewSchema = z
  .object({
    /** Whether a panel could be formed from the eligible experts now. */
    feasible: z.boolean(),
    ruleSet: z.object({ id: z.string(), version: z.string() }),
    pool: z.number().int(),
    eligible: z.number().int(),
    /** Each rule in order: how many it removed, how many remained, and its article. */
    steps: z.array(
      z.object({
        ruleId: z.string(),
        removed: z.number().int(),
        remaining: z.number().int(),
        article: z.string().nullable(),
        message: label.nullable(),
      }),
    ),
    samePerson: z.number().int(),
    /** The constraints the eligible cannot meet (when not feasible). */
    unmet: z.array(
      z.object({ constraint: z.string(), article: z.string().nullable(), message: label }),
    ),
  })
  .openapi('PanelPreview');

export type PanelPreview = z.infer<typeof panelPreviewSchema>;

/**
 * The funnel of a task before it is drawn: the same task checks, rule set, pool, history and
 * recorded engagements a draw reads, run through the matcher with a throw-away seed. Nothing is
 * written and no name is returned (the panel itself is only ever drawn once, by `requestPanel`).
 *
 * @example
 * const preview = await previewPanel(services, principal, request);
 * preview.eligible; // 42
 */
export async function previewPanel(
  services: Services,
  principal: Principal,
  request: TaskRequest,
): Promise<PanelPreview> {
  const now = services.now();
  const built = buildTask(request, request.id ?? 't_preview', principal);
  if (!built.ok) {
    throw new ProblemError(
      'validation_failed',
      { zh: '任务数据未通过校验', en: 'the task did not pass validation' },
      { errors: built.errors },
    );
  }
  // Read in one transaction, so that pool and history are one consistent moment; it writes nothing.
  const { task, ruleSet, reads } = await services.db.transaction(async (tx) => {
    const ruleSet = await resolveRuleSet(tx, principal.authorityId, services.ruleSet);
    const recorded = await loadEngagements(tx, built.task.enterprise.id);
    const lookback = ruleSet.engagementLookbackYears ?? DEFAULT_ENGAGEMENT_LOOKBACK_YEARS;
    const related = relatedByEngagement(built.task, recorded, lookback);
    const task: Task =
      related.length === 0
        ? built.task
        : {
            ...built.task,
            relatedOrganizations: [...built.task.relatedOrganizations, ...related],
          };
    // The pools of the widening steps asked for (异地抽取), in the rule set's order, as the draw reads them.
    const widenErrors = checkWiden(task.widen, ruleSet);
    if (widenErrors.length > 0) {
      throw new ProblemError(
        'validation_failed',
        { zh: '扩大抽取范围的步骤无效', en: 'the widening steps are not valid' },
        { errors: widenErrors },
      );
    }
    const reads = await readDraw(
      tx,
      principal,
      task.window,
      sinceOf(now, ruleSet),
      services.db,
      task.widen ?? [],
    );
    return { task, ruleSet, reads };
  });
  const pool = reads.loaded.pool;
  const result = selectPanel({
    task,
    now: now.toISOString(),
    ruleSet,
    policy: request.policy,
    ...(request.cap === undefined ? {} : { cap: request.cap }),
    seed: randomHex(16),
    fixed: [],
    exclude: [],
    experts: pool,
    history: prepareHistory(reads.history, pool, ruleSet),
  });
  if (!result.ok && result.code === 'invalid_input') {
    throw new ProblemError(
      'validation_failed',
      { zh: '抽取条件无效', en: 'the draw options are invalid' },
      {
        errors: result.problems.map((problem) => ({
          path: 'policy',
          message: `${problem.message.zh} / ${problem.message.en}`,
        })),
      },
    );
  }
  const reasons = Object.values(result.exclusionReasons);
  return {
    feasible: result.ok,
    ruleSet: { id: result.ruleSet.id, version: result.ruleSet.version },
    pool: result.funnel.pool,
    eligible: result.funnel.eligible,
    steps: result.funnel.steps.map((step) => {
      const reason = reasons.find((r) => r?.ruleId === step.ruleId);
      return {
        ruleId: step.ruleId,
        removed: step.removed,
        remaining: step.remaining,
        article: reason?.article ?? null,
        message: reason?.message ?? null,
      };
    }),
    samePerson: result.funnel.samePerson ?? 0,
    unmet: result.ok
      ? []
      : result.unmet.map((u) => ({
          constraint: u.constraint,
          article: u.article,
          message: u.message,
        })),
  };
}
