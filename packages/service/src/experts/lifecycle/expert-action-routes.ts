import { idSchema, toShanghaiDate, workDateSchema } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../../access/authenticate.js';
import { loadWorkingCalendar } from '../../calendar/working-calendar.js';
import { createRouter } from '../../http/create-router.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../../http/openapi-helpers.js';
import { announceTerm } from '../../notices/announce-term.js';
import { countNoticeObjections } from '../../notices/count-notice-objections.js';
import { resolveRuleSet } from '../../rule-set/resolve-rule-set.js';
import { actorOf, parseExpert } from '../expert-routes.js';
import { expertViewSchema, toExpertView } from '../expert-view.js';
import { assertOwnsExpert, loadVisibleExpert } from '../pool-scope.js';
import { evidenceSchema, resolveEvidence } from './action-evidence.js';
import { ageLimitWithinTerm, ageLimitWithinTermSchema } from './age-limit-in-term.js';
import { applyExpertAction, FRAUD, termFrom } from './apply-expert-action.js';
import { disqualifyOtherRecords } from './disqualify-person.js';
import { EXPERT_ACTIONS, type ExpertAction } from './expert-transitions.js';
import { findPriorDisqualification } from './find-prior-disqualification.js';
import { notifyConduct } from './notify-conduct.js';
import { recordExpertAction } from './record-expert-action.js';

/** The actions after which the admin is told the day the expert passes the age limit in term. */
const TERM_ACTIONS: ReadonlySet<ExpertAction> = new Set(['approve', 'appoint', 'renew']);

/** The actions that admit a person, and so read their disqualification under any record. */
const ADMISSION_ACTIONS: ReadonlySet<ExpertAction> = new Set(['recommend', 'approve', 'renew']);

/** The actions a public notice leads to, announced (公告) once done (第十条（五）, 第十一条). */
const ANNOUNCED_ACTIONS: ReadonlySet<ExpertAction> = new Set(['appoint', 'renew']);

const actionBodySchema = z
  .object({
    reason: z.string().trim().min(1).max(500).openapi({ description: 'Why / 理由' }),
    on: workDateSchema.optional().openapi({
      description:
        'Effective date (term start, notice start, warning, disqualification); default today',
    }),
    article: z.string().trim().min(1).max(40).optional().openapi({
      description:
        'The article the action cites, e.g. 第二十三条（一） for a warning; default the action’s own',
    }),
    evidence: z.array(evidenceSchema).max(50).optional().openapi({
      description:
        'What the action relies on (invitations, tasks, ratings, documents); required for interview, warn, dismiss, withdraw (the written application), disqualify, and a suspension citing 第二十三条',
    }),
  })
  .strict()
  .openapi('ExpertActionInput');

/**
 * The expert after the action; an admission (approve, appoint, renew) adds the day the expert
 * will pass the age limit within the new term, when they will (第九条（五）).
 */
const actionResultSchema = expertViewSchema
  .extend({ ageLimitWithinTerm: ageLimitWithinTermSchema.optional() })
  .openapi('ExpertActionResult');

const actionRoute = createRoute({
  method: 'post',
  path: '/v1/experts/{id}/actions/{action}',
  operationId: 'applyExpertAction',
  tags: ['Lifecycle 专家状态'],
  summary:
    'Apply a lifecycle action with a reason (第十条–第十二条, 第二十三条, 第二十四条) / 状态变更',
  description:
    'recommend, start-review, approve (admission rules), start-public-notice (5 working days), ' +
    'appoint (3-year term; once the notice is over and every objection is settled, none upheld — ' +
    'else 409 notice_objected; announced on /v1/public/announcements), seal, ' +
    'start-renewal-notice (第十一条), renew (after a renewal notice, same conditions), expire, suspend, reinstate, interview (约谈), warn, ' +
    'dismiss, withdraw, disqualify. Discipline needs evidence besides the reason; both go into ' +
    'the audit entry with the article. Recommendation, review and renewal apply the 5-year bar ' +
    'of 第十六条（三） to the person (same ID number) across records; disqualify also ' +
    'disqualifies the person’s other admitted records, in any pool, each audited. An action the current ' +
    'state does not allow is a 409 naming from and to.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: {
    params: z.object({ id: idSchema, action: z.enum(EXPERT_ACTIONS) }),
    body: jsonBody(actionBodySchema),
  },
  responses: {
    200: json(actionResultSchema, 'The expert after the action'),
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
  // Read before the transaction, through the per-process cache (第十条（四）: 工作日).
  const calendar = await loadWorkingCalendar(services.db);
  const result = await c.var.db.transaction(async (tx) => {
    const { expert, row } = await loadVisibleExpert(tx, principal, id, { forUpdate: true });
    assertOwnsExpert(row, principal);
    const priorDisqualification = ADMISSION_ACTIONS.has(action)
      ? await findPriorDisqualification(tx, expert)
      : null;
    // The pool's own rule set: a local pool admits on its derived rules (第二十六条).
    const ruleSet = await resolveRuleSet(tx, row.ownerAuthorityId, services.ruleSet);
    const noticeObjections = ANNOUNCED_ACTIONS.has(action)
      ? await countNoticeObjections(tx, id, row.publicNotice)
      : undefined;
    const outcome = applyExpertAction(
      expert,
      { reviewApprovedAt: row.reviewApprovedAt, publicNotice: row.publicNotice },
      action,
      input,
      {
        today: toShanghaiDate(now),
        now,
        ruleSet,
        calendar,
        priorDisqualification,
        noticeObjections,
      },
    );
    const evidence = await resolveEvidence(tx, expert.id, input.evidence ?? []);
    const after = parseExpert(outcome.expert);
    const record = { action, article: outcome.article, on: outcome.on, evidence };
    // A disqualification is of the person: the other records follow (第十六条（三）, 第九条（六）);
    // so does a dismissal for fraud in obtaining the qualification (第二十三条（六）).
    const followers =
      action === 'disqualify' || (action === 'dismiss' && outcome.article === FRAUD)
        ? await disqualifyOtherRecords(
            tx,
            { actor: actorOf(principal), origin: after, reason: input.reason, ...record },
            now,
          )
        : [];
    await recordExpertAction(
      tx,
      {
        actor: actorOf(principal),
        expert: after,
        before: expert,
        lifecycle: outcome.lifecycle,
        reason: input.reason,
        record,
      },
      now,
      followers,
    );
    const notice = outcome.lifecycle.publicNotice;
    if (ANNOUNCED_ACTIONS.has(action) && after.appointment && notice) {
      await announceTerm(tx, {
        expertId: after.id,
        kind: action === 'renew' ? 'renewal' : 'appointment',
        announcedOn: toShanghaiDate(now),
        term: after.appointment,
        notice,
      });
    }
    // 通报 (第二十三条): the employer and the recommending unit are told, where known.
    const told = await notifyConduct(tx, { expert: after, ...record }, now);
    const term = TERM_ACTIONS.has(action)
      ? (after.appointment ?? termFrom(toShanghaiDate(now), ruleSet))
      : null;
    const ageLimit = term === null ? null : ageLimitWithinTerm(after, term, ruleSet);
    return { after, owner: row.ownerAuthorityId, lifecycle: outcome.lifecycle, told, ageLimit };
  });
  if (result.told > 0) services.dispatch?.nudge();
  const view = toExpertView(result.after, result.owner, true, result.lifecycle);
  return c.json(
    result.ageLimit === null ? view : { ...view, ageLimitWithinTerm: result.ageLimit },
    200,
  );
});
