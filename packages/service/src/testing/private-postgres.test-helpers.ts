import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { accessSync, chownSync, constants, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { freePort } from './free-port.test-helpers.js';

/**
 * The directory of `initdb` and `postgres` the fault suites run a cluster of their own with:
 * `POSTGRES_BIN_DIR`, else the newest `/usr/lib/postgresql/<major>/bin` (Debian), else null.
 */
export function findPostgresBinDir(): string | null {
  const candidates = [process.env.POSTGRES_BIN_DIR];
  try {
    const majors = readdirSync('/usr/lib/postgresql')
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...majors.map((major) => `/usr/lib/postgresql/${major}/bin`));
  } catch {
    // no Debian layout
  }
  for (const dir of candidates) {
    if (dir === undefined || dir === '') continue;
    try {
      accessSync(join(dir, 'initdb'), constants.X_OK);
      accessSync(join(dir, 'postgres'), constants.X_OK);
      return dir;
    } catch {
      // not here; try the next one
    }
  }
  return null;
}

/**
 * Whether the suites that stop and start PostgreSQL can run. They never stop the shared server
 * on 5432: they need the server binaries to run a cluster of their own. In CI (`CI=true`)
 * missing binaries fail the suite; elsewhere the suite is skipped with this warning.
 */
export function hasPostgresBinaries(): boolean {
  if (findPostgresBinDir() !== null) return true;
  if (process.env.CI === 'true') {
    throw new Error('initdb/postgres not found; CI must run the PostgreSQL fault suites');
  }
  console.warn(
    'initdb/postgres not found (set POSTGRES_BIN_DIR): skipping the suites that stop and start a private PostgreSQL.',
  );
  return false;
}

/** A PostgreSQL cluster of one test file, in a temporary directory, on a free port. */
export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication). */
  readonly url: string;
  readonly port: number;
  /** Stops the server: `fast` as `pg_ctl stop` (sessions get 57P01), `immediate` as a crash. */
  readonly stop: (mode?: 'fast' | 'immediate') => Promise<void>;
  /** Starts it again on the same port and data and resolves once it accepts connections. */
  readonly start: () => Promise<void>;
  readonly isRunning: () => boolean;
  /**
   * Freezes the server and its backends (SIGSTOP): it takes TCP connections (the kernel) and
   * answers nothing, like a host behind a network that drops packets; `SIGCONT` on `thaw`.
   */
  readonly freeze: () => void;
  readonly thaw: () => void;
  /** Stops it for good and removes its directory. */
  readonly close: () => Promise<void>;
}

/**
 * `initdb` into a temporary directory (run as the `postgres` OS user when the tests run as
 * root, which PostgreSQL refuses), then starts `postgres` bound to 127.0.0.1 on a free port,
 * without fsync, and waits until it accepts connections.
 *
 * @example
 * const pg = await startPrivatePostgres();
 * await pg.stop(); // PostgreSQL is down
 * await pg.start(); // and back, with its data
 * await pg.close();
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = findPostgresBinDir();
  if (bin === null) throw new Error('initdb/postgres not found');
  const owner = osUserForPostgres();
  const root = mkdtempSync(join(tmpdir(), 'ed-pg-'));
  if (owner) chownSync(root, owner.uid, owner.gid);
  const dataDir = join(root, 'data');
  execFileSync(
    join(bin, 'initdb'),
    ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-locale'],
    { stdio: 'ignore', ...(owner ?? {}) },
  );
  return runPrivatePostgres(bin, owner, root);
}

/**
 * A streaming replica of a private cluster: `pg_basebackup -R -X stream` from it into a
 * temporary directory (the `-R` writes `standby.signal` and the primary's address), started
 * on a free port as a hot standby that answers read-only queries. `stop`/`start` as for the
 * primary; its lag is whatever replay makes it.
 *
 * @example
 * const replica = await startPrivateReplica(primary);
 * await replica.close();
 */
export async function startPrivateReplica(primary: PrivatePostgres): Promise<PrivatePostgres> {
  const bin = findPostgresBinDir();
  if (bin === null) throw new Error('initdb/postgres not found');
  const owner = osUserForPostgres();
  const root = mkdtempSync(join(tmpdir(), 'ed-pg-replica-'));
  if (owner) chownSync(root, owner.uid, owner.gid);
  execFileSync(
    join(bin, 'pg_basebackup'),
    [
      ...['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres'],
      ...['-D', join(root, 'data'), '-R', '-X', 'stream', '--no-sync', '-c', 'fast'],
    ],
    { stdio: 'ignore', ...(owner ?? {}) },
  );
  return runPrivatePostgres(bin, owner, root);
}

/** Runs `postgres` on the data directory `root/data` (see `startPrivatePostgres`). */
async function runPrivatePostgres(
  bin: string,
  owner: { uid: number; gid: number } | null,
  root: string,
): Promise<PrivatePostgres> {
  const dataDir = join(root, 'data');
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let lastOutput = '';

  const start = async () => {
    if (child !== undefined) return;
    const spawned = spawn(
      join(bin, 'postgres'),
      [
        ...['-D', dataDir, '-p', String(port), '-k', root, '-h', '127.0.0.1'],
        ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
        ...['-c', 'max_connections=50', '-c', 'shared_buffers=16MB'],
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], ...(owner ?? {}) },
    );
    spawned.stderr?.on('data', (chunk: Buffer) => {
      lastOutput = (lastOutput + chunk.toString('utf8')).slice(-2000);
    });
    child = spawned;
    exited = new Promise((resolve) => spawned.once('exit', () => resolve()));
    const killOnExit = () => spawned.kill('SIGKILL');
    process.once('exit', killOnExit);
    void exited.then(() => {
      process.off('exit', killOnExit);
      if (child === spawned) child = undefined;
    });
    for (let attempt = 0; attempt < 300; attempt += 1) {
      if (child !== spawned) throw new Error(`postgres ended at start:\n${lastOutput}`);
      if (await accepts(url)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`postgres did not accept connections in 30 s:\n${lastOutput}`);
  };

  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    const running = child;
    if (running === undefined) return;
    // The postmaster's own signals: SIGINT is a fast shutdown, SIGQUIT an immediate one.
    running.kill(mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
    await exited;
  };

  /** The postmaster and the processes it forked, as they are now. */
  const processIds = (): number[] => {
    const postmaster = child?.pid;
    if (postmaster === undefined) return [];
    const forked = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], {
      encoding: 'utf8',
    })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((pid) => pid > 0);
    return [postmaster, ...forked];
  };
  let frozen: number[] = [];

  await start();
  return {
    url,
    port,
    stop,
    start,
    isRunning: () => child !== undefined,
    freeze: () => {
      frozen = processIds();
      for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    },
    thaw: () => {
      for (const pid of frozen) process.kill(pid, 'SIGCONT');
      frozen = [];
    },
    close: async () => {
      for (const pid of frozen) process.kill(pid, 'SIGCONT');
      await stop('immediate');
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The uid/gid of the `postgres` OS user when running as root (initdb refuses root), else null. */
function osUserForPostgres(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

async function accepts(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 1, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}
