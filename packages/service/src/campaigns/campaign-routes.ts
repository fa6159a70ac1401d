import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../access/authenticate.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import { outboundPolicyOf } from '../outbound/outbound-policy.js';
import { refuseInternalUrls, webhookUrlsOf } from '../outbound/refuse-internal-urls.js';
import { replayedProblem } from '../tasks/request-panel.js';
import { campaignRequestSchema } from './campaign-request.js';
import {
  campaignCreatedSchema,
  campaignVerificationSchema,
  campaignViewSchema,
} from './campaign-schemas.js';
import { campaignView, verifyCampaign } from './campaign-view.js';
import { createCampaign } from './create-campaign.js';
import { sealCampaignViewFor } from './seal-campaign-view.js';

const TAGS = ['Campaigns 专项统筹抽取'];
const READERS = ['admin', 'dispatcher', 'auditor', 'viewer'] as const;
const idParams = z.object({ id: z.string().min(1).max(64) });

const createCampaignRoute = createRoute({
  method: 'post',
  path: '/v1/campaigns',
  operationId: 'createCampaign',
  tags: TAGS,
  summary: 'Plan many tasks jointly, store and draw each / 专项检查统筹抽取',
  description:
    'Plans every task at once with planCampaign (the most total fit, then the lightest heaviest ' +
    'load, at most `loadCap` tasks per expert), then stores each task and its draw as POST ' +
    '/v1/tasks does, with the planned members fixed: each draw verifies with GET ' +
    '/v1/draws/{id}/verify, the plan with GET /v1/campaigns/{id}/verify. Idempotent by the ' +
    'Idempotency-Key header. A campaign no plan can staff is a 422 problem `panel_infeasible` ' +
    'with `unmet` (which tasks, which constraints), and nothing is stored; an input the matcher ' +
    'refuses (an ineligible named leader…) is a 422 `validation_failed` with `problems`; a task ' +
    'id already in use is a 409. Declines, time-outs, withdrawals and re-draws of a campaign’s ' +
    'task later keep the campaign’s load cap (experts at the cap are left out).',
  security: BEARER_SECURITY,
  middleware: [requireRole('dispatcher')] as const,
  request: {
    headers: z.object({
      'idempotency-key': z
        .string()
        .min(8)
        .max(128)
        .regex(/^[\x21-\x7e]+$/),
    }),
    body: jsonBody(campaignRequestSchema),
  },
  responses: {
    201: json(campaignCreatedSchema, 'The campaign with each task’s panel'),
    ...problems(400, 401, 403, 409, 413, 415, 422),
  },
});

const getCampaignRoute = createRoute({
  method: 'get',
  path: '/v1/campaigns/{id}',
  operationId: 'getCampaign',
  tags: TAGS,
  summary: 'Fill, coverage, load and Gini beside drawing one by one / 专项详情与逐项抽取对照',
  description:
    'Each task’s state and seats now; the plan’s fill, specialty coverage, load per expert and ' +
    'Gini (`plan`); the same for the seats held now, after declines and backfills (`current`); ' +
    'and what drawing the same tasks one by one would have given (`oneByOne`), computed once ' +
    'when the campaign was created from its stored input and seed and replayed by ' +
    'GET /v1/campaigns/{id}/verify. A campaign of another authority is a 404 (a provincial ' +
    'auditor sees every one).',
  security: BEARER_SECURITY,
  middleware: [requireRole(...READERS)] as const,
  request: { params: idParams },
  responses: { 200: json(campaignViewSchema, 'The campaign'), ...problems(401, 403, 404) },
});

const verifyCampaignRoute = createRoute({
  method: 'get',
  path: '/v1/campaigns/{id}/verify',
  operationId: 'verifyCampaign',
  tags: TAGS,
  summary: 'Replay the plan from its stored input and seed / 复核专项统筹方案',
  description:
    'Runs planCampaign again on the stored input, seed and pool snapshot and compares the ' +
    'digest with the recorded one (`ok`, `inputDigestMatches`), and replays the one-by-one ' +
    'comparison the same way (`oneByOneMatches`). Each task’s own draw verifies with ' +
    'GET /v1/draws/{id}/verify, replacement draws included.',
  security: BEARER_SECURITY,
  middleware: [requireRole(...READERS)] as const,
  request: { params: idParams },
  responses: {
    200: json(campaignVerificationSchema, 'Whether the replay gives the recorded plan'),
    ...problems(401, 403, 404),
  },
});

/** Campaigns (专项): plan jointly, read, verify. */
export const campaignRoutes = createRouter();

campaignRoutes.openapi(createCampaignRoute, async (c) => {
  const request = c.req.valid('json');
  // Each task's callback and rating link are refused as POST /v1/tasks refuses them.
  refuseInternalUrls(
    request.tasks.flatMap((task, i) => [
      { path: `tasks.${i}.callbackUrl`, url: task.callbackUrl },
      ...webhookUrlsOf(task.ratingContact ? [task.ratingContact] : [], 'ratingContact').map(
        (input) => ({ ...input, path: `tasks.${i}.ratingContact.address` }),
      ),
    ]),
    outboundPolicyOf(c.var.services.env),
  );
  const response = await createCampaign(
    c.var.services,
    c.var.principal,
    request,
    c.req.valid('header')['idempotency-key'],
  );
  if (response.status === 422) throw replayedProblem(response.body);
  return c.json(response.body as z.infer<typeof campaignCreatedSchema>, 201);
});

campaignRoutes.openapi(getCampaignRoute, async (c) => {
  const view = await campaignView(c.var.db, c.var.principal, c.req.valid('param').id);
  const { ruleSet, now } = c.var.services;
  // Before the work starts the planned members are the sealed list's (第八条（五）（七）).
  return c.json(await sealCampaignViewFor(c.var.db, c.var.principal, view, ruleSet, now()), 200);
});

campaignRoutes.openapi(verifyCampaignRoute, async (c) =>
  c.json(await verifyCampaign(c.var.db, c.var.principal, c.req.valid('param').id), 200),
);
