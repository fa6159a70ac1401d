import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { preparedClient } from './prepared-client.js';

type NoRelations = Record<string, never>;

/** A drizzle database on either driver; the service only uses what both support. */
export type Database = PgDatabase<PgQueryResultHKT, NoRelations>;
/** The handle inside `db.transaction(async (tx) => …)`. */
export type Transaction = PgTransaction<
  PgQueryResultHKT,
  NoRelations,
  ExtractTablesWithRelations<NoRelations>
>;
/** Anything that runs queries: the database or an open transaction. */
export type Executor = Database | Transaction;

export type DatabaseKind = 'postgres' | 'pglite';

/** An open database with its migrator and a way to close it. */
export interface OpenDatabase {
  readonly db: Database;
  readonly kind: DatabaseKind;
  /** Applies the committed SQL migrations in ./drizzle that have not run yet. */
  readonly migrate: () => Promise<void>;
  readonly close: () => Promise<void>;
}

export type DatabaseTarget =
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly maxConnections?: number;
      /** Named prepared statements (see prepared-client.ts); on unless set to false. */
      readonly preparedStatements?: boolean;
    }
  | { readonly kind: 'pglite'; readonly dataDir?: string };

/** The folder of committed migrations, next to src/ and dist/. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

/**
 * Opens PostgreSQL (postgres.js) or PGlite — on disk in `dataDir`, in memory without one.
 *
 * @example
 * const { db, migrate, close } = await openDatabase({ kind: 'pglite' });
 * await migrate();
 */
export async function openDatabase(target: DatabaseTarget): Promise<OpenDatabase> {
  if (target.kind === 'postgres') {
    const client = postgres(target.url, {
      max: target.maxConnections ?? 10,
      onnotice: () => {},
    });
    const db = drizzlePostgres({
      client: target.preparedStatements === false ? client : preparedClient(client),
    });
    return {
      db,
      kind: 'postgres',
      migrate: () => migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER }),
      close: () => client.end({ timeout: 5 }),
    };
  }
  let dataDir: string | undefined;
  if (target.dataDir !== undefined) {
    dataDir = resolve(target.dataDir);
    mkdirSync(dataDir, { recursive: true });
  }
  const client = await PGlite.create({
    ...(dataDir === undefined ? {} : { dataDir }),
    extensions: { btree_gist },
  });
  const db = drizzlePglite({ client });
  return {
    db,
    kind: 'pglite',
    migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER }),
    close: () => client.close(),
  };
}

/**
 * The database the environment names: PostgreSQL when `DATABASE_URL` is set, else PGlite in
 * `DATA_DIR/pglite`.
 */
export function databaseTargetOf(env: {
  readonly DATABASE_URL?: string | undefined;
  readonly DATABASE_PREPARED_STATEMENTS?: boolean | undefined;
  readonly DATA_DIR: string;
}): DatabaseTarget {
  return env.DATABASE_URL
    ? {
        kind: 'postgres',
        url: env.DATABASE_URL,
        preparedStatements: env.DATABASE_PREPARED_STATEMENTS !== false,
      }
    : { kind: 'pglite', dataDir: join(env.DATA_DIR, 'pglite') };
}
