import { eq } from 'drizzle-orm';
import type { Transaction } from '../db/open-database.js';
import { organizations } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import type { Principal } from '../http/app-env.js';

/** The organisations that recommend to the provincial pool (第二十一条（一）, 第二十二条). */
const RECOMMENDING_KINDS: readonly string[] = ['enterprise'];

/**
 * Refuses a recommender key that is not the province's, or that names no registered enterprise.
 * Enterprises, central SOEs in Yunnan (中央驻滇企业) and provincial SOEs (省属企业) recommend to
 * the province's pool (第二十一条（一）, 第二十二条), so their keys belong to the province; all
 * three are `enterprise` in the organisations register.
 *
 * @example
 * await assertRecommendingOrganization(tx, principal, { id: 'yn-yjt', tier: 'province' }, 'org-kgjt');
 */
export async function assertRecommendingOrganization(
  tx: Transaction,
  principal: Principal,
  authority: { readonly tier: string },
  organizationId: string | undefined,
): Promise<void> {
  if (principal.tier !== 'province' || authority.tier !== 'province') {
    throw new ProblemError('forbidden', {
      zh: '推荐单位密钥由省级管理员签发：企业向省级专家库推荐（第二十一条（一）、第二十二条）',
      en: 'recommender keys are the province’s: enterprises recommend to the provincial pool (第二十一条（一）, 第二十二条)',
    });
  }
  const [organization] =
    organizationId === undefined
      ? []
      : await tx
          .select({ kind: organizations.kind })
          .from(organizations)
          .where(eq(organizations.id, organizationId));
  if (organization === undefined || !RECOMMENDING_KINDS.includes(organization.kind)) {
    throw new ProblemError(
      'validation_failed',
      {
        zh: '推荐单位密钥须指明已登记的企业（含中央驻滇企业、省属企业）',
        en: 'a recommender key names a registered enterprise (incl. central and provincial SOEs)',
      },
      { errors: [{ path: 'organizationId', message: 'must be a registered enterprise' }] },
    );
  }
}
