import { eq } from 'drizzle-orm';
import { exportCheckpoint } from '../audit/export-checkpoint.js';
import { CHECKPOINT_EXPORT_JOB } from '../audit/take-checkpoint.js';
import { tasks } from '../db/schema.js';
import type { JobQueue, QueuedJob, QueueWorker } from '../queue/job-queue.js';
import type { CommittedOutbox } from './committed-outbox.js';
import { deliverInvitation } from './deliver-invitation.js';
import { deliverNotice } from './deliver-notice.js';
import type { DispatchContext } from './dispatch-context.js';
import { type RelayRound, relayCommitted, relayOutbox } from './relay-outbox.js';
import { type SweepRound, sweepInvitations } from './sweep-invitations.js';
import { timeOutInvitation } from './time-out-invitation.js';
import { postSigned } from './webhook-channel.js';

/** Timing and retry settings of the dispatch loop. */
export interface DispatchSettings {
  /** Start a queue worker in this process (the service by default; `npm run worker` alone). */
  readonly runWorker: boolean;
  readonly concurrency: number;
  readonly relayIntervalMs: number;
  readonly sweepIntervalMs: number;
  readonly staleMs: number;
  readonly deliveryAttempts: number;
  readonly deliveryBackoffMs: number;
  /** Least total backoff of a notification's retries (see `RelayOptions`). */
  readonly deliveryRetryWindowMs?: number;
}

/** The running dispatch loop of one process. */
export interface Dispatcher {
  /**
   * Called after a commit that wrote outbox rows: the rows given are queued at once (and
   * stamped relayed); without rows, a relay round runs soon. Ignored once closed.
   */
  readonly nudge: (committed?: readonly CommittedOutbox[]) => void;
  readonly relayNow: () => Promise<RelayRound>;
  readonly sweepNow: () => Promise<SweepRound>;
  /** The queue the loop uses (`/metrics` reads its depth). */
  readonly queue: JobQueue;
  /** Stops relaying and sweeping, lets the worker finish its jobs, closes the queue. */
  readonly close: () => Promise<void>;
}

/**
 * Starts the relay (on a timer and on `nudge`; rows handed to `nudge` are queued at once),
 * the sweeper, and — unless `runWorker` is false — a worker that runs the dispatch jobs:
 * `deliver_invitation`, `deliver_notice`, `invitation_deadline` and `task_callback`.
 *
 * @example
 * const dispatcher = startDispatch(context, queue, settings);
 * process.on('SIGTERM', () => dispatcher.close());
 */
export function startDispatch(
  context: DispatchContext,
  queue: JobQueue,
  settings: DispatchSettings,
): Dispatcher {
  let closed = false;
  let relaying: Promise<RelayRound> | undefined;
  let again = false;
  let sweeping: Promise<SweepRound> | undefined;
  const handingOver = new Set<Promise<void>>();

  const relayNow = (): Promise<RelayRound> => {
    if (relaying !== undefined) {
      again = true;
      return relaying;
    }
    relaying = relayOutbox(context.db, queue, context.now(), settings)
      .catch((error: unknown) => {
        context.logger.warn({ err: errorSummary(error) }, 'outbox relay round failed');
        return { relayed: 0, failed: 0 };
      })
      .finally(() => {
        relaying = undefined;
        if (again && !closed) {
          again = false;
          void relayNow();
        }
      });
    return relaying;
  };
  // Rows a writer hands over are queued now, not at the next round: the relay round's claim
  // statement is one round trip less on the path to the notification. A failed add leaves the
  // row to the relay.
  const relayHandedOver = (committed: readonly CommittedOutbox[]) => {
    const work = relayCommitted(context.db, queue, committed, context.now(), settings)
      .then((round) => {
        if (round.failed > 0) {
          context.logger.warn({ failed: round.failed }, 'queueing committed outbox rows failed');
        }
      })
      .catch((error: unknown) => {
        context.logger.warn({ err: errorSummary(error) }, 'stamping committed outbox rows failed');
      })
      .finally(() => handingOver.delete(work));
    handingOver.add(work);
  };
  const sweepNow = (): Promise<SweepRound> => {
    sweeping ??= sweepInvitations(context, queue, { staleMs: settings.staleMs })
      .catch((error: unknown) => {
        context.logger.warn({ err: errorSummary(error) }, 'invitation sweep failed');
        return { timedOut: 0, requeued: 0 };
      })
      .finally(() => {
        sweeping = undefined;
      });
    return sweeping;
  };

  const relayTimer = setInterval(() => void relayNow(), settings.relayIntervalMs);
  const sweepTimer = setInterval(() => void sweepNow(), settings.sweepIntervalMs);
  relayTimer.unref();
  sweepTimer.unref();

  let worker: QueueWorker | undefined;
  if (settings.runWorker) {
    worker = queue.startWorker((job) => runJob(context, job), {
      concurrency: settings.concurrency,
    });
  }
  void relayNow();

  return {
    nudge: (committed) => {
      if (closed) return;
      if (committed === undefined || committed.length === 0) void relayNow();
      else relayHandedOver(committed);
    },
    relayNow,
    sweepNow,
    queue,
    close: async () => {
      closed = true;
      clearInterval(relayTimer);
      clearInterval(sweepTimer);
      await Promise.allSettled([relaying, sweeping, ...handingOver]);
      await worker?.close();
      await queue.close();
    },
  };
}

/**
 * Tells the requesting system that its panel is confirmed or understaffed (`task.status`), or
 * that an invitation reached no one (`invitation.undeliverable`, with the invitation, the
 * expert and the reply deadline until which a phone answer may be recorded): a signed POST to
 * the task's `callbackUrl`, the outbox id as idempotency key.
 */
async function notifyRequester(context: DispatchContext, job: QueuedJob): Promise<void> {
  const taskId = String(job.data.taskId);
  const [task] = await context.db
    .select({ callbackUrl: tasks.callbackUrl })
    .from(tasks)
    .where(eq(tasks.id, taskId));
  if (!task?.callbackUrl) return;
  const event = job.data.event ?? 'task.status';
  await postSigned(
    task.callbackUrl,
    { ...job.data, event, taskId, status: job.data.status, at: job.data.at },
    {
      secret: context.signingSecret,
      idempotencyKey: job.id,
      timeoutMs: context.callbackTimeoutMs,
      outbound: context.outbound,
    },
  );
}

/** Runs one dispatch job. */
export async function runJob(context: DispatchContext, job: QueuedJob): Promise<void> {
  if (job.name === 'deliver_invitation') {
    await deliverInvitation(context, String(job.data.deliveryId), job);
  } else if (job.name === 'deliver_notice') {
    await deliverNotice(context, String(job.data.noticeId), job);
  } else if (job.name === 'task_callback') {
    await notifyRequester(context, job);
  } else if (job.name === 'invitation_deadline') {
    await timeOutInvitation(context.db, Number(job.data.seatId), context.now());
  } else if (job.name === CHECKPOINT_EXPORT_JOB) {
    await exportCheckpoint(
      { ...context, timeoutMs: context.callbackTimeoutMs },
      context.auditCheckpointSinks ?? {},
      Number(job.data.checkpointId),
    );
  } else {
    context.logger.warn({ job: job.name }, 'unknown job dropped');
  }
}

/** The message of an error and of its cause (drizzle wraps the driver's error), no values. */
function errorSummary(error: unknown): { message: string; cause?: string } {
  const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  const cause =
    error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return cause === undefined ? { message } : { message, cause };
}
