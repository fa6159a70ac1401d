import { signPayload } from '../dispatch/webhook-channel.js';
import { startLocalHttpServer } from './local-http-server.test-helpers.js';

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
  const receiver = {
    url: '',
    requests,
    delivered,
    behaviour: (() => 'ok') as ReceiverBehaviour,
    close: async () => {},
  };
  const server = await startLocalHttpServer((request, body, response) => {
    const text = body.toString('utf8');
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
  receiver.url = `${server.origin}/notify`;
  receiver.close = server.close;
  return receiver;
}
