import { idSchema, isoDateSchema, toShanghaiDate } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../../access/authenticate.js';
import { createRouter } from '../../http/create-router.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../../http/openapi-helpers.js';
import { actorOf, parseExpert } from '../expert-routes.js';
import { saveExpert } from '../expert-row.js';
import { expertViewSchema, toExpertView } from '../expert-view.js';
import { assertOwnsExpert, loadVisibleExpert } from '../pool-scope.js';
import { applyExpertAction } from './apply-expert-action.js';
import { EXPERT_ACTIONS } from './expert-transitions.js';

const actionBodySchema = z
  .object({
    reason: z.string().trim().min(1).max(500).openapi({ description: 'Why / 理由' }),
    on: isoDateSchema.optional().openapi({
      description:
        'Effective date (term start, notice start, warning, disqualification); default today',
    }),
    article: z.string().trim().min(1).max(40).optional().openapi({
      description: 'The article a warning cites; default 第二十三条',
    }),
  })
  .strict()
  .openapi('ExpertActionInput');

const actionRoute = createRoute({
  method: 'post',
  path: '/v1/experts/{id}/actions/{action}',
  tags: ['Lifecycle 专家状态'],
  summary:
    'Apply a lifecycle action with a reason (第十条–第十二条, 第二十三条, 第二十四条) / 状态变更',
  description:
    'recommend, start-review, approve (admission rules), start-public-notice (5 working days), ' +
    'appoint (3-year term), seal, renew, expire, suspend, reinstate, warn, dismiss, withdraw, ' +
    'disqualify. An action the current state does not allow is a 409 naming from and to.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: {
    params: z.object({ id: idSchema, action: z.enum(EXPERT_ACTIONS) }),
    body: jsonBody(actionBodySchema),
  },
  responses: {
    200: json(expertViewSchema, 'The expert after the action'),
    ...problems(401, 403, 404, 409, 422),
  },
});

/** `POST /v1/experts/{id}/actions/{action}`. */
export const expertActionRoutes = createRouter();

expertActionRoutes.openapi(actionRoute, async (c) => {
  const principal = c.var.principal;
  const { id, action } = c.req.valid('param');
  const input = c.req.valid('json');
  const { services } = c.var;
  const now = services.now();
  const result = await c.var.db.transaction(async (tx) => {
    const { expert, row } = await loadVisibleExpert(tx, principal, id, { forUpdate: true });
    assertOwnsExpert(row, principal);
    const outcome = applyExpertAction(
      expert,
      { reviewApprovedAt: row.reviewApprovedAt, publicNotice: row.publicNotice },
      action,
      input,
      { today: toShanghaiDate(now), now, ruleSet: services.ruleSet, calendar: services.calendar },
    );
    const after = parseExpert(outcome.expert);
    await saveExpert(
      tx,
      after,
      row.ownerAuthorityId,
      {
        actor: actorOf(principal),
        action: `expert.${action}`,
        reason: input.reason,
        before: expert,
      },
      now,
      outcome.lifecycle,
    );
    return { after, owner: row.ownerAuthorityId, lifecycle: outcome.lifecycle };
  });
  return c.json(toExpertView(result.after, result.owner, true, result.lifecycle), 200);
});
