import { performance } from 'node:perf_hooks';
import { startLocalHttpServer } from '../src/testing/local-http-server.test-helpers.js';

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
  const receiver: ArrivalReceiver = {
    url: '',
    arrivals,
    onArrival: () => {},
    close: async () => {},
  };
  const server = await startLocalHttpServer(
    (request, text, response) => {
      const at = performance.now();
      const body = JSON.parse(text.toString('utf8')) as Record<string, unknown>;
      const arrival: Arrival = {
        key: String(request.headers['idempotency-key'] ?? ''),
        taskId: String(body.taskId ?? ''),
        invitationId: typeof body.invitationId === 'string' ? body.invitationId : null,
        at,
      };
      arrivals.push(arrival);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":true}');
      receiver.onArrival(arrival);
    },
    { keepAliveTimeoutMs: 30_000 },
  );
  Object.assign(receiver, { url: `${server.origin}/notify`, close: server.close });
  return receiver;
}
