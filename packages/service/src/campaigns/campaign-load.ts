import { sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { queryRows } from '../db/query-rows.js';

/**
 * The expert records a draw, backfill or promotion on this task must pass over because the
 * task's campaign holds their person at its load cap on its other tasks (seats invited or
 * accepted as leader or member): every record of that person, as `planCampaign` counts load per
 * person. Empty for a task outside any campaign (one statement then).
 *
 * Inside a campaign the campaign's row is locked until the transaction ends, so that two
 * backfills on two of its tasks cannot both take the last task an expert may carry: every path
 * that seats a member on a campaign task asks here first, after its task lock.
 *
 * @example
 * const capped = await campaignAtCap(tx, 't-ent-07'); // Set { 'e-p011' }
 */
export async function campaignAtCap(db: Executor, taskId: string): Promise<ReadonlySet<string>> {
  const [campaign] = await queryRows<{ id: string; load_cap: number }>(
    db,
    sql`select c.id, c.load_cap
          from campaign_tasks own
          join campaigns c on c.id = own.campaign_id
         where own.task_id = ${taskId}
           for update of c`,
  );
  if (campaign === undefined) return new Set();
  const rows = await queryRows<{ expert_id: string }>(
    db,
    sql`with at_cap as (
          select coalesce(s.person_id, s.expert_id) as person
            from campaign_tasks other
            join panel_seats s on s.task_id = other.task_id
           where other.campaign_id = ${campaign.id}
             and other.task_id <> ${taskId}
             and s.role in ('leader', 'member') and s.state in ('invited', 'accepted')
           group by 1
          having count(distinct s.task_id) >= ${campaign.load_cap})
        select record as expert_id
          from at_cap
          cross join lateral expert_person_records(at_cap.person) as record`,
  );
  return new Set(rows.map((row) => row.expert_id));
}
