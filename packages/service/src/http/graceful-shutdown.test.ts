import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../dispatch/dispatch.test-helpers.js';
import {
  createSharedDatabase,
  issueProvinceKey,
  type SharedDatabase,
} from '../scale/scale-out.test-helpers.js';
import { freePort } from '../testing/free-port.test-helpers.js';
import {
  type ServiceProcess,
  startServiceProcess,
} from '../testing/service-process.test-helpers.js';
import { availableBackends } from '../testing/test-backends.test-helpers.js';

/** One HTTP/1.1 response read off a raw connection. */
interface RawResponse {
  readonly status: number;
  readonly headers: string;
  readonly body: string;
}

/** A keep-alive client on one TCP connection, so that the test sees what happens to it. */
class RawConnection {
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  /** `end` (the server's FIN), an error code, or undefined while open. */
  ending: string | undefined;
  readonly ended: Promise<string>;
  private readonly socket: Socket;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.ended = new Promise((resolve) => {
      const finish = (how: string) => {
        this.ending ??= how;
        this.wake();
        resolve(this.ending);
      };
      this.socket.on('end', () => finish('end'));
      this.socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? 'error'));
      this.socket.on('close', () => finish('closed'));
    });
    this.socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
  }

  write(text: string): void {
    this.socket.write(text);
  }

  /** The next whole response (headers and a Content-Length body); rejects if the socket ends first. */
  async response(): Promise<RawResponse> {
    for (;;) {
      const split = this.buffer.indexOf('\r\n\r\n');
      if (split >= 0) {
        const headers = this.buffer.subarray(0, split).toString('utf8');
        const length = Number(/^content-length: *(\d+)$/im.exec(headers)?.[1] ?? 0);
        if (this.buffer.length >= split + 4 + length) {
          const body = this.buffer.subarray(split + 4, split + 4 + length).toString('utf8');
          this.buffer = this.buffer.subarray(split + 4 + length);
          return { status: Number(headers.slice(9, 12)), headers, body };
        }
      }
      if (this.ending !== undefined) throw new Error(`connection ${this.ending} before a response`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

const says = (response: RawResponse, value: string) =>
  new RegExp(`^connection: *${value}$`, 'im').test(response.headers);

/** Whether a new TCP connection to the port is refused (nothing listens any more). */
function isRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const backends = await availableBackends();

// The API as a real process on SIGTERM, with keep-alive clients on raw connections.
describe.runIf(backends.includes('postgres'))('graceful shutdown (SHUTDOWN_GRACE_MS)', () => {
  let shared: SharedDatabase;
  let key = '';
  const started: ServiceProcess[] = [];

  beforeAll(async () => {
    shared = await createSharedDatabase();
    key = await issueProvinceKey(shared.database, 'admin');
  }, 60_000);

  afterAll(async () => {
    await Promise.all(started.map((process) => process.kill('SIGKILL')));
    await shared?.drop();
  }, 60_000);

  const startApi = async (graceMs: number) => {
    const api = await startServiceProcess('api', `api-grace-${graceMs}`, {
      DATABASE_URL: shared.url,
      SHUTDOWN_GRACE_MS: String(graceMs),
      DISPATCH_WORKERS: 'false',
    });
    started.push(api);
    return { api, port: Number(new URL(api.url).port) };
  };

  /** A POST whose body is only half sent: a request in flight until the rest follows. */
  const beginSlowPost = (connection: RawConnection, body: string) => {
    connection.write(
      'POST /v1/experts HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n' +
        `Authorization: Bearer ${key}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
        body.slice(0, 5),
    );
    return () => connection.write(body.slice(5));
  };

  it('stops accepting, closes idle keep-alive connections, answers the request in flight with Connection: close, then exits 0', async () => {
    const { api, port } = await startApi(30_000);
    const idle = new RawConnection(port);
    idle.write('GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n');
    const first = await idle.response();
    expect(first.status).toBe(200);
    expect(says(first, 'close')).toBe(false);

    const busy = new RawConnection(port);
    busy.write('GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n');
    expect((await busy.response()).status).toBe(200);
    const finishBody = beginSlowPost(busy, JSON.stringify({ name: '' }));
    await pause(300);

    process.kill(api.pid, 'SIGTERM');
    // The idle keep-alive connection is closed by the server, and nothing new is accepted.
    expect(await idle.ended).toBe('end');
    let refused = false;
    for (let attempt = 0; attempt < 50 && !refused; attempt += 1) {
      refused = await isRefused(port);
      if (!refused) await pause(100);
    }
    expect(refused).toBe(true);
    expect(api.isRunning()).toBe(true);

    // The request in flight is still answered, with Connection: close, and its socket closed.
    finishBody();
    const answer = await busy.response();
    expect(answer.status).toBe(422);
    expect(says(answer, 'close')).toBe(true);
    expect(await busy.ended).toBe('end');
    expect(await api.exited).toEqual({ code: 0, signal: null });
    expect(api.output()).not.toMatch(/connections cut at the deadline/);
  });

  it('stops serving a keep-alive client that goes on sending: its connection ends cleanly after SIGTERM', async () => {
    const { api, port } = await startApi(30_000);
    const client = new RawConnection(port);
    const statuses: number[] = [];
    let closedBy: 'header' | 'fin' | undefined;
    for (let sent = 0; sent < 10_000 && closedBy === undefined; sent += 1) {
      if (sent === 5) process.kill(api.pid, 'SIGTERM');
      client.write('GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n');
      // The server either answers `Connection: close`, or closes the connection while it is
      // idle between two requests (the request then never reached it).
      const answer = await client.response().catch(() => undefined);
      if (answer === undefined) closedBy = 'fin';
      else {
        statuses.push(answer.status);
        if (says(answer, 'close')) closedBy = 'header';
      }
    }
    expect(closedBy).toBeDefined();
    expect(statuses.length).toBeGreaterThanOrEqual(5);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(await client.ended).toBe('end');
    expect(await isRefused(port)).toBe(true);
    expect(await api.exited).toEqual({ code: 0, signal: null });
  });

  it('stops a worker process on SIGTERM, closing the keep-alive connections of its /metrics', async () => {
    const metricsPort = await freePort();
    const worker = await startServiceProcess('worker', 'worker-grace', {
      DATABASE_URL: shared.url,
      PUBLIC_BASE_URL: 'https://dispatch.test',
      SHUTDOWN_GRACE_MS: '1000',
      METRICS_PORT: String(metricsPort),
    });
    started.push(worker);
    // The dispatch loop runs before the metrics server listens: wait for the latter.
    await until(() => worker.output().includes('"msg":"metrics listening"'), 30_000);
    const scraper = new RawConnection(metricsPort);
    scraper.write('GET /metrics HTTP/1.1\r\nHost: test\r\n\r\n');
    expect((await scraper.response()).status).toBe(401);
    process.kill(worker.pid, 'SIGTERM');
    expect(await scraper.ended).toBe('end');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.output()).toMatch(/worker stopped/);
  });

  it('closes a request still unfinished at the deadline and exits 0', async () => {
    const { api, port } = await startApi(1000);
    const stuck = new RawConnection(port);
    stuck.write('GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n');
    expect((await stuck.response()).status).toBe(200);
    beginSlowPost(stuck, JSON.stringify({ name: 'never finished' }));
    await pause(300);
    process.kill(api.pid, 'SIGTERM');
    expect(['end', 'ECONNRESET', 'closed']).toContain(await stuck.ended);
    expect(await api.exited).toEqual({ code: 0, signal: null });
    expect(api.output()).toMatch(/connections cut at the deadline/);
    stuck.close();
  });
});
