/**
 * A pool after a change, described as pieces of the old one: runs of unchanged old records
 * (old `from`…`to`, now from `at`) and single new or changed records (now at `at`), in new
 * order — and the arrays of the new pool assembled from them with native copies (#17).
 */
export type Piece<T> =
  | { readonly from: number; readonly to: number; readonly at: number }
  | { readonly fresh: T; readonly at: number };

/** The pieces of a change, and where each old record went (-1: removed). */
export interface PoolPlan<T> {
  readonly pieces: readonly Piece<T>[];
  readonly newIndexOf: Int32Array;
  readonly size: number;
  /** The new and changed records with their new indices, in new order. */
  readonly fresh: readonly (readonly [number, T])[];
  /** The added records with their new indices. */
  readonly added: readonly (readonly [T, number])[];
}

/**
 * The plan of a change to `n` old records: `changed` replaces old records in place, `removed`
 * (old indices) drops them, and each of `added` goes before the old record at its `place`
 * (ascending places; equal places keep their order).
 *
 * @example
 * planPool(3, new Map(), [1], [['x', 0]]).pieces; // x, then old 0, then old 2
 */
export function planPool<T>(
  n: number,
  changed: ReadonlyMap<number, T>,
  removed: readonly number[],
  added: readonly (readonly [T, number])[],
): PoolPlan<T> {
  const newIndexOf = new Int32Array(n);
  const staleAt = [...changed.keys(), ...removed].sort((x, y) => x - y);
  const pieces: Piece<T>[] = [];
  const fresh: [number, T][] = [];
  const addedAt: [T, number][] = [];
  let at = 0;
  let r = 0;
  let a = 0;
  let s = 0;
  for (;;) {
    const nextAdd = a < added.length ? (added[a] as readonly [T, number])[1] : n + 1;
    const nextStale = s < staleAt.length ? (staleAt[s] as number) : n + 1;
    const stop = Math.min(nextAdd, nextStale, n);
    if (stop > r) {
      pieces.push({ from: r, to: stop, at });
      fillShifted(newIndexOf, r, stop, at - r);
      at += stop - r;
      r = stop;
    }
    if (nextAdd === stop && a < added.length) {
      // A new record goes before the old record at its place.
      const record = (added[a] as readonly [T, number])[0];
      pieces.push({ fresh: record, at });
      fresh.push([at, record]);
      addedAt.push([record, at]);
      at++;
      a++;
      continue;
    }
    if (stop === n) break;
    const next = changed.get(stop);
    if (next === undefined) {
      newIndexOf[stop] = -1;
    } else {
      newIndexOf[stop] = at;
      pieces.push({ fresh: next, at });
      fresh.push([at, next]);
      at++;
    }
    r = stop + 1;
    s++;
  }
  return { pieces, newIndexOf, size: at, fresh, added: addedAt };
}

function fillShifted(target: Int32Array, from: number, to: number, shift: number): void {
  for (let k = from; k < to; k++) target[k] = k + shift;
}

/**
 * The new pool's array from the old one's: the unchanged runs copied natively (one
 * `toSpliced` and in-place `splice`s, one per place where the pool changed), the fresh pieces
 * as `freshValue` gives them.
 *
 * @example
 * assembleArray(['a', 'b'], planPool(2, new Map(), [], [['x', 1]]).pieces, (p) => p); // a, x, b
 */
export function assembleArray<T, R>(
  old: readonly R[],
  pieces: readonly Piece<T>[],
  freshValue: (fresh: T) => R,
): R[] {
  // Edits in old coordinates: between two runs, the old records skipped and the fresh inserted.
  const edits: { start: number; remove: number; items: R[] }[] = [];
  let oldAt = 0;
  let items: R[] = [];
  for (const piece of pieces) {
    if ('from' in piece) {
      if (piece.from > oldAt || items.length > 0) {
        edits.push({ start: oldAt, remove: piece.from - oldAt, items });
      }
      items = [];
      oldAt = piece.to;
    } else {
      items.push(freshValue(piece.fresh));
    }
  }
  if (old.length > oldAt || items.length > 0) {
    edits.push({ start: oldAt, remove: old.length - oldAt, items });
  }
  if (edits.length === 0) return old.slice();
  // From the last edit back, so that the earlier edits' old coordinates still hold.
  const last = edits[edits.length - 1] as (typeof edits)[number];
  const out = old.toSpliced(last.start, last.remove, ...last.items);
  for (let e = edits.length - 2; e >= 0; e--) {
    const edit = edits[e] as (typeof edits)[number];
    out.splice(edit.start, edit.remove, ...edit.items);
  }
  return out;
}

type TypedColumn = Uint8Array | Uint16Array | Int32Array | Uint32Array;

/**
 * The new pool's column from the old one's: the unchanged runs copied (`set`), the fresh
 * entries left at 0 for the caller to write.
 *
 * @example
 * assembleColumn(pool.tier, plan, (length) => new Uint8Array(length));
 */
export function assembleColumn<T, C extends TypedColumn>(
  old: C,
  plan: PoolPlan<T>,
  make: (length: number) => C,
): C {
  const next = make(plan.size);
  for (const piece of plan.pieces) {
    if ('from' in piece) next.set(old.subarray(piece.from, piece.to), piece.at);
  }
  return next;
}

/**
 * The new pool's compressed rows (`start`, `values`: row i is `values[start[i]…start[i+1])`),
 * the unchanged runs' rows copied and their starts shifted, the fresh rows as `freshRow` gives.
 *
 * @example
 * assembleRows(pool.specialtyStart, pool.specialtyIds, plan, (expert) => interned(expert));
 */
export function assembleRows<T>(
  start: Int32Array,
  values: Int32Array,
  plan: PoolPlan<T>,
  freshRow: (fresh: T) => readonly number[],
): { readonly start: Int32Array; readonly values: Int32Array } {
  const rows = new Map<number, readonly number[]>();
  let length = 0;
  for (const piece of plan.pieces) {
    if ('from' in piece) {
      length += (start[piece.to] as number) - (start[piece.from] as number);
    } else {
      const row = freshRow(piece.fresh);
      rows.set(piece.at, row);
      length += row.length;
    }
  }
  const nextStart = new Int32Array(plan.size + 1);
  const nextValues = new Int32Array(length);
  let at = 0;
  for (const piece of plan.pieces) {
    if ('from' in piece) {
      const begin = start[piece.from] as number;
      const end = start[piece.to] as number;
      shiftInto(nextStart, start, piece.from, piece.to, piece.at - piece.from, at - begin);
      nextValues.set(values.subarray(begin, end), at);
      at += end - begin;
    } else {
      nextStart[piece.at] = at;
      const row = rows.get(piece.at) as readonly number[];
      nextValues.set(row, at);
      at += row.length;
    }
  }
  nextStart[plan.size] = at;
  return { start: nextStart, values: nextValues };
}

function shiftInto(
  target: Int32Array,
  source: Int32Array,
  from: number,
  to: number,
  offset: number,
  add: number,
): void {
  for (let r = from; r < to; r++) target[r + offset] = (source[r] as number) + add;
}
