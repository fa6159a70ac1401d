import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';
import type { RedisClusterTarget } from '../queue/redis-target.js';
import { freePort } from './free-port.test-helpers.js';

/**
 * The redis-server binary the fault suites start privately: `REDIS_SERVER_BIN`, else the first
 * `redis-server` on the PATH (Debian installs /usr/bin/redis-server), else null.
 */
export function findRedisServer(): string | null {
  const candidates = [
    process.env.REDIS_SERVER_BIN,
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'redis-server')),
    '/usr/bin/redis-server',
  ];
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === '') continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next one
    }
  }
  return null;
}

/**
 * Whether the suites that stop and restart Redis can run. They never touch the shared Redis on
 * 6379 (other suites use it): they need a redis-server binary of their own. In CI (`CI=true`)
 * a missing binary fails the suite; elsewhere the suite is skipped with this warning.
 */
export function hasRedisServer(): boolean {
  if (findRedisServer() !== null) return true;
  if (process.env.CI === 'true') {
    throw new Error('redis-server is not installed; CI must run the Redis restart suites');
  }
  console.warn(
    'redis-server not found (set REDIS_SERVER_BIN or install redis-server): skipping the suites that stop and restart a private Redis.',
  );
  return false;
}

/** A redis-server of one test file, on a free port, without persistence. */
export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  /** Kills the server (SIGKILL, as a crash); with no persistence every key is lost. */
  readonly stop: () => Promise<void>;
  /** Starts it again on the same port and resolves once it answers PING. */
  readonly start: () => Promise<void>;
  readonly isRunning: () => boolean;
  /** Stops it for good. */
  readonly close: () => Promise<void>;
}

