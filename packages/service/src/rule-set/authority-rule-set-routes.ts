import { isDeepStrictEqual } from 'node:util';
import { canonicalJson } from '@expert-dispatch/matcher';
import {
  deriveRuleSet,
  localPolicies,
  type RuleSet,
  type RuleSetOverrides,
  ruleSetSchema,
} from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import { requireRole } from '../access/authenticate.js';
import { appendAudit } from '../audit/append-audit.js';
import type { Transaction } from '../db/open-database.js';
import { jsonColumn } from '../db/query-rows.js';
import { authorities, draws } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import type { Principal } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import { ruleSetFromOverrides } from './resolve-rule-set.js';

const TAGS = ['Rule sets 规则集'];
const idParams = z.object({ id: z.string().min(1).max(64) });

const overridesSchema = z.record(z.string(), z.unknown()).openapi('RuleSetOverrides', {
  description:
    'deriveRuleSet overrides: { id, version, name?, parameters?, addDispatchRules?, removeDispatchRules? }',
  example: {
    id: 'wuhua-gmy',
    version: '1.0.0',
    name: { zh: '五华区工贸专家规则', en: 'Wuhua district rules' },
    addDispatchRules: ['outside-enterprise-county'],
    parameters: { replyDeadlineMinutes: { routine: 720 } },
  },
});

const labelSchema = z.object({ zh: z.string(), en: z.string() });

const ruleSetViewSchema = z
  .object({
    authorityId: z.string(),
    overrides: overridesSchema.nullable(),
    ruleSet: ruleSetSchema,
    /**
     * The rules the measures do not contain, as named parameters with their values: shown as
     * 本厅规定 / local policy, never with an article.
     */
    localPolicy: z.array(
      z.object({
        parameter: z.string(),
        label: labelSchema,
        value: z.unknown(),
        source: labelSchema,
        article: z.null(),
      }),
    ),
    /**
     * What the set loosens of 第九条 or 第十一条 for its own pool only (第二十六条): experts of a
     * higher tier keep the stricter rule.
     */
    loosenings: z.array(
      z.object({
        path: z.string(),
        article: z.string(),
        appliesTo: z.literal('own-pool'),
        message: labelSchema,
      }),
    ),
  })
  .openapi('AuthorityRuleSet');

const putBodySchema = z
  .object({
    reason: z.string().trim().min(1).max(500),
    // null returns the authority to the provincial rule set.
    overrides: overridesSchema.nullable(),
  })
  .strict()
  .openapi('AuthorityRuleSetInput');

const getRoute = createRoute({
  method: 'get',
  path: '/v1/authorities/{id}/rule-set',
  operationId: 'getAuthorityRuleSet',
  tags: TAGS,
  summary: 'The rule set an authority’s draws run on (第二十六条) / 本级规则集',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin', 'dispatcher', 'auditor', 'viewer')] as const,
  request: { params: idParams },
  responses: { 200: json(ruleSetViewSchema, 'The effective rule set'), ...problems(401, 404) },
});

const putRoute = createRoute({
  method: 'put',
  path: '/v1/authorities/{id}/rule-set',
  operationId: 'replaceAuthorityRuleSet',
  tags: TAGS,
  summary: 'Derive your local rule set from the provincial one (第二十六条) / 设置本级规则集',
  description:
    'A city or county admin sets how its rule set differs from the provincial one. The ' +
    'overrides are validated by deriveRuleSet: unknown parameters, out-of-range values, ' +
    'dropping a recusal or good-standing rule, or reusing an id and version are refused with ' +
    'field paths. Changing the rules needs a new version. Later draws of the authority use ' +
    'the derived set and record it, so that verification replays them with it. ' +
    '`overrides: null` returns the authority to the provincial rule set.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { params: idParams, body: jsonBody(putBodySchema) },
  responses: {
    200: json(ruleSetViewSchema, 'The rule set now in force'),
    ...problems(401, 403, 404, 409, 422),
  },
});

/** `GET|PUT /v1/authorities/{id}/rule-set`: local rule sets (第二十六条). */
export const authorityRuleSetRoutes = createRouter();

authorityRuleSetRoutes.openapi(getRoute, async (c) => {
  const { id } = c.req.valid('param');
  const principal = c.var.principal;
  if (id !== principal.authorityId && principal.tier !== 'province') throw notFound(id);
  const [row] = await c.var.db.select().from(authorities).where(eq(authorities.id, id));
  if (row === undefined) throw notFound(id);
  const base = c.var.services.ruleSet;
  const ruleSet = ruleSetFromOverrides(base, row.ruleSetOverrides, id);
  return c.json(viewOf(id, row.ruleSetOverrides, ruleSet, base), 200);
});

