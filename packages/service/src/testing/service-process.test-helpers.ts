import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.test-helpers.js';

/** The service package, the working directory of every spawned process. */
const SERVICE_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The workspace packages whose build a spawned process loads: their src and dist. */
const PACKAGE_ROOTS = ['rules', 'matcher', 'verify', 'service'].map((name) =>
  fileURLToPath(new URL(`../../../${name}`, import.meta.url)),
);

/**
 * How to run an entry point: the build (`dist/<entry>.js`, as in production, and fast to start)
 * when it is at least as new as every source file of the service and of the libraries it
 * loads — `npm test` builds first — else the sources through tsx, so that a stale build is
 * never what is tested.
 */
export function entryArguments(entry: 'main' | 'worker'): string[] {
  const built = join(SERVICE_ROOT, 'dist', `${entry}.js`);
  const builtAt = modifiedAt(built);
  const isFresh =
    builtAt !== null &&
    PACKAGE_ROOTS.every((root) => {
      const libraryBuiltAt = modifiedAt(join(root, 'dist', 'index.js')) ?? builtAt;
      return newestSource(join(root, 'src')) <= Math.min(builtAt, libraryBuiltAt);
    });
  return isFresh
    ? [built]
    : ['--import', 'tsx', '--conditions=@expert-dispatch/source', `src/${entry}.ts`];
}

function modifiedAt(path: string): number | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

/** The newest modification time of a non-test TypeScript file under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (
      !entry.isFile() ||
      !entry.name.endsWith('.ts') ||
      /\.test(-helpers)?\.ts$/.test(entry.name)
    ) {
      continue;
    }
    newest = Math.max(newest, modifiedAt(join(entry.parentPath, entry.name)) ?? 0);
  }
  return newest;
}

/** How a spawned process ended: its exit code, or the signal that ended it. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running `main.ts` (API) or `worker.ts` process of the service. */
export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  /** `http://127.0.0.1:<port>` of an API process; empty for a worker. */
  readonly url: string;
  /** The last lines the process wrote (stdout and stderr), for failure messages. */
  readonly output: () => string;
  /** Settles when the process has ended, however it ended. */
  readonly exited: Promise<ProcessExit>;
  /** Whether the process is still running. */
  readonly isRunning: () => boolean;
  /** Sends a signal (SIGKILL: a crash; SIGTERM: a graceful stop) and waits for the end. */
  readonly kill: (signal: NodeJS.Signals) => Promise<ProcessExit>;
  /** SIGTERM, then SIGKILL after `graceMs` if it is still running. */
  readonly stop: (graceMs?: number) => Promise<ProcessExit>;
}

const KEPT_LINES = 60;

/**
 * Starts the service's `main` (an API process, on a free port of 127.0.0.1) or `worker` as a
 * real child process (see `entryArguments`: the build when fresh, else the sources), with
 * exactly the given environment on top of PATH and HOME — nothing else leaks in from the test process. Resolves
 * once the API answers `/healthz` or the worker logs that its dispatch loop runs (so a worker
 * needs LOG_LEVEL info or lower); rejects with the process's output otherwise.
 *
 * @example
 * const api = await startServiceProcess('api', 'api-1', { DATABASE_URL, REDIS_URL });
 * await fetch(`${api.url}/healthz`);
 * await api.stop();
 */
export async function startServiceProcess(
  role: 'api' | 'worker',
  name: string,
  env: Readonly<Record<string, string>>,
  options: { readonly readyTimeoutMs?: number } = {},
): Promise<ServiceProcess> {
  const port = role === 'api' ? await freePort() : 0;
  const child = spawn(process.execPath, entryArguments(role === 'api' ? 'main' : 'worker'), {
    cwd: SERVICE_ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = role === 'api' ? `http://127.0.0.1:${port}` : '';
  const lines: string[] = [];
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > KEPT_LINES) lines.shift();
  };
  // A test run that dies must not leave its service processes running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      process.off('exit', killOnExit);
      resolve({ code, signal });
    });
  });
  let workerStarted = false;
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) {
      keep(line);
      if (!workerStarted && line.includes('"msg":"dispatch started"')) workerStarted = true;
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line !== '') keep(line);
  });
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  const ready = async () => {
    while (isRunning()) {
      if (role === 'worker' ? workerStarted : await answersHealth(url)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${name} ended before it was ready (${describeExit(await exited)})`);
  };
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} not ready in ${timeoutMs} ms`)), timeoutMs);
  });
  const output = () => lines.join('\n');
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  try {
    await Promise.race([ready(), timeout]);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`${why}\n--- ${name} output ---\n${output()}`);
  } finally {
    clearTimeout(timer);
  }
  return {
    name,
    pid: child.pid ?? -1,
    url,
    output,
    exited,
    isRunning,
    kill,
    stop: (graceMs = 10_000) => stopGracefully(child, exited, graceMs),
  };
}

async function stopGracefully(
  child: ChildProcess,
  exited: Promise<ProcessExit>,
  graceMs: number,
): Promise<ProcessExit> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

async function answersHealth(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

function describeExit(how: ProcessExit): string {
  return how.signal === null ? `exit code ${String(how.code)}` : `signal ${how.signal}`;
}
