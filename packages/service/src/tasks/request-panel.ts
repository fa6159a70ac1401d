import { canonicalJson, sha256Hex } from '@expert-dispatch/matcher';
import type { RuleSet, Task } from '@expert-dispatch/rules';
import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import { campaignAtCap } from '../campaigns/campaign-load.js';
import type { Transaction } from '../db/open-database.js';
import { tasks } from '../db/schema.js';
import { settleInOrder } from '../db/settle-in-order.js';
import { ProblemError } from '../errors.js';
import type { Principal, Services } from '../http/app-env.js';
import { randomHex } from '../random-hex.js';
import { resolveRuleSet } from '../rule-set/resolve-rule-set.js';
import {
  actorOf,
  drawSummaryOf,
  drawTask,
  newDrawId,
  readDraw,
  sinceOf,
  takeDrawLock,
} from './draw-task.js';
import {
  claimIdempotencyKey,
  Replayed,
  rememberInfeasible,
  type StoredResponse,
  storeIdempotentResponse,
} from './idempotency.js';
import { insertTaskRow, type NewTaskRow } from './insert-task-row.js';
import { DEADLOCK_DETECTED, EXCLUSION_VIOLATION, pgErrorCode } from './pg-error-code.js';
import { buildTask, type TaskRequest } from './task-request.js';
import { nextSequence, releaseSeats } from './task-seats.js';
import { assembleTaskView, loadTaskView, PENDING_DELIVERY, taskNotFound } from './task-view.js';

/** How often a draw is retried when a concurrent booking took one of its experts. */
const BOOKING_RETRIES = 5;

/**
 * What a draw retries on: a double booking refused by the exclusion constraint, and the
 * deadlock two lock-free draws can reach while each waits for the other's seats.
 */
const RETRYABLE: ReadonlySet<string> = new Set([EXCLUSION_VIOLATION, DEADLOCK_DETECTED]);

/**
 * `POST /v1/tasks`: in ONE transaction claims the idempotency key, stores the task, draws its
 * panel, books the experts, and stores the response for the key. A draw that cannot be
 * formed stores nothing but the 422 answer for the key (the same request gets the same answer).
 *
 * @example
 * const { status, body } = await requestPanel(services, principal, request, 'key-1');
 */
