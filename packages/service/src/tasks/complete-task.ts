import type { Task } from '@expert-dispatch/rules';
import { and, eq } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import type { Transaction } from '../db/open-database.js';
import { notices, panelSeats, tasks } from '../db/schema.js';
import { enqueueNotices } from '../dispatch/enqueue-notice.js';
import { formatShanghaiZh } from '../dispatch/invitation-message.js';
import { moveSeats, recordAttendance } from '../dispatch/seats/move-seats.js';
import { ProblemError } from '../errors.js';
import type { Principal, Services } from '../http/app-env.js';
import { ratingRequestNotice } from '../ratings/rating-request-notice.js';
import { RATING_LINK_DAYS, ratingLinkOf } from '../ratings/rating-token.js';
import { actorOf } from './draw-task.js';
import {
  isPanelSeat,
  loadServiceRecord,
  loadServingSeats,
  type ServiceRecord,
  type ServingSeat,
} from './service-record.js';
import {
  type Attendance,
  type AttendanceCorrection,
  type CompleteTaskRequest,
  checkAttendance,
} from './task-completion-request.js';
import { taskNotFound } from './task-view.js';

type TaskRow = typeof tasks.$inferSelect;

/** The task states from which the work can be recorded as done: the panel stands. */
const COMPLETABLE = ['confirmed', 'understaffed'] as const;

/**
 * `POST /v1/tasks/{id}/complete` (第十五条): records that the work is done and who came. Only the
 * requesting authority's dispatcher, only for a task whose panel stands (`confirmed` or
 * `understaffed`) and only once its window has started; every leader and member who accepted
 * needs an attendance, shadows may have one. In one transaction it stamps the attendance,
 * releases the invitations still open and the unused alternates, marks the task `completed`,
 * sends the served unit its rating link (第二十条) when the task has a rating contact and
 * someone attended, and audits the whole as `task.completed`.
 *
 * @example
 * await completeTask(services, principal, 't-1', { attendance: [{ expertId: 'e-1', attendance: 'attended' }] });
 */
export async function completeTask(
  services: Services,
  principal: Principal,
  taskId: string,
  request: CompleteTaskRequest,
): Promise<ServiceRecord> {
  const now = services.now();
  const { record, notified } = await services.db.transaction(async (tx) => {
    const row = await lockOwnTask(tx, principal, taskId);
    if (!(COMPLETABLE as readonly string[]).includes(row.status)) {
      throw new ProblemError(
        'illegal_transition',
        {
          zh: `任务状态为 ${row.status}，只有专家组已确定（confirmed）或人员不足（understaffed）的任务才能办结`,
          en: `a ${row.status} task cannot be completed; only a confirmed or understaffed one can`,
        },
        { extensions: { from: row.status, to: 'completed' } },
      );
    }
    if (now.getTime() < row.windowFrom.getTime()) {
      throw new ProblemError(
        'illegal_transition',
        {
          zh: `任务工作时间尚未开始（${formatShanghaiZh(row.windowFrom)}开始），不能办结`,
          en: `the task's window has not started (${row.windowFrom.toISOString()}); it cannot be completed yet`,
        },
        {
          extensions: {
            from: row.status,
            to: 'completed',
            windowFrom: row.windowFrom.toISOString(),
          },
        },
      );
    }
    const serving = await loadServingSeats(tx, row);
    rejectFieldErrors(checkAttendance(request.attendance, serving, true));
    await stampAttendance(tx, serving, request.attendance, now);
    const released = await moveSeats(tx, {
      where: eq(panelSeats.taskId, taskId),
      from: ['invited', 'reserve'],
      to: 'released',
      by: 'dispatcher',
      now,
    });
    const [completed] = await tx
      .update(tasks)
      .set({ status: 'completed', completedAt: now, updatedAt: now })
      .where(eq(tasks.id, taskId))
      .returning();
    if (completed === undefined) throw taskNotFound(taskId);
    const notified = await requestRatingsIfDue(tx, services, completed, request.attendance, now);
    const record = await loadServiceRecord(tx, completed);
    await appendAudit(
      tx,
      {
        actor: actorOf(principal),
        action: 'task.completed',
        entityType: 'task',
        entityId: taskId,
        reason: request.note ?? null,
        before: { status: row.status },
        after: {
          status: 'completed',
          attendance: request.attendance.map((entry) => ({
            ...entry,
            role: serving.find(({ seat }) => seat.expertId === entry.expertId)?.seat.role ?? null,
          })),
          released: released.map((seat) => seat.expertId),
          ratingRequested: notified,
        },
      },
      now,
    );
    return { record, notified };
  });
  if (notified) services.dispatch?.nudge();
  return record;
}

/**
 * `PUT /v1/tasks/{id}/attendance`: corrects or completes the attendance of a completed task
 * (a shadow recorded later, a mistake), with a reason, audited as `task.attendance_corrected`.
 * A member the served unit has rated cannot become a no-show (only attended members are rated);
 * an unchanged entry changes nothing.
 *
 * @example
 * await correctAttendance(services, principal, 't-1', { attendance: [{ expertId: 'e-2', attendance: 'attended' }], reason: '补录' });
 */
