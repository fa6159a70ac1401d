import { createHash } from 'node:crypto';
import type { PreparedPool } from '@expert-dispatch/matcher';
import { eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { readInBatches } from '../db/read-in-batches.js';
import { expertVersions, poolBlockLists, poolBlocks, poolSnapshots } from '../db/schema.js';

/**
 * What a process knows to be stored (committed): record versions and blocks by hash. Per
 * database (the owner of the pool cache), filled only after the transaction that wrote them
 * committed, so that a snapshot never names a version a rolled-back transaction wrote.
 */
interface StoredHashes {
  readonly records: Set<string>;
  readonly blocks: Set<string>;
  readonly lists: Set<string>;
}

const stored = new WeakMap<object, StoredHashes>();

function storedOf(owner: object): StoredHashes {
  let known = stored.get(owner);
  if (known === undefined) {
    known = { records: new Set(), blocks: new Set(), lists: new Set() };
    stored.set(owner, known);
  }
  return known;
}

/** Rows per insert statement. */
const BATCH = 1000;

/**
 * Block hashes per list of the second level: a one-expert change rewrites one list (64 hashes,
 * 2 KB packed) and the top list (one hash per 64 blocks: 2 KB at 1,000,000 experts).
 */
export const BLOCKS_PER_LIST = 64;

/** A list of block hashes as it is stored: its content address and its hashes. */
export interface BlockList {
  readonly hash: string;
  readonly blocks: readonly string[];
}

/**
 * The block hashes in lists of `BLOCKS_PER_LIST`, each named by the SHA-256 of its hashes
 * joined by commas (a storage address only: the pool's digest is defined by the tree).
 *
 * @example
 * blockListsOf(tree.blocks)[0]?.blocks.length; // 64 (or fewer in a small pool)
 */
export function blockListsOf(blocks: readonly string[]): BlockList[] {
  const lists: BlockList[] = [];
  for (let start = 0; start < blocks.length; start += BLOCKS_PER_LIST) {
    const chunk = blocks.slice(start, start + BLOCKS_PER_LIST);
    lists.push({ hash: createHash('sha256').update(chunk.join(',')).digest('hex'), blocks: chunk });
  }
  return lists;
}

/**
 * Stores a draw's pool snapshot. A pool under the `pool-digest@2` tree is stored as versions
 * (#17): each record version once (`expert_versions`, by its record hash), each block of 256
 * record hashes once (`pool_blocks`), the block hashes in lists of 64 once (`pool_block_lists`),
 * and the snapshot as its list hashes, every hash packed in 32 bytes — so a revision that
 * changed one expert writes that version, one block (8 KB), one list (2 KB) and the top list
 * (32 bytes per 64 blocks), not the pool. A pool under the version 1 digest is stored whole, as
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
  const lists = blockListsOf(tree.blocks);
  // A list committed (by any process) was committed with its blocks and their versions, so
  // only the blocks of lists not known to be stored can be new.
  const committedLists = await committedHashes(
    tx,
    lists.map((list) => list.hash).filter((hash) => !known.lists.has(hash)),
    'lists',
  );
  const newLists = lists.filter(
    (list, k) =>
      !known.lists.has(list.hash) &&
      !committedLists.has(list.hash) &&
      lists.findIndex((other) => other.hash === list.hash) === k,
  );
  const candidateBlocks = new Set<number>();
  for (const list of newLists) {
    const first = lists.indexOf(list) * BLOCKS_PER_LIST;
    for (let k = 0; k < list.blocks.length; k++) candidateBlocks.add(first + k);
  }
  // Blocks another process (or this one before a restart) committed are visible here: their
  // versions were committed with them, so neither is written again.
  const committed = await committedHashes(
    tx,
    [...candidateBlocks]
      .map((block) => tree.blocks[block] as string)
      .filter((hash) => !known.blocks.has(hash)),
    'blocks',
  );
  const newBlocks: number[] = [];
  const seenBlocks = new Set<string>();
  for (const block of candidateBlocks) {
    const hash = tree.blocks[block] as string;
    if (known.blocks.has(hash) || committed.has(hash) || seenBlocks.has(hash)) continue;
    seenBlocks.add(hash);
    newBlocks.push(block);
  }
  const records = new Map<string, unknown>();
  const blockRows = newBlocks.map((block) => {
    const start = block * 256;
    const hashes = tree.records.slice(start, start + 256);
    hashes.forEach((hash, k) => {
      if (!known.records.has(hash)) records.set(hash, pool.experts[start + k]);
    });
    return { hash: tree.blocks[block] as string, records: null, packed: hashes };
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
  const listRows = newLists.map((list) => ({ hash: list.hash, blocks: [...list.blocks] }));
  for (let start = 0; start < listRows.length; start += BATCH) {
    await tx
      .insert(poolBlockLists)
      .values(listRows.slice(start, start + BATCH))
      .onConflictDoNothing();
  }
  await tx
    .insert(poolSnapshots)
    .values({
      digest: pool.digest,
      experts: null,
      blocks: null,
      blockLists: lists.map((list) => list.hash),
      createdAt: now,
    })
    .onConflictDoNothing();
  return () => {
    for (const row of recordRows) known.records.add(row.hash);
    for (const row of blockRows) known.blocks.add(row.hash);
    for (const hash of committed) known.blocks.add(hash);
    for (const row of listRows) known.lists.add(row.hash);
    for (const hash of committedLists) known.lists.add(hash);
  };
}

/** Which of `hashes` are stored in `pool_block_lists` (lists) or `pool_blocks` (blocks). */
async function committedHashes(
  tx: Executor,
  hashes: readonly string[],
  kind: 'lists' | 'blocks',
): Promise<Set<string>> {
  const unique = [...new Set(hashes)];
  const found = new Set<string>();
  for (let start = 0; start < unique.length; start += BATCH) {
    const slice = unique.slice(start, start + BATCH);
    const rows =
      kind === 'lists'
        ? await tx
            .select({ hash: poolBlockLists.hash })
            .from(poolBlockLists)
            .where(inArray(poolBlockLists.hash, slice))
        : await tx
            .select({ hash: poolBlocks.hash })
            .from(poolBlocks)
            .where(inArray(poolBlocks.hash, slice));
    for (const row of rows) found.add(row.hash);
  }
  return found;
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
    .select({
      experts: poolSnapshots.experts,
      blocks: poolSnapshots.blocks,
      blockLists: poolSnapshots.blockLists,
    })
    .from(poolSnapshots)
    .where(eq(poolSnapshots.digest, digest));
  if (snapshot === undefined) return null;
  if (snapshot.experts !== null) return snapshot.experts as unknown[];
  // One level (block hashes) or two (lists of block hashes, #17): the same block hashes.
  const blockHashes = snapshot.blocks ?? (await loadBlockHashes(db, snapshot.blockLists ?? []));
  const blocks = new Map<string, readonly string[]>();
  const blockRows = await readInBatches(blockHashes, BATCH, (batch) =>
    db.select().from(poolBlocks).where(inArray(poolBlocks.hash, batch)),
  );
  for (const row of blockRows) blocks.set(row.hash, row.packed ?? row.records ?? []);
  const leaves = blockHashes.flatMap((hash) => blocks.get(hash) ?? missing('block', hash));
  const versions = new Map<string, unknown>();
  const distinct = [...new Set(leaves)];
  const versionRows = await readInBatches(distinct, BATCH, (batch) =>
    db.select().from(expertVersions).where(inArray(expertVersions.hash, batch)),
  );
  for (const row of versionRows) versions.set(row.hash, row.record);
  return leaves.map((hash) => (versions.has(hash) ? versions.get(hash) : missing('record', hash)));
}

async function loadBlockHashes(db: Executor, listHashes: readonly string[]): Promise<string[]> {
  const lists = new Map<string, readonly string[]>();
  const distinct = [...new Set(listHashes)];
  const rows = await readInBatches(distinct, BATCH, (batch) =>
    db.select().from(poolBlockLists).where(inArray(poolBlockLists.hash, batch)),
  );
  for (const row of rows) lists.set(row.hash, row.blocks);
  return listHashes.flatMap((hash) => lists.get(hash) ?? missing('block list', hash));
}

function missing(kind: string, hash: string): never {
  throw new Error(`pool snapshot ${kind} ${hash} is not stored`);
}
