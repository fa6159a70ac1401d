import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { queryRows } from '../db/query-rows.js';

/**
 * The person id of every record in `scope` whose person holds another record in `scope`: the
 * smallest id (code-unit order) among that person's records in `scope`. A record that is the
 * only one of its person in `scope` is absent, and the draw treats it as a person of its own.
 *
 * Who is the same person is decided over every pool, as `samePerson` of
 * `experts/lifecycle/find-prior-disqualification.ts` decides it (keep the two alike): the same
 * resident ID number; or, when a record has none, the same name and birth date. That test is not
 * transitive — a record without an ID number can match two records with different numbers,
 * which are two people — so each record gets one person key:
 * - with an ID number: that number;
 * - without one: the one ID number of the records with the same name and birth date, when they
 *   all carry the same number; the name and birth date when none of them carries a number;
 *   and the record alone when they carry several numbers (it cannot be told whose it is).
 *
 * The id never names a record outside `scope` (a caller may not learn of another local pool's
 * records) and carries no personal data: never the ID number, nor a hash of it, which anyone
 * could reverse by hashing the few hundred million possible numbers. The ID numbers are
 * compared inside the database and do not leave it.
 *
 * @example
 * const personIds = await loadPersonIds(tx, visibleExperts(principal));
 * personIds.get('e-km-7'); // 'e-yn-3': the provincial record of the same person
 */
export async function loadPersonIds(db: Executor, scope: SQL): Promise<Map<string, string>> {
  const rows = await queryRows<{ id: string; person_id: string }>(
    db,
    sql`with numbered as (
          select name, birth_date, count(distinct id_number)::int as numbers,
                 min(id_number) as number
            from experts
           where id_number is not null
           group by name, birth_date),
        keyed as (
          select p.id,
                 case when p.id_number is not null then p.id_number
                      when n.numbers = 1 then n.number end as by_number,
                 case when p.id_number is null and n.numbers is null then p.name end as by_name,
                 case when p.id_number is null and n.numbers is null then p.birth_date end
                   as by_birth,
                 case when p.id_number is null and n.numbers > 1 then p.id end as alone
            from experts p
            left join numbered n on n.name = p.name and n.birth_date = p.birth_date),
        visible as (
          select experts.id, keyed.by_number, keyed.by_name, keyed.by_birth, keyed.alone
            from experts join keyed on keyed.id = experts.id
           where ${scope}),
        persons as (
          select id,
                 min(id collate "C") over person as person_id,
                 count(*) over person as records
            from visible
          window person as (partition by by_number, by_name, by_birth, alone))
        select id, person_id from persons where records > 1 order by id`,
  );
  return new Map(rows.map((row) => [row.id, row.person_id]));
}
