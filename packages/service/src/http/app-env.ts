import type { RuleSet } from '@expert-dispatch/rules';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Database } from '../db/open-database.js';
import type { ReadReplica, ReadSource } from '../db/read-replica.js';
import type { CommittedOutbox } from '../dispatch/committed-outbox.js';
import type { Env } from '../env.js';
import type { Metrics } from '../metrics/create-metrics.js';
import type { JobQueue } from '../queue/job-queue.js';

/**
 * Roles of an API key (第二十一条, 第二十六条: every key acts for one authority). A `recommender`
 * key is an enterprise's or SOE's (第二十一条（一）, 第二十二条): bound to one organisation, it
 * may only recommend that organisation's candidates and read those recommendations.
 */
export const ROLES = ['admin', 'dispatcher', 'auditor', 'viewer', 'recommender'] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated caller: an API key and the authority it acts for. */
export interface Principal {
  readonly keyId: string;
  readonly authorityId: string;
  readonly tier: 'province' | 'city' | 'county';
  readonly region: string;
  readonly role: Role;
  /** The organisation a `recommender` key recommends for; absent for every other role. */
  readonly organizationId?: string | undefined;
}

/** A Redis connection as far as `/readyz` needs it. */
export interface RedisPing {
  readonly ping: () => Promise<string>;
}

/** What every request handler may use; built once at start and put into the hono context. */
export interface Services {
  readonly db: Database;
  readonly env: Env;
  readonly logger: Logger;
  readonly ruleSet: RuleSet;
  /** The clock; tests pass a fixed one. */
  readonly now: () => Date;
  readonly redis?: RedisPing | undefined;
  /** The dispatch loop of this process; nudged after commits that wrote outbox rows. */
  readonly dispatch?:
    | { readonly nudge: (committed?: readonly CommittedOutbox[]) => void }
    | undefined;
  /** This process's Prometheus instruments; `createApp` makes them when none are given. */
  readonly metrics?: Metrics | undefined;
  /** The dispatch queue, for its depth in `/metrics`. */
  readonly queue?: JobQueue | undefined;
  /** The BullMQ queues `/admin/queues` shows; none without Redis. */
  readonly dashboardQueues?: readonly Queue[] | undefined;
  /**
   * `OpenDatabase.ping`: lets the database gate refuse requests waiting on a server that stopped
   * answering (frozen, or behind a network that drops packets) instead of letting them hang.
   */
  readonly databaseLiveness?: (() => Promise<unknown>) | undefined;
  /** A streaming replica for the report and public reads (`DATABASE_REPLICA_URL`); none: primary. */
  readonly readReplica?: ReadReplica | undefined;
}

/** The hono environment of the app: `c.var.db`, `c.var.services`, `c.var.principal`, … */
export interface AppEnv {
  Variables: {
    db: Database;
    services: Services;
    logger: Logger;
    requestId: string;
    /** Set by `authenticate` on /v1 routes. */
    principal: Principal;
    /** Where `readFromReplica` sent the route's reads (only when a replica is configured). */
    readSource: ReadSource;
  };
}
