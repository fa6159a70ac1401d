/**
 * Runs `read` over `keys` a slice of `size` at a time, one statement after another, and
 * returns every row: a list of a whole pool's hashes would otherwise be one statement with an
 * unbounded parameter list.
 *
 * @example
 * const rows = await readInBatches(hashes, 1000, (batch) =>
 *   db.select().from(poolBlocks).where(inArray(poolBlocks.hash, batch)),
 * );
 */
export async function readInBatches<K, R>(
  keys: readonly K[],
  size: number,
  read: (batch: K[]) => Promise<readonly R[]>,
): Promise<R[]> {
  const rows: R[] = [];
  for (let start = 0; start < keys.length; start += size) {
    rows.push(...(await read(keys.slice(start, start + size))));
  }
  return rows;
}
