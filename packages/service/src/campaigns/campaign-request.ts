import { z } from '@hono/zod-openapi';
import { taskRequestSchema } from '../tasks/task-request.js';

/** The most tasks one campaign plans at once: the plan runs inside one request's transaction. */
export const MAX_CAMPAIGN_TASKS = 200;

/**
 * A campaign's task: the body of `POST /v1/tasks` without how to draw (the campaign plans the
 * panel), without over-invitation and without widening (a campaign plans on the caller's pools).
 */
export const campaignTaskRequestSchema = taskRequestSchema
  .omit({ policy: true, cap: true, seed: true, overInvite: true, widen: true })
  .openapi('CampaignTaskRequest');

export type CampaignTaskRequest = z.infer<typeof campaignTaskRequestSchema>;

/** The body of `POST /v1/campaigns`. */
export const campaignRequestSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .openapi({ description: 'What the campaign is, e.g. 2026年冶金行业专项检查 / 专项名称' }),
    tasks: z.array(campaignTaskRequestSchema).min(1).max(MAX_CAMPAIGN_TASKS),
    loadCap: z
      .number()
      .int()
      .min(1)
      .max(MAX_CAMPAIGN_TASKS)
      .openapi({ description: 'The most tasks one expert takes in the campaign / 每人最多任务数' }),
    policy: z.enum(['optimal', 'randomized']).openapi({
      description:
        '`optimal`: the most total fit, then the lightest heaviest load; `randomized`: a sample ' +
        'in which no expert’s chance of a given task exceeds `probabilityCap` / 最优或随机化',
    }),
    probabilityCap: z.number().gt(0).max(1).optional(),
    /** Omit it: the service draws one from a secure random source. */
    seed: z.string().min(8).max(128).optional(),
  })
  .strict()
  .openapi('CampaignRequest');

export type CampaignRequest = z.infer<typeof campaignRequestSchema>;
