import { createHash } from 'node:crypto';
import { canonicalJson } from '@expert-dispatch/matcher';
import type { HistoryCounts } from '@expert-dispatch/rules';
import { type CounterPatch, positionOf } from './history-counts-columns.js';

// node:crypto's SHA-256 (the same digest as the matcher's own, far faster at scale).
const sha256 = () => createHash('sha256');

/** Experts per block of the columns' text: a change rewrites its block's counters only. */
const BLOCK = 512;

/** The canonical JSON of a history's keys, in the order `canonicalJson` writes them. */
const KEYS = 'busy,day,experts,form,from,kind,kinds,n,rows';

/** The JSON text of counter columns, per block of experts (without the arrays' brackets). */
interface ColumnsText {
  readonly columns: readonly unknown[];
  readonly day: readonly string[];
  readonly kind: readonly string[];
  readonly n: readonly string[];
  readonly rows: readonly string[];
}

// Per counter columns (their `day` array) and per experts array: the text made of them.
const texts = new WeakMap<object, ColumnsText>();
const expertTexts = new WeakMap<object, string>();

/**
 * SHA-256 of the canonical JSON of daily counts (the matcher's history digest, unchanged), with
 * the counters' text kept per block of 512 experts: when the columns were patched from columns
 * hashed before (`patch`), only the blocks of the changed experts are written again, and the
 * hash runs over the kept text (O(counters) hashing, but no JSON writing of a whole pool).
 *
 * @example
 * countsDigest(history, counterPatchOf(history)); // as sha256(canonicalJson(history))
 */
export function countsDigest(history: HistoryCounts, patch: CounterPatch | undefined): string {
  if (Object.keys(history).sort().join() !== KEYS) {
    return sha256().update(canonicalJson(history)).digest('hex');
  }
  const text = columnsTextOf(history, patch);
  const hash = sha256().update('{"busy":').update(canonicalJson(history.busy));
  const array = (name: string, blocks: readonly string[]) => {
    hash.update(`,"${name}":[`);
    blocks.forEach((block, b) => {
      if (b > 0 && block !== '') hash.update(',');
      hash.update(block);
    });
    hash.update(']');
  };
  array('day', text.day);
  let experts = expertTexts.get(history.experts);
  if (experts === undefined) {
    experts = JSON.stringify(history.experts);
    expertTexts.set(history.experts, experts);
  }
  hash.update(`,"experts":${experts}`);
  hash.update(`,"form":${JSON.stringify(history.form)},"from":${JSON.stringify(history.from)}`);
  array('kind', text.kind);
  hash.update(`,"kinds":${JSON.stringify(history.kinds)}`);
  array('n', text.n);
  array('rows', text.rows);
  return hash.update('}').digest('hex');
}

function columnsOf(history: Omit<HistoryCounts, 'busy'>): readonly unknown[] {
  return [
    history.from,
    history.kinds,
    history.experts,
    history.rows,
    history.day,
    history.kind,
    history.n,
  ];
}

/** The blocks' text of `history`'s columns: kept, patched from earlier columns' or made. */
function columnsTextOf(history: HistoryCounts, patch: CounterPatch | undefined): ColumnsText {
  const columns = columnsOf(history);
  const known = texts.get(history.day);
  if (known?.columns.every((column, k) => column === columns[k])) return known;
  const start = new Int32Array(history.rows.length + 1);
  history.rows.forEach((rows, k) => {
    start[k + 1] = (start[k] as number) + rows;
  });
  const blocks = Math.ceil(history.experts.length / BLOCK);
  const previous = patch === undefined ? undefined : columnsOf(patch.previous);
  const kept = previous === undefined ? undefined : texts.get(previous[4] as object);
  // The text kept for the very columns patched from (not for others sharing their `day`).
  const earlier = kept?.columns.every((column, k) => column === previous?.[k]) ? kept : undefined;
  // Blocks stay in place only while the same experts (the same array) hold the same kinds.
  const reusable =
    patch !== undefined &&
    earlier !== undefined &&
    patch.previous.experts === history.experts &&
    patch.previous.kinds === history.kinds &&
    patch.previous.from === history.from &&
    earlier.day.length === blocks;
  const redo = new Set<number>();
  if (reusable) {
    for (const id of patch.changed) {
      const at = positionOf(history.experts, id);
      if (at >= 0) redo.add(Math.floor(at / BLOCK));
    }
  }
  const text = {
    columns,
    day: reusable ? [...earlier.day] : new Array<string>(blocks),
    kind: reusable ? [...earlier.kind] : new Array<string>(blocks),
    n: reusable ? [...earlier.n] : new Array<string>(blocks),
    rows: reusable ? [...earlier.rows] : new Array<string>(blocks),
  };
  for (let b = 0; b < blocks; b++) {
    if (reusable && !redo.has(b)) continue;
    const first = b * BLOCK;
    const last = Math.min(first + BLOCK, history.experts.length);
    const from = start[first] as number;
    const to = start[last] as number;
    text.day[b] = inner(history.day.slice(from, to));
    text.kind[b] = inner(history.kind.slice(from, to));
    text.n[b] = inner(history.n.slice(from, to));
    text.rows[b] = inner(history.rows.slice(first, last));
  }
  texts.set(history.day, text);
  return text;
}

/** An array's JSON without its brackets (plain numbers: the canonical text). */
function inner(values: readonly number[]): string {
  return JSON.stringify(values).slice(1, -1);
}
