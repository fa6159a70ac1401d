import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';

/** What `serve` calls per request: an app's `fetch`. */
type FetchHandler = Parameters<typeof serve>[0]['fetch'];

/** A listening local server: its origin, and `close`, which also drops open connections. */
export interface LocalHttpServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly close: () => Promise<void>;
}

/**
 * Starts an HTTP server on 127.0.0.1:<random port> that reads each request's whole body and
 * hands it to `onRequest`. `close` destroys kept-alive sockets first, so it never waits on an
 * idle client.
 *
 * @example
 * const server = await startLocalHttpServer((request, body, response) => response.end('ok'));
 * try { await fetch(server.origin); } finally { await server.close(); }
 */
export async function startLocalHttpServer(
  onRequest: (request: IncomingMessage, body: Buffer, response: ServerResponse) => void,
  options: { readonly keepAliveTimeoutMs?: number } = {},
): Promise<LocalHttpServer> {
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => onRequest(request, Buffer.concat(chunks), response));
  });
  if (options.keepAliveTimeoutMs !== undefined)
    server.keepAliveTimeout = options.keepAliveTimeoutMs;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Serves a fetch handler (the app, `app.fetch`) over real HTTP on 127.0.0.1:<random port>.
 *
 * @example
 * const server = await serveLocally(t.app.fetch);
 * try { await fetch(`${server.origin}/healthz`); } finally { await server.close(); }
 */
export async function serveLocally(fetch: FetchHandler): Promise<LocalHttpServer> {
  const server = await new Promise<ServerType>((resolve) => {
    const listening = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(listening));
  });
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
