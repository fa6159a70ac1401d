import type { Expert } from '@expert-dispatch/rules';
import { eq, or, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { experts } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import type { Principal } from '../http/app-env.js';
import { type ExpertRow, rowToExpert } from './expert-row.js';

/**
 * The experts a caller may see: the provincial pool (tier `province`) is open to every tier,
 * a local pool to its own authority only (第二十一条, 第二十六条).
 */
export function visibleExperts(principal: Principal): SQL {
  return or(
    eq(experts.tier, 'province'),
    eq(experts.ownerAuthorityId, principal.authorityId),
  ) as SQL;
}

/** True when the caller may see the expert. */
export function isVisibleTo(
  row: Pick<ExpertRow, 'tier' | 'ownerAuthorityId'>,
  principal: Principal,
) {
  return row.tier === 'province' || row.ownerAuthorityId === principal.authorityId;
}

/** The 404 of an expert the caller cannot see, whether or not it exists elsewhere. */
export function expertNotFound(id: string): ProblemError {
  return new ProblemError('not_found', { zh: `专家 ${id} 不存在`, en: `no expert ${id}` });
}

/**
 * Loads an expert the caller may see (404 otherwise, never 403, so no pool leaks another's
 * experts). With `forUpdate` the row is locked until the transaction ends.
 *
 * @example
 * const { expert, row } = await loadVisibleExpert(tx, principal, 'e1', { forUpdate: true });
 */
export async function loadVisibleExpert(
  db: Executor,
  principal: Principal,
  id: string,
  options: { readonly forUpdate?: boolean } = {},
): Promise<{ expert: Expert; row: ExpertRow }> {
  const query = db.select().from(experts).where(eq(experts.id, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  if (!row || !isVisibleTo(row, principal)) throw expertNotFound(id);
  return { expert: rowToExpert(row), row };
}

/**
 * Refuses a change to an expert of another authority's pool: the provincial pool is read-only
 * to cities and counties.
 */
export function assertOwnsExpert(
  row: Pick<ExpertRow, 'ownerAuthorityId' | 'id'>,
  principal: Principal,
) {
  if (row.ownerAuthorityId !== principal.authorityId) {
    throw new ProblemError('forbidden', {
      zh: `专家 ${row.id} 属于其他部门的专家库，只能由该部门修改`,
      en: `expert ${row.id} belongs to another authority's pool; only its owner may change it`,
    });
  }
}
