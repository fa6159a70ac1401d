import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { signPayload } from '../dispatch/webhook-channel.js';

/** One request as the receiver got it. */
export interface ReceivedRequest {
  readonly key: string;
  readonly signatureOk: boolean;
  readonly body: Record<string, unknown>;
}

/** What the receiver does with the n-th request (1-based) for a key. */
export type ReceiverBehaviour = (key: string, nth: number) => 'ok' | 'fail' | 'hang';

/**
 * A real gateway on 127.0.0.1:<random port>: it checks the HMAC signature, and like a real
 * gateway honours `Idempotency-Key` — a key it has accepted before is answered 200 again but
 * not delivered again. `delivered` counts what the expert would see.
 */
export interface HttpReceiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Deliveries per idempotency key, as the recipient sees them. */
  readonly delivered: Map<string, number>;
  behaviour: ReceiverBehaviour;
  readonly close: () => Promise<void>;
}

export async function startHttpReceiver(secret: string): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const delivered = new Map<string, number>();
  const seen = new Map<string, number>();
  const sockets = new Set<Socket>();
  const receiver = {
    url: '',
    requests,
    delivered,
    behaviour: (() => 'ok') as ReceiverBehaviour,
    close: async () => {},
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const key = String(request.headers['idempotency-key'] ?? '');
      const timestamp = String(request.headers['x-expert-dispatch-timestamp'] ?? '');
      const signature = String(request.headers['x-expert-dispatch-signature'] ?? '');
      const nth = (seen.get(key) ?? 0) + 1;
      seen.set(key, nth);
      requests.push({
        key,
        signatureOk: signature === signPayload(secret, timestamp, text),
        body: JSON.parse(text) as Record<string, unknown>,
      });
      const action = receiver.behaviour(key, nth);
      if (action === 'hang') return;
      if (action === 'fail') {
        response.writeHead(500).end();
        return;
      }
      if (!delivered.has(key)) delivered.set(key, 1);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":true}');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  receiver.url = `http://127.0.0.1:${port}/notify`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return receiver;
}
