import { and, eq, isNull, lt } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { idempotencyKeys } from '../db/schema.js';
import { ProblemError } from '../errors.js';

/** A claim left unfinished this long (a crashed process) may be taken over by a retry. */
export const STALE_CLAIM_MS = 120_000;

/** A stored response, replayed for a repeated request. */
export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

export type Claim =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'replay'; readonly response: StoredResponse };

/**
 * Claims an `Idempotency-Key` for this authority before the work starts. The same key with the
 * same body replays the stored response; with another body it is a 422; while the first request
 * is still running it is a 409. The claim is committed at once, so concurrent duplicates see it.
 *
 * @example
 * const claim = await claimIdempotencyKey(db, 'km-yjj', key, hash, now);
 * if (claim.kind === 'replay') return claim.response;
 */
export async function claimIdempotencyKey(
  db: Executor,
  authorityId: string,
  key: string,
  requestHash: string,
  now: Date,
): Promise<Claim> {
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ key, authorityId, requestHash, createdAt: now })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length > 0) return { kind: 'claimed' };
  const [existing] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.authorityId, authorityId), eq(idempotencyKeys.key, key)));
  if (existing === undefined) return claimIdempotencyKey(db, authorityId, key, requestHash, now);
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
  if (existing.responseStatus !== null) {
    return {
      kind: 'replay',
      response: { status: existing.responseStatus, body: existing.responseBody },
    };
  }
  const takenOver = await db
    .update(idempotencyKeys)
    .set({ createdAt: now })
    .where(
      and(
        eq(idempotencyKeys.authorityId, authorityId),
        eq(idempotencyKeys.key, key),
        isNull(idempotencyKeys.responseStatus),
        lt(idempotencyKeys.createdAt, new Date(now.getTime() - STALE_CLAIM_MS)),
      ),
    )
    .returning({ key: idempotencyKeys.key });
  if (takenOver.length > 0) return { kind: 'claimed' };
  throw new ProblemError('idempotency_in_progress', {
    zh: '相同幂等键的请求正在处理，请稍后重试',
    en: 'a request with this Idempotency-Key is still being processed; retry later',
  });
}

/** Stores the response of a claimed key; call it in the transaction that does the work. */
export async function completeIdempotencyKey(
  db: Executor,
  authorityId: string,
  key: string,
  response: StoredResponse,
): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ responseStatus: response.status, responseBody: response.body })
    .where(and(eq(idempotencyKeys.authorityId, authorityId), eq(idempotencyKeys.key, key)));
}

/** Gives a claim back when the work failed without a response worth replaying. */
export async function releaseIdempotencyKey(
  db: Executor,
  authorityId: string,
  key: string,
): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.authorityId, authorityId),
        eq(idempotencyKeys.key, key),
        isNull(idempotencyKeys.responseStatus),
      ),
    );
}
