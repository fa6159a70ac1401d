import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv, Principal } from '../http/app-env.js';
import { sealTaskViewsFor } from './sealed-panel.js';
import { loadTaskView, type TaskView } from './task-view.js';

/** How often the stream looks at the task: replies and deliveries are written by other processes. */
export const TASK_EVENTS_POLL_MS = 1_000;
/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
/** A stream ends after this long; EventSource reconnects by itself (and re-checks the key). */
const STREAM_MS = 10 * 60_000;

/**
 * The task as its caller may see it now: sealed names stay sealed (第八条（五）（七）).
 *
 * @example
 * const view = await visibleTaskView(c, principal, 't_01');
 */
export async function visibleTaskView(
  c: Context<AppEnv>,
  principal: Principal,
  taskId: string,
): Promise<TaskView> {
  const view = await loadTaskView(c.var.db, principal, taskId);
  const [shown] = await sealTaskViewsFor(
    c.var.db,
    principal,
    [view],
    c.var.services.ruleSet,
    c.var.services.now(),
  );
  return shown ?? view;
}

/**
 * A Server-Sent Events stream of a task: an `event: task` with the whole task view at once and
 * again whenever it changes (a delivery, a reply, a backfill, a cancellation), read from the
 * database so that changes made by any process are seen. The task is loaded once before the
 * stream starts, so an unknown or foreign task is a 404 problem, not an empty stream.
 *
 * @example
 * app.get('/v1/tasks/:id/events', (c) => streamTaskEvents(c, c.var.principal, c.req.param('id')));
 */
export async function streamTaskEvents(
  c: Context<AppEnv>,
  principal: Principal,
  taskId: string,
  pollMs = TASK_EVENTS_POLL_MS,
): Promise<Response> {
  const first = await visibleTaskView(c, principal, taskId);
  c.header('Cache-Control', 'no-store');
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, async (stream) => {
    let closed = false;
    stream.onAbort(() => {
      closed = true;
    });
    let last = '';
    let id = 0;
    let quietSince = Date.now();
    const started = Date.now();
    let view: TaskView | undefined = first;
    while (!closed && Date.now() - started < STREAM_MS) {
      if (view !== undefined) {
        const data = JSON.stringify(view);
        if (data !== last) {
          last = data;
          id += 1;
          await stream.writeSSE({ event: 'task', data, id: String(id) });
          quietSince = Date.now();
        } else if (Date.now() - quietSince >= HEARTBEAT_MS) {
          await stream.write(': keep-alive\n\n');
          quietSince = Date.now();
        }
      }
      await stream.sleep(pollMs);
      if (closed) break;
      try {
        view = await visibleTaskView(c, principal, taskId);
      } catch {
        // A database hiccup skips one look; the next one tries again.
        view = undefined;
      }
    }
  });
}
