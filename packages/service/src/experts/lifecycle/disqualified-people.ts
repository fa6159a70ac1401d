import type { Expert, IsoDate } from '@expert-dispatch/rules';
import { isNotNull } from 'drizzle-orm';
import type { Executor } from '../../db/open-database.js';
import { experts } from '../../db/schema.js';
import type { PriorDisqualification } from './find-prior-disqualification.js';

/** Who was disqualified under which record: what the bar needs to recognise the person. */
export interface DisqualifiedRecord extends PriorDisqualification {
  readonly name: string;
  readonly birthDate: IsoDate;
  readonly idNumber: string | null;
}

type Person = Pick<Expert, 'name' | 'birthDate' | 'idNumber'>;

/**
 * Every record with a disqualification (取消资格, 第十六条（三）), in any pool: few, so a bulk
 * import reads them once instead of asking `findPriorDisqualification` row by row.
 *
 * @example
 * const disqualified = await loadDisqualifiedRecords(tx);
 */
export async function loadDisqualifiedRecords(db: Executor): Promise<DisqualifiedRecord[]> {
  const rows = await db
    .select({
      expertId: experts.id,
      ownerAuthorityId: experts.ownerAuthorityId,
      disqualifiedOn: experts.disqualifiedOn,
      under: experts.disqualifiedUnder,
      name: experts.name,
      birthDate: experts.birthDate,
      idNumber: experts.idNumber,
    })
    .from(experts)
    .where(isNotNull(experts.disqualifiedOn));
  return rows.flatMap((row) =>
    row.disqualifiedOn === null
      ? []
      : [{ ...row, disqualifiedOn: row.disqualifiedOn, under: row.under ?? '第十六条（三）' }],
  );
}

/**
 * `samePerson` in memory: the same ID number; or, when either record has none, the same name
 * and birth date. Different ID numbers are different people whatever their names.
 *
 * @example
 * isSamePerson({ name: '李建国', birthDate: '1970-05-20' }, stored); // true when stored has that name and birth date
 */
export function isSamePerson(
  expert: Person,
  other: Pick<DisqualifiedRecord, 'name' | 'birthDate' | 'idNumber'>,
): boolean {
  const byName = other.name === expert.name && other.birthDate === expert.birthDate;
  if (expert.idNumber === undefined) return byName;
  return other.idNumber === expert.idNumber || (other.idNumber === null && byName);
}

/**
 * The latest disqualification of the person `expert` among `records`, its own record left out
 * (as `findPriorDisqualification` does in the database). Null when there is none.
 *
 * @example
 * latestDisqualificationOf(applicant, await loadDisqualifiedRecords(tx))?.disqualifiedOn; // '2021-03-02'
 */
export function latestDisqualificationOf(
  expert: Person & Pick<Expert, 'id'>,
  records: Iterable<DisqualifiedRecord>,
): PriorDisqualification | null {
  let latest: DisqualifiedRecord | null = null;
  for (const record of records) {
    if (record.expertId === expert.id || !isSamePerson(expert, record)) continue;
    if (latest === null || record.disqualifiedOn > latest.disqualifiedOn) latest = record;
  }
  if (latest === null) return null;
  return {
    expertId: latest.expertId,
    ownerAuthorityId: latest.ownerAuthorityId,
    disqualifiedOn: latest.disqualifiedOn,
    under: latest.under,
  };
}
