import { type Task, toInstant } from '@expert-dispatch/rules';

/**
 * Groups the campaign's tasks whose windows (half-open `[from, to)`) overlap, directly or through
 * a chain: an expert takes at most one task per group, which the flow enforces with one
 * capacity-1 node per expert and group. When every group's windows overlap pairwise (a common
 * instant: the latest start is before the earliest end) this is exactly "no overlapping
 * bookings"; a chain A–B–C where A and C do not overlap is treated conservatively (A and C not
 * given to the same expert), and `exact` says so.
 *
 * @example
 * overlapGroups(tasks); // { group: Int32Array [0, 0, 1], exact: true }
 */
export function overlapGroups(tasks: readonly Task[]): { group: Int32Array; exact: boolean } {
  const from = tasks.map((task) => toInstant(task.window.from));
  const to = tasks.map((task) => toInstant(task.window.to));
  const order = tasks
    .map((_, t) => t)
    .sort((a, b) => (from[a] as number) - (from[b] as number) || a - b);
  const group = new Int32Array(tasks.length);
  let current = -1;
  let reach = Number.NEGATIVE_INFINITY;
  let latestStart = Number.NEGATIVE_INFINITY;
  let earliestEnd = Number.POSITIVE_INFINITY;
  let exact = true;
  for (const t of order) {
    const start = from[t] as number;
    const end = to[t] as number;
    if (start >= reach) {
      if (latestStart >= earliestEnd) exact = false;
      current++;
      reach = end;
      latestStart = start;
      earliestEnd = end;
    } else {
      reach = Math.max(reach, end);
      latestStart = Math.max(latestStart, start);
      earliestEnd = Math.min(earliestEnd, end);
    }
    group[t] = current;
  }
  if (latestStart >= earliestEnd) exact = false;
  return { group, exact };
}
