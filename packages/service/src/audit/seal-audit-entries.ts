import type { RuleSet } from '@expert-dispatch/rules';
import { and, gt, inArray } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { draws, tasks } from '../db/schema.js';
import type { Principal } from '../http/app-env.js';
import { resolveRuleSet } from '../rule-set/resolve-rule-set.js';
import { isPanelSealedFor } from '../tasks/sealed-panel.js';
import type { AuditEntry } from './audit-entry.js';

/** An audit entry as the listing answers it: `sealed` when its content is withheld for now. */
export type ListedAuditEntry = AuditEntry & { readonly sealed?: true };

/**
 * The audit entries as `principal` may read them now (第八条（五）（七）): an entry about a task
 * (`entityType: task`) or one of its draws (`draw`) whose panel is still sealed for the caller
 * keeps its place, action, actor, time and hashes, but its `reason`, `before` and `after` — which
 * name the drawn experts — are withheld (`sealed: true`) until the task's work starts. Auditors
 * read everything; the chain is verified on the full entries by `GET /v1/audit/verify`.
 *
 * @example
 * const items = await sealAuditEntriesFor(db, principal, entries, services.ruleSet, now);
 */
export async function sealAuditEntriesFor(
  db: Executor,
  principal: Principal,
  entries: readonly AuditEntry[],
  base: RuleSet,
  now: Date,
): Promise<ListedAuditEntry[]> {
  if (principal.role === 'auditor') return [...entries];
  const taskIds = new Set(entries.filter((e) => e.entityType === 'task').map((e) => e.entityId));
  const drawIds = [
    ...new Set(entries.filter((e) => e.entityType === 'draw').map((e) => e.entityId)),
  ];
  const taskOfDraw = new Map<string, string>();
  if (drawIds.length > 0) {
    const rows = await db
      .select({ id: draws.id, taskId: draws.taskId })
      .from(draws)
      .where(inArray(draws.id, drawIds));
    for (const row of rows) {
      taskOfDraw.set(row.id, row.taskId);
      taskIds.add(row.taskId);
    }
  }
  if (taskIds.size === 0) return [...entries];
  const upcoming = await db
    .select({ id: tasks.id, authorityId: tasks.authorityId, windowFrom: tasks.windowFrom })
    .from(tasks)
    .where(and(inArray(tasks.id, [...taskIds]), gt(tasks.windowFrom, now)));
  const sealed = new Set<string>();
  const ruleSets = new Map<string, RuleSet>();
  for (const task of upcoming) {
    let ruleSet = ruleSets.get(task.authorityId);
    if (ruleSet === undefined) {
      ruleSet = await resolveRuleSet(db, task.authorityId, base);
      ruleSets.set(task.authorityId, ruleSet);
    }
    if (isPanelSealedFor(principal, task, ruleSet, now)) sealed.add(task.id);
  }
  if (sealed.size === 0) return [...entries];
  return entries.map((entry) => {
    const taskId =
      entry.entityType === 'task'
        ? entry.entityId
        : entry.entityType === 'draw'
          ? taskOfDraw.get(entry.entityId)
          : undefined;
    return taskId !== undefined && sealed.has(taskId)
      ? { ...entry, reason: null, before: null, after: null, sealed: true }
      : entry;
  });
}