export async function requestPanel(
  services: Services,
  principal: Principal,
  request: TaskRequest,
  idempotencyKey: string,
): Promise<StoredResponse> {
  const now = services.now();
  const requestHash = sha256Hex(canonicalJson(request));
  const taskId = request.id ?? `t_${randomHex(10)}`;
  const built = buildTask(request, taskId, principal);
  if (!built.ok) {
    throw new ProblemError(
      'validation_failed',
      { zh: '任务数据未通过校验', en: 'the task did not pass validation' },
      { errors: built.errors },
    );
  }
  const task = built.task;
  try {
    const outcome = await withBookingRetries((attempt) =>
      services.db.transaction(async (tx) => {
        const drawId = newDrawId();
        const values: NewTaskRow = {
          id: task.id,
          authorityId: principal.authorityId,
          type: task.type,
          status: 'inviting',
          body: task,
          windowFrom: new Date(task.window.from),
          windowTo: new Date(task.window.to),
          currentDrawId: drawId,
          createdBy: principal.keyId,
          createdAt: now,
          updatedAt: now,
          cancelledAt: null,
          cancelReason: null,
          callbackUrl: request.callbackUrl ?? null,
          completedAt: null,
          ratingContact: request.ratingContact ?? null,
        };
        const serialize = attempt > 1;
        // Everything the draw reads, and the task row, sent together: postgres.js pipelines
        // them on the transaction's connection, one round trip for seven statements (PGlite
        // runs them in turn). The server runs them in order, so the draw lock comes first and
        // the key's stored answer is read once its lock is held. A task id the caller chose
        // is inserted only after the key is claimed: its insert would wait on a concurrent
        // duplicate's row instead of answering 409 at once.
        const callerChoseId = request.id !== undefined;
        const [, claim, insertedEarly, ruleSet, reads] = await settleInOrder([
          serialize ? takeDrawLock(tx) : Promise.resolve(),
          claimIdempotencyKey(tx, principal.authorityId, idempotencyKey, requestHash),
          callerChoseId ? Promise.resolve(false) : insertTaskRow(tx, values),
          // The requesting authority's rule set (第二十六条): derived for a local pool.
          resolveRuleSet(tx, principal.authorityId, services.ruleSet),
          readDraw(
            tx,
            principal,
            task.window,
            sinceOf(now, ruleSetSeen(principal, services)),
            services.db,
            task.widen,
          ),
        ] as const);
        if (claim.kind === 'replay') throw new Replayed(claim.response);
        const inserted = callerChoseId ? await insertTaskRow(tx, values) : insertedEarly;
        if (!inserted) {
          throw new ProblemError('already_exists', {
            zh: `任务编号 ${task.id} 已被使用`,
            en: `task id ${task.id} is already in use`,
          });
        }
        rememberRuleSet(principal, ruleSet);
        const made = await drawTask(tx, {
          task,
          options: request,
          principal,
          now,
          ruleSet,
          sequence: 1,
          reason: null,
          poolOwner: services.db,
          serialize,
          drawId,
          reads,
        });
        // Steps the rule set took unasked (异地抽取) become the task's, for its later draws.
        const stored =
          made.widened === null ? values : { ...values, body: { ...task, widen: made.widened } };
        if (made.widened !== null) {
          await tx.update(tasks).set({ body: stored.body }).where(eq(tasks.id, task.id));
        }
        const view = assembleTaskView(
          stored,
          drawSummaryOf(made, now),
          made.seats.map((seat) => ({
            seat,
            name: made.names.get(seat.expertId) ?? '',
            // insertDrawRows gave every invited seat a pending delivery in this transaction.
            delivery: seat.state === 'invited' ? PENDING_DELIVERY : null,
          })),
        );
        const response = { status: 201, body: view };
        const created = {
          actor: actorOf(principal),
          action: 'task.created',
          entityType: 'task',
          entityId: task.id,
          before: null,
          after: stored.body,
        };
        // Independent writes sent together; the audit append stays last among them, so the
        // chain's row lock is held only until the commit that follows.
        await Promise.all([
          storeIdempotentResponse(
            tx,
            principal.authorityId,
            idempotencyKey,
            requestHash,
            response,
            now,
          ),
          appendAudit(tx, [created, made.audit], now),
        ]);
        return { response, made };
      }),
    );
    outcome.made.onCommitted();
    services.metrics?.draws.inc({ outcome: 'drawn' });
    services.dispatch?.nudge(outcome.made.outbox);
    return outcome.response;
  } catch (error) {
    // A stored answer for the key: the transaction rolled back whatever it had begun.
    if (error instanceof Replayed) return error.response;
    // The same request gets the same answer: an infeasible panel is remembered for the key.
    await rememberInfeasible(
      services.db,
      principal.authorityId,
      idempotencyKey,
      requestHash,
      error,
      now,
    );
    throw error;
  }
}

// The rule set each authority's last draw ran on: its look-back sets where the history read
// (sent before the rule set is known) starts. A wrong guess costs one more read, never a
// wrong draw: `drawTask` reads again when the rule set's look-back differs.
const lastRuleSets = new Map<string, RuleSet>();
const LAST_RULE_SETS_LIMIT = 1024;

function ruleSetSeen(principal: Principal, services: Services): RuleSet {
  return lastRuleSets.get(principal.authorityId) ?? services.ruleSet;
}

function rememberRuleSet(principal: Principal, ruleSet: RuleSet): void {
  if (lastRuleSets.size >= LAST_RULE_SETS_LIMIT) lastRuleSets.clear();
  lastRuleSets.set(principal.authorityId, ruleSet);
}

/**
 * The problem a stored refusal stands for, so that a repeated request gets the same answer in
 * the same form as the first.
 */
export function replayedProblem(body: unknown): ProblemError {
  const stored = body as {
    code: 'panel_infeasible';
    detail: { zh: string; en: string };
    extensions: Record<string, unknown>;
  };
  return new ProblemError(stored.code, stored.detail, {
    extensions: { ...stored.extensions, replayed: true },
  });
}

/**
 * Re-draws a task's panel: an explicit action with a reason, recorded like the first draw, so
 * that nobody can draw silently until they like the result. The old seats are released. A
 * campaign's task is redrawn within the campaign: experts it holds at its load cap on its other
 * tasks are left out (recorded in the draw's `exclude`, so the draw replays).
 */
