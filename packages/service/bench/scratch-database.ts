import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type OpenDatabase, openDatabase } from '../src/db/open-database.js';

/** The server the benchmark creates its scratch database on (trust auth, user postgres). */
export const BENCH_POSTGRES_URL =
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A migrated scratch database with its name; `drop` removes it (call it in a `finally`). */
export interface ScratchDatabase {
  readonly name: string;
  /** Its URL, for child processes. */
  readonly url: string;
  readonly database: OpenDatabase;
  readonly drop: () => Promise<void>;
}

/**
 * Creates `ed_bench_<random>` on the benchmark server, opens it through the service's own
 * `openDatabase` (postgres.js under drizzle) and applies the committed migrations — on its own,
 * not through the tests' helpers, so that a bench runs from plain `tsx` whatever the tests'
 * database templates do. A failure half-way drops it again.
 *
 * @example
 * const scratch = await createScratchDatabase(10);
 * try { … } finally { await scratch.drop(); }
 */
export async function createScratchDatabase(maxConnections: number): Promise<ScratchDatabase> {
  const name = `ed_bench_${randomBytes(6).toString('hex')}`;
  const admin = postgres(BENCH_POSTGRES_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/${name}`;
  let database: OpenDatabase | undefined;
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await database?.close().catch(() => {});
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 5 });
  };
  try {
    database = await openDatabase({ kind: 'postgres', url: url.toString(), maxConnections });
    await database.migrate();
  } catch (error) {
    await drop();
    throw error;
  }
  return { name, url: url.toString(), database, drop };
}
