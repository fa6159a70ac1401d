import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database, Transaction } from '../db/open-database.js';
import type { CommittedOutbox } from './committed-outbox.js';
import type { Dispatcher } from './start-dispatch.js';

/** The transaction being collected and the outbox rows written in it so far. */
interface Collecting {
  readonly root: Transaction;
  readonly rows: CommittedOutbox[];
}

const collecting = new AsyncLocalStorage<Collecting>();

/**
 * Runs `work` in a transaction and returns, once it has committed, the outbox rows it wrote
 * through writers that report them (`noteOutboxWritten`: every invitation, so a decline's
 * replacement) — for the dispatch loop to queue at once (`handOverCommitted`) instead of at
 * the relay round its nudge starts. Only rows written on the transaction itself count: a
 * savepoint's rows may yet be rolled back, and stay the relay's, as does every row of a
 * writer that does not report. A transaction that fails returns nothing.
 *
 * @example
 * const { value, outbox } = await transactionCollectingOutbox(db, (tx) => decline(tx));
 * handOverCommitted(services.dispatch, outbox);
 */
export async function transactionCollectingOutbox<T>(
  db: Database,
  work: (tx: Transaction) => Promise<T>,
): Promise<{ readonly value: T; readonly outbox: readonly CommittedOutbox[] }> {
  let rows: CommittedOutbox[] = [];
  const value = await db.transaction((tx) => {
    rows = [];
    return collecting.run({ root: tx, rows }, () => work(tx));
  });
  return { value, outbox: rows };
}

/**
 * Reports outbox rows just written on `tx` to the collecting transaction, if `tx` is the one
 * being collected (see `transactionCollectingOutbox`); otherwise does nothing.
 *
 * @example
 * noteOutboxWritten(tx, [{ id: 'ob_…', kind: 'deliver_invitation', payload, runAt: now }]);
 */
export function noteOutboxWritten(tx: Transaction, rows: readonly CommittedOutbox[]): void {
  const store = collecting.getStore();
  if (store !== undefined && store.root === tx) store.rows.push(...rows);
}

/**
 * After a commit: the collected rows are queued at once, and a relay round looks for any other
 * row the transaction wrote (notices, callbacks, a replacement draw's savepoint). A relay round
 * taking a handed-over row as well adds no second job: the outbox id is the job id.
 *
 * @example
 * handOverCommitted(services.dispatch, outcome.outbox);
 */
export function handOverCommitted(
  dispatcher: Pick<Dispatcher, 'nudge'> | undefined,
  rows: readonly CommittedOutbox[],
): void {
  if (dispatcher === undefined) return;
  if (rows.length > 0) dispatcher.nudge(rows);
  dispatcher.nudge();
}