export async function redrawPanel(
  services: Services,
  principal: Principal,
  taskId: string,
  options: {
    reason: string;
    policy: TaskRequest['policy'];
    cap?: number | undefined;
    seed?: string | undefined;
  },
) {
  const now = services.now();
  const { view, made } = await withBookingRetries((attempt) =>
    services.db.transaction(async (tx) => {
      const row = await lockOpenTask(tx, principal, taskId, {
        to: 'inviting',
        zh: '重新抽取',
        en: 're-drawn',
      });
      await releaseSeats(tx, taskId, now);
      const sequence = await nextSequence(tx, taskId);
      // A campaign's task keeps the campaign's load cap: whom it holds at the cap elsewhere.
      const capped = await campaignAtCap(tx, taskId);
      const made = await drawTask(tx, {
        task: row.body as Task,
        options: {
          policy: options.policy,
          ...(options.cap === undefined ? {} : { cap: options.cap }),
          ...(options.seed === undefined ? {} : { seed: options.seed }),
        },
        principal,
        now,
        ruleSet: await resolveRuleSet(tx, principal.authorityId, services.ruleSet),
        sequence,
        reason: options.reason,
        poolOwner: services.db,
        serialize: attempt > 1,
        ...(capped.size === 0 ? {} : { exclude: [...capped] }),
      });
      await tx
        .update(tasks)
        .set({
          currentDrawId: made.drawId,
          status: 'inviting',
          updatedAt: now,
          ...(made.widened === null
            ? {}
            : { body: { ...(row.body as Task), widen: made.widened } }),
        })
        .where(eq(tasks.id, taskId));
      const view = await loadTaskView(tx, principal, taskId);
      await appendAudit(tx, made.audit, now);
      return { view, made };
    }),
  );
  made.onCommitted();
  services.metrics?.draws.inc({ outcome: 'redraw' });
  services.dispatch?.nudge(made.outbox);
  return view;
}

/** Cancels a task and releases its experts; the reason is recorded. */
export async function cancelTask(
  services: Services,
  principal: Principal,
  taskId: string,
  reason: string,
) {
  const now = services.now();
  return services.db.transaction(async (tx) => {
    const row = await lockOpenTask(tx, principal, taskId, {
      to: 'cancelled',
      zh: '取消',
      en: 'cancelled',
    });
    const released = await releaseSeats(tx, taskId, now);
    await tx
      .update(tasks)
      .set({ status: 'cancelled', cancelledAt: now, cancelReason: reason, updatedAt: now })
      .where(eq(tasks.id, taskId));
    await appendAudit(
      tx,
      {
        actor: actorOf(principal),
        action: 'task.cancelled',
        entityType: 'task',
        entityId: taskId,
        reason,
        before: { status: row.status },
        after: { status: 'cancelled', releasedExperts: released },
      },
      now,
    );
    return loadTaskView(tx, principal, taskId);
  });
}

/**
 * Locks the caller's own task (404 for anyone else's) and refuses, as a 409 naming both
 * states, to change a task that is already cancelled or completed.
 */
async function lockOpenTask(
  tx: Transaction,
  principal: Principal,
  taskId: string,
  action: { readonly to: string; readonly zh: string; readonly en: string },
) {
  const [row] = await tx.select().from(tasks).where(eq(tasks.id, taskId)).for('update');
  if (row === undefined || row.authorityId !== principal.authorityId) throw taskNotFound(taskId);
  if (row.status === 'cancelled' || row.status === 'completed') {
    throw new ProblemError(
      'illegal_transition',
      {
        zh: `任务状态为 ${row.status}，不能${action.zh}`,
        en: `a ${row.status} task cannot be ${action.en}`,
      },
      { extensions: { from: row.status, to: action.to } },
    );
  }
  return row;
}

/**
 * Runs a draw's transaction again when a concurrent booking took one of its experts (the
 * exclusion constraint refused a seat, or two draws deadlocked on each other's seats);
 * `attempt` > 1 tells the draw to take the draw lock.
 */
async function withBookingRetries<T>(work: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      const code = pgErrorCode(error);
      if (code === undefined || !RETRYABLE.has(code) || attempt >= BOOKING_RETRIES) throw error;
    }
  }
}
