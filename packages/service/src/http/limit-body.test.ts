import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from './create-router.js';
import { handleError } from './error-handler.js';
import { limitBody } from './limit-body.js';

const LIMIT = 1024;

interface RawExchange {
  /** Everything the server sent, as text. */
  readonly received: string;
  /** How the socket ended: `end` (the server's FIN) or the socket error's code. */
  readonly ending: string;
}

/**
 * Sends `head` and `body` on a fresh TCP connection, then waits until the server closes it (or
 * `idleMs` pass without it doing so: then `ending` is `still-open`).
 */
function exchange(port: number, head: string, body: Buffer, idleMs = 3000): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let ending: string | undefined;
    const finish = (how: string) => {
      ending ??= how;
      clearTimeout(timer);
      socket.destroy();
      resolve({ received, ending });
    };
    const timer = setTimeout(() => finish('still-open'), idleMs);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
    });
    socket.on('end', () => finish('end'));
    socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? 'error'));
    socket.write(head);
    socket.write(body);
  });
}

describe('a body over the limit on a real connection', () => {
  let server: ReturnType<typeof serve>;
  let port: number;

  beforeAll(async () => {
    const app = createRouter();
    app.use('*', limitBody({ BODY_LIMIT_BYTES: LIMIT, IMPORT_LIMIT_BYTES: LIMIT * 4 }));
    app.post('/echo', async (c) => c.text(String((await c.req.text()).length)));
    app.onError(handleError);
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('is answered 413 with Connection: close, the whole problem document, then the server closes the socket', async () => {
    const size = LIMIT * 8;
    const head =
      'POST /echo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n' +
      `Connection: keep-alive\r\nContent-Length: ${size}\r\n\r\n`;
    const { received, ending } = await exchange(port, head, Buffer.alloc(size / 2, 'a'));
    const [headers = '', body = ''] = received.split('\r\n\r\n');
    expect(headers).toMatch(/^HTTP\/1\.1 413 /);
    expect(headers).toMatch(/^connection: close$/im);
    expect(headers).not.toMatch(/keep-alive/i);
    const length = Number(/^content-length: (\d+)$/im.exec(headers)?.[1]);
    expect(Buffer.byteLength(body)).toBe(length);
    expect(JSON.parse(body)).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(ending).toBe('end');
  });

  it('keeps a connection alive after a body within the limit', async () => {
    const head =
      'POST /echo HTTP/1.1\r\nHost: test\r\nContent-Type: text/plain\r\n' +
      `Content-Length: ${LIMIT}\r\n\r\n`;
    const { received, ending } = await exchange(port, head, Buffer.alloc(LIMIT, 'a'), 500);
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
    expect(received).not.toMatch(/^connection: close$/im);
    expect(ending).toBe('still-open');
  });
});

describe('which paths take bulk uploads', () => {
  const app = createRouter();
  app.use('*', limitBody({ BODY_LIMIT_BYTES: LIMIT, IMPORT_LIMIT_BYTES: LIMIT * 4 }));
  app.post('*', async (c) => c.text(String((await c.req.text()).length)));
  app.onError(handleError);
  const post = (path: string, bytes: number) =>
    app.request(path, { method: 'POST', body: 'x'.repeat(bytes) });

  it.each([
    ['/v1/experts/import', 200],
    ['/v1/public/applications', 200],
    ['/apply', 200],
    ['/v1/tasks', 413],
    ['/v1/public/applications/extra', 413],
    ['/apply/x', 413],
  ])('a body over the regular limit to %s answers %i', async (path, status) => {
    expect((await post(path, LIMIT * 2)).status).toBe(status);
  });
});
