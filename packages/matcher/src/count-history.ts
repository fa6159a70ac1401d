import {
  type History,
  type HistoryCountEntry,
  type HistoryCounts,
  historyCountsOf,
  type InvitationRecord,
  toEpochDay,
  toShanghaiDate,
} from '@expert-dispatch/rules';

/**
 * The daily counts of a history's records from `from` on (an Asia/Shanghai date): what the
 * service's counters hold for the same answers (migration 0024 counts each seat as it is
 * written). The records of one expert and task are one invitation on the earliest of their
 * dates (a reply and a later attendance record, 第十五条): `accepted` when any record accepted,
 * `attended` / `no_show` when recorded, and each time-out and decline (with its claimed reason
 * and the department's decision, 第二十三条（一）) as itself. Ratings count on their own date by
 * score (第二十条（二）). `prepareHistory` reads the result exactly as it reads the records, as
 * long as each expert answered each task once (a seat is answered once).
 *
 * @example
 * countHistory(history, '2023-02-27').experts; // the experts with a counter since that date
 */
export function countHistory(history: History, from: string): HistoryCounts {
  const entries: HistoryCountEntry[] = [];
  const groups = new Map<string, InvitationRecord[]>();
  for (const record of history.invitations) {
    const key = `${record.expertId}\u0000${record.taskId}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [record]);
    else group.push(record);
  }
  for (const group of groups.values()) {
    const expertId = (group[0] as InvitationRecord).expertId;
    const day = Math.min(...group.map((record) => dayOf(record.at)));
    const count = (kind: HistoryCountEntry['kind']) => entries.push({ expertId, day, kind, n: 1 });
    if (group.some((r) => ['accepted', 'attended', 'no_show'].includes(r.outcome)))
      count('accepted');
    if (group.some((r) => r.outcome === 'attended')) count('attended');
    if (group.some((r) => r.outcome === 'no_show')) count('no_show');
    for (const record of group) {
      if (record.outcome === 'timed_out') count('timed_out');
      if (record.outcome === 'declined')
        count(`declined:${record.reason ?? ''}:${record.review ?? ''}`);
    }
  }
  for (const rating of history.ratings) {
    entries.push({
      expertId: rating.expertId,
      day: dayOf(rating.at),
      kind: `rating:${rating.score}`,
      n: 1,
    });
  }
  return historyCountsOf(from, entries, history.busy);
}

function dayOf(at: string): number {
  return toEpochDay(toShanghaiDate(at));
}
