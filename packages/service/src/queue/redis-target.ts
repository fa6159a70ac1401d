import type { ConnectionOptions } from 'bullmq';
import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** One seed node of a Redis Cluster. */
export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/**
 * Where the service's Redis is: one server (`REDIS_URL`) or a Redis Cluster
 * (`REDIS_CLUSTER_NODES`, its seed nodes; the client learns the others from them).
 */
export type RedisTarget =
  | { readonly kind: 'single'; readonly url: string }
  | {
      readonly kind: 'cluster';
      readonly nodes: readonly RedisNode[];
      readonly username?: string | undefined;
      readonly password?: string | undefined;
      readonly tls: boolean;
    };

export type RedisClusterTarget = Extract<RedisTarget, { kind: 'cluster' }>;

/**
 * Parses `REDIS_CLUSTER_NODES`: comma-separated seed nodes, each `host:port` or
 * `redis[s]://[user:password@]host:port`. Credentials and TLS apply to every node, so the
 * entries that carry a scheme or credentials must all carry the same ones. Throws on anything
 * else.
 *
 * @example
 * parseClusterNodes('10.0.0.1:7000,10.0.0.2:7000').nodes; // [{ host: '10.0.0.1', port: 7000 }, …]
 */
export function parseClusterNodes(text: string): RedisClusterTarget {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new Error('no node given');
  const nodes: RedisNode[] = [];
  const settings = new Set<string>();
  let username: string | undefined;
  let password: string | undefined;
  let tls = false;
  for (const [index, entry] of entries.entries()) {
    // Errors name the entry by its place: it may hold a password.
    const at = `node ${index + 1}`;
    let url: URL;
    try {
      url = new URL(entry.includes('://') ? entry : `redis://${entry}`);
    } catch {
      throw new Error(`${at}: expected host:port or a redis:// URL`);
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
      throw new Error(`${at}: expected host:port or a redis:// URL`);
    }
    if (url.pathname !== '' && url.pathname !== '/') {
      throw new Error(`${at}: a cluster has no database number`);
    }
    const port = Number(url.port);
    if (url.hostname === '' || url.port === '' || !Number.isInteger(port)) {
      throw new Error(`${at}: expected host:port`);
    }
    nodes.push({ host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port });
    if (entry.includes('://') || url.username !== '' || url.password !== '') {
      username = url.username === '' ? undefined : decodeURIComponent(url.username);
      password = url.password === '' ? undefined : decodeURIComponent(url.password);
      tls = url.protocol === 'rediss:';
      settings.add(`${url.protocol}${url.username}:${url.password}`);
    }
  }
  if (settings.size > 1) {
    throw new Error('every node must have the same scheme and credentials');
  }
  return { kind: 'cluster', nodes, username, password, tls };
}

/**
 * The Redis the environment names: `REDIS_URL` (one server), `REDIS_CLUSTER_NODES` (a Redis
 * Cluster), or none (the in-process queue). `env.ts` refuses both at once.
 *
 * @example
 * redisTargetOf({ REDIS_URL: 'redis://127.0.0.1:6379' }); // { kind: 'single', url: … }
 */
export function redisTargetOf(env: {
  readonly REDIS_URL?: string | undefined;
  readonly REDIS_CLUSTER_NODES?: string | undefined;
}): RedisTarget | undefined {
  if (env.REDIS_CLUSTER_NODES !== undefined) return parseClusterNodes(env.REDIS_CLUSTER_NODES);
  if (env.REDIS_URL !== undefined) return { kind: 'single', url: env.REDIS_URL };
  return undefined;
}

/**
 * The BullMQ key prefix on a target. On a cluster it is a hash tag (`{ed}`): Redis hashes only
 * the part in braces, so every key of every queue under it is in one slot — BullMQ's scripts
 * touch several keys of a queue at once, which a cluster allows only within one slot. On one
 * server the prefix is kept as it is, so that an upgrade finds the jobs already queued.
 *
 * @example
 * queuePrefixFor({ kind: 'cluster', nodes: [], tls: false }, 'ed'); // '{ed}'
 */
export function queuePrefixFor(target: RedisTarget, prefix: string): string {
  return target.kind === 'cluster' ? `{${prefix}}` : prefix;
}

/**
 * A client of the target: an ioredis `Redis` on one server, an ioredis `Cluster` on a cluster
 * (the per-node options go to every node it connects to; `retryStrategy` becomes the cluster's
 * reconnect strategy, which is `null`-able the same way).
 *
 * @example
 * const redis = openRedis(target, { lazyConnect: true, maxRetriesPerRequest: 1 });
 */
export function openRedis(target: RedisTarget, options: RedisOptions = {}): Redis | Cluster {
  if (target.kind === 'single') return new Redis(target.url, options);
  const { retryStrategy, enableOfflineQueue, lazyConnect, ...perNode } = options;
  return new Cluster(
    target.nodes.map((node) => ({ host: node.host, port: node.port })),
    {
      ...(retryStrategy === undefined ? {} : { clusterRetryStrategy: retryStrategy }),
      ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
      ...(lazyConnect === undefined ? {} : { lazyConnect }),
      // A node that restarts refuses connections until it is back: ask the others for the
      // slot map again soon, rather than after ioredis' default second.
      slotsRefreshTimeout: 2000,
      redisOptions: {
        ...perNode,
        ...(target.username === undefined ? {} : { username: target.username }),
        ...(target.password === undefined ? {} : { password: target.password }),
        ...(target.tls ? { tls: {} } : {}),
      },
      // TLS certificates name the host: keep the names instead of resolving them first.
      ...(target.tls
        ? {
            dnsLookup: (address: string, done: (e: null, a: string) => void) => done(null, address),
          }
        : {}),
    },
  );
}

/**
 * The BullMQ `connection` of a target: options on one server (BullMQ opens its clients), an
 * ioredis `Cluster` on a cluster (BullMQ takes a cluster only as a client), with `release` to
 * disconnect that client once its owner is closed.
 *
 * @example
 * const connection = bullmqConnection(target, { connectTimeout: 5000, retryStrategy: () => 1000 });
 * const queue = new Queue('q', { connection: connection.options, prefix: queuePrefixFor(target, 'ed') });
 */
export function bullmqConnection(
  target: RedisTarget,
  settings: {
    readonly maxRetriesPerRequest?: number;
    readonly connectTimeout: number;
    readonly retryStrategy?: (times: number) => number;
    /** A cluster's client only: true for one BullMQ only copies (a worker's), never uses. */
    readonly lazyConnect?: boolean;
  },
): { readonly options: ConnectionOptions; readonly release: () => void } {
  if (target.kind === 'single') {
    const { lazyConnect: _clusterOnly, ...options } = settings;
    return { options: { url: target.url, ...options }, release: () => {} };
  }
  const client = openRedis(target, settings);
  client.on('error', () => {}); // reported by BullMQ's own listeners
  return { options: client, release: () => client.disconnect() };
}
