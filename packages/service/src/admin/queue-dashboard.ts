import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { Queue } from 'bullmq';
import { ProblemError } from '../errors.js';
import type { AppEnv, Services } from '../http/app-env.js';
import { DISPATCH_QUEUE_NAME } from '../queue/bullmq-queue.js';
import { bullmqConnection, queuePrefixFor, redisTargetOf } from '../queue/redis-target.js';
import { adminAccess } from './admin-access.js';
import { selfContainedDashboard } from './self-contained-dashboard.js';

/** Where the dashboard lives. */
export const DASHBOARD_PATH = '/admin/queues';

/**
 * Mounts the BullMQ dashboard (bull-board) at `/admin/queues` behind `adminAccess`: the page,
 * its static files and its JSON API (`/admin/queues/api/queues`). Without BullMQ queues (no
 * `REDIS_URL`: the in-process queue) every dashboard path answers a 503 problem saying so.
 *
 * @example
 * mountQueueDashboard(app, services);
 */
export function mountQueueDashboard(app: OpenAPIHono<AppEnv>, services: Services): void {
  app.use(DASHBOARD_PATH, adminAccess);
  app.use(`${DASHBOARD_PATH}/*`, adminAccess);
  app.use(DASHBOARD_PATH, selfContainedDashboard);
  app.use(`${DASHBOARD_PATH}/*`, selfContainedDashboard);
  const queues = services.dashboardQueues ?? [];
  if (queues.length === 0) {
    const needsRedis = () => {
      throw new ProblemError('service_unavailable', {
        zh: '队列面板需要 Redis（设置 REDIS_URL）；当前使用进程内队列',
        en: 'the queue dashboard needs Redis (set REDIS_URL); this service runs the in-process queue',
      });
    };
    app.all(DASHBOARD_PATH, needsRedis);
    app.all(`${DASHBOARD_PATH}/*`, needsRedis);
    return;
  }
  // bull-board's Hono adapter serves its static files with the given serveStatic, from a root
  // relative to the working directory, as @hono/node-server expects.
  const adapter = new HonoAdapter(serveStatic).setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: '专家调度队列 Dispatch queues' } },
  });
  app.route(DASHBOARD_PATH, adapter.registerPlugin());
}

/** The dashboard's own BullMQ handles, opened by `main.ts` and closed on shutdown. */
export interface DashboardQueues {
  readonly queues: readonly Queue[];
  readonly close: () => Promise<void>;
}

/**
 * Opens the dispatch queue for the dashboard when `REDIS_URL` or `REDIS_CLUSTER_NODES` is set
 * (its own connection, so that dashboard reads never hold up the relay's adds); none without
 * Redis.
 *
 * @example
 * const dashboard = openDashboardQueues(env); // dashboard?.queues → Services.dashboardQueues
 */
export function openDashboardQueues(env: {
  readonly REDIS_URL?: string | undefined;
  readonly REDIS_CLUSTER_NODES?: string | undefined;
  readonly QUEUE_PREFIX: string;
}): DashboardQueues | undefined {
  const target = redisTargetOf(env);
  if (target === undefined) return undefined;
  const connection = bullmqConnection(target, { maxRetriesPerRequest: 1, connectTimeout: 1000 });
  const queue = new Queue(DISPATCH_QUEUE_NAME, {
    connection: connection.options,
    prefix: queuePrefixFor(target, env.QUEUE_PREFIX),
    skipWaitingForReady: true,
  });
  // Reconnects on its own; the dashboard shows the errors of its requests.
  queue.on('error', () => {});
  return { queues: [queue], close: () => queue.close().finally(connection.release) };
}
