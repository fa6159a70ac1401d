import type { DisqualificationArticle, Expert, IsoDate } from '@expert-dispatch/rules';
import { and, desc, isNotNull, ne, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/open-database.js';
import { experts } from '../../db/schema.js';

/** The latest disqualification of the same person under another expert record. */
export interface PriorDisqualification {
  readonly expertId: string;
  readonly ownerAuthorityId: string;
  readonly disqualifiedOn: IsoDate;
  /** The article it was made under (第十六条（三）, or 第二十三条（六） for fraud). */
  readonly under: DisqualificationArticle;
}

/**
 * The same person as `expert` under another record, in any pool: the same resident ID number;
 * or, when either record has none, the same name and birth date. Two records with different
 * ID numbers are different people whatever their names. `isSamePerson` is the same test in
 * memory; keep the two alike.
 *
 * @example
 * await db.select().from(experts).where(samePerson(expert));
 */
export function samePerson(expert: Pick<Expert, 'id' | 'name' | 'birthDate' | 'idNumber'>): SQL {
  const byName = and(
    sql`${experts.name} = ${expert.name}`,
    sql`${experts.birthDate} = ${expert.birthDate}`,
  ) as SQL;
  if (expert.idNumber === undefined) return byName;
  return sql`(${experts.idNumber} = ${expert.idNumber} or (${experts.idNumber} is null and ${byName}))`;
}

/**
 * A re-application is a new record (申报表, 第十条（一）): the person's earlier record stays as it
 * was, history and all. This finds the latest disqualification (取消资格, 第十六条（三）) of the
 * same person under any other record, so that recommendation, review and renewal apply the
 * five-year bar to the person and not only to the record (第九条（六）: 曾被取消专家资格的人员
 * 不予推荐). Null when there is none.
 *
 * @example
 * const prior = await findPriorDisqualification(tx, applicant);
 * prior?.disqualifiedOn; // '2021-03-02'
 */
export async function findPriorDisqualification(
  db: Executor,
  expert: Pick<Expert, 'id' | 'name' | 'birthDate' | 'idNumber'>,
): Promise<PriorDisqualification | null> {
  const [row] = await db
    .select({
      expertId: experts.id,
      ownerAuthorityId: experts.ownerAuthorityId,
      disqualifiedOn: experts.disqualifiedOn,
      under: experts.disqualifiedUnder,
    })
    .from(experts)
    .where(and(ne(experts.id, expert.id), isNotNull(experts.disqualifiedOn), samePerson(expert)))
    .orderBy(desc(experts.disqualifiedOn))
    .limit(1);
  if (row === undefined || row.disqualifiedOn === null) return null;
  return {
    expertId: row.expertId,
    ownerAuthorityId: row.ownerAuthorityId,
    disqualifiedOn: row.disqualifiedOn,
    under: row.under ?? '第十六条（三）',
  };
}
