import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { queryRows } from '../db/query-rows.js';
import { idempotencyKeys } from '../db/schema.js';
import { ProblemError } from '../errors.js';

/** A stored response, replayed for a repeated request. */
export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

export type Claim =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'replay'; readonly response: StoredResponse };

/**
 * Claims an `Idempotency-Key` for this authority inside the transaction that does the work.
 * A transaction-scoped advisory lock on the key makes a concurrent duplicate a 409 at once
 * (never a wait), and goes away with the transaction, so a crashed request leaves nothing
 * stuck. Once the key holds a response, the same body replays it and another body is a 422.
 *
 * @example
 * const claim = await claimIdempotencyKey(tx, 'km-yjj', key, hash);
 * if (claim.kind === 'replay') return claim.response;
 */
export async function claimIdempotencyKey(
  tx: Executor,
  authorityId: string,
  key: string,
  requestHash: string,
): Promise<Claim> {
  const locked = await queryRows<{ locked: boolean }>(
    tx,
    sql`select pg_try_advisory_xact_lock(hashtextextended(${`${authorityId}\u001f${key}`}, 7212025)) as locked`,
  );
  if (locked[0]?.locked !== true) {
    throw new ProblemError('idempotency_in_progress', {
      zh: '相同幂等键的请求正在处理，请稍后重试',
      en: 'a request with this Idempotency-Key is still being processed; retry later',
    });
  }
  // A second statement: under READ COMMITTED it sees whatever committed before the lock.
  const [existing] = await tx
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.authorityId, authorityId), eq(idempotencyKeys.key, key)));
  if (existing === undefined || existing.responseStatus === null) return { kind: 'claimed' };
  if (existing.requestHash !== requestHash) {
    throw new ProblemError(
      'idempotency_key_reused',
      {
        zh: '该幂等键已用于内容不同的请求',
        en: 'this Idempotency-Key was used for a request with another body',
      },
      { errors: [{ path: 'headers.idempotency-key', message: 'already used for another body' }] },
    );
  }
  return {
    kind: 'replay',
    response: { status: existing.responseStatus, body: existing.responseBody },
  };
}

/**
 * Stores the response of a claimed key. Call it in the transaction that did the work, or alone
 * for an answer worth replaying when the work rolled back (an infeasible panel).
 */
export async function storeIdempotentResponse(
  db: Executor,
  authorityId: string,
  key: string,
  requestHash: string,
  response: StoredResponse,
  now: Date,
): Promise<void> {
  await db
    .insert(idempotencyKeys)
    .values({
      key,
      authorityId,
      requestHash,
      responseStatus: response.status,
      responseBody: response.body,
      createdAt: now,
    })
    .onConflictDoNothing();
}
