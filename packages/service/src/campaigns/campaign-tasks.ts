import type { Task } from '@expert-dispatch/rules';
import type { Transaction } from '../db/open-database.js';
import { type FieldError, ProblemError } from '../errors.js';
import type { Principal } from '../http/app-env.js';
import { randomHex } from '../random-hex.js';
import { insertTaskRow } from '../tasks/insert-task-row.js';
import { buildTask } from '../tasks/task-request.js';
import type { CampaignRequest } from './campaign-request.js';

/**
 * The campaign's tasks as the matcher reads them, or a 422 naming each field by its task (a
 * task id given twice, a window that ends before it starts…).
 *
 * @example
 * const tasks = buildCampaignTasks(request, principal); // tasks[0].requestedBy.authorityId
 */
export function buildCampaignTasks(request: CampaignRequest, principal: Principal): Task[] {
  const errors: FieldError[] = [];
  const built: Task[] = [];
  const seen = new Set<string>();
  for (const [i, taskRequest] of request.tasks.entries()) {
    const id = taskRequest.id ?? `t_${randomHex(10)}`;
    if (seen.has(id))
      errors.push({ path: `tasks.${i}.id`, message: `task id ${id} is given twice` });
    seen.add(id);
    const result = buildTask({ ...taskRequest, policy: 'lottery' }, id, principal);
    if (result.ok) built.push(result.task);
    else errors.push(...result.errors.map((e) => ({ ...e, path: `tasks.${i}.${e.path}` })));
  }
  if (errors.length > 0) {
    throw new ProblemError(
      'validation_failed',
      { zh: '专项任务数据未通过校验', en: 'the campaign’s tasks did not pass validation' },
      { errors },
    );
  }
  return built;
}

/**
 * From the earliest start to the latest end of the campaign's windows: the bookings its
 * history reads (availability, 第十五条).
 *
 * @example
 * campaignSpan(tasks); // { from: '2026-03-09T08:30:00+08:00', to: '2026-04-03T18:00:00+08:00' }
 */
export function campaignSpan(tasks: readonly Task[]): { from: string; to: string } {
  const at = (iso: string) => new Date(iso).getTime();
  const windows = tasks.map((task) => task.window);
  return windows.reduce((span, w) => ({
    from: at(w.from) < at(span.from) ? w.from : span.from,
    to: at(w.to) > at(span.to) ? w.to : span.to,
  }));
}

/**
 * Stores the campaign's tasks as `POST /v1/tasks` stores one, each pointing at the draw about
 * to be made for it; a task id already in use is a 409 and the transaction rolls back whole.
 */
export async function insertCampaignTasks(
  tx: Transaction,
  args: {
    readonly tasks: readonly Task[];
    readonly request: CampaignRequest;
    readonly drawIds: readonly string[];
    readonly principal: Principal;
    readonly now: Date;
  },
): Promise<void> {
  const { principal, now } = args;
  for (const [i, task] of args.tasks.entries()) {
    const inserted = await insertTaskRow(tx, {
      id: task.id,
      authorityId: principal.authorityId,
      type: task.type,
      status: 'inviting',
      body: task,
      windowFrom: new Date(task.window.from),
      windowTo: new Date(task.window.to),
      currentDrawId: args.drawIds[i] as string,
      createdBy: principal.keyId,
      createdAt: now,
      updatedAt: now,
      cancelledAt: null,
      cancelReason: null,
      callbackUrl: args.request.tasks[i]?.callbackUrl ?? null,
      completedAt: null,
      ratingContact: args.request.tasks[i]?.ratingContact ?? null,
    });
    if (!inserted) {
      throw new ProblemError('already_exists', {
        zh: `任务编号 ${task.id} 已被使用`,
        en: `task id ${task.id} is already in use`,
      });
    }
  }
}
