import { describe, expect, it } from 'vitest';
import { createRouter } from './create-router.js';
import { createDatabaseGate, guardDatabase } from './database-gate.js';
import { handleError } from './error-handler.js';

const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

/** A probe the test answers: each call waits until the test says whether the database is back. */
function controlledProbe() {
  const waiting: ((ok: boolean) => void)[] = [];
  let calls = 0;
  const probe = () => {
    calls += 1;
    return new Promise<void>((resolve, reject) => {
      waiting.push((ok) => (ok ? resolve() : reject(refused())));
    });
  };
  const answer = async (ok: boolean) => {
    while (waiting.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    waiting.shift()?.(ok);
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { probe, answer, calls: () => calls };
}

function appWith(gate: ReturnType<typeof createDatabaseGate>, route: () => Promise<string>) {
  const app = createRouter();
  app.use('*', guardDatabase(gate));
  app.get('/v1/thing', async (c) => c.text(await route()));
  app.get('/healthz', (c) => c.text('ok'));
  app.onError(handleError);
  return app;
}

describe('the database gate', () => {
  it('closes when a request fails because the database is unreachable, and refuses the next ones without asking it', async () => {
    const { probe, answer } = controlledProbe();
    const gate = createDatabaseGate(probe);
    let queries = 0;
    const app = appWith(gate, async () => {
      queries += 1;
      throw refused();
    });
    const first = await app.request('/v1/thing');
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('1');
    expect(gate.isClosed()).toBe(true);
    const second = await app.request('/v1/thing');
    expect(second.status).toBe(503);
    expect(await second.json()).toMatchObject({ code: 'database_unavailable' });
    expect(queries).toBe(1);
    // Paths that need no database stay up.
    expect((await app.request('/healthz')).status).toBe(200);
    await answer(true);
  });

  it('opens again once a probe reaches the database, probing again after each failure', async () => {
    const { probe, answer, calls } = controlledProbe();
    const gate = createDatabaseGate(probe);
    gate.reportUnavailable();
    await answer(false);
    expect(gate.isClosed()).toBe(true);
    await answer(true);
    expect(gate.isClosed()).toBe(false);
    expect(calls()).toBe(2);
  });

  it('refuses a request waiting on a database that stopped answering (frozen, packets dropped) once its liveness check goes unanswered', async () => {
    let pings = 0;
    const gate = createDatabaseGate(() => new Promise(() => {}), {
      liveness: () => {
        pings += 1;
        return new Promise(() => {});
      },
      stallMs: 20,
      answerMs: 20,
    });
    const app = appWith(gate, () => new Promise<string>(() => {}));
    const answers = await Promise.all([app.request('/v1/thing'), app.request('/v1/thing')]);
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('1');
      expect(await answer.json()).toMatchObject({ code: 'database_unavailable' });
    }
    expect(gate.isClosed()).toBe(true);
    // One check at a time, however many requests wait.
    expect(pings).toBe(1);
    expect((await app.request('/v1/thing')).status).toBe(503);
  });

  it('closes on a refused liveness check but lets the waiting request end by its own query', async () => {
    const gate = createDatabaseGate(() => new Promise(() => {}), {
      liveness: async () => {
        throw refused();
      },
      stallMs: 10,
      answerMs: 10,
    });
    // Whatever its own query gives is its answer: here the work still ends well.
    const app = appWith(
      gate,
      () => new Promise<string>((resolve) => setTimeout(resolve, 100, 'done')),
    );
    const answer = await app.request('/v1/thing');
    expect(answer.status).toBe(200);
    expect(gate.isClosed()).toBe(true);
  });

  it('lets a slow request finish while the database answers its liveness checks', async () => {
    let pings = 0;
    const gate = createDatabaseGate(async () => {}, {
      liveness: async () => {
        pings += 1;
      },
      stallMs: 10,
      answerMs: 10,
    });
    const app = appWith(
      gate,
      () => new Promise<string>((resolve) => setTimeout(resolve, 100, 'done')),
    );
    const answer = await app.request('/v1/thing');
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('done');
    expect(pings).toBeGreaterThan(0);
    expect(gate.isClosed()).toBe(false);
  });

  it('stays open for errors that are not about reaching the database', async () => {
    const gate = createDatabaseGate(async () => {});
    const app = appWith(gate, async () => {
      throw Object.assign(new Error('duplicate key'), { code: '23505' });
    });
    expect((await app.request('/v1/thing')).status).toBe(409);
    expect(gate.isClosed()).toBe(false);
  });
});
