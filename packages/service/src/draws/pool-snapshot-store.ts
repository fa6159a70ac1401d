import type { PreparedPool } from '@expert-dispatch/matcher';
import { eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { expertVersions, poolBlocks, poolSnapshots } from '../db/schema.js';

/**
 * What a process knows to be stored (committed): record versions and blocks by hash. Per
 * database (the owner of the pool cache), filled only after the transaction that wrote them
 * committed, so that a snapshot never names a version a rolled-back transaction wrote.
 */
interface StoredHashes {
  readonly records: Set<string>;
  readonly blocks: Set<string>;
}

const stored = new WeakMap<object, StoredHashes>();

function storedOf(owner: object): StoredHashes {
  let known = stored.get(owner);
  if (known === undefined) {
    known = { records: new Set(), blocks: new Set() };
    stored.set(owner, known);
  }
  return known;
}

/** Rows per insert statement. */
const BATCH = 1000;

/**
 * Stores a draw's pool snapshot. A pool under the `pool-digest@2` tree is stored as versions
 * (#17): each record version once (`expert_versions`, by its record hash), each block of 256
 * record hashes once (`pool_blocks`), and the snapshot as its block hashes — so a revision that
 * changed one expert writes that version, one block (16 KB) and the list of block hashes
 * (25 KB at 100,000), not the pool. A pool under the version 1 digest is stored whole, as
 * before. Returns what to mark as stored once the transaction has committed.
 *
 * @example
 * const stored = await storePoolSnapshot(tx, pool, services.db, now);
 * // after commit: stored();
 */
export async function storePoolSnapshot(
  tx: Executor,
  pool: PreparedPool,
  owner: object,
  now: Date,
): Promise<() => void> {
  const tree = pool.digestTree;
  if (tree === undefined) {
    await tx
      .insert(poolSnapshots)
      .values({ digest: pool.digest, experts: pool.experts, createdAt: now })
      .onConflictDoNothing();
    return () => {};
  }
  const known = storedOf(owner);
  // Blocks another process (or this one before a restart) committed are visible here: their
  // versions were committed with them, so neither is written again.
  const unknown = [...new Set(tree.blocks.filter((hash) => !known.blocks.has(hash)))];
  const committed = new Set<string>();
  for (let start = 0; start < unknown.length; start += BATCH) {
    const rows = await tx
      .select({ hash: poolBlocks.hash })
      .from(poolBlocks)
      .where(inArray(poolBlocks.hash, unknown.slice(start, start + BATCH)));
    for (const row of rows) committed.add(row.hash);
  }
  const newBlocks: number[] = [];
  tree.blocks.forEach((hash, block) => {
    if (!known.blocks.has(hash) && !committed.has(hash)) newBlocks.push(block);
  });
  const records = new Map<string, unknown>();
  const blockRows = newBlocks.map((block) => {
    const start = block * 256;
    const hashes = tree.records.slice(start, start + 256);
    hashes.forEach((hash, k) => {
      if (!known.records.has(hash)) records.set(hash, pool.experts[start + k]);
    });
    return { hash: tree.blocks[block] as string, records: hashes };
  });
  const recordRows = [...records].map(([hash, record]) => ({ hash, record }));
  for (let start = 0; start < recordRows.length; start += BATCH) {
    await tx
      .insert(expertVersions)
      .values(recordRows.slice(start, start + BATCH))
      .onConflictDoNothing();
  }
  for (let start = 0; start < blockRows.length; start += BATCH) {
    await tx
      .insert(poolBlocks)
      .values(blockRows.slice(start, start + BATCH))
      .onConflictDoNothing();
  }
  await tx
    .insert(poolSnapshots)
    .values({ digest: pool.digest, experts: null, blocks: [...tree.blocks], createdAt: now })
    .onConflictDoNothing();
  return () => {
    for (const row of recordRows) known.records.add(row.hash);
    for (const row of blockRows) known.blocks.add(row.hash);
    for (const hash of committed) known.blocks.add(hash);
  };
}

/**
 * A stored pool snapshot's experts in pool order, whichever form it was stored in (whole, or
 * as versions); null when there is no such snapshot.
 *
 * @example
 * const experts = await loadSnapshotExperts(db, draw.poolSnapshotDigest);
 */
export async function loadSnapshotExperts(db: Executor, digest: string): Promise<unknown[] | null> {
  const [snapshot] = await db
    .select({ experts: poolSnapshots.experts, blocks: poolSnapshots.blocks })
    .from(poolSnapshots)
    .where(eq(poolSnapshots.digest, digest));
  if (snapshot === undefined) return null;
  if (snapshot.experts !== null) return snapshot.experts as unknown[];
  const blockHashes = snapshot.blocks ?? [];
  const blocks = new Map<string, readonly string[]>();
  for (let start = 0; start < blockHashes.length; start += BATCH) {
    const rows = await db
      .select()
      .from(poolBlocks)
      .where(inArray(poolBlocks.hash, blockHashes.slice(start, start + BATCH)));
    for (const row of rows) blocks.set(row.hash, row.records);
  }
  const leaves = blockHashes.flatMap((hash) => blocks.get(hash) ?? missing('block', hash));
  const versions = new Map<string, unknown>();
  const distinct = [...new Set(leaves)];
  for (let start = 0; start < distinct.length; start += BATCH) {
    const rows = await db
      .select()
      .from(expertVersions)
      .where(inArray(expertVersions.hash, distinct.slice(start, start + BATCH)));
    for (const row of rows) versions.set(row.hash, row.record);
  }
  return leaves.map((hash) => (versions.has(hash) ? versions.get(hash) : missing('record', hash)));
}

function missing(kind: string, hash: string): never {
  throw new Error(`pool snapshot ${kind} ${hash} is not stored`);
}
