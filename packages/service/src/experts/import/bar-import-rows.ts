import { type Expert, type IsoDate, type RuleSet, toShanghaiDate } from '@expert-dispatch/rules';
import type { Transaction } from '../../db/open-database.js';
import type { FieldError } from '../../errors.js';
import type { Principal } from '../../http/app-env.js';
import { resolveRuleSet } from '../../rule-set/resolve-rule-set.js';
import {
  type DisqualifiedRecord,
  latestDisqualificationOf,
  loadDisqualifiedRecords,
} from '../lifecycle/disqualified-people.js';
import {
  ADMITTED_STATES,
  changesPerson,
  checkEntryBar,
  entryBarFieldError,
} from '../lifecycle/entry-bar.js';
import type { ImportOptions, RowReport } from './import-experts.js';

/** A row the import would write: a new record, or a change to a stored one. */
export interface WrittenRow {
  readonly expert: Expert;
  /** The stored record a change starts from; null for a new record. */
  readonly before: Expert | null;
}

export type BarredRow =
  | { readonly ok: true; readonly expert: Expert }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/**
 * The five-year bar (第十六条（三）, 第九条（六）) on every row an import would write into an
 * admitted state: a new record, or a stored one that the row makes another person (name, birth
 * date, ID number). The person is looked up among the stored disqualifications and those the
 * import itself writes, as it will stand once committed. A barred row is refused with the
 * article on `status`; a row past the bar carries the disqualification date (see
 * `checkEntryBar`). Returns one verdict per row, in order.
 *
 * @example
 * barImportRows(rows, await loadDisqualifiedRecords(tx), '2026-03-02', ruleSet)[0]?.ok;
 */
export function barImportRows(
  rows: readonly WrittenRow[],
  stored: readonly DisqualifiedRecord[],
  today: IsoDate,
  ruleSet: RuleSet,
): BarredRow[] {
  const byId = new Map(stored.map((record) => [record.expertId, record]));
  for (const { expert } of rows) {
    const on = expert.disqualifiedOn;
    if (on === undefined) {
      byId.delete(expert.id);
      continue;
    }
    byId.set(expert.id, {
      expertId: expert.id,
      ownerAuthorityId: byId.get(expert.id)?.ownerAuthorityId ?? '',
      disqualifiedOn: on,
      under: expert.disqualifiedUnder ?? '第十六条（三）',
      name: expert.name,
      birthDate: expert.birthDate,
      idNumber: expert.idNumber ?? null,
    });
  }
  return rows.map(({ expert, before }) => {
    if (!ADMITTED_STATES.has(expert.status)) return { ok: true, expert };
    if (before !== null && !changesPerson(before, expert)) return { ok: true, expert };
    const prior = latestDisqualificationOf(expert, byId.values());
    const bar = checkEntryBar(expert, prior, today, ruleSet);
    return bar.ok
      ? { ok: true, expert: bar.expert }
      : { ok: false, errors: [entryBarFieldError(bar)] };
  });
}

/** A row the import would write, and where its report goes. */
export interface Written {
  readonly at: number;
  readonly base: { readonly row: number; readonly line?: number };
  readonly expert: Expert;
  readonly before: Expert | null;
}

/**
 * Applies the five-year bar to the rows an import would write, on the caller's own rule set
 * (第二十六条): fills in each row's report (`reports[row.at]`) and returns what to commit.
 * Reads the disqualified records once, whatever the number of rows.
 *
 * @example
 * const { inserts, updates } = await applyBar(tx, principal, written, reports, options);
 */
export async function applyBar(
  tx: Transaction,
  principal: Principal,
  written: readonly Written[],
  reports: RowReport[],
  options: ImportOptions,
): Promise<{ inserts: Expert[]; updates: { before: Expert; after: Expert }[] }> {
  const ruleSet = await resolveRuleSet(tx, principal.authorityId, options.ruleSet);
  const disqualified = written.length === 0 ? [] : await loadDisqualifiedRecords(tx);
  const verdicts = barImportRows(written, disqualified, toShanghaiDate(options.now), ruleSet);
  const inserts: Expert[] = [];
  const updates: { before: Expert; after: Expert }[] = [];
  written.forEach((row, index) => {
    const verdict = verdicts[index];
    const id = row.expert.id;
    if (verdict === undefined || !verdict.ok) {
      const errors = verdict === undefined ? [] : [...verdict.errors];
      reports[row.at] = { ...row.base, id, outcome: 'rejected', errors };
    } else if (row.before === null) {
      inserts.push(verdict.expert);
      reports[row.at] = { ...row.base, id, outcome: 'created' };
    } else {
      updates.push({ before: row.before, after: verdict.expert });
      reports[row.at] = { ...row.base, id, outcome: 'updated' };
    }
  });
  return { inserts, updates };
}
