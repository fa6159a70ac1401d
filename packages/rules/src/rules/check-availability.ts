import { formatZhWindow } from '../dates/format-zh-date.js';
import { isOverlapping } from '../dates/task-days.js';
import { decide, type RuleOutcome } from '../rule-outcome.js';
import type { Expert } from '../schemas/expert.js';
import type { Busy } from '../schemas/history.js';
import type { Task } from '../schemas/task.js';

const RULE = 'availability';
const ARTICLE = '第十五条';

/**
 * The expert must be free for the whole task window (第十五条): no declared unavailable period
 * and no booking on another task may overlap it. Periods are half-open, so one ending exactly
 * when the task starts does not overlap.
 *
 * @example
 * checkAvailability(expert, task, { busy: [] }).ok;
 */
export function checkAvailability(
  expert: Expert,
  task: Task,
  context: { readonly busy?: readonly Busy[] },
): RuleOutcome {
  const blocked = expert.unavailable.find((period) => isOverlapping(period, task.window));
  if (blocked !== undefined) {
    return decide(RULE, ARTICLE, false, {
      zh: `已申报${formatZhWindow(blocked)}不可参加`,
      en: `declared unavailable ${blocked.from}–${blocked.to}`,
    });
  }
  const booked = context.busy?.find(
    (busy) =>
      busy.expertId === expert.id && busy.taskId !== task.id && isOverlapping(busy, task.window),
  );
  if (booked !== undefined) {
    return decide(RULE, ARTICLE, false, {
      zh: `${formatZhWindow(booked)}已参加任务 ${booked.taskId}`,
      en: `already booked on task ${booked.taskId} ${booked.from}–${booked.to}`,
    });
  }
  return decide(RULE, ARTICLE, true, { zh: '任务期间可参加', en: 'free for the task window' });
}
