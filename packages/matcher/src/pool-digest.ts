import { digestList, type Sha256Stream, sha256Hex } from './canonical-json.js';
import { drawExpertJson } from './draw-expert-json.js';

/**
 * How a pool digest is defined. `1`: SHA-256 (hex) of the canonical JSON of the whole pool, the
 * digest of every draw made before issue #17. `2` (`pool-digest@2`): a two-level hash tree —
 * each record hashed alone, the record hashes hashed in blocks of {@link POOL_DIGEST_BLOCK},
 * the block hashes and the record count hashed into the root — so that a change to one record
 * rehashes that record, its block and the root. A digest names its definition: a version 2
 * digest starts with `pool-digest@2:`, a version 1 digest is 64 hex digits.
 */
export type PoolDigestVersion = 1 | 2;

const PREFIX_V2 = 'pool-digest@2:';

/** Record hashes per block of a `pool-digest@2` tree. */
export const POOL_DIGEST_BLOCK = 256;

/**
 * The definition a stored pool digest was computed under: replay a draw with that one.
 *
 * @example
 * poolDigestVersionOf('pool-digest@2:9f…'); // 2
 * poolDigestVersionOf('5d41402abc4b2a76…'); // 1
 */
export function poolDigestVersionOf(digest: string): PoolDigestVersion {
  return digest.startsWith(PREFIX_V2) ? 2 : 1;
}

/**
 * The hash tree of a `pool-digest@2` digest: the record hashes (SHA-256 hex of each record's
 * canonical JSON, in pool order), the block hashes (SHA-256 hex of the concatenated record
 * hashes of each block of {@link POOL_DIGEST_BLOCK}) and the digest, `pool-digest@2:` followed
 * by the SHA-256 hex of `pool-digest@2:<count>:` and the concatenated block hashes.
 *
 * Collision resistance: every node hashes fixed-length (64 hex digits) children, the shape of
 * the tree follows from the count, and the count is bound into the root; two different ordered
 * lists of records with the same digest therefore give a SHA-256 collision at some node (the
 * usual argument for Merkle trees). Sums or XORs of record hashes would be cheaper to update
 * but are not collision resistant (a generalized birthday attack finds lists with equal sums).
 */
export interface PoolDigestTree {
  readonly records: readonly string[];
  readonly blocks: readonly string[];
  readonly digest: string;
}

function hashText(text: string, sha256Stream: (() => Sha256Stream) | undefined): string {
  if (sha256Stream === undefined) return sha256Hex(text);
  const hash = sha256Stream();
  hash.update(text);
  return hash.digest('hex');
}

/**
 * SHA-256 (hex) of one record's canonical JSON: a leaf of the `pool-digest@2` tree.
 *
 * @example
 * recordDigest({ id: 'e-1' }) === sha256Hex('{"id":"e-1"}'); // true
 */
export function recordDigest(record: unknown, sha256Stream?: () => Sha256Stream): string {
  return hashText(drawExpertJson(record === undefined ? null : record), sha256Stream);
}

function blockDigest(
  records: readonly string[],
  block: number,
  sha256Stream: (() => Sha256Stream) | undefined,
): string {
  const start = block * POOL_DIGEST_BLOCK;
  return hashText(records.slice(start, start + POOL_DIGEST_BLOCK).join(''), sha256Stream);
}

function rootDigest(
  count: number,
  blocks: readonly string[],
  sha256Stream: (() => Sha256Stream) | undefined,
): string {
  return PREFIX_V2 + hashText(`${PREFIX_V2}${count}:${blocks.join('')}`, sha256Stream);
}

/**
 * The `pool-digest@2` tree of a list; `known(i)` may give the record hash of item `i` when the
 * caller already has it (an unchanged record of a previous tree), so that only new records are
 * hashed.
 *
 * @example
 * poolDigestTree(experts).digest; // 'pool-digest@2:…'
 */
export function poolDigestTree(
  list: readonly unknown[],
  sha256Stream?: () => Sha256Stream,
  known?: (index: number) => string | undefined,
): PoolDigestTree {
  const records = list.map((item, index) => known?.(index) ?? recordDigest(item, sha256Stream));
  return poolDigestTreeOf(records, sha256Stream);
}

/**
 * The `pool-digest@2` tree over record hashes already computed; `knownBlock(b)` may give the
 * hash of block `b` when the caller knows its record hashes are those of a block already hashed.
 *
 * @example
 * poolDigestTreeOf(tree.records).digest === tree.digest; // true
 */
export function poolDigestTreeOf(
  records: readonly string[],
  sha256Stream?: () => Sha256Stream,
  knownBlock?: (block: number) => string | undefined,
): PoolDigestTree {
  const blocks = Array.from(
    { length: Math.ceil(records.length / POOL_DIGEST_BLOCK) },
    (_, b) => knownBlock?.(b) ?? blockDigest(records, b, sha256Stream),
  );
  return { records, blocks, digest: rootDigest(records.length, blocks, sha256Stream) };
}

/**
 * The tree after records at some indices changed (same count, same order): rehashes those
 * records, their blocks and the root — work proportional to the change (the root hashes one
 * 64-digit hash per block: 391 at 100,000 records).
 *
 * @example
 * updatePoolDigestTree(tree, new Map([[7, expert]])).digest; // as poolDigestTree of the new list
 */
export function updatePoolDigestTree(
  tree: PoolDigestTree,
  changed: ReadonlyMap<number, unknown>,
  sha256Stream?: () => Sha256Stream,
): PoolDigestTree {
  if (changed.size === 0) return tree;
  const records = tree.records.slice();
  const touched = new Set<number>();
  for (const [index, record] of changed) {
    records[index] = recordDigest(record, sha256Stream);
    touched.add(Math.floor(index / POOL_DIGEST_BLOCK));
  }
  const blocks = tree.blocks.slice();
  for (const block of touched) blocks[block] = blockDigest(records, block, sha256Stream);
  return { records, blocks, digest: rootDigest(records.length, blocks, sha256Stream) };
}

/**
 * The digest of a pool under a definition (see {@link PoolDigestVersion}).
 *
 * @example
 * poolDigest(experts, 1) === digestList(experts); // true
 */
export function poolDigest(
  list: readonly unknown[],
  version: PoolDigestVersion,
  sha256Stream?: () => Sha256Stream,
): string {
  return version === 1
    ? digestList(list, sha256Stream, drawExpertJson)
    : poolDigestTree(list, sha256Stream).digest;
}
