// The load generator of the POST /v1/tasks benchmark, in a process of its own so that it does
// not share the server's event loop. Input: one JSON argument; output: autocannon's result as
// JSON on stdout.
import autocannon from 'autocannon';
import { idempotencyKeyOf, taskBody } from './task-bodies.js';

interface LoadOptions {
  /** One server, or several (the connections are spread over them in turn). */
  readonly url: string | string[];
  readonly headers: Record<string, string>;
  readonly connections: number;
  readonly durationSeconds: number;
  /** The first request number; each request gets its own key, task id and day. */
  readonly first: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
let next = options.first;
const result = await autocannon({
  url: options.url,
  connections: options.connections,
  duration: options.durationSeconds,
  timeout: 30,
  requests: [
    {
      method: 'POST',
      path: '/v1/tasks',
      headers: options.headers,
      setupRequest: (request) => {
        const n = next++;
        return {
          ...request,
          headers: { ...options.headers, 'idempotency-key': idempotencyKeyOf(n) },
          body: JSON.stringify(taskBody(n)),
        };
      },
    },
  ],
});
process.stdout.write(JSON.stringify({ ...result, last: next }));
