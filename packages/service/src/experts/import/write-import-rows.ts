import type { Expert } from '@expert-dispatch/rules';
import { eq } from 'drizzle-orm';
import type { Transaction } from '../../db/open-database.js';
import { experts } from '../../db/schema.js';
import type { FieldError } from '../../errors.js';
import type { Principal } from '../../http/app-env.js';
import { pgErrorCode } from '../../tasks/pg-error-code.js';
import { expertToColumns } from '../expert-row.js';

const CHUNK = 500;

/** What the database made of the rows: the ids it refused, with the reason as a field error. */
export type RefusedRows = Map<string, FieldError>;

/**
 * Writes the rows an import plans, in BOTH modes (a dry run is rolled back by the caller), so
 * that a row the database refuses is reported alike by `dryRun` and the real run, and never
 * takes the valid rows beside it down. Inserts go 500 at a time inside a savepoint; a chunk the
 * database refuses is retried row by row, each in its own savepoint, to find the rows at fault.
 * Only data and integrity errors (SQLSTATE classes 22 and 23) are a row's fault; anything else
 * (a lost connection) fails the import as a whole.
 *
 * @example
 * const refused = await writeImportRows(tx, principal, inserts, updates, now);
 * refused.get('e-1')?.message; // '数据库拒绝了这一行 / the database refused this row (SQLSTATE 23514)'
 */
export async function writeImportRows(
  tx: Transaction,
  principal: Principal,
  inserts: readonly Expert[],
  updates: readonly { readonly after: Expert }[],
  now: Date,
): Promise<RefusedRows> {
  const refused: RefusedRows = new Map();
  const toValues = (expert: Expert) => ({
    ...expertToColumns(expert),
    ownerAuthorityId: principal.authorityId,
    createdAt: now,
    updatedAt: now,
  });
  for (let start = 0; start < inserts.length; start += CHUNK) {
    const chunk = inserts.slice(start, start + CHUNK);
    const whole = await attempt(tx, (sp) => sp.insert(experts).values(chunk.map(toValues)));
    if (whole === null) continue;
    for (const expert of chunk) {
      const error = await attempt(tx, (sp) => sp.insert(experts).values(toValues(expert)));
      if (error !== null) refused.set(expert.id, error);
    }
  }
  for (const { after } of updates) {
    const { id, ...columns } = expertToColumns(after);
    const error = await attempt(tx, (sp) =>
      sp
        .update(experts)
        .set({ ...columns, updatedAt: now })
        .where(eq(experts.id, id)),
    );
    if (error !== null) refused.set(id, error);
  }
  return refused;
}

/** Runs `write` in a savepoint: null when it succeeded, the row's field error when refused. */
async function attempt(
  tx: Transaction,
  write: (savepoint: Transaction) => PromiseLike<unknown>,
): Promise<FieldError | null> {
  try {
    await tx.transaction(async (savepoint) => {
      await write(savepoint);
    });
    return null;
  } catch (error) {
    const code = pgErrorCode(error);
    if (code === undefined || !/^2[23]/.test(code)) throw error;
    return {
      path: '',
      message: `数据库拒绝了这一行 / the database refused this row (SQLSTATE ${code})`,
    };
  }
}
