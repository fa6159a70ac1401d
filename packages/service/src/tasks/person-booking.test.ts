import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/query-rows.js';
import {
  availableBackends,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { EXCLUSION_VIOLATION, pgErrorCode } from './pg-error-code.js';
import { addExpert, makeTaskRequest, postTask } from './task-fixtures.test-helpers.js';

const backends = await availableBackends();

const ID_NUMBER = '53010219700101123X';
const oneDay = (date: string) => ({
  from: `${date}T08:30:00+08:00`,
  to: `${date}T18:00:00+08:00`,
});

describe.each(backends)('one person, one booking across pools (0014) on %s', (kind) => {
  let t: TestContext;
  /** Holding seats of the person (either record) whose windows overlap another's. */
  const personBookings = async (date: string) =>
    queryRows<{ expert_id: string; person_id: string }>(
      t.database.db,
      sql`select expert_id, person_id from panel_seats
           where expert_id in ('pb-yn', 'pb-km') and state in ('invited', 'accepted')
             and role <> 'alternate'
             and tstzrange(window_from, window_to, '[)')
                 && tstzrange(${`${date}T00:00:00+08:00`}::timestamptz,
                              ${`${date}T23:59:59+08:00`}::timestamptz, '[)')`,
    );

  beforeAll(async () => {
    t = await createTestContext(kind);
    // One person: a provincial record and a Kunming record the province cannot see.
    await addExpert(t, 'yn.admin', {
      id: 'pb-yn',
      name: '李同一',
      idNumber: ID_NUMBER,
      title: 'senior_full',
      employer: { id: 'org-pb-1', name: '单位甲', kind: 'university' },
    });
    await addExpert(t, 'km.admin', {
      id: 'pb-km',
      name: '李同一',
      idNumber: ID_NUMBER,
      title: 'senior_full',
      tier: 'city',
      region: '530102',
      employer: { id: 'org-pb-2', name: '单位乙', kind: 'university' },
    });
    for (let i = 1; i <= 4; i++) {
      await addExpert(t, 'yn.admin', {
        id: `pb-o${i}`,
        name: `其他${i}`,
        idNumber: `5301021970020${i}111X`,
        employer: { id: `org-pb-o${i}`, name: `单位${i}`, kind: 'university' },
      });
    }
  });
  afterAll(() => t.close());

  it('puts the person on every seat, without personal data', async () => {
    const created = await postTask(
      t,
      makeTaskRequest({
        id: 't-pb-0',
        leaderId: 'pb-km',
        panelSize: 2,
        alternates: 0,
        window: oneDay('2026-03-20'),
      }),
      'key-t-pb-0',
      'km',
    );
    expect(created.status, created.text).toBe(201);
    const rows = await personBookings('2026-03-20');
    expect(rows).toEqual([{ expert_id: 'pb-km', person_id: 'pb-km' }]);
    expect(JSON.stringify(rows)).not.toContain(ID_NUMBER);
  });

  it('applies a booking under the Kunming record, which the province cannot see, to the provincial one (第十五条)', async () => {
    const refused = await postTask(
      t,
      makeTaskRequest({
        id: 't-pb-1',
        leaderId: 'pb-yn',
        panelSize: 2,
        alternates: 0,
        window: oneDay('2026-03-20'),
      }),
      'key-t-pb-1',
    );
    expect(refused.status, refused.text).toBe(422);
    const problems = refused.body.problems as { problem: string; reasons: { ruleId: string }[] }[];
    expect(problems[0]?.problem).toBe('leader-ineligible');
    expect(problems[0]?.reasons.map((r) => r.ruleId)).toEqual(['availability']);
  });

  it('books the person once when the province and Kunming draw at the same moment', async () => {
    const window = oneDay('2026-03-23');
    const [provincial, local] = await Promise.all([
      postTask(
        t,
        makeTaskRequest({ id: 't-pb-2', leaderId: 'pb-yn', panelSize: 2, alternates: 0, window }),
        'key-t-pb-2',
      ),
      postTask(
        t,
        makeTaskRequest({ id: 't-pb-3', leaderId: 'pb-km', panelSize: 2, alternates: 0, window }),
        'key-t-pb-3',
        'km',
      ),
    ]);
    const statuses = [provincial.status, local.status].sort();
    expect(statuses[0]).toBe(201);
    expect(statuses[1]).not.toBe(201);
    expect(await personBookings('2026-03-23')).toHaveLength(1);
  });

  it('refuses in the database a second overlapping seat of the person under the other record', async () => {
    const [seat] = await queryRows<{ task_id: string; draw_id: string }>(
      t.database.db,
      sql`select task_id, draw_id from panel_seats where expert_id in ('pb-yn', 'pb-km')
           and state = 'invited' order by id limit 1`,
    );
    const other = await queryRows<{ expert_id: string }>(
      t.database.db,
      sql`select expert_id from panel_seats where task_id = ${seat?.task_id ?? ''} and expert_id in ('pb-yn', 'pb-km')`,
    );
    const otherRecord = other[0]?.expert_id === 'pb-yn' ? 'pb-km' : 'pb-yn';
    const code = await t.database.db
      .execute(
        sql`insert into panel_seats (task_id, draw_id, expert_id, role, rank, state, window_from, window_to)
            select task_id, draw_id, ${otherRecord}, 'member', 9, 'invited', window_from, window_to
              from panel_seats where task_id = ${seat?.task_id ?? ''} limit 1`,
      )
      .then(
        () => 'inserted',
        (error: unknown) => pgErrorCode(error),
      );
    expect(code).toBe(EXCLUSION_VIOLATION);
  });
});