authorityRuleSetRoutes.openapi(putRoute, async (c) => {
  const { id } = c.req.valid('param');
  const { reason, overrides } = c.req.valid('json');
  const principal = c.var.principal;
  assertOwnLocalAuthority(id, principal);
  const base = c.var.services.ruleSet;
  const ruleSet = overrides === null ? base : derive(overrides, base);
  const now = c.var.services.now();
  await c.var.db.transaction(async (tx) => {
    const rows = await tx.select().from(authorities).for('update');
    const row = rows.find((r) => r.id === id);
    if (row === undefined) throw notFound(id);
    if (overrides !== null) {
      assertNewIdentity(id, overrides, rows);
      await assertSameAsDrawn(tx, ruleSet);
    }
    await tx.update(authorities).set({ ruleSetOverrides: overrides }).where(eq(authorities.id, id));
    await appendAudit(
      tx,
      {
        actor: { keyId: principal.keyId, authorityId: principal.authorityId },
        action: 'authority.rule_set_changed',
        entityType: 'authority',
        entityId: id,
        reason,
        before: { overrides: row.ruleSetOverrides },
        after: {
          overrides,
          ruleSet: { id: ruleSet.id, version: ruleSet.version, basedOn: ruleSet.basedOn ?? null },
        },
      },
      now,
    );
  });
  return c.json(viewOf(id, overrides, ruleSet, base), 200);
});

/** The view of an authority's rule set: the set, its local policy and its own-pool loosenings. */
function viewOf(
  authorityId: string,
  overrides: Record<string, unknown> | null,
  ruleSet: RuleSet,
  base: RuleSet,
) {
  const derived =
    overrides === null ? null : deriveRuleSet(base, overrides as unknown as RuleSetOverrides);
  return {
    authorityId,
    overrides,
    ruleSet,
    localPolicy: localPolicies(ruleSet),
    loosenings: derived?.ok === true ? [...derived.loosenings] : [],
  };
}

function notFound(id: string): ProblemError {
  return new ProblemError('not_found', { zh: `部门 ${id} 不存在`, en: `no authority ${id}` });
}

/** Only a city's or county's own admin sets its rule set; the provincial set is the measures'. */
function assertOwnLocalAuthority(id: string, principal: Principal): void {
  if (id !== principal.authorityId) {
    throw new ProblemError('forbidden', {
      zh: '只能设置本部门的规则集',
      en: "you may set your own authority's rule set only",
    });
  }
  if (principal.tier === 'province') {
    throw new ProblemError('forbidden', {
      zh: '省级规则集即《管理办法》本身，不能派生修改；州（市）、县可派生本级规则集（第二十六条）',
      en: 'the provincial rule set is the measures themselves; cities and counties derive theirs (第二十六条)',
    });
  }
}

function derive(overrides: Record<string, unknown>, base: RuleSet): RuleSet {
  const result = deriveRuleSet(base, overrides as unknown as RuleSetOverrides);
  if (!result.ok) {
    throw new ProblemError(
      'validation_failed',
      {
        zh: '规则集派生未通过校验',
        en: 'the rule set overrides did not pass validation',
      },
      { errors: result.errors.map((e) => ({ path: `overrides.${e.path}`, message: e.message })) },
    );
  }
  return result.ruleSet;
}

/**
 * A draw records its rule set by id and version, so one id and version names one set of
 * rules: other content needs a new version, and another authority's id is not reused.
 */
function assertNewIdentity(
  id: string,
  overrides: Record<string, unknown>,
  rows: readonly { id: string; ruleSetOverrides: Record<string, unknown> | null }[],
): void {
  for (const row of rows) {
    const other = row.ruleSetOverrides;
    if (other === null || other.id !== overrides.id) continue;
    if (row.id !== id) {
      throw new ProblemError(
        'already_exists',
        {
          zh: `规则集编号 ${String(overrides.id)} 已被其他部门使用`,
          en: `rule set id ${String(overrides.id)} is another authority's`,
        },
        { errors: [{ path: 'overrides.id', message: 'used by another authority' }] },
      );
    }
    if (other.version === overrides.version && !isDeepStrictEqual(other, overrides)) {
      throw new ProblemError(
        'version_conflict',
        {
          zh: `规则集 ${String(overrides.id)} ${String(overrides.version)} 已有不同内容，修改规则须升级版本号`,
          en: `rule set ${String(overrides.id)} ${String(overrides.version)} already says otherwise; changing it needs a new version`,
        },
        {
          errors: [
            { path: 'overrides.version', message: 'changing the rules needs a new version' },
          ],
        },
      );
    }
  }
}

/** A set that draws already ran on under this id and version must stay what it was. */
async function assertSameAsDrawn(tx: Transaction, ruleSet: RuleSet): Promise<void> {
  const [drawn] = await tx
    .select({ ruleSet: sql<unknown>`${draws.input}->'ruleSet'` })
    .from(draws)
    .where(and(eq(draws.ruleSetId, ruleSet.id), eq(draws.ruleSetVersion, ruleSet.version)))
    .limit(1);
  if (drawn === undefined) return;
  const stored = jsonColumn(drawn.ruleSet);
  if (canonicalJson(stored) !== canonicalJson(ruleSet)) {
    throw new ProblemError(
      'version_conflict',
      {
        zh: `已有抽取按规则集 ${ruleSet.id} ${ruleSet.version} 进行且内容不同，修改规则须升级版本号`,
        en: `draws ran on ${ruleSet.id} ${ruleSet.version} with other rules; changing them needs a new version`,
      },
      {
        errors: [{ path: 'overrides.version', message: 'changing the rules needs a new version' }],
      },
    );
  }
}
