import {
  HISTORY_COUNTS_FORM,
  type HistoryCounts,
  historyCountKindSchema,
} from '@expert-dispatch/rules';

/** One expert's counters: day and kind (as the schema orders kinds) ascending. */
export interface Counter {
  readonly day: number;
  readonly kind: string;
  readonly n: number;
}

/** The counters' columns (without bookings) and what patching them needs. */
export interface Columns {
  readonly value: CounterColumns;
  /** Where each expert's rows start (`experts.length + 1` entries). */
  readonly rowStart: Int32Array;
  /** How many counters each of `value.kinds` has. */
  readonly kindTotals: readonly number[];
}

/** A history's counter columns: everything but the bookings. */
export type CounterColumns = Omit<HistoryCounts, 'busy'>;

/** Columns made by patching earlier ones: those and the experts whose counters may differ. */
export interface CounterPatch {
  readonly previous: CounterColumns;
  readonly changed: readonly string[];
}

// Per columns (their `day` array): the columns they were patched from, until what was made of
// them is made (`forgetCounterPatch`). Columns patched from columns not yet made use are noted
// as patched from what those were patched from, so a patch never holds a chain of columns.
const patches = new WeakMap<object, CounterPatch>();

function notePatch(before: CounterColumns, after: CounterColumns, changed: readonly string[]) {
  const earlier = patches.get(before.day);
  patches.set(
    after.day,
    earlier === undefined
      ? { previous: before, changed }
      : { previous: earlier.previous, changed: [...new Set([...earlier.changed, ...changed])] },
  );
}

/**
 * Lets go of the columns `history`'s were patched from, once what was made of them has been
 * patched into what is made of `history`'s (its prepared rows, its digest's text).
 *
 * @example
 * forgetCounterPatch(history); // counterPatchOf(history) is undefined from now on
 */
export function forgetCounterPatch(history: HistoryCounts): void {
  patches.delete(history.day);
}

/**
 * How `history`'s counter columns were made from earlier ones of this process, when they were
 * patched (#17): the earlier columns and the experts whose counters changed, so that what was
 * made of the earlier columns (prepared rows, the digest's text) is patched too.
 *
 * @example
 * const patch = counterPatchOf(history); // { previous, changed: ['e-7'] } or undefined
 */
export function counterPatchOf(history: HistoryCounts): CounterPatch | undefined {
  return patches.get(history.day);
}

/** Kinds in the schema's order (an unknown kind last). */
const KIND_ORDER: ReadonlyMap<string, number> = new Map(
  historyCountKindSchema.options.map((kind, order) => [kind, order]),
);
export const kindOrder = (kind: string) => KIND_ORDER.get(kind) ?? Number.MAX_SAFE_INTEGER;

/** Per-expert counters as the history's columns: experts in code-unit order, no zero counts. */
export function columnsOf(
  from: string,
  experts: ReadonlyMap<string, readonly Counter[]>,
  ids: readonly string[],
): Columns {
  const used = new Set<string>();
  for (const counters of experts.values()) for (const c of counters) if (c.n > 0) used.add(c.kind);
  const kinds = [...used].sort((a, b) => kindOrder(a) - kindOrder(b));
  const index = new Map(kinds.map((kind, k) => [kind, k]));
  const rows: number[] = [];
  const kept: string[] = [];
  const day: number[] = [];
  const kind: number[] = [];
  const n: number[] = [];
  for (const id of ids) {
    const counters = (experts.get(id) ?? []).filter((c) => c.n > 0);
    if (counters.length === 0) continue;
    kept.push(id);
    rows.push(counters.length);
    for (const c of counters) {
      day.push(c.day);
      kind.push(index.get(c.kind) as number);
      n.push(c.n);
    }
  }
  const value: CounterColumns = {
    form: HISTORY_COUNTS_FORM,
    from,
    kinds,
    experts: kept,
    rows,
    day,
    kind,
    n,
  };
  return { value, rowStart: rowStartOf(rows), kindTotals: kindTotalsOf(kinds.length, kind) };
}

/**
 * The pieces one after another: `concat` copies packed arrays natively (`flat()` is several
 * times slower), a few thousand pieces at a time so that no call spreads too many arguments.
 */
function joined<T>(pieces: readonly (readonly T[])[]): T[] {
  let out: T[] = [];
  for (let k = 0; k < pieces.length; k += 4_096) out = out.concat(...pieces.slice(k, k + 4_096));
  return out;
}

function rowStartOf(rows: readonly number[]): Int32Array {
  const start = new Int32Array(rows.length + 1);
  for (let k = 0; k < rows.length; k++) start[k + 1] = (start[k] as number) + (rows[k] as number);
  return start;
}

function kindTotalsOf(kinds: number, kind: readonly number[]): number[] {
  const totals = new Array<number>(kinds).fill(0);
  for (const k of kind) totals[k] = (totals[k] as number) + 1;
  return totals;
}

