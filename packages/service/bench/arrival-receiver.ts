import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One notification as the gateway got it, stamped when its body had arrived. */
export interface Arrival {
  /** The `Idempotency-Key`: the delivery id, the same on every retry of one notification. */
  readonly key: string;
  readonly taskId: string;
  /** Set for invitations; notices have none. */
  readonly invitationId: string | null;
  /** `performance.now()` of this process. */
  readonly at: number;
}

/** A local webhook gateway that answers 200 at once and keeps every arrival. */
export interface ArrivalReceiver {
  readonly url: string;
  readonly arrivals: Arrival[];
  /** Called on each arrival (after it is recorded). */
  onArrival: (arrival: Arrival) => void;
  readonly close: () => Promise<void>;
}

/**
 * Starts the gateway of the dispatch benchmark on 127.0.0.1:<random port>. It is in the
 * benchmark's process, so that arrival times compare with the send times of the requests.
 *
 * @example
 * const receiver = await startArrivalReceiver();
 * receiver.onArrival = (a) => console.log(a.invitationId, a.at);
 */
export async function startArrivalReceiver(): Promise<ArrivalReceiver> {
  const arrivals: Arrival[] = [];
  const sockets = new Set<Socket>();
  const receiver: ArrivalReceiver = {
    url: '',
    arrivals,
    onArrival: () => {},
    close: async () => {},
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = performance.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      const arrival: Arrival = {
        key: String(request.headers['idempotency-key'] ?? ''),
        taskId: String(body.taskId ?? ''),
        invitationId: typeof body.invitationId === 'string' ? body.invitationId : null,
        at,
      };
      arrivals.push(arrival);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":true}');
      receiver.onArrival(arrival);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/notify`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
  return receiver;
}
