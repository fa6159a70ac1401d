import { createMiddleware } from 'hono/factory';
import { isDatabaseUnavailable } from '../db/database-unavailable.js';
import { ProblemError } from '../errors.js';
import type { AppEnv } from './app-env.js';

/** Seconds a client is told to wait (`Retry-After`) while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 1;

/** How often a closed gate asks the database whether it is back. */
const PROBE_INTERVAL_MS = 250;

/** How long a request waits on the database before the gate asks whether it answers at all. */
const DEFAULT_STALL_MS = 500;
/** How long the database then has to answer `select 1` before it is taken for unreachable. */
const DEFAULT_ANSWER_MS = 1000;

/** Paths that never touch the database: they stay up while it is down. */
const DATABASE_FREE = /^\/(healthz|readyz|openapi\.json|docs)(\/|$)/;

/** Whether the database was seen unreachable, and the probe that opens the gate again. */
export interface DatabaseGate {
  /** True from a connection failure until a probe reaches the database again. */
  readonly isClosed: () => boolean;
  /** A request saw the database unreachable: close the gate and probe until it is back. */
  readonly reportUnavailable: () => void;
  /**
   * A request's work, refused with `database_unavailable` if, while it waits, the database stops
   * answering altogether (see `GateOptions.liveness`); as it is without a liveness check.
   */
  readonly watch: <T>(work: Promise<T>) => Promise<T>;
}

/** How the gate finds a database that takes connections and queries but never answers. */
export interface GateOptions {
  /**
   * `select 1` on a connection apart from the pool (`OpenDatabase.ping`). Why: a server that
   * is frozen, or cut off by a network that drops packets, refuses nothing — the pool's queries
   * wait for an answer that never comes, and `statement_timeout` runs on the server. A request
   * still waiting after `stallMs` makes the gate ask (again every `stallMs` while it waits); no
   * answer within `answerMs` closes the gate and refuses the requests waiting on the database (a
   * refusal closes the gate only: their own queries are refused as fast).
   */
  readonly liveness?: (() => Promise<unknown>) | undefined;
  /** Default 500 ms. */
  readonly stallMs?: number;
  /** Default 1000 ms, as `DATABASE_CONNECT_TIMEOUT_MS`: a server slower than that is down. */
  readonly answerMs?: number;
}

/**
 * A gate in front of the database. Why: while PostgreSQL is down, postgres.js queues every new
 * query behind its reconnect attempts, one per connection and back-off round, so that under
 * load requests wait seconds for a refusal. Once one request has seen the database
 * unreachable, the others are refused at once, and one probe (`probe`, every 250 ms) finds out
 * when it is back — the service recovers by itself. A server that refuses nothing but answers
 * nothing is found by `options.liveness` (see `GateOptions`).
 *
 * @example
 * const gate = createDatabaseGate(() => db.execute(sql`select 1`), { liveness: database.ping });
 * app.use('*', guardDatabase(gate));
 */
export function createDatabaseGate(
  probe: () => Promise<unknown>,
  options: GateOptions = {},
): DatabaseGate {
  let closed = false;
  const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  const answerMs = options.answerMs ?? DEFAULT_ANSWER_MS;
  /** Refusers of the requests waiting on the database under `watch`. */
  const waiting = new Set<(error: ProblemError) => void>();
  let asking = false;
  const probeUntilOpen = async () => {
    while (closed) {
      try {
        await probe();
        closed = false;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS).unref());
      }
    }
  };
  const reportUnavailable = () => {
    if (closed) return;
    closed = true;
    void probeUntilOpen();
  };
  const askLiveness = async (liveness: () => Promise<unknown>) => {
    if (asking) return;
    asking = true;
    let heard: 'answered' | 'refused' | undefined;
    const asked = liveness().then(
      () => (heard = 'answered'),
      () => (heard = 'refused'),
    );
    const silence = new Promise<'silent'>((resolve) =>
      setTimeout(resolve, answerMs, 'silent').unref(),
    );
    let answer = await Promise.race([asked, silence]);
    if (answer === 'silent') {
      // Why: a process that got no CPU for a while (a loaded machine) runs its expired timers
      // before it reads the sockets, so the answer may be waiting unread. Read it first: only
      // a server still silent after that is taken for unreachable.
      await new Promise((resolve) => setImmediate(resolve));
      answer = heard ?? 'silent';
    }
    asking = false;
    if (answer === 'answered') return;
    reportUnavailable();
    // A server that refuses fails the waiting requests' own queries as fast: let them end so,
    // rather than leave their queries to retry in the background. One that stays silent never
    // will: refuse them here.
    if (answer === 'refused') return;
    for (const refuse of waiting) refuse(databaseUnavailable());
    waiting.clear();
  };
  return {
    isClosed: () => closed,
    reportUnavailable,
    watch: (work) => {
      const liveness = options.liveness;
      if (liveness === undefined) return work;
      return new Promise((resolve, reject) => {
        const timer = setInterval(() => void askLiveness(liveness), stallMs).unref();
        const refuse = (error: ProblemError) => {
          clearInterval(timer);
          reject(error);
        };
        waiting.add(refuse);
        // A refused request's work may still settle later (the server thawed): ignored then.
        work.then(resolve, reject).finally(() => {
          clearInterval(timer);
          waiting.delete(refuse);
        });
      });
    },
  };
}

/** The problem every request gets while the database is unreachable. */
export function databaseUnavailable(): ProblemError {
  return new ProblemError('database_unavailable', {
    zh: `数据库暂时无法连接，请 ${DATABASE_RETRY_AFTER_SECONDS} 秒后重试`,
    en: `the database cannot be reached right now; retry in ${DATABASE_RETRY_AFTER_SECONDS} s`,
  });
}

/**
 * Refuses requests with a 503 `database_unavailable` and `Retry-After` while the gate is
 * closed (except paths that need no database: health, the API reference), and closes the gate
 * when a request failed because the database was unreachable.
 *
 * @example
 * app.use('*', guardDatabase(createDatabaseGate(() => db.execute(sql`select 1`))));
 */
export function guardDatabase(gate: DatabaseGate) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const free = DATABASE_FREE.test(c.req.path);
    if (gate.isClosed() && !free) throw databaseUnavailable();
    await (free ? next() : gate.watch(next()));
    if (c.error !== undefined && isDatabaseUnavailable(c.error)) gate.reportUnavailable();
  });
}
