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
  /**
   * `select 1` on a connection of its own (PostgreSQL: one apart from the pool, so that a pool
   * full of slow queries does not make it wait): whether the server answers at all.
   */
  readonly ping: () => Promise<void>;
  readonly close: () => Promise<void>;
}

export type DatabaseTarget =
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly maxConnections?: number;
      /** Named prepared statements (see prepared-client.ts); on unless set to false. */
      readonly preparedStatements?: boolean;
      /** How long opening a connection may take (default 1000 ms). */
      readonly connectTimeoutMs?: number;
      /** PostgreSQL's `statement_timeout` of every connection (default 30 000 ms; 0: none). */
      readonly statementTimeoutMs?: number;
    }
  | {
      readonly kind: 'pglite';
      readonly dataDir?: string;
      /** A data directory dumped by PGlite's `dumpDataDir` to start from instead of an empty one. */
      readonly loadDataDir?: Blob;
    };

const DEFAULT_CONNECT_TIMEOUT_MS = 1000;
const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
/** Longest pause, in seconds, between two attempts of a connection to reach the server. */
const MAX_RECONNECT_BACKOFF_S = 0.025;

/**
 * Seconds before a connection tries the server again after `retries` failures: doubling from
 * 5 ms, jittered, at most 25 ms. Why so short: postgres.js hands each waiting query to one
 * reconnect attempt, so that with the server down a queue of N queries on M connections takes
 * N/M back-off rounds to refuse; an attempt on a stopped server costs one refused SYN, and the
 * attempts only happen while queries wait (database-gate.ts stops sending new ones).
 */
function reconnectBackoff(retries: number): number {
  return Math.min(0.005 * 2 ** retries, MAX_RECONNECT_BACKOFF_S) * (0.5 + Math.random() / 2);
}

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
    const options = {
      onnotice: () => {},
      // A dead server is a fast refusal (see http/database-gate.ts), not a hang: postgres.js
      // waits 30 s for a connection and backs off up to 20 s between attempts by default.
      connect_timeout: (target.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS) / 1000,
      backoff: reconnectBackoff,
      connection: {
        statement_timeout: target.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
      },
    };
    const client = postgres(target.url, { ...options, max: target.maxConnections ?? 10 });
    // Opened on the first ping only: most processes (CLI, tests) never ping.
    let pingClient: postgres.Sql | undefined;
    const db = drizzlePostgres({
      client: target.preparedStatements === false ? client : preparedClient(client),
    });
    return {
      db,
      kind: 'postgres',
      migrate: () => migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER }),
      ping: async () => {
        pingClient ??= postgres(target.url, { ...options, max: 1 });
        await pingClient`select 1`;
      },
      close: async () => {
        await Promise.all([client.end({ timeout: 5 }), pingClient?.end({ timeout: 1 })]);
      },
    };
  }
  let dataDir: string | undefined;
  if (target.dataDir !== undefined) {
    dataDir = resolve(target.dataDir);
    mkdirSync(dataDir, { recursive: true });
  }
  const client = await PGlite.create({
    ...(dataDir === undefined ? {} : { dataDir }),
    ...(target.loadDataDir === undefined ? {} : { loadDataDir: target.loadDataDir }),
    extensions: { btree_gist },
  });
  const db = drizzlePglite({ client });
  return {
    db,
    kind: 'pglite',
    migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER }),
    ping: async () => {
      await client.query('select 1');
    },
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
  readonly DATABASE_CONNECT_TIMEOUT_MS?: number | undefined;
  readonly DATABASE_STATEMENT_TIMEOUT_MS?: number | undefined;
  readonly DATA_DIR: string;
}): DatabaseTarget {
  return env.DATABASE_URL
    ? {
        kind: 'postgres',
        url: env.DATABASE_URL,
        preparedStatements: env.DATABASE_PREPARED_STATEMENTS !== false,
        ...(env.DATABASE_CONNECT_TIMEOUT_MS === undefined
          ? {}
          : { connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS }),
        ...(env.DATABASE_STATEMENT_TIMEOUT_MS === undefined
          ? {}
          : { statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS }),
      }
    : { kind: 'pglite', dataDir: join(env.DATA_DIR, 'pglite') };
}
