import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, POSTGRES_ADMIN_URL } from '../testing/test-backends.test-helpers.js';
import { createRouter } from './create-router.js';
import { createDatabaseGate, guardDatabase } from './database-gate.js';
import { handleError } from './error-handler.js';

const backends = await availableBackends();

/** Holds the thread, as a process the machine gives no CPU for a while. */
function starve(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: no timer, socket or promise of this process runs meanwhile
  }
}

describe.runIf(backends.includes('postgres'))('the database gate on a starved process', () => {
  let sql: postgres.Sql;

  beforeAll(async () => {
    sql = postgres(POSTGRES_ADMIN_URL, { max: 1, onnotice: () => {} });
    await sql`select 1`;
  });

  afterAll(async () => {
    await sql.end({ timeout: 5 });
  });

  it('stays open when PostgreSQL answered the liveness check while the process got no CPU', async () => {
    let pings = 0;
    const gate = createDatabaseGate(async () => {}, {
      liveness: () => {
        pings += 1;
        const answer = sql`select 1`.execute();
        // The answer arrives while the thread is held, past the 20 ms the check allows: on
        // resuming, the expired timer runs before the socket is read.
        queueMicrotask(() => starve(300));
        return answer;
      },
      stallMs: 10,
      answerMs: 20,
    });
    const app = createRouter();
    app.onError(handleError);
    app.use('*', guardDatabase(gate));
    app.get('/v1/thing', async (c) => {
      await new Promise((resolve) => setTimeout(resolve, 60));
      return c.text('done');
    });
    const answer = await app.request('/v1/thing');
    expect(pings).toBeGreaterThan(0);
    expect(answer.status).toBe(200);
    expect(gate.isClosed()).toBe(false);
  });
});