/**
 * Starts `redis-server --port <free> --save "" --appendonly no` bound to 127.0.0.1 and waits
 * until it answers.
 *
 * @example
 * const redis = await startPrivateRedis();
 * await redis.stop(); // Redis is down
 * await redis.start(); // and back, empty
 * await redis.close();
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  return runPrivateRedis(await freePort(), []);
}

/** A redis-server on `port` with `args` added, started and waited for. */
async function runPrivateRedis(port: number, args: readonly string[]): Promise<PrivateRedis> {
  const binary = findRedisServer();
  if (binary === null) throw new Error('redis-server is not installed');
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async () => {
    if (child !== undefined) return;
    const spawned = spawn(
      binary,
      [
        ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        ...args,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child = spawned;
    // A test that dies must not leave its Redis running.
    const killOnExit = () => spawned.kill('SIGKILL');
    process.once('exit', killOnExit);
    spawned.once('exit', () => {
      process.off('exit', killOnExit);
      if (child === spawned) child = undefined;
    });
    await waitForPing(url, spawned);
  };
  const stop = async () => {
    const running = child;
    if (running === undefined) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGKILL');
    await exited;
    child = undefined;
  };
  await start();
  return { url, port, start, stop, isRunning: () => child !== undefined, close: stop };
}

async function waitForPing(url: string, child: ChildProcess): Promise<void> {
  const end = Date.now() + 10_000;
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  while (Date.now() < end) {
    if (child.exitCode !== null) {
      throw new Error(`redis-server exited with ${child.exitCode}: ${stderr.slice(0, 500)}`);
    }
    const redis = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      connectTimeout: 500,
      retryStrategy: () => null,
    });
    redis.on('error', () => {});
    try {
      await redis.connect();
      if ((await redis.ping()) === 'PONG') return;
    } catch {
      // not listening yet
    } finally {
      redis.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server on ${url} did not answer within 10 s`);
}

/** A Redis Cluster of one test file: three masters on loopback, no replicas, no persistence. */
export interface PrivateRedisCluster {
  /** The cluster as `REDIS_CLUSTER_NODES` would name it. */
  readonly target: RedisClusterTarget;
  readonly nodes: readonly PrivateRedis[];
  /**
   * The node serving `key`'s slot; for a hash-tagged BullMQ prefix (`{ed}`) the node holding
   * every key of its queues.
   */
  readonly nodeFor: (key: string) => Promise<PrivateRedis>;
  /** Resolves once every running node reports `cluster_state:ok` and knows the others. */
  readonly waitUntilOk: () => Promise<void>;
  /** Stops every node and removes their cluster files. */
  readonly close: () => Promise<void>;
}

/** How long a node may not answer before the others mark it failing (the default is 15 s). */
const CLUSTER_NODE_TIMEOUT_MS = 2000;

/**
 * Starts three `redis-server --cluster-enabled yes` nodes on free loopback ports, gives each a
 * third of the 16,384 slots and a config epoch of its own, joins them (`CLUSTER MEET`, what
 * `redis-cli --cluster create … --cluster-replicas 0` does) and waits for `cluster_state:ok`.
 * A node stopped and started again keeps its id and slots (its cluster config file stays) but,
 * without persistence, loses its keys — as a crashed node would.
 *
 * @example
 * const cluster = await startPrivateRedisCluster();
 * const node = await cluster.nodeFor('{ed}');
 * await node.stop(); // the queue's keys are gone with it
 * await node.start();
 * await cluster.waitUntilOk();
 * await cluster.close();
 */
export async function startPrivateRedisCluster(): Promise<PrivateRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'ed-redis-cluster-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const nodes: PrivateRedis[] = [];
  try {
    for (const port of ports) {
      nodes.push(
        await runPrivateRedis(port, [
          ...['--cluster-enabled', 'yes', '--dir', dir],
          ...['--cluster-config-file', `nodes-${port}.conf`],
          ...['--cluster-node-timeout', String(CLUSTER_NODE_TIMEOUT_MS)],
        ]),
      );
    }
    const slotsPerNode = Math.ceil(16_384 / nodes.length);
    await Promise.all(
      nodes.map((node, index) =>
        withClient(node.url, async (redis) => {
          const first = index * slotsPerNode;
          const last = Math.min(16_383, first + slotsPerNode - 1);
          await redis.call('CLUSTER', 'ADDSLOTSRANGE', String(first), String(last));
          await redis.call('CLUSTER', 'SET-CONFIG-EPOCH', String(index + 1));
        }),
      ),
    );
    await withClient(nodes[0]?.url ?? '', async (redis) => {
      for (const port of ports.slice(1)) {
        await redis.call('CLUSTER', 'MEET', '127.0.0.1', String(port));
      }
    });
  } catch (error) {
    await Promise.all(nodes.map((node) => node.close()));
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const waitUntilOk = async () => {
    const end = Date.now() + 30_000;
    for (;;) {
      const states = await Promise.all(
        nodes
          .filter((node) => node.isRunning())
          .map((node) =>
            withClient(node.url, (redis) => redis.call('CLUSTER', 'INFO')).catch(() => ''),
          ),
      );
      const ok = states.every(
        (info) =>
          String(info).includes('cluster_state:ok') &&
          String(info).includes(`cluster_known_nodes:${nodes.length}`),
      );
      if (ok) return;
      if (Date.now() > end) throw new Error(`the Redis cluster did not reach cluster_state:ok`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  await waitUntilOk();
  return {
    target: {
      kind: 'cluster',
      nodes: ports.map((port) => ({ host: '127.0.0.1', port })),
      tls: false,
    },
    nodes,
    nodeFor: async (key) => {
      // The slots were given out in ranges and no node ever fails over: the range tells.
      const running = nodes.find((node) => node.isRunning());
      if (running === undefined) throw new Error('no node of the cluster is running');
      const slot = Number(
        await withClient(running.url, (redis) => redis.call('CLUSTER', 'KEYSLOT', key)),
      );
      const node = nodes[Math.floor(slot / Math.ceil(16_384 / nodes.length))];
      if (node === undefined) throw new Error(`no node for ${key}`);
      return node;
    },
    waitUntilOk,
    close: async () => {
      await Promise.all(nodes.map((node) => node.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `work` on a short-lived connection to one node. */
export async function withClient<T>(url: string, work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}
