import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';
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
  const binary = findRedisServer();
  if (binary === null) throw new Error('redis-server is not installed');
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async () => {
    if (child !== undefined) return;
    const spawned = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
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
