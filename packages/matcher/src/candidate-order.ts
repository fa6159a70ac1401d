/**
 * A policy's preference over the eligible candidates as a lazily produced sequence of pool
 * indices: a draw usually needs only its first few dozen positions, so neither a full sort nor
 * a full weighted shuffle is paid for on a pool of 100 000.
 */
export class CandidateOrder {
  private readonly produced: number[] = [];
  private exhausted = false;

  constructor(private readonly produce: () => number) {}

  /** The pool index at position `k`, or -1 past the end. */
  at(k: number): number {
    while (this.produced.length <= k && !this.exhausted) {
      const next = this.produce();
      if (next < 0) this.exhausted = true;
      else this.produced.push(next);
    }
    return k < this.produced.length ? (this.produced[k] as number) : -1;
  }
}

/**
 * Highest score first; equal scores by a seeded key (`tieKey`), then by pool index. A draw
 * reads only the first positions, so the best `BLOCK` are found in one pass that mostly
 * compares against the weakest kept (cheap and predictable); only a draw that reads past them
 * pays for a heap over the rest.
 *
 * @example
 * bestOrder(Int32Array.of(4, 7), Float64Array.of(1, 2), Uint32Array.of(0, 0)).at(0); // 7
 */
export function bestOrder(
  candidates: Int32Array,
  scores: Float64Array,
  tieKey: Uint32Array,
): CandidateOrder {
  const before = (a: number, b: number): boolean => {
    const sa = scores[a] as number;
    const sb = scores[b] as number;
    if (sa !== sb) return sa > sb;
    const ta = tieKey[a] as number;
    const tb = tieKey[b] as number;
    if (ta !== tb) return ta < tb;
    return (candidates[a] as number) < (candidates[b] as number);
  };
  const n = candidates.length;
  const blockSize = Math.min(BLOCK, n);
  // A heap whose root is the weakest of the best kept so far.
  const kept = new Int32Array(blockSize);
  let size = 0;
  const after = (a: number, b: number): boolean => before(b, a);
  for (let k = 0; k < n; k++) {
    if (size < blockSize) {
      kept[size++] = k;
      siftUp(kept, size - 1, after);
    } else if (before(k, kept[0] as number)) {
      kept[0] = k;
      siftDown(kept, 0, size, after);
    }
  }
  const block = Array.from(kept).sort((a, b) => (before(a, b) ? -1 : 1));
  let produced = 0;
  let rest: Int32Array | null = null;
  let restSize = 0;
  return new CandidateOrder(() => {
    if (produced < block.length) return candidates[block[produced++] as number] as number;
    if (rest === null) {
      const inBlock = new Uint8Array(n);
      for (const k of block) inBlock[k] = 1;
      rest = new Int32Array(n - block.length);
      for (let k = 0; k < n; k++) if (inBlock[k] === 0) rest[restSize++] = k;
      for (let k = (restSize >> 1) - 1; k >= 0; k--) siftDown(rest, k, restSize, before);
    }
    if (restSize === 0) return -1;
    const top = rest[0] as number;
    restSize--;
    rest[0] = rest[restSize] as number;
    siftDown(rest, 0, restSize, before);
    return candidates[top] as number;
  });
}

const BLOCK = 64;

function siftDown(
  heap: Int32Array,
  start: number,
  size: number,
  first: (a: number, b: number) => boolean,
): void {
  let parent = start;
  for (;;) {
    const left = 2 * parent + 1;
    if (left >= size) return;
    const right = left + 1;
    let child = left;
    if (right < size && first(heap[right] as number, heap[left] as number)) child = right;
    if (!first(heap[child] as number, heap[parent] as number)) return;
    const swap = heap[parent] as number;
    heap[parent] = heap[child] as number;
    heap[child] = swap;
    parent = child;
  }
}

function siftUp(heap: Int32Array, start: number, first: (a: number, b: number) => boolean): void {
  let child = start;
  while (child > 0) {
    const parent = (child - 1) >> 1;
    if (!first(heap[child] as number, heap[parent] as number)) return;
    const swap = heap[parent] as number;
    heap[parent] = heap[child] as number;
    heap[child] = swap;
    child = parent;
  }
}

/**
 * A weighted random order without replacement (随机抽取, weighted by score): each position is
 * drawn with probability proportional to weight among those not yet drawn. Draws search a
 * cumulative sum and reject positions already taken; the sums are rebuilt without them once
 * half the weight is gone or rejections pile up, so the cost stays O(log n) per position.
 *
 * @example
 * lotteryOrder(Int32Array.of(4, 7), Float64Array.of(1, 1), seedrandom('s')).at(0); // 4 or 7
 */
export function lotteryOrder(
  candidates: Int32Array,
  weights: Float64Array,
  random: () => number,
): CandidateOrder {
  const n = candidates.length;
  const taken = new Uint8Array(n);
  // `slots[j]` is the candidate position behind `cumulative[j]`; null while it is the identity.
  let slots: Int32Array | null = null;
  let size = n;
  const cumulative = new Float64Array(n);
  let total = 0;
  let takenWeight = 0;
  let remaining = n;
  for (let k = 0; k < n; k++) {
    total += weights[k] as number;
    cumulative[k] = total;
  }
  const slotAt = (j: number): number => (slots === null ? j : (slots[j] as number));
  const rebuild = (): void => {
    const kept = new Int32Array(remaining);
    let count = 0;
    total = 0;
    for (let j = 0; j < size; j++) {
      const k = slotAt(j);
      if (taken[k] === 1) continue;
      kept[count] = k;
      total += weights[k] as number;
      cumulative[count] = total;
      count++;
    }
    slots = kept;
    size = count;
    takenWeight = 0;
  };
  return new CandidateOrder(() => {
    if (remaining === 0) return -1;
    let rejections = 0;
    for (;;) {
      if (rejections > 16 || takenWeight * 2 > total) {
        rebuild();
        rejections = 0;
      }
      const target = random() * total;
      let low = 0;
      let high = size - 1;
      while (low < high) {
        const middle = (low + high) >> 1;
        if ((cumulative[middle] as number) > target) high = middle;
        else low = middle + 1;
      }
      const k = slotAt(low);
      if (taken[k] === 1) {
        rejections++;
        continue;
      }
      taken[k] = 1;
      takenWeight += weights[k] as number;
      remaining--;
      return candidates[k] as number;
    }
  });
}

/** The positions of `first`, then those of `second` not already produced. */
export function concatOrders(first: CandidateOrder, second: CandidateOrder): CandidateOrder {
  const seen = new Set<number>();
  let k = 0;
  let j = 0;
  return new CandidateOrder(() => {
    for (;;) {
      const a = first.at(k);
      if (a >= 0) {
        k++;
        seen.add(a);
        return a;
      }
      const b = second.at(j++);
      if (b < 0) return -1;
      if (!seen.has(b)) return b;
    }
  });
}
