import { sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { queryRows } from '../db/query-rows.js';
import type { tasks } from '../db/schema.js';

/** A task row as `POST /v1/tasks` writes it. */
export type NewTaskRow = typeof tasks.$inferSelect;

/**
 * Inserts a new task unless its id is taken; true when it was inserted. Raw SQL, as one named
 * prepared statement: it is on every request's path, where a query builder costs more than
 * the insert.
 *
 * @example
 * if (!(await insertTaskRow(tx, row))) throw taskIdTaken(row.id);
 */
export async function insertTaskRow(db: Executor, row: NewTaskRow): Promise<boolean> {
  const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
  const iso = (value: Date | null) => value?.toISOString() ?? null;
  const inserted = await queryRows<{ id: string }>(
    db,
    sql`insert into tasks (id, authority_id, type, status, body, window_from, window_to,
                           current_draw_id, created_by, created_at, updated_at, cancelled_at,
                           cancel_reason, callback_url, completed_at, rating_contact)
        values (${row.id}, ${row.authorityId}, ${row.type}, ${row.status},
                ${json(row.body)}::jsonb, ${iso(row.windowFrom)}::timestamptz,
                ${iso(row.windowTo)}::timestamptz, ${row.currentDrawId}, ${row.createdBy},
                ${iso(row.createdAt)}::timestamptz, ${iso(row.updatedAt)}::timestamptz,
                ${iso(row.cancelledAt)}::timestamptz, ${row.cancelReason}, ${row.callbackUrl},
                ${iso(row.completedAt)}::timestamptz, ${json(row.ratingContact)}::jsonb)
        on conflict do nothing
        returning id`,
  );
  return inserted.length > 0;
}
