import { type IsoDate, type RuleSet, toShanghaiDate } from '@expert-dispatch/rules';
import type { Logger } from 'pino';
import { type CheckpointSigner, loadCheckpointSigner } from '../audit/checkpoint-key.js';
import { type CheckpointSinks, sinkNames } from '../audit/export-checkpoint.js';
import { queueUnexported, takeCheckpoint } from '../audit/take-checkpoint.js';
import { warningWeek } from '../calendar/calendar-warning.js';
import { warnMissingCalendar } from '../calendar/warn-missing-calendar.js';
import type { Database } from '../db/open-database.js';
import type { ExpertContact } from '../db/schema.js';
import type { Env } from '../env.js';
import { loadRuleSets } from '../rule-set/resolve-rule-set.js';
import { purgeSelfService } from '../self/purge-self-service.js';
import { lapseTerms, SCHEDULER_ACTOR } from './lapse-terms.js';
import { purgeExpired, type RetentionSettings } from './purge-expired.js';
import { remindStaleProfiles } from './remind-stale-profiles.js';
import { type PeriodRun, runOncePerPeriod } from './run-once-per-period.js';
import { sendMonthlyDigest } from './send-monthly-digest.js';

/** The scheduled jobs and the period each runs once in (Asia/Shanghai). */
export const SCHEDULED_JOBS = {
  term_lapse: 'day',
  profile_reminder: 'day',
  monthly_digest: 'month',
  audit_checkpoint: 'hour',
  /** Finished idempotency keys, outbox rows, expired self-service codes and sessions past their retention. */
  retention_purge: 'day',
  /** From 1 November, once a week while next year's working-day calendar is missing. */
  calendar_check: 'week',
} as const;

export type ScheduledJobName = keyof typeof SCHEDULED_JOBS;

export interface SchedulerContext {
  readonly db: Database;
  readonly logger: Logger;
  /** The clock; tests pass a settable one. */
  readonly now: () => Date;
  /** The provincial rule set local sets derive from. */
  readonly ruleSet: RuleSet;
}

export interface SchedulerSettings {
  readonly intervalMs: number;
  /** Where the monthly digest goes; none: no digest. */
  readonly digestContacts: readonly ExpertContact[];
  /** Hourly signed checkpoints of the audit chain, exported to the sinks; none: no checkpoints. */
  readonly auditCheckpoints?: {
    readonly signer: () => Promise<CheckpointSigner>;
    readonly sinks: CheckpointSinks;
  };
  /** Daily purge of finished idempotency keys and outbox rows; none: nothing is purged. */
  readonly retention?: RetentionSettings;
}

/** What one tick did: each job's run for its current period (`ran: false` when done before). */
export type TickReport = Partial<Record<ScheduledJobName, PeriodRun>>;

export interface Scheduler {
  /** Runs every job for its current period now (waits for a tick already running). */
  readonly tickNow: () => Promise<TickReport>;
  /** Stops the timer and waits for a tick in flight. */
  readonly close: () => Promise<void>;
}

/**
 * Starts the in-process scheduler of the records the measures require: daily, terms lapse
 * (第十一条) and stale profiles are reminded (第八条（一）); monthly, the department gets its
 * digest. It ticks every `intervalMs` (unref'd, so it never keeps a process alive) in every
 * process that runs workers; each job runs ONCE per period across all of them, claimed in
 * `scheduled_runs` inside the job's own transaction. A job that fails is logged and retried
 * at the next tick.
 *
 * @example
 * const scheduler = startScheduler({ db, logger, now: () => new Date(), ruleSet }, { intervalMs: 60_000, digestContacts: [] });
 * process.on('SIGTERM', () => scheduler.close());
 */
