import { sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { queryRows } from '../db/query-rows.js';

/**
 * The experts a backfill of this task must pass over because the task's campaign holds them
 * at its load cap on its other tasks (seats invited or accepted as leader or member). Empty
 * for a task outside any campaign. One statement.
 *
 * @example
 * const capped = await campaignAtCap(tx, 't-ent-07'); // Set { 'e-p011' }
 */
export async function campaignAtCap(db: Executor, taskId: string): Promise<ReadonlySet<string>> {
  const rows = await queryRows<{ expert_id: string }>(
    db,
    sql`select s.expert_id
          from campaign_tasks own
          join campaigns c on c.id = own.campaign_id
          join campaign_tasks other on other.campaign_id = own.campaign_id
                                   and other.task_id <> own.task_id
          join panel_seats s on s.task_id = other.task_id
         where own.task_id = ${taskId}
           and s.role in ('leader', 'member') and s.state in ('invited', 'accepted')
         group by s.expert_id, c.load_cap
        having count(distinct s.task_id) >= c.load_cap`,
  );
  return new Set(rows.map((row) => row.expert_id));
}
