import { sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { issueApiKey } from '../access/issue-api-key.js';
import type { OpenDatabase } from '../db/open-database.js';
import { queryRows } from '../db/query-rows.js';
import type { Role } from '../http/app-env.js';
import { makeActiveExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  createScratchPostgres,
  type ScratchPostgres,
} from '../testing/scratch-postgres.test-helpers.js';
import { AUTHORITIES, POSTGRES_ADMIN_URL } from '../testing/test-backends.test-helpers.js';

/** A migrated scratch PostgreSQL database that child processes can reach by URL. */
export type SharedDatabase = ScratchPostgres;

/**
 * Creates `ed_scale_<random>` on the test server and applies the migrations once, before any
 * child process opens it (they migrate again on start and find nothing left to do).
 *
 * @example
 * const shared = await createSharedDatabase();
 * try { … } finally { await shared.drop(); }
 */
export function createSharedDatabase(): Promise<SharedDatabase> {
  return createScratchPostgres(POSTGRES_ADMIN_URL, 'ed_scale', 4);
}

/** Issues a key of the provincial authority straight into the database; returns its secret. */
export async function issueProvinceKey(database: OpenDatabase, role: Role): Promise<string> {
  const issued = await database.db.transaction((tx) =>
    issueApiKey(
      tx,
      {
        authority: AUTHORITIES.yn,
        role,
        label: `scale-out ${role}`,
        actor: { keyId: 'system:test', authorityId: null },
      },
      new Date(),
    ),
  );
  return issued.key;
}

/** A JSON answer of a child process. */
export interface JsonAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** One JSON request to a running API process. */
export async function requestJson(
  url: string,
  method: string,
  key: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<JsonAnswer> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : JSON.parse(text) };
}

/**
 * Adds `count` active metallurgy experts of the provincial pool through the API processes in
 * turn, each with its own employer and a webhook contact at the receiver.
 */
export async function seedPoolOverHttp(
  apiUrls: readonly string[],
  adminKey: string,
  count: number,
  receiverUrl: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const id = `e-s${String(i).padStart(3, '0')}`;
    const api = apiUrls[i % apiUrls.length] ?? '';
    const created = await requestJson(
      `${api}/v1/experts`,
      'POST',
      adminKey,
      makeActiveExpert({
        id,
        name: `专家${i}`,
        phone: `139${String(10_000_000 + i).slice(-8)}`,
        idNumber: undefined,
        employer: { id: `org-${id}`, name: `单位${i}`, kind: 'university' },
        industries: ['metallurgy'],
        specialties: i % 2 === 0 ? ['molten_metal'] : ['gas'],
      }),
    );
    if (created.status !== 201) throw new Error(`seeding ${id}: ${JSON.stringify(created.body)}`);
    const contacts = await requestJson(`${api}/v1/experts/${id}/contacts`, 'PUT', adminKey, {
      contacts: [{ channel: 'webhook', address: `${receiverUrl}?expert=${id}` }],
    });
    if (contacts.status !== 200) throw new Error(`contacts of ${id}: ${contacts.status}`);
    ids.push(id);
  }
  return ids;
}

/** A count from SQL. */
export async function countOf(database: OpenDatabase, query: ReturnType<typeof sql>) {
  const [row] = await queryRows<{ n: number }>(database.db, query);
  return Number(row?.n ?? Number.NaN);
}

/**
 * Pairs of holding seats (invited or accepted, not alternates) of one expert whose windows
 * overlap: the double bookings, which must be none whatever the number of processes.
 */
export function doubleBookings(database: OpenDatabase): Promise<number> {
  return countOf(
    database,
    sql`select count(*)::int as n
          from panel_seats a
          join panel_seats b on b.expert_id = a.expert_id and b.id > a.id
         where a.state in ('invited', 'accepted') and b.state in ('invited', 'accepted')
           and a.role <> 'alternate' and b.role <> 'alternate'
           and tstzrange(a.window_from, a.window_to, '[)') && tstzrange(b.window_from, b.window_to, '[)')`,
  );
}

/** Pairs of tasks whose windows overlap: there was something to double-book. */
export function overlappingTaskPairs(database: OpenDatabase): Promise<number> {
  return countOf(
    database,
    sql`select count(*)::int as n
          from tasks a join tasks b on b.id > a.id
         where tstzrange(a.window_from, a.window_to, '[)') && tstzrange(b.window_from, b.window_to, '[)')`,
  );
}

/**
 * How many jobs under a BullMQ prefix a worker lost and another worker took over: BullMQ counts
 * each such recovery of a job in its hash's `stc` field.
 */
export async function stalledJobCount(
  redis: Pick<Redis, 'keys' | 'hget'>,
  prefix: string,
): Promise<number> {
  const keys = await redis.keys(`${prefix}:*:ob_*`);
  let stalled = 0;
  for (const key of keys) {
    const counter = await redis.hget(key, 'stc').catch(() => null);
    if (counter !== null && Number(counter) > 0) stalled += 1;
  }
  return stalled;
}

/**
 * Rows per task, by table, written since `since` (the first task request): what one task's
 * whole life — request, draw, invitations, replies, replacements, confirmation — stores.
 */
export async function describeRowsPerTask(
  database: OpenDatabase,
  since: Date,
  tasks: number,
): Promise<string> {
  const at = since.toISOString();
  const [row] = await queryRows<Record<string, number>>(
    database.db,
    sql`select
          (select count(*) from draws where created_at >= ${at}::timestamptz)::int as draws,
          (select count(*) from panel_seats where created_at >= ${at}::timestamptz)::int as panel_seats,
          (select count(*) from deliveries where created_at >= ${at}::timestamptz)::int as deliveries,
          (select count(*) from outbox where created_at >= ${at}::timestamptz)::int as outbox,
          (select count(*) from audit_log where at >= ${at}::timestamptz)::int as audit_log,
          (select count(*) from idempotency_keys where created_at >= ${at}::timestamptz)::int as idempotency_keys`,
  );
  const parts = Object.entries(row ?? {}).map(([table, n]) => `${table} ${(n / tasks).toFixed(1)}`);
  return `rows per task over its whole life: ${parts.join(', ')}`;
}
