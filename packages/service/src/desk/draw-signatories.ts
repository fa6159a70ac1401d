import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import type { Database, Executor } from '../db/open-database.js';
import { drawSignatories } from '../db/schema.js';
import type { Principal } from '../http/app-env.js';
import { actorOf } from '../tasks/draw-task.js';

/** The two names a 抽取记录 is signed by. */
export interface Signatories {
  readonly drawnBy: string;
  readonly supervisor: string;
}

/** A name as typed into the desk form: trimmed, 1–50 characters, else none. */
export function signatoryName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.trim();
  return name.length >= 1 && name.length <= 50 ? name : undefined;
}

/**
 * Records who drew and who supervised a draw, with its audit entry, once: a repeated form
 * (the same Idempotency-Key answered again) keeps the first names.
 *
 * @example
 * await recordSignatories(db, principal, 'd_01', { drawnBy: '张三', supervisor: '李四' }, now);
 */
export async function recordSignatories(
  db: Database,
  principal: Principal,
  drawId: string,
  names: Signatories,
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(drawSignatories)
      .values({ drawId, ...names, recordedBy: principal.keyId, createdAt: now })
      .onConflictDoNothing()
      .returning({ drawId: drawSignatories.drawId });
    if (inserted.length === 0) return;
    await appendAudit(
      tx,
      {
        actor: actorOf(principal),
        action: 'draw.signatories_recorded',
        entityType: 'draw',
        entityId: drawId,
        before: null,
        after: names,
      },
      now,
    );
  });
}

/**
 * The names recorded for a draw, or none (a draw made through the API).
 *
 * @example
 * const names = await loadSignatories(db, 'd_01'); // { drawnBy: '张三', supervisor: '李四' }
 */
export async function loadSignatories(
  db: Executor,
  drawId: string,
): Promise<Signatories | undefined> {
  const [row] = await db
    .select({ drawnBy: drawSignatories.drawnBy, supervisor: drawSignatories.supervisor })
    .from(drawSignatories)
    .where(eq(drawSignatories.drawId, drawId));
  return row;
}
