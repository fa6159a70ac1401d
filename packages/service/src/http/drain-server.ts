import { IncomingMessage, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import type { ServerType } from '@hono/node-server';

/** How often a draining server looks for keep-alive connections to close. */
const SWEEP_MS = 100;
/**
 * How long a keep-alive connection must have been idle for a draining server to close it. A
 * client that was just answered is likely sending its next request right now: that request
 * gets an answer saying `Connection: close` instead of a connection closed under it.
 */
const IDLE_BEFORE_CLOSE_MS = 500;

type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

/** How a drain ended. */
export interface DrainOutcome {
  /** True when connections were still busy at the deadline and were closed anyway. */
  readonly forced: boolean;
}

/** The graceful stop of an HTTP server: `wrap` its fetch handler, `track` it, `drain` it. */
export interface ServerDrain {
  /** The app's fetch handler, answering `Connection: close` once the drain has begun. */
  readonly wrap: (fetch: Fetch) => Fetch;
  /** Follows the server's connections (call right after `serve`); returns the server. */
  readonly track: <S extends ServerType>(server: S) => S;
  /**
   * Stops accepting connections, lets the requests in flight finish — their answers say
   * `Connection: close`, and keep-alive connections are closed once idle — and closes every
   * connection still open after `graceMs`. Resolves when none is left.
   */
  readonly drain: (server: ServerType, graceMs: number) => Promise<DrainOutcome>;
}

interface ConnectionState {
  /** Requests of this connection not yet fully answered. */
  active: number;
  idleSince: number;
}

/**
 * Why: `server.close()` alone waits for keep-alive clients, who go on sending requests on their
 * open connections, so that a busy service kept serving for seconds after SIGTERM; and a
 * request that never finishes would hold the stop forever.
 *
 * @example
 * const drain = createServerDrain();
 * const server = drain.track(serve({ fetch: drain.wrap(app.fetch), port }));
 * process.on('SIGTERM', async () => { await drain.drain(server, 10_000); process.exit(0); });
 */
export function createServerDrain(): ServerDrain {
  let draining = false;
  const connections = new Map<Socket, ConnectionState>();
  return {
    track: (server) => {
      server.on('connection', (socket: Socket) => {
        connections.set(socket, { active: 0, idleSince: performance.now() });
        socket.once('close', () => connections.delete(socket));
      });
      return server;
    },
    wrap: (fetch) => async (request, env) => {
      followRequest(connections, env);
      const response = await fetch(request, env);
      return draining ? withConnectionClose(response) : response;
    },
    drain: async (server, graceMs) => {
      draining = true;
      // net.Server's close, not http.Server's: the latter also closes every idle keep-alive
      // connection at once, under a client that may be sending its next request right now.
      const closed = new Promise<void>((resolve) => {
        NetServer.prototype.close.call(server, () => resolve());
      });
      const closeIdle = () => {
        const now = performance.now();
        for (const [socket, state] of connections) {
          if (state.active === 0 && now - state.idleSince >= IDLE_BEFORE_CLOSE_MS) socket.destroy();
        }
      };
      closeIdle();
      const sweep = setInterval(closeIdle, SWEEP_MS);
      let forced = false;
      const deadline = setTimeout(() => {
        forced = true;
        for (const socket of connections.keys()) socket.destroy();
      }, graceMs);
      try {
        await closed;
      } finally {
        clearInterval(sweep);
        clearTimeout(deadline);
      }
      return { forced };
    },
  };
}

/** Counts a request of `@hono/node-server` (`env.incoming`/`env.outgoing`) on its connection. */
function followRequest(connections: Map<Socket, ConnectionState>, env: unknown): void {
  if (typeof env !== 'object' || env === null) return;
  const { incoming, outgoing } = env as { incoming?: unknown; outgoing?: unknown };
  if (!(incoming instanceof IncomingMessage) || !(outgoing instanceof ServerResponse)) return;
  const state = connections.get(incoming.socket);
  if (state === undefined) return;
  state.active += 1;
  outgoing.once('close', () => {
    state.active -= 1;
    state.idleSince = performance.now();
  });
}

function withConnectionClose(response: Response): Response {
  try {
    response.headers.set('Connection', 'close');
    return response;
  } catch {
    // Immutable headers (a fetched response): a copy with the same body.
    const headers = new Headers(response.headers);
    headers.set('Connection', 'close');
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  }
}
