import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { MIGRATIONS_FOLDER } from '../db/open-database.js';

// Why: a fresh in-memory PGlite runs initdb (~5 s on a loaded 2-core machine) and every suite
// then applies every migration, on both backends. Migrating once per set of migrations and
// starting each suite's database from that copy keeps the whole run well under its budget,
// while each suite still gets a database of its own in exactly the migrated state.

let digest: string | undefined;

/** A digest of every committed migration file and the PGlite build: names the cached copies. */
export function migrationsDigest(): string {
  if (digest !== undefined) return digest;
  const hash = createHash('sha256');
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(name).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  walk(MIGRATIONS_FOLDER);
  hash.update(readPgliteVersion());
  digest = hash.digest('hex').slice(0, 16);
  return digest;
}

// The package exports no package.json; its entry point lives in dist/, beside it.
function readPgliteVersion(): string {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  const manifest = join(dirname(entry), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

let pgliteDump: Promise<Blob> | undefined;

/**
 * A PGlite data directory with every migration applied, made once per set of migrations and
 * kept in the OS temporary folder (written atomically, so concurrent workers never read half).
 *
 * @example
 * const opened = await openDatabase({ kind: 'pglite', loadDataDir: await migratedPgliteDump() });
 */
export function migratedPgliteDump(): Promise<Blob> {
  pgliteDump ??= loadOrMakePgliteDump();
  return pgliteDump;
}

async function loadOrMakePgliteDump(): Promise<Blob> {
  const file = join(tmpdir(), `expert-dispatch-pglite-${migrationsDigest()}.tar`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const client = await PGlite.create({ extensions: { btree_gist } });
  try {
    await migratePglite(drizzlePglite({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    const dump = await client.dumpDataDir('none');
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
    renameSync(partial, file);
    return dump;
  } finally {
    await client.close();
  }
}

const templateNames = new Map<string, Promise<string>>();

/**
 * The name of a migrated template database on the server of `serverUrl`, made once per set of
 * migrations: `CREATE DATABASE … TEMPLATE` copies it in a fraction of the time migrating takes.
 * It is built under a temporary name and renamed when complete, so a clone never sees half.
 *
 * @example
 * const template = await migratedPostgresTemplate(POSTGRES_ADMIN_URL);
 * await admin.unsafe(`create database "x" template "${template}"`);
 */
export function migratedPostgresTemplate(serverUrl: string): Promise<string> {
  let name = templateNames.get(serverUrl);
  if (name === undefined) {
    name = makePostgresTemplate(serverUrl);
    // A failure is not cached: the next suite tries again.
    name.catch(() => templateNames.delete(serverUrl));
    templateNames.set(serverUrl, name);
  }
  return name;
}

async function makePostgresTemplate(serverUrl: string): Promise<string> {
  const name = `ed_template_${migrationsDigest()}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const found = await admin`select 1 from pg_database where datname = ${name}`;
    if (found.length > 0) return name;
    const building = `ed_tbuild_${randomBytes(6).toString('hex')}`;
    await admin.unsafe(`create database "${building}"`);
    try {
      const url = new URL(serverUrl);
      url.pathname = `/${building}`;
      const client = postgres(url.toString(), { max: 1, onnotice: () => {} });
      try {
        await migratePostgres(drizzlePostgres({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client.end({ timeout: 5 });
      }
      await admin.unsafe(`alter database "${building}" rename to "${name}"`);
      await admin.unsafe(`alter database "${name}" with is_template true allow_connections false`);
    } catch (error) {
      await admin.unsafe(`drop database if exists "${building}" with (force)`);
      // Another worker renamed its copy first: use that one.
      const raced = await admin`select 1 from pg_database where datname = ${name}`;
      if (raced.length === 0) throw error;
    }
    return name;
  } finally {
    await admin.end({ timeout: 5 });
  }
}
