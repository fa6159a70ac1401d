import type { JobQueue } from '../queue/job-queue.js';
import { jobLabel, type Metrics } from './create-metrics.js';

/**
 * The queue with its workers timed: each attempt's run time (`ed_job_run_seconds`, completed or
 * failed) and a first attempt's wait from when the job was due (`ed_job_wait_seconds`).
 * Everything else goes to the queue unchanged.
 *
 * @example
 * const queue = instrumentQueue(openQueue(env), metrics);
 * startDispatch(context, queue, settings); // its worker's jobs are now timed
 */
export function instrumentQueue(queue: JobQueue, metrics: Metrics): JobQueue {
  return {
    ...queue,
    startWorker: (handler, options) =>
      queue.startWorker(async (job) => {
        const label = jobLabel(job.name);
        const started = Date.now();
        if (job.attempt === 1 && job.dueAt !== undefined) {
          metrics.jobWait.observe({ job: label }, Math.max(0, started - job.dueAt) / 1000);
        }
        const end = metrics.jobRun.startTimer({ job: label });
        try {
          await handler(job);
          end({ result: 'completed' });
        } catch (error) {
          end({ result: 'failed' });
          throw error;
        }
      }, options),
  };
}
