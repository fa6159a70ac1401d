import { sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { jsonColumn, queryRows } from '../db/query-rows.js';
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
  // Two statements sent together (one round trip on postgres.js): the server runs them in
  // order, and under READ COMMITTED the second takes its snapshot only once the lock is held,
  // so it sees whatever committed before the lock.
  const [locked, stored] = await Promise.all([
    queryRows<{ locked: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(hashtextextended(${`${authorityId}\u001f${key}`}, 7212025)) as locked`,
    ),
    queryRows<{ request_hash: string; response_status: number | null; response_body: unknown }>(
      tx,
      sql`select request_hash, response_status, response_body from idempotency_keys
          where authority_id = ${authorityId} and key = ${key}`,
    ),
  ]);
  if (locked[0]?.locked !== true) {
    throw new ProblemError('idempotency_in_progress', {
      zh: '相同幂等键的请求正在处理，请稍后重试',
      en: 'a request with this Idempotency-Key is still being processed; retry later',
    });
  }
  const existing = stored[0];
  if (existing === undefined || existing.response_status === null) return { kind: 'claimed' };
  if (existing.request_hash !== requestHash) {
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
    response: { status: existing.response_status, body: jsonColumn(existing.response_body) },
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
  await db.execute(sql`
    insert into idempotency_keys (key, authority_id, request_hash, response_status,
                                  response_body, created_at)
    values (${key}, ${authorityId}, ${requestHash}, ${response.status},
            ${JSON.stringify(response.body ?? null)}::jsonb, ${now.toISOString()}::timestamptz)
    on conflict do nothing`);
}

/** Thrown inside a transaction to roll it back and answer with the key's stored response. */
export class Replayed {
  constructor(readonly response: StoredResponse) {}
}

/**
 * After a transaction refused a request with `panel_infeasible` (and so rolled back its claim),
 * stores the 422 for the key, so that the same request gets the same answer; other errors are
 * not remembered.
 *
 * @example
 * catch (error) { await rememberInfeasible(db, authorityId, key, hash, error, now); throw error; }
 */
export async function rememberInfeasible(
  db: Executor,
  authorityId: string,
  key: string,
  requestHash: string,
  error: unknown,
  now: Date,
): Promise<void> {
  if (!(error instanceof ProblemError) || error.code !== 'panel_infeasible') return;
  await storeIdempotentResponse(
    db,
    authorityId,
    key,
    requestHash,
    { status: 422, body: { code: error.code, detail: error.detail, extensions: error.extensions } },
    now,
  );
}