export async function correctAttendance(
  services: Services,
  principal: Principal,
  taskId: string,
  request: AttendanceCorrection,
): Promise<ServiceRecord> {
  const now = services.now();
  const { record, notified } = await services.db.transaction(async (tx) => {
    const row = await lockOwnTask(tx, principal, taskId);
    if (row.status !== 'completed') {
      throw new ProblemError(
        'illegal_transition',
        {
          zh: `任务状态为 ${row.status}，办结后才能更正出勤`,
          en: `a ${row.status} task has no attendance to correct; complete it first`,
        },
        { extensions: { from: row.status, to: 'completed' } },
      );
    }
    const serving = await loadServingSeats(tx, row);
    rejectFieldErrors(checkAttendance(request.attendance, serving, false));
    const rated = request.attendance.filter(
      (entry) =>
        entry.attendance === 'no_show' &&
        serving.some(({ seat, rating }) => seat.expertId === entry.expertId && rating !== null),
    );
    if (rated.length > 0) {
      throw new ProblemError(
        'illegal_transition',
        {
          zh: `专家 ${rated.map((e) => e.expertId).join('、')} 已获服务评价，不能改为未到岗`,
          en: `${rated.map((e) => e.expertId).join(', ')} already rated by the served unit; cannot become a no-show`,
        },
        { extensions: { from: 'attended', to: 'no_show', rated: rated.map((e) => e.expertId) } },
      );
    }
    const changes = request.attendance.flatMap((entry) => {
      const served = serving.find(({ seat }) => seat.expertId === entry.expertId);
      return served === undefined || served.seat.attendance === entry.attendance
        ? []
        : [{ ...entry, before: served.seat.attendance, role: served.seat.role }];
    });
    if (changes.length === 0) return { record: await loadServiceRecord(tx, row), notified: false };
    await stampAttendance(tx, serving, changes, now);
    const notified = await requestRatingsIfDue(tx, services, row, changes, now);
    const [updated] = await tx
      .update(tasks)
      .set({ updatedAt: now })
      .where(eq(tasks.id, taskId))
      .returning();
    const record = await loadServiceRecord(tx, updated ?? row);
    await appendAudit(
      tx,
      {
        actor: actorOf(principal),
        action: 'task.attendance_corrected',
        entityType: 'task',
        entityId: taskId,
        reason: request.reason,
        before: changes.map((c) => ({ expertId: c.expertId, role: c.role, attendance: c.before })),
        after: changes.map((c) => ({
          expertId: c.expertId,
          role: c.role,
          attendance: c.attendance,
        })),
      },
      now,
    );
    return { record, notified };
  });
  if (notified) services.dispatch?.nudge();
  return record;
}

/** Locks the caller's own task; another authority's is a 404, whether or not it exists. */
async function lockOwnTask(tx: Transaction, principal: Principal, taskId: string) {
  const [row] = await tx.select().from(tasks).where(eq(tasks.id, taskId)).for('update');
  if (row === undefined || row.authorityId !== principal.authorityId) throw taskNotFound(taskId);
  return row;
}

function rejectFieldErrors(errors: readonly { path: string; message: string }[]): void {
  if (errors.length === 0) return;
  throw new ProblemError(
    'validation_failed',
    { zh: '出勤记录未通过校验', en: 'the attendance did not pass validation' },
    { errors },
  );
}

/**
 * Writes the attendance of the listed seats through the seat table (`recordAttendance`): one
 * update per value, by the dispatcher.
 */
async function stampAttendance(
  tx: Transaction,
  serving: readonly ServingSeat[],
  entries: readonly { readonly expertId: string; readonly attendance: Attendance }[],
  now: Date,
): Promise<void> {
  for (const value of ['attended', 'no_show'] as const) {
    const seats = entries.flatMap((entry) => {
      const served = serving.find(({ seat }) => seat.expertId === entry.expertId);
      return entry.attendance === value && served !== undefined ? [served.seat] : [];
    });
    await recordAttendance(tx, { seats, to: value, by: 'dispatcher', now });
  }
}

/**
 * Sends the served unit its rating link (第二十条) once: when the task has a rating contact, a
 * leader or member has just been recorded as attended, and no link was sent before. Returns
 * whether a notice was written.
 */
async function requestRatingsIfDue(
  tx: Transaction,
  services: Services,
  task: TaskRow,
  entries: readonly { readonly expertId: string; readonly attendance: Attendance }[],
  now: Date,
): Promise<boolean> {
  if (task.ratingContact === null) return false;
  const serving = await loadServingSeats(tx, task);
  const attended = serving.some(
    ({ seat }) =>
      isPanelSeat(seat) &&
      seat.attendance === 'attended' &&
      entries.some((e) => e.expertId === seat.expertId),
  );
  if (!attended) return false;
  const [sent] = await tx
    .select({ id: notices.id })
    .from(notices)
    .where(and(eq(notices.taskId, task.id), eq(notices.kind, 'rating_request')))
    .limit(1);
  if (sent !== undefined) return false;
  const expiresAt = new Date(now.getTime() + RATING_LINK_DAYS * 86_400_000);
  const link = ratingLinkOf(
    services.env.PUBLIC_BASE_URL,
    services.env.REPLY_LINK_SECRET,
    task.id,
    expiresAt,
  );
  await enqueueNotices(
    tx,
    [
      ratingRequestNotice({
        taskId: task.id,
        task: task.body as Task,
        contact: task.ratingContact,
        link,
        expiresAt,
      }),
    ],
    now,
  );
  return true;
}
