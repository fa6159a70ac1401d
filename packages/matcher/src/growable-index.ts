/**
 * A copy of an interner's index (value → id) that adds values on first use, copied only if it
 * must grow: an updated pool shares its interned values with the pool it was made from.
 *
 * @example
 * const employers = growable(pool.employerIndex);
 * employers.intern('emp-new'); // the next id; pool.employerIndex is unchanged
 */
export function growable(index: ReadonlyMap<string, number>): {
  readonly intern: (value: string) => number;
  readonly result: () => ReadonlyMap<string, number>;
} {
  let map: Map<string, number> | undefined;
  return {
    intern(value: string): number {
      const id = (map ?? index).get(value);
      if (id !== undefined) return id;
      map ??= new Map(index);
      const next = map.size;
      map.set(value, next);
      return next;
    },
    result: (): ReadonlyMap<string, number> => map ?? index,
  };
}
