import type { RuleSet } from '@expert-dispatch/rules';
import type { Executor } from '../db/open-database.js';
import type { Principal } from '../http/app-env.js';
import { resolveRuleSet } from '../rule-set/resolve-rule-set.js';
import type { ServiceRecord } from './service-record.js';
import type { TaskView } from './task-view.js';

/**
 * The sealed list (第八条（五）保密, 第八条（七）不得泄露行程): while the rule set says so
 * (`sealedPanelList`) and the task's window has not started, the drawn experts are named only to
 * the requesting authority's dispatchers and to auditors; every other caller (the authority's
 * admins and viewers) sees the panel's places, roles and states without who holds them.
 *
 * @example
 * isPanelSealedFor(viewer, { authorityId: 'yn-yjt', windowFrom }, yunnanGmy2025, now); // true before the window
 */
export function isPanelSealedFor(
  principal: Pick<Principal, 'role' | 'authorityId'>,
  task: { readonly authorityId: string; readonly windowFrom: Date },
  ruleSet: RuleSet,
  now: Date,
): boolean {
  if (ruleSet.sealedPanelList !== true) return false;
  if (now.getTime() >= task.windowFrom.getTime()) return false;
  if (principal.role === 'auditor') return false;
  return !(principal.role === 'dispatcher' && principal.authorityId === task.authorityId);
}

/**
 * A task view without the names: each seat keeps its invitation id, role, rank, state and
 * delivery, but not the expert's id, name or own words, nor a gateway's error (it may quote a
 * contact address); neither the draw's leader nor the leader the request designated
 * (`task.leaderId`) is shown.
 *
 * @example
 * sealTaskView(view).panel.every((seat) => seat.name === ''); // true
 */
export function sealTaskView(view: TaskView): TaskView {
  const { leaderId: _designated, ...task } = view.task;
  return {
    ...view,
    task,
    panelSealed: true,
    draw: view.draw === null ? null : { ...view.draw, leader: null },
    panel: view.panel.map((seat) => ({
      ...seat,
      expertId: '',
      name: '',
      declineNote: null,
      repliedBy: seat.repliedBy === 'expert' ? 'expert' : null,
      notification: seat.notification === null ? null : { ...seat.notification, lastError: null },
    })),
  };
}

/**
 * A service record without the names while the panel is sealed for the caller: the places,
 * roles and attendance stay, the experts' ids and names go (`panelSealed: true`).
 *
 * @example
 * sealServiceRecord(record).panel.every((seat) => seat.expertId === ''); // true
 */
export function sealServiceRecord(record: ServiceRecord): ServiceRecord {
  return {
    ...record,
    panelSealed: true,
    panel: record.panel.map((seat) => ({ ...seat, expertId: '', name: '' })),
  };
}

/**
 * The task views as `principal` may see them now, each under its authority's rule set.
 *
 * @example
 * const shown = await sealTaskViewsFor(db, principal, views, services.ruleSet, now);
 */
export async function sealTaskViewsFor(
  db: Executor,
  principal: Principal,
  views: readonly TaskView[],
  base: RuleSet,
  now: Date,
): Promise<TaskView[]> {
  const ruleSets = new Map<string, RuleSet>();
  const shown: TaskView[] = [];
  for (const view of views) {
    let ruleSet = ruleSets.get(view.authorityId);
    if (ruleSet === undefined) {
      ruleSet = await resolveRuleSet(db, view.authorityId, base);
      ruleSets.set(view.authorityId, ruleSet);
    }
    const windowFrom = new Date(String((view.task as { window?: { from?: string } }).window?.from));
    const sealed =
      !Number.isNaN(windowFrom.getTime()) &&
      isPanelSealedFor(principal, { authorityId: view.authorityId, windowFrom }, ruleSet, now);
    shown.push(sealed ? sealTaskView(view) : view);
  }
  return shown;
}
