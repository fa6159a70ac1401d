import { describe, expect, it } from 'vitest';
import type { Database, Transaction } from '../db/open-database.js';
import type { CommittedOutbox } from './committed-outbox.js';
import {
  handOverCommitted,
  noteOutboxWritten,
  transactionCollectingOutbox,
} from './outbox-collector.js';

// The collector only needs a transaction's identity: a fake database whose transactions and
// savepoints are distinct objects, as drizzle's are.
interface FakeTx {
  readonly transaction: <T>(work: (tx: FakeTx) => Promise<T>) => Promise<T>;
}
const fakeTx = (): FakeTx => ({ transaction: (work) => work(fakeTx()) });
const fakeDb = { transaction: <T>(work: (tx: FakeTx) => Promise<T>) => work(fakeTx()) };
const asDb = (db: unknown) => db as Database;
const asTx = (tx: FakeTx) => tx as unknown as Transaction;

const row = (id: string): CommittedOutbox => ({
  id,
  kind: 'deliver_invitation',
  payload: { deliveryId: `dl_${id}` },
  runAt: new Date(0),
});

describe('transactionCollectingOutbox (issue #17: a reply hands its invitations over)', () => {
  const cases: {
    readonly name: string;
    readonly work: (tx: FakeTx) => Promise<string>;
    readonly collected: readonly string[];
  }[] = [
    {
      name: 'rows written on the transaction itself',
      work: async (tx) => {
        noteOutboxWritten(asTx(tx), [row('a'), row('b')]);
        await Promise.resolve();
        noteOutboxWritten(asTx(tx), [row('c')]);
        return 'done';
      },
      collected: ['a', 'b', 'c'],
    },
    {
      name: "a savepoint's rows stay the relay's (the savepoint may still roll back)",
      work: async (tx) => {
        noteOutboxWritten(asTx(tx), [row('a')]);
        await tx.transaction(async (savepoint) => noteOutboxWritten(asTx(savepoint), [row('s')]));
        return 'done';
      },
      collected: ['a'],
    },
    {
      name: 'rows of another transaction are not this one’s',
      work: async () => {
        noteOutboxWritten(asTx(fakeTx()), [row('x')]);
        return 'done';
      },
      collected: [],
    },
  ];
  it.each(cases)('collects $name', async ({ work, collected }) => {
    const { value, outbox } = await transactionCollectingOutbox(asDb(fakeDb), (tx) =>
      work(tx as unknown as FakeTx),
    );
    expect(value).toBe('done');
    expect(outbox.map((r) => r.id)).toEqual(collected);
  });

  it('returns nothing for a transaction that fails, and keeps concurrent ones apart', async () => {
    const failing = transactionCollectingOutbox(asDb(fakeDb), async (tx) => {
      noteOutboxWritten(tx, [row('lost')]);
      throw new Error('rolled back');
    });
    const failed = expect(failing).rejects.toThrow('rolled back');
    const [ok, other] = await Promise.all([
      transactionCollectingOutbox(asDb(fakeDb), async (tx) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        noteOutboxWritten(tx, [row('one')]);
      }),
      transactionCollectingOutbox(asDb(fakeDb), async (tx) => noteOutboxWritten(tx, [row('two')])),
    ]);
    await failed;
    expect([ok.outbox.map((r) => r.id), other.outbox.map((r) => r.id)]).toEqual([['one'], ['two']]);
    // Outside any collecting transaction a writer's report is a no-op.
    expect(() => noteOutboxWritten(asTx(fakeTx()), [row('z')])).not.toThrow();
  });

  it.each([
    { rows: [row('a')], calls: [['a'], 'relay round'] },
    { rows: [], calls: ['relay round'] },
  ])('hands $rows.length row(s) over, then asks for a relay round', ({ rows, calls }) => {
    const seen: unknown[] = [];
    handOverCommitted(
      { nudge: (committed) => seen.push(committed?.map((r) => r.id) ?? 'relay round') },
      rows,
    );
    expect(seen).toEqual(calls);
    expect(() => handOverCommitted(undefined, rows)).not.toThrow();
  });
});
