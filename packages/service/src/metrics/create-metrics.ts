import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds: fast reads through slow draws over a large pool. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds: a job runs in milliseconds, waits longer while the workers are busy or down. */
const JOB_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300];

/** How a draw ended: a first panel drawn, refused as infeasible, or a recorded re-draw. */
export type DrawOutcome = 'drawn' | 'infeasible' | 'redraw';

/**
 * The Prometheus instruments of one app instance, on a registry of its own (not prom-client's
 * global one), so that tests with many apps never share a series. Labels carry route patterns,
 * states, channels and job names — never an id or a personal datum.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly draws: Counter<'outcome'>;
  /** From when a job became due to the start of its first attempt. */
  readonly jobWait: Histogram<'job'>;
  readonly jobRun: Histogram<'job' | 'result'>;
  // Set at scrape time from SQL and the queue (refreshGauges).
  readonly invitations: Gauge<'state'>;
  readonly queueJobs: Gauge<'state'>;
  readonly outboxLag: Gauge;
  readonly outboxUnrelayed: Gauge;
  readonly notificationsFailed: Gauge<'kind' | 'channel'>;
  readonly sourceUp: Gauge<'source'>;
  /** The process metrics (CPU, memory, event loop); started on the first scrape only. */
  readonly startProcessMetrics: () => void;
}

/**
 * A fresh registry with every instrument of the service.
 *
 * @example
 * const metrics = createMetrics();
 * metrics.draws.inc({ outcome: 'drawn' });
 * const text = await metrics.registry.metrics(); // the Prometheus text format
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  let processMetrics = false;
  return {
    registry,
    httpDuration: new Histogram({
      name: 'ed_http_request_duration_seconds',
      help: 'HTTP request duration by method, route pattern and status / 接口耗时',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: HTTP_BUCKETS,
      registers,
    }),
    draws: new Counter({
      name: 'ed_draws_total',
      help: 'Draws by outcome: drawn, infeasible, redraw / 抽取次数（按结果）',
      labelNames: ['outcome'] as const,
      registers,
    }),
    jobWait: new Histogram({
      name: 'ed_job_wait_seconds',
      help: 'Queue wait of a job, from due to the start of its first attempt / 任务排队时长',
      labelNames: ['job'] as const,
      buckets: JOB_BUCKETS,
      registers,
    }),
    jobRun: new Histogram({
      name: 'ed_job_run_seconds',
      help: 'Run time of one job attempt, by job and result / 任务执行时长',
      labelNames: ['job', 'result'] as const,
      buckets: JOB_BUCKETS,
      registers,
    }),
    invitations: new Gauge({
      name: 'ed_invitations',
      help: 'Invitations of tasks not yet over, by seat state / 进行中任务的邀请（按状态）',
      labelNames: ['state'] as const,
      registers,
    }),
    queueJobs: new Gauge({
      name: 'ed_queue_jobs',
      help: 'Jobs in the dispatch queue by state / 队列任务数（按状态）',
      labelNames: ['state'] as const,
      registers,
    }),
    outboxLag: new Gauge({
      name: 'ed_outbox_lag_seconds',
      help: 'Age of the oldest outbox row not yet handed to the queue (0: none) / 发件箱积压时长',
      registers,
    }),
    outboxUnrelayed: new Gauge({
      name: 'ed_outbox_unrelayed',
      help: 'Outbox rows not yet handed to the queue / 发件箱未转交条数',
      registers,
    }),
    notificationsFailed: new Gauge({
      name: 'ed_notifications_failed',
      help:
        'Notifications that failed for good, by kind (invitation, notice) and last channel ' +
        '/ 最终发送失败的通知（按渠道）',
      labelNames: ['kind', 'channel'] as const,
      registers,
    }),
    sourceUp: new Gauge({
      name: 'ed_metrics_source_up',
      help: 'Whether the last scrape could read the source (database, queue) / 指标来源可读',
      labelNames: ['source'] as const,
      registers,
    }),
    startProcessMetrics: () => {
      if (processMetrics) return;
      processMetrics = true;
      collectDefaultMetrics({ register: registry });
    },
  };
}

/** The job names of the dispatch queue: the outbox kinds (schema.ts, `outbox_kind_check`). */
const JOB_NAMES: ReadonlySet<string> = new Set([
  'deliver_invitation',
  'invitation_deadline',
  'task_callback',
  'deliver_notice',
  'scheduled_job',
]);

/**
 * The `job` label of a job name; an unknown name is `other`, so that a stray name cannot grow
 * the series.
 *
 * @example
 * jobLabel('deliver_invitation'); // 'deliver_invitation'
 */
export function jobLabel(name: string): string {
  return JOB_NAMES.has(name) ? name : 'other';
}
