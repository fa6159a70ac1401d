import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTaskRequest, postTask } from '../tasks/task-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { clampStoredDate, clampStoredInstant } from './report-date-range.js';
import { addExpert, addInvitation } from './report-history.test-helpers.js';

const backends = await availableBackends();

describe('clampStoredDate', () => {
  it.each([
    ['9999-12-31', '2100-12-31'],
    ['0001-01-01', '2000-01-01'],
    ['infinity', '2100-12-31'],
    ['-infinity', '2000-01-01'],
    ['2026-02-30', '2100-12-31'],
    ['2026-03-02', '2026-03-02'],
  ])('reads the stored date %s as %s', (stored, clamped) => {
    expect(clampStoredDate(stored)).toBe(clamped);
  });

  it('reads an invalid instant (PostgreSQL infinity) as the last instant of the range', () => {
    expect(clampStoredInstant(new Date(Number.NaN)).toISOString()).toBe('2100-12-31T15:59:59.999Z');
  });
});

describe.each(backends)('every stored record renders in every report on %s', (kind) => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext(kind);
    t.clock.set('2026-11-30T09:00:00+08:00');
    for (const id of ['e-x1', 'e-x2', 'e-x3', 'e-x4'])
      await addExpert(t, { id, idNumber: undefined });
    const db = t.database.db;
    // Written around the API, as a migration, a manual fix or an older release might have.
    await db.execute(
      sql`update experts set appointment = '{"from":"2025-01-01","to":"9999-12-31","sealed":true}'::jsonb where id = 'e-x1'`,
    );
    await db.execute(
      sql`update experts set appointment = '{"from":"0001-01-01","to":"not a date","sealed":true}'::jsonb, birth_date = '0001-01-01' where id = 'e-x2'`,
    );
    await db.execute(
      sql`update experts set birth_date = '9999-12-31', profile_updated_at = '0001-01-01T00:00:00Z' where id = 'e-x3'`,
    );
    await db.execute(
      sql`update experts set profile_updated_at = '9999-12-31T23:59:59Z' where id = 'e-x4'`,
    );
    await addInvitation(t, {
      taskId: 'T-x',
      day: '2026-05-10',
      expertId: 'e-x1',
      state: 'declined',
      declineReason: 'unjustified',
      invitedAt: '2026-05-09T09:00:00+08:00',
      repliedAt: '2026-05-09T10:00:00+08:00',
    });
    await db.execute(
      sql`update panel_seats set replied_at = '9999-12-31T23:59:59Z', reply_deadline = '0001-01-01T00:00:00Z' where task_id = 'T-x'`,
    );
  });
  afterAll(() => t.close());

  it.each([
    '/v1/reports/annual?year=2026&format=json',
    '/v1/reports/annual?year=2026&format=csv&section=experts',
    '/v1/reports/annual?year=2026&format=csv&section=lists',
    '/v1/reports/annual?year=2026&format=csv&section=workload',
    '/v1/reports/annual?year=2026&format=html',
    '/v1/reports/lists?on=2026-11-29&format=json',
    '/v1/reports/lists?on=2026-11-29&format=csv',
    '/v1/reports/lists?on=2026-11-29&format=html',
    '/v1/reports/annual?year=2026&format=xlsx',
    '/v1/reports/lists?on=2026-11-29&format=xlsx',
  ])(
    'answers %s with 200 despite dates of year 0001 and 9999 (第十一条, 第九条（五）)',
    async (path) => {
      const answer = await call(t, 'GET', path, { key: 'yn.auditor' });
      expect(answer.status, answer.text).toBe(200);
    },
  );

  it('evaluates the year over those records and renders the evaluation in every format (第二十条)', async () => {
    const computed = await call(t, 'POST', '/v1/evaluations/2026', { key: 'yn.admin' });
    expect(computed.status, computed.text).toBe(200);
    for (const query of [
      'format=json',
      'format=csv&section=results',
      'format=csv&section=commendations',
      'format=csv&section=reserve',
      'format=xlsx',
      'format=html',
    ]) {
      const answer = await call(t, 'GET', `/v1/evaluations/2026?${query}`, { key: 'yn.auditor' });
      expect(answer.status, `${query}: ${answer.text}`).toBe(200);
    }
  });

  it('still lists the stored term ending 9999-12-31 as not due, and the stale profile of year 0001 (第八条（一）)', async () => {
    const answer = await call(t, 'GET', '/v1/reports/lists?on=2026-11-29', { key: 'yn.auditor' });
    const { lists } = answer.body as unknown as {
      lists: { terms: { expertId: string }[]; staleProfiles: { expertId: string }[] };
    };
    expect(lists.terms.map((entry) => entry.expertId)).not.toContain('e-x1');
    expect(lists.staleProfiles.map((entry) => entry.expertId)).toContain('e-x3');
  });

  it('still draws a panel from a pool holding those records (第十五条)', async () => {
    const posted = await postTask(
      t,
      makeTaskRequest({ id: 't-x-draw', panelSize: 1, alternates: 0, specialties: [] }),
      'stored-extreme-0001',
    );
    expect(posted.status, posted.text).toBe(201);
    const drawId = (posted.body.draw as { id: string }).id;
    const exported = await call(t, 'GET', `/v1/draws/${drawId}/export`, { key: 'yn.auditor' });
    expect(exported.status).toBe(200);
    const verified = await call(t, 'GET', `/v1/draws/${drawId}/verify`, { key: 'yn.auditor' });
    expect(verified.status, verified.text.slice(0, 400)).toBe(200);
    expect(verified.body).toMatchObject({ ok: true, digestMatches: true, resultMatches: true });
  });

  it.each([
    '/v1/experts?limit=50',
    '/v1/experts/export?format=json',
    '/v1/experts/export?format=csv',
    '/v1/public/experts',
  ])('lists the stored records at %s (第十九条 for the public)', async (path) => {
    const answer = await call(t, 'GET', path, { key: 'yn.auditor' });
    expect(answer.status, answer.text).toBe(200);
  });

  it.each(['e-x1', 'e-x2', 'e-x3', 'e-x4'])(
    'shows the stored record %s to an auditor',
    async (id) => {
      const answer = await call(t, 'GET', `/v1/experts/${id}`, { key: 'yn.auditor' });
      expect(answer.status, answer.text).toBe(200);
    },
  );
});