export function startScheduler(context: SchedulerContext, settings: SchedulerSettings): Scheduler {
  let running: Promise<TickReport> | undefined;
  let closed = false;

  const tick = async (): Promise<TickReport> => {
    const now = context.now();
    const day = toShanghaiDate(now);
    const month = day.slice(0, 7);
    const report: TickReport = {};
    const run = async (
      job: ScheduledJobName,
      period: string,
      work: Parameters<typeof runOncePerPeriod>[4],
    ) => {
      try {
        const outcome = await runOncePerPeriod(context.db, job, period, now, work);
        report[job] = outcome;
        if (outcome.ran)
          context.logger.info({ job, period, result: outcome.result }, 'scheduled job ran');
      } catch (error) {
        const message =
          error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
        context.logger.warn(
          { job, period, err: { message } },
          'scheduled job failed; retried next tick',
        );
      }
    };
    await run('term_lapse', day, (tx) => lapseTerms(tx, now, context.ruleSet));
    await run('profile_reminder', day, async (tx) => {
      const sets = await loadRuleSets(tx, context.ruleSet);
      return remindStaleProfiles(tx, now, (id) => sets.get(id) ?? context.ruleSet);
    });
    await run('calendar_check', calendarCheckPeriod(day), (tx) =>
      warnMissingCalendar(tx, now, settings.digestContacts),
    );
    if (settings.digestContacts.length > 0) {
      await run('monthly_digest', month, (tx) =>
        sendMonthlyDigest(tx, now, month, context.ruleSet, settings.digestContacts),
      );
    }
    if (settings.auditCheckpoints !== undefined) {
      await checkpointHourly(settings.auditCheckpoints, now, run, context.logger);
    }
    const retention = settings.retention;
    if (retention !== undefined) {
      await run('retention_purge', day, async (tx) => {
        const purged = await purgeExpired(tx, now, retention);
        const self =
          retention.selfServiceDays === undefined
            ? { loginCodes: 0, sessions: 0 }
            : await purgeSelfService(tx, now, retention.selfServiceDays);
        const result = { ...purged, ...self, ...retention };
        const deleted =
          purged.idempotencyKeys + purged.outbox + self.loginCodes + self.sessions > 0;
        return {
          result,
          audit: deleted
            ? [
                {
                  actor: SCHEDULER_ACTOR,
                  action: 'retention.purged',
                  entityType: 'retention',
                  entityId: day,
                  after: result,
                },
              ]
            : [],
        };
      });
    }
    return report;
  };

  const tickNow = (): Promise<TickReport> => {
    running ??= tick().finally(() => {
      running = undefined;
    });
    return running;
  };

  const timer = setInterval(() => {
    if (!closed) void tickNow();
  }, settings.intervalMs);
  timer.unref();
  void tickNow();

  return {
    tickNow,
    close: async () => {
      closed = true;
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * The hourly audit checkpoint (`hour`: the Asia/Shanghai hour, e.g. `2026-12-01T09`): queues
 * again what a sink has not confirmed, then signs the chain's head. A chain that no longer
 * extends the previous checkpoint is not signed; that is logged as an error, once an hour.
 */
async function checkpointHourly(
  settings: NonNullable<SchedulerSettings['auditCheckpoints']>,
  now: Date,
  run: (
    job: ScheduledJobName,
    period: string,
    work: Parameters<typeof runOncePerPeriod>[4],
  ) => Promise<void>,
  logger?: Logger,
): Promise<void> {
  const hour = new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 13);
  // Loaded before the run's transaction (once per process): on PGlite, a read outside an open
  // transaction waits for it.
  let signer: CheckpointSigner;
  try {
    signer = await settings.signer();
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    logger?.warn(
      { err: { message } },
      'audit signing key not loaded; checkpoint retried next tick',
    );
    return;
  }
  await run('audit_checkpoint', hour, async (tx) => {
    const sinks = sinkNames(settings.sinks);
    const requeued = await queueUnexported(tx, sinks, now);
    const round = await takeCheckpoint(tx, signer, {
      now,
      trigger: 'scheduled',
      exportIt: sinks.length > 0,
    });
    if (round.broken.length > 0) {
      // The other chains are signed all the same: one broken chain holds none of them up.
      logger?.error(
        { broken: round.broken },
        'audit chain broken: no checkpoint signed for that chain',
      );
    }
    const signed = round.checkpoints.map(({ id, chain, sequence }) => ({ id, chain, sequence }));
    return { result: { signed, broken: round.broken, requeued }, audit: [] };
  });
}

/** Asia/Shanghai keeps UTC+8 all year. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/**
 * The digest contacts the environment names: `DEPARTMENT_DIGEST_EMAIL` and/or
 * `DEPARTMENT_DIGEST_WEBHOOK`.
 *
 * @example
 * digestContactsOf(readEnv({ DEPARTMENT_DIGEST_EMAIL: 'aq@example.gov.cn' })); // [{ channel: 'email', … }]
 */
export function digestContactsOf(env: Env): ExpertContact[] {
  return [
    ...(env.DEPARTMENT_DIGEST_EMAIL === undefined
      ? []
      : [{ channel: 'email' as const, address: env.DEPARTMENT_DIGEST_EMAIL }]),
    ...(env.DEPARTMENT_DIGEST_WEBHOOK === undefined
      ? []
      : [{ channel: 'webhook' as const, address: env.DEPARTMENT_DIGEST_WEBHOOK }]),
  ];
}

/**
 * The scheduler as `main.ts` (with workers) and `worker.ts` run it, from the environment.
 *
 * @example
 * const scheduler = startSchedulerFromEnv({ env, db, logger, now: () => new Date(), ruleSet: yunnanGmy2025 });
 */
export function startSchedulerFromEnv(args: SchedulerContext & { readonly env: Env }): Scheduler {
  const { env, ...context } = args;
  return startScheduler(context, {
    intervalMs: env.SCHEDULER_INTERVAL_MS,
    digestContacts: digestContactsOf(env),
    auditCheckpoints: {
      signer: () => loadCheckpointSigner(context.db, env.AUDIT_SIGNING_KEY, context.logger),
      sinks: { url: env.AUDIT_CHECKPOINT_URL, file: env.AUDIT_CHECKPOINT_FILE },
    },
    retention: {
      idempotencyKeyDays: env.IDEMPOTENCY_KEY_RETENTION_DAYS,
      outboxDays: env.OUTBOX_RETENTION_DAYS,
      selfServiceDays: env.SELF_SERVICE_RETENTION_DAYS,
    },
  });
}

/**
 * The period the calendar check claims: a week of the warning season (from 1 November, so the
 * department is told once a week), else the day (a quick look that finds nothing to say).
 *
 * @example
 * calendarCheckPeriod('2026-11-09'); // '2026-11-01+1w'
 * calendarCheckPeriod('2026-06-01'); // '2026-06-01'
 */
export function calendarCheckPeriod(day: IsoDate): string {
  const since = `${day.slice(0, 4)}-11-01`;
  return day < since ? day : `${since}+${warningWeek({ since }, day)}w`;
}
