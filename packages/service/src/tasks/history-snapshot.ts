/**
 * A PostgreSQL snapshot (`pg_snapshot`, text form `xmin:xmax:xip,…`) as the history counters'
 * reads use it (#17, migration 0030): which transactions' changes to the counters a read saw.
 * A transaction is visible when it is below `xmin`, or below `xmax` and not in `xip` — the
 * rule of `pg_visible_in_snapshot`.
 */
export interface HistorySnapshot {
  readonly xmin: bigint;
  readonly xmax: bigint;
  /** In progress when the snapshot was taken, ascending. */
  readonly xip: readonly bigint[];
}

/**
 * Reads the text form of a `pg_snapshot`.
 *
 * @example
 * parseSnapshot('754:760:755,758'); // { xmin: 754n, xmax: 760n, xip: [755n, 758n] }
 */
export function parseSnapshot(text: string): HistorySnapshot {
  const [xmin, xmax, xip] = text.split(':');
  if (xmin === undefined || xmax === undefined || xip === undefined) {
    throw new Error(`not a pg_snapshot: ${text}`);
  }
  return {
    xmin: BigInt(xmin),
    xmax: BigInt(xmax),
    xip: xip === '' ? [] : xip.split(',').map((xid) => BigInt(xid)),
  };
}

/**
 * The text form `pg_snapshot` reads back.
 *
 * @example
 * formatSnapshot({ xmin: 754n, xmax: 760n, xip: [755n] }); // '754:760:755'
 */
export function formatSnapshot(snapshot: HistorySnapshot): string {
  return `${snapshot.xmin}:${snapshot.xmax}:${snapshot.xip.join(',')}`;
}

/**
 * The snapshot a read took, with the reading transaction's own id counted as in progress. A
 * transaction's own snapshot leaves itself out of `xip`, so whether `pg_visible_in_snapshot`
 * calls it visible depends on chance; its own uncommitted changes are kept apart instead (the
 * draw stores them as `pending`, a cache never takes them), so the snapshot must not see them.
 *
 * @example
 * withOwnInProgress(parseSnapshot('754:754:'), 754n); // 754:755:754
 */
export function withOwnInProgress(snapshot: HistorySnapshot, own: bigint | null): HistorySnapshot {
  if (own === null || snapshot.xip.includes(own)) return snapshot;
  // The snapshot's xmin leaves the own transaction out too: it may lie below it.
  return {
    xmin: own < snapshot.xmin ? own : snapshot.xmin,
    xmax: own >= snapshot.xmax ? own + 1n : snapshot.xmax,
    xip: [...snapshot.xip, own].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
  };
}

/**
 * True when `xid` committed before the snapshot was taken (`pg_visible_in_snapshot`).
 *
 * @example
 * isVisibleIn(756n, parseSnapshot('754:760:755')); // true
 */
export function isVisibleIn(xid: bigint, snapshot: HistorySnapshot): boolean {
  if (xid < snapshot.xmin) return true;
  return xid < snapshot.xmax && !snapshot.xip.includes(xid);
}

/**
 * True when every transaction `earlier` sees, `later` sees too: the changes `later` sees and
 * `earlier` does not are then all that separates the two reads. False for snapshots in the
 * other order, or that cannot be compared.
 *
 * @example
 * isCoveredBy(parseSnapshot('754:760:755'), parseSnapshot('755:762:755,761')); // true
 */
export function isCoveredBy(earlier: HistorySnapshot, later: HistorySnapshot): boolean {
  if (later.xmax < earlier.xmax) return false;
  // A transaction `later` counts in progress must be one `earlier` did not see either.
  return later.xip.every((xid) => !isVisibleIn(xid, earlier));
}
