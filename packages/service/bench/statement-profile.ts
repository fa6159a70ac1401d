import type { OpenAPIHono } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { createApp } from '../src/app.js';
import type { AppEnv, Services } from '../src/http/app-env.js';

/** One kind of statement a request runs, with the time until the next one starts. */
export interface StatementStep {
  readonly statement: string;
  /** How often a request runs it (mean over the profiled requests). */
  readonly perRequest: number;
  /** Mean ms per request from its start to the start of the next statement (or the response). */
  readonly ms: number;
}

export interface StatementProfile {
  readonly requests: number;
  readonly statementsPerRequest: number;
  readonly msPerRequest: number;
  readonly steps: readonly StatementStep[];
}

// What a statement does, from its verb, its table and a few telling clauses.
const LABELS: readonly [RegExp, string][] = [
  [/pg_advisory_xact_lock/, 'select pg_advisory_xact_lock (draw or audit lock)'],
  [/^select count\(\*\).*from "experts"/, 'select count, max, sum from experts (pool revision)'],
  [/^select .*from "experts" .*order by/, 'select * from experts (the whole pool, to prepare it)'],
  [/^select .*from "panel_seats" inner join/, 'select seats ⋈ experts (task view)'],
  [/^select .*from "panel_seats" .*"window_from" </, 'select seats (history: bookings) + matcher'],
  [/^select .*from "panel_seats"/, 'select seats (history: answers)'],
];

function kindOf(query: string): string {
  const flat = query.replace(/\s+/g, ' ');
  const label = LABELS.find(([pattern]) => pattern.test(flat));
  if (label !== undefined) return label[1];
  const verb = flat.split(' ')[0]?.toLowerCase() ?? '?';
  const table = flat.match(/\b(?:from|into|update) "?([a-z_]+)"?/i)?.[1] ?? '?';
  return `${verb} ${verb === 'insert' ? 'into ' : verb === 'select' ? '… from ' : ''}${table}`;
}

/**
 * Runs `count` requests one at a time through `app.request()` on an app whose database logs
 * every statement (the same postgres.js driver and database), and folds the log into the
 * statements a request runs and the time from each statement to the next — its round trip
 * plus the work done before the next one (so the matcher shows up after the history reads).
 * BEGIN and COMMIT are not logged: COMMIT lands in the last statement's time.
 *
 * @example
 * const profile = await profileStatements(services, url, 10, (n) => ({ … }));
 */
export async function profileStatements(
  services: Services,
  databaseUrl: string,
  count: number,
  request: (n: number) => { headers: Record<string, string>; body: string },
): Promise<StatementProfile> {
  const log: { query: string; at: number }[] = [];
  const client = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const db = drizzle({
    client,
    logger: { logQuery: (query) => log.push({ query, at: performance.now() }) },
  });
  const app: OpenAPIHono<AppEnv> = createApp({ ...services, db });
  const totals = new Map<string, { n: number; ms: number }>();
  let statements = 0;
  let elapsed = 0;
  try {
    for (let n = 0; n < count; n++) {
      log.length = 0;
      const started = performance.now();
      const response = await app.request('/v1/tasks', { method: 'POST', ...request(n) });
      await response.text();
      const ended = performance.now();
      if (response.status !== 201) throw new Error(`profiled request answered ${response.status}`);
      elapsed += ended - started;
      statements += log.length;
      log.forEach((entry, i) => {
        const kind = kindOf(entry.query);
        const total = totals.get(kind) ?? { n: 0, ms: 0 };
        total.n += 1;
        total.ms += (log[i + 1]?.at ?? ended) - entry.at;
        totals.set(kind, total);
      });
    }
  } finally {
    await client.end({ timeout: 5 });
  }
  const steps = [...totals.entries()]
    .map(([statement, { n, ms }]) => ({ statement, perRequest: n / count, ms: ms / count }))
    .sort((a, b) => b.ms - a.ms);
  return {
    requests: count,
    statementsPerRequest: statements / count,
    msPerRequest: elapsed / count,
    steps,
  };
}
