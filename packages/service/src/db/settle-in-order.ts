/**
 * Waits for statements sent together and returns their results in order, or throws the error
 * of the FIRST one (in the order given) that failed — not of whichever failed first in time.
 *
 * Why: statements pipelined in one transaction fail in a chain (after the first error every
 * later one is refused as "transaction aborted"), and the caller's own checks come in order too
 * (a refused Idempotency-Key outranks anything after it). `Promise.all` would also leave the
 * transaction's callback while statements are still in flight.
 *
 * @example
 * const [claim, ruleSet] = await settleInOrder([claimKey(tx), resolveRuleSet(tx, id, base)] as const);
 */
export async function settleInOrder<T extends readonly unknown[]>(
  work: { readonly [K in keyof T]: Promise<T[K]> },
): Promise<T> {
  const settled = await Promise.allSettled(work);
  const values: unknown[] = [];
  for (const result of settled) {
    if (result.status === 'rejected') throw result.reason;
    values.push(result.value);
  }
  return values as unknown as T;
}
