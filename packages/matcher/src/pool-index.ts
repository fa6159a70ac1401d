/**
 * The pool index of each expert id (`PreparedPool.indexOf`), built so that a pool after an
 * insertion or a removal gets its own index without rebuilding a 100,000-entry map (#17): ids
 * are numbered once, in a map shared by a pool and the pools updated from it, and each pool
 * keeps its own typed array from id number to pool index. The shared map only grows (a new id
 * gets the next number; a removed id keeps its number, at -1 in later pools), and a pool reads
 * only the numbers its array covers, so a pool in use is never affected by a later update.
 * Where an id occurs twice, it gives the first index, as a `Map` filled in pool order would.
 *
 * @example
 * const index = PoolIndex.of(['e-1', 'e-2']);
 * index.get('e-2'); // 1
 */
export class PoolIndex implements ReadonlyMap<string, number> {
  private constructor(
    private readonly numbers: Map<string, number>,
    private readonly indexOfNumber: Int32Array,
    private readonly ids: readonly string[],
    readonly size: number,
  ) {}

  /** The index of `ids`, in order (the first index of a repeated id). */
  static of(ids: readonly string[]): PoolIndex {
    const numbers = new Map<string, number>();
    const firsts: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as string;
      if (!numbers.has(id)) {
        numbers.set(id, firsts.length);
        firsts.push(i);
      }
    }
    return new PoolIndex(numbers, Int32Array.from(firsts), ids, firsts.length);
  }

  /** Whether two ids of the pool are equal (then an update re-indexes instead). */
  hasRepeatedIds(): boolean {
    return this.size !== this.ids.length;
  }

  /**
   * The index of the pool `ids` made from this pool's by keeping old index `i` at
   * `newIndexOf[i]` (-1: removed) and adding `added` (ids new to this pool, each with its
   * index). `ids` must hold no id twice.
   */
  moved(
    ids: readonly string[],
    newIndexOf: Int32Array,
    added: readonly (readonly [string, number])[],
  ): PoolIndex {
    for (const [id] of added) {
      if (!this.numbers.has(id)) this.numbers.set(id, this.numbers.size);
    }
    const next = new Int32Array(this.numbers.size).fill(-1);
    const old = this.indexOfNumber;
    for (let n = 0; n < old.length; n++) {
      const i = old[n] as number;
      if (i >= 0) next[n] = newIndexOf[i] as number;
    }
    for (const [id, index] of added) next[this.numbers.get(id) as number] = index;
    return new PoolIndex(this.numbers, next, ids, ids.length);
  }

  get(id: string): number | undefined {
    const n = this.numbers.get(id);
    if (n === undefined || n >= this.indexOfNumber.length) return undefined;
    const index = this.indexOfNumber[n] as number;
    return index < 0 ? undefined : index;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  forEach(
    callback: (value: number, key: string, map: ReadonlyMap<string, number>) => void,
    thisArg?: unknown,
  ): void {
    for (const [id, index] of this.entries()) callback.call(thisArg, index, id, this);
  }

  *entries(): Generator<[string, number], undefined, unknown> {
    for (let i = 0; i < this.ids.length; i++) {
      const id = this.ids[i] as string;
      if (this.get(id) === i) yield [id, i];
    }
    return undefined;
  }

  *keys(): Generator<string, undefined, unknown> {
    for (const [id] of this.entries()) yield id;
    return undefined;
  }

  *values(): Generator<number, undefined, unknown> {
    for (const [, index] of this.entries()) yield index;
    return undefined;
  }

  [Symbol.iterator](): Generator<[string, number], undefined, unknown> {
    return this.entries();
  }
}
