import { EARLIEST_BIRTH_DATE, LATEST_WORK_DATE } from '@expert-dispatch/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTaskRequest, seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import { makeActiveExpert, makeExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  type CallResult,
  call,
  countAuditEntries,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

/** A 422 problem that names `path`, never a 500 from the database. */
function expectFieldError(result: CallResult, path: string): void {
  expect(result.status, result.text).toBe(422);
  expect(result.body.code).toBe('validation_failed');
  expect(result.body.errors?.map((error) => error.path)).toContain(path);
}

describe.each(backends)('dates bounded at the boundary on %s', (kind) => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 4, 'e-db');
  });
  afterAll(() => t.close());

  it.each<[string, Record<string, unknown>, string]>([
    ['a birth date in year 0000', { birthDate: '0000-01-01' }, 'birthDate'],
    ['a birth date in 1800', { birthDate: '1800-06-01' }, 'birthDate'],
    ['a birth date after today (2030)', { birthDate: '2030-01-01' }, 'birthDate'],
    ['a birth date of tomorrow', { birthDate: '2026-03-03' }, 'birthDate'],
    [
      'an appointment ending 9999-12-31',
      { appointment: { from: '2025-01-01', to: '9999-12-31', sealed: true } },
      'appointment.to',
    ],
    [
      'an appointment starting in year 0000',
      { appointment: { from: '0000-01-01', to: '2027-12-31', sealed: true } },
      'appointment.from',
    ],
    [
      'an unavailable period in year 0000',
      { unavailable: [{ from: '0000-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }] },
      'unavailable.0.from',
    ],
    [
      'a profile stamp in year 9999',
      { profileUpdatedAt: '9999-12-31T00:00:00Z' },
      'profileUpdatedAt',
    ],
  ])(
    'refuses a new expert with %s with a 422 field path, writing nothing',
    async (_, overrides, path) => {
      const before = await countAuditEntries(t);
      const created = await call(t, 'POST', '/v1/experts', {
        key: 'yn.admin',
        json: makeActiveExpert({ id: 'e-bad', ...overrides }),
      });
      expectFieldError(created, path);
      expect(await countAuditEntries(t)).toBe(before);
    },
  );

  it('accepts the earliest birth date and the last work date', async () => {
    const created = await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeExpert({
        id: 'e-edge',
        birthDate: EARLIEST_BIRTH_DATE,
        idNumber: undefined,
        appointment: { from: '2025-01-01', to: LATEST_WORK_DATE, sealed: false },
      }),
    });
    expect(created.status, created.text).toBe(201);
  });

  it('refuses a patch to a birth date after today, and one in year 0000', async () => {
    for (const birthDate of ['2030-01-01', '0000-02-29']) {
      const patched = await call(t, 'PATCH', '/v1/experts/e-edge', {
        key: 'yn.admin',
        json: { birthDate },
      });
      expectFieldError(patched, 'birthDate');
    }
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a window starting in year 0000',
      { window: { from: '0000-01-01T08:00:00Z', to: '2026-03-10T18:00:00+08:00' } },
      'window.from',
    ],
    [
      'a window ending 9999-12-31',
      { window: { from: '2026-03-10T08:00:00+08:00', to: '9999-12-31T23:59:59Z' } },
      'window.to',
    ],
  ])('refuses a task with %s with a 422 field path', async (_, overrides, path) => {
    const posted = await call(t, 'POST', '/v1/tasks', {
      key: 'yn.dispatcher',
      json: makeTaskRequest(overrides),
      headers: { 'idempotency-key': `bounds-${path}` },
    });
    expectFieldError(posted, path);
  });

  it('refuses a task list from year 0000 and a report day in 9999 (query paths)', async () => {
    expectFieldError(
      await call(t, 'GET', '/v1/tasks?from=0000-01-01T00:00:00Z', { key: 'yn.viewer' }),
      'query.from',
    );
    expectFieldError(
      await call(t, 'GET', '/v1/reports/lists?on=9999-12-31', { key: 'yn.auditor' }),
      'query.on',
    );
  });

  it('refuses a lifecycle action dated 9999-12-31 (第二十三条 warning)', async () => {
    const warned = await call(t, 'POST', '/v1/experts/e-db001/actions/warn', {
      key: 'yn.admin',
      json: {
        reason: '无正当理由拒绝',
        on: '9999-12-31',
        evidence: [{ kind: 'document', ref: 'x' }],
      },
    });
    expectFieldError(warned, 'on');
  });

  it('reports out-of-range dates of imported rows per row, in both modes', async () => {
    for (const dryRun of [true, false]) {
      const imported = await call(t, 'POST', `/v1/experts/import?dryRun=${dryRun}`, {
        key: 'yn.admin',
        json: [makeExpert({ id: 'e-imp-old', idNumber: undefined, birthDate: '1800-01-01' })],
      });
      expect(imported.status, imported.text).toBe(200);
      expect(imported.body.rows?.[0]).toMatchObject({ outcome: 'rejected' });
      expect(JSON.stringify(imported.body.rows?.[0]?.errors)).toContain('birthDate');
    }
  });
});
