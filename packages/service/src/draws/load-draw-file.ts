import { eq } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { draws, tasks } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import type { Principal } from '../http/app-env.js';
import { type StoredDrawInput, storedResult } from '../tasks/draw-task.js';
import { resolveStoredHistory } from '../tasks/history-reference.js';
import { canSeeTask } from '../tasks/task-view.js';
import { expandExclusions } from './compact-exclusions.js';
import { DRAW_FILE_FORMAT, type DrawFile } from './draw-file.js';
import { loadExclusionSets } from './exclusion-sets.js';
import { loadSnapshotExperts } from './pool-snapshot-store.js';

/** The 404 of a draw the caller cannot see. */
export function drawNotFound(id: string): ProblemError {
  return new ProblemError('not_found', { zh: `抽取记录 ${id} 不存在`, en: `no draw ${id}` });
}

/**
 * The stored draw with its task and the caller's right to see it (the task's own authority,
 * or a provincial auditor); 404 otherwise.
 */
export async function loadVisibleDraw(db: Executor, principal: Principal, id: string) {
  const [row] = await db
    .select({ draw: draws, authorityId: tasks.authorityId })
    .from(draws)
    .innerJoin(tasks, eq(tasks.id, draws.taskId))
    .where(eq(draws.id, id));
  if (row === undefined || !canSeeTask(row, principal)) throw drawNotFound(id);
  return row.draw;
}

/**
 * The exported record of a draw, with the pool snapshot it ran on, for `GET
 * /v1/draws/{id}/export` and the offline `expert-dispatch verify` command.
 *
 * @example
 * const file = await loadDrawFile(db, principal, 'd_01'); // file.format === 'expert-dispatch/draw@1'
 */
export async function loadDrawFile(
  db: Executor,
  principal: Principal,
  id: string,
): Promise<DrawFile> {
  return drawFileOf(db, await loadVisibleDraw(db, principal, id));
}

/**
 * Any draw's record, whoever asks: only for the public verification, which answers whether the
 * replay matches and never the record itself. 404 for an unknown id.
 */
export async function loadAnyDrawFile(db: Executor, id: string): Promise<DrawFile> {
  const [draw] = await db.select().from(draws).where(eq(draws.id, id));
  if (draw === undefined) throw drawNotFound(id);
  return drawFileOf(db, draw);
}

async function drawFileOf(db: Executor, draw: typeof draws.$inferSelect): Promise<DrawFile> {
  const id = draw.id;
  // Stored whole (older draws) or as versions (pool-digest@2): the same experts either way.
  const snapshotExperts = await loadSnapshotExperts(db, draw.poolSnapshotDigest);
  if (snapshotExperts === null) throw drawNotFound(id);
  const input = draw.input as StoredDrawInput;
  return {
    format: DRAW_FILE_FORMAT,
    draw: {
      id: draw.id,
      taskId: draw.taskId,
      sequence: draw.sequence,
      reason: draw.reason,
      createdAt: draw.createdAt.toISOString(),
      createdByAuthorityId: draw.createdByAuthorityId,
      poolDigest: draw.poolSnapshotDigest,
    },
    // The stored input is the matcher's input but for the pool, which lives in its snapshot.
    input: {
      ...input,
      // A reference to the counters the draw read is summed back from their change log (#17).
      history: await resolveStoredHistory(db, input.history),
      fixed: [...input.fixed],
      exclude: [...input.exclude],
      experts: snapshotExperts as DrawFile['input']['experts'],
    },
    // A compact exclusion record names pool indices: the snapshot in hand gives the ids back.
    result: storedResult({
      ...draw,
      exclusions: expandExclusions(
        draw.exclusions,
        (snapshotExperts as readonly { readonly id: string }[]).map((expert) => expert.id),
        await loadExclusionSets(db, draw.exclusions),
      ),
    }),
  };
}
