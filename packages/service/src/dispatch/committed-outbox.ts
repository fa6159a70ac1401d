import type { JobData } from '../queue/job-queue.js';

/**
 * An outbox row its writer knows to be committed: the writer hands it to the dispatch loop,
 * which queues it at once instead of waiting for a relay round to find it. The relay still
 * finds any row this fast path missed (the process died, Redis was down), and the job id (the
 * outbox id) keeps the two from making two jobs.
 */
export interface CommittedOutbox {
  readonly id: string;
  readonly kind: string;
  readonly payload: JobData;
  readonly runAt: Date;
}
