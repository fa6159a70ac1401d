import {
  createScratchPostgres,
  type ScratchPostgres,
} from '../src/testing/scratch-postgres.test-helpers.js';

/** The server the benchmark creates its scratch database on (trust auth, user postgres). */
export const BENCH_POSTGRES_URL =
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A migrated scratch database with its name; `drop` removes it (call it in a `finally`). */
export type ScratchDatabase = ScratchPostgres;

/**
 * Creates `ed_bench_<random>` on the benchmark server as the tests make theirs (a copy of the
 * migrated template, then any migration it lacks), opened through the service's own
 * `openDatabase`. A failure half-way drops it again.
 *
 * @example
 * const scratch = await createScratchDatabase(10);
 * try { … } finally { await scratch.drop(); }
 */
export function createScratchDatabase(maxConnections: number): Promise<ScratchDatabase> {
  return createScratchPostgres(BENCH_POSTGRES_URL, 'ed_bench', maxConnections);
}