/**
 * The position of `id` in code-unit ordered `ids`, or where it would go (as `-(at + 1)`).
 *
 * @example
 * positionOf(['a', 'c'], 'c'); // 1
 * positionOf(['a', 'c'], 'b'); // -2
 */
export function positionOf(ids: readonly string[], id: string): number {
  let low = 0;
  let high = ids.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const at = ids[middle] as string;
    if (at === id) return middle;
    if (at < id) low = middle + 1;
    else high = middle - 1;
  }
  return -(low + 1);
}

/**
 * The columns with the counters of `changed` experts taken from `experts` (absent: none) and
 * everyone else's copied: O(changed counters) work plus array copies, instead of writing every
 * expert's counters out again. Undefined when the kinds in use change (the kind indices of
 * every counter would move): the caller makes the columns whole. The experts' array is the
 * same array while no expert comes or goes.
 */
export function patchColumns(
  base: Columns,
  experts: ReadonlyMap<string, readonly Counter[]>,
  changed: ReadonlySet<string>,
): Columns {
  const before = base.value;
  const totals = new Map(before.kinds.map((kind, k) => [kind, base.kindTotals[k] as number]));
  const ids = [...changed].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const edits = ids.map((id) => {
    const at = positionOf(before.experts, id);
    const counters = (experts.get(id) ?? []).filter((c) => c.n > 0);
    return { id, at, counters };
  });
  for (const { at, counters } of edits) {
    if (at >= 0) {
      for (let r = base.rowStart[at] as number; r < (base.rowStart[at + 1] as number); r++) {
        const kind = before.kinds[before.kind[r] as number] as string;
        totals.set(kind, (totals.get(kind) as number) - 1);
      }
    }
    for (const c of counters) totals.set(c.kind, (totals.get(c.kind) ?? 0) + 1);
  }
  // The kinds in use, as `columnsOf` lists them; when they change, every kind index moves.
  const used = [...totals]
    .filter(([, total]) => total > 0)
    .map(([kind]) => kind)
    .sort((a, b) => kindOrder(a) - kindOrder(b));
  const sameKinds =
    used.length === before.kinds.length && used.every((kind, k) => kind === before.kinds[k]);
  const kinds = sameKinds ? before.kinds : used;
  const index = new Map(kinds.map((kind, k) => [kind, k]));
  const remap = sameKinds ? undefined : before.kinds.map((kind) => index.get(kind) ?? -1);
  // Copied rows keep their kinds, under the new indices when the kinds in use changed.
  const copyKinds = (from: number, to: number) => {
    const piece = before.kind.slice(from, to);
    if (remap !== undefined)
      for (let r = 0; r < piece.length; r++) piece[r] = remap[piece[r] as number] as number;
    return piece;
  };
  const kindTotals = kinds.map((kind) => totals.get(kind) as number);
  const sameExperts = edits.every(({ at, counters }) => at >= 0 === counters.length > 0);
  const expertPieces: (readonly string[])[] = [];
  const rowPieces: (readonly number[])[] = [];
  const dayPieces: (readonly number[])[] = [];
  const kindPieces: (readonly number[])[] = [];
  const nPieces: (readonly number[])[] = [];
  let copiedTo = 0; // experts before this position are placed
  for (const { id, at, counters } of edits) {
    const position = at >= 0 ? at : -at - 1;
    const rowFrom = base.rowStart[copiedTo] as number;
    const rowTo = base.rowStart[position] as number;
    if (!sameExperts) expertPieces.push(before.experts.slice(copiedTo, position));
    rowPieces.push(before.rows.slice(copiedTo, position));
    dayPieces.push(before.day.slice(rowFrom, rowTo));
    kindPieces.push(copyKinds(rowFrom, rowTo));
    nPieces.push(before.n.slice(rowFrom, rowTo));
    if (counters.length > 0) {
      if (!sameExperts) expertPieces.push([id]);
      rowPieces.push([counters.length]);
      dayPieces.push(counters.map((c) => c.day));
      kindPieces.push(counters.map((c) => index.get(c.kind) as number));
      nPieces.push(counters.map((c) => c.n));
    }
    copiedTo = at >= 0 ? at + 1 : position;
  }
  const rowFrom = base.rowStart[copiedTo] as number;
  if (!sameExperts) expertPieces.push(before.experts.slice(copiedTo));
  rowPieces.push(before.rows.slice(copiedTo));
  dayPieces.push(before.day.slice(rowFrom));
  kindPieces.push(copyKinds(rowFrom, before.kind.length));
  nPieces.push(before.n.slice(rowFrom));
  const rows = joined(rowPieces);
  const kind = joined(kindPieces);
  const value: CounterColumns = {
    ...before,
    kinds,
    experts: sameExperts ? before.experts : joined(expertPieces),
    rows,
    day: joined(dayPieces),
    kind,
    n: joined(nPieces),
  };
  notePatch(before, value, ids);
  return { value, rowStart: rowStartOf(rows), kindTotals };
}
