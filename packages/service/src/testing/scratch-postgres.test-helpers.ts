import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type OpenDatabase, openDatabase } from '../db/open-database.js';
import { migratedPostgresTemplate } from './migrated-templates.test-helpers.js';

/** A migrated scratch PostgreSQL database; `drop` closes and removes it (call it in a `finally`). */
export interface ScratchPostgres {
  readonly name: string;
  /** Its URL, for child processes. */
  readonly url: string;
  readonly database: OpenDatabase;
  readonly drop: () => Promise<void>;
}

/**
 * Creates `<prefix>_<random>` on the server of `serverUrl` (trust auth) as a copy of the migrated
 * template, opens it through the service's own `openDatabase` (postgres.js under drizzle) and
 * applies the committed migrations (none are left to apply unless the template is behind).
 * A failure half-way drops it again.
 *
 * @example
 * const scratch = await createScratchPostgres(POSTGRES_ADMIN_URL, 'ed_test', 8);
 * try { … } finally { await scratch.drop(); }
 */
export async function createScratchPostgres(
  serverUrl: string,
  prefix: string,
  maxConnections: number,
): Promise<ScratchPostgres> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const template = await migratedPostgresTemplate(serverUrl);
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}" template "${template}"`);
  const url = new URL(serverUrl);
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
