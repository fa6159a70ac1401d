import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/query-rows.js';
import { drawFileSchema, verifyDrawFile } from '../draws/draw-file.js';
import {
  availableBackends,
  call,
  countAuditEntries,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { makeTaskRequest, postTask, seedPanelPool } from './task-fixtures.test-helpers.js';
import type { TaskView } from './task-view.js';

const backends = await availableBackends();

const holding = (body: TaskView) =>
  body.panel.filter((s) => s.role !== 'alternate').map((s) => s.expertId);
const countRows = async (t: TestContext, table: string) => {
  const [row] = await queryRows<{ n: number }>(
    t.database.db,
    sql.raw(`select count(*)::int as n from ${table}`),
  );
  return Number(row?.n);
};

describe.each(backends)('tasks and draws on %s', (kind) => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 10);
  });
  afterAll(() => t.close());

  describe('POST /v1/tasks', () => {
    it('stores the task, draws a panel with one leader and books the members', async () => {
      const audit = await countAuditEntries(t);
      const created = await postTask(
        t,
        makeTaskRequest({ id: 't-main', seed: 'seed-main-0001' }),
        'key-main-0001',
      );
      expect(created.status).toBe(201);
      const body = created.body as unknown as TaskView;
      expect(body).toMatchObject({
        id: 't-main',
        status: 'inviting',
        draw: { sequence: 1, seed: 'seed-main-0001', seedSource: 'caller' },
      });
      const members = body.panel.filter((s) => s.role === 'leader' || s.role === 'member');
      expect(members).toHaveLength(3);
      expect(members.filter((s) => s.role === 'leader')).toHaveLength(1);
      expect(members.every((s) => s.state === 'invited')).toBe(true);
      const alternates = body.panel.filter((s) => s.role === 'alternate');
      expect(alternates).toHaveLength(2);
      expect(alternates.every((s) => s.state === 'reserve')).toBe(true);
      expect(await countAuditEntries(t)).toBe(audit + 2);
    });

    it('answers a repeated request with the same key and body with the same response, storing nothing new', async () => {
      const tasksBefore = await countRows(t, 'tasks');
      const again = await postTask(
        t,
        makeTaskRequest({ id: 't-main', seed: 'seed-main-0001' }),
        'key-main-0001',
      );
      expect(again.status).toBe(201);
      expect((again.body as unknown as TaskView).draw?.id).toBeDefined();
      const first = await call(t, 'GET', '/v1/tasks/t-main', { key: 'yn.dispatcher' });
      expect(again.body).toEqual(first.body);
      expect(await countRows(t, 'tasks')).toBe(tasksBefore);
    });

    it('refuses the same key with another body (422)', async () => {
      const reused = await postTask(
        t,
        makeTaskRequest({ id: 't-other', panelSize: 2 }),
        'key-main-0001',
      );
      expect(reused.status).toBe(422);
      expect(reused.body).toMatchObject({ code: 'idempotency_key_reused' });
    });

    it('requires an Idempotency-Key header', async () => {
      const response = await call(t, 'POST', '/v1/tasks', {
        key: 'yn.dispatcher',
        json: makeTaskRequest(),
      });
      expect(response.status).toBe(422);
      expect(JSON.stringify(response.body)).toContain('idempotency-key');
    });

    it('never books an expert into two overlapping windows', async () => {
      const overlapping = makeTaskRequest({
        window: { from: '2026-03-11T12:00:00+08:00', to: '2026-03-12T12:00:00+08:00' },
      });
      const second = await postTask(t, { ...overlapping, id: 't-overlap' }, 'key-overlap-0001');
      expect(second.status).toBe(201);
      const first = await call(t, 'GET', '/v1/tasks/t-main', { key: 'yn.dispatcher' });
      const shared = holding(second.body as unknown as TaskView).filter((id) =>
        holding(first.body as unknown as TaskView).includes(id),
      );
      expect(shared).toEqual([]);
    });

    it('refuses an infeasible panel with the funnel and unmet constraints and stores nothing (422)', async () => {
      const tasksBefore = await countRows(t, 'tasks');
      const drawsBefore = await countRows(t, 'draws');
      const request = makeTaskRequest({ id: 't-tobacco', industries: ['tobacco'] });
      const refused = await postTask(t, request, 'key-tobacco-0001');
      expect(refused.status).toBe(422);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ code: 'panel_infeasible', funnel: { pool: 10 } });
      expect(
        (refused.body as unknown as { unmet: { constraint: string }[] }).unmet.length,
      ).toBeGreaterThan(0);
      expect(await countRows(t, 'tasks')).toBe(tasksBefore);
      expect(await countRows(t, 'draws')).toBe(drawsBefore);
      const repeated = await postTask(t, request, 'key-tobacco-0001');
      expect(repeated.status).toBe(422);
      expect(repeated.body).toMatchObject({ code: 'panel_infeasible', funnel: { pool: 10 } });
    });

    it.each([
      [
        'a window ending before it starts',
        { window: { from: '2026-03-11T08:00:00+08:00', to: '2026-03-10T08:00:00+08:00' } },
        'window.to',
      ],
      ['an unknown industry', { industries: ['mining'] }, 'industries.0'],
      ['an unknown policy', { policy: 'random' }, 'policy'],
      ['an unknown field', { priority: 'high' }, ''],
    ])('refuses %s with the field path (422)', async (_name, patch, path) => {
      const refused = await postTask(t, makeTaskRequest(patch), `key-bad-${path || 'x'}-0001`);
      expect(refused.status).toBe(422);
      const errors = (refused.body as unknown as { errors: { path: string }[] }).errors;
      expect(errors.some((e) => e.path.includes(path))).toBe(true);
    });

    it('refuses malformed JSON with a 400 problem', async () => {
      const refused = await call(t, 'POST', '/v1/tasks', {
        key: 'yn.dispatcher',
        body: '{"type": ',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'key-malformed-1' },
      });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'malformed_json' });
    });

    it.each(['viewer', 'auditor', 'admin'] as const)('refuses a %s key (403)', async (role) => {
      const refused = await call(t, 'POST', '/v1/tasks', {
        key: `yn.${role}`,
        json: makeTaskRequest(),
        headers: { 'idempotency-key': `key-role-${role}` },
      });
      expect(refused.status).toBe(403);
    });
  });

  describe('reading tasks', () => {
    it('hides another authority’s task behind a 404', async () => {
      const hidden = await call(t, 'GET', '/v1/tasks/t-main', { key: 'km.dispatcher' });
      expect(hidden.status).toBe(404);
      const listed = await call(t, 'GET', '/v1/tasks', { key: 'km.dispatcher' });
      expect((listed.body as unknown as { items: unknown[] }).items).toEqual([]);
    });

    it('shows every task to the provincial auditor', async () => {
      const read = await call(t, 'GET', '/v1/tasks/t-main', { key: 'yn.auditor' });
      expect(read.status).toBe(200);
    });

    it('lists tasks with filters and a cursor', async () => {
      const page = await call(t, 'GET', '/v1/tasks?limit=1&industry=metallurgy', {
        key: 'yn.viewer',
      });
      const body = page.body as unknown as { items: TaskView[]; nextCursor: string | null };
      expect(body.items).toHaveLength(1);
      expect(body.nextCursor).not.toBeNull();
      const next = await call(
        t,
        'GET',
        `/v1/tasks?limit=1&industry=metallurgy&cursor=${body.nextCursor}`,
        { key: 'yn.viewer' },
      );
      expect((next.body as unknown as { items: TaskView[] }).items[0]?.id).not.toBe(
        body.items[0]?.id,
      );
      const none = await call(t, 'GET', '/v1/tasks?industry=tobacco', { key: 'yn.viewer' });
      expect((none.body as unknown as { items: unknown[] }).items).toEqual([]);
    });
  });

  describe('re-draw and cancel', () => {
    it('re-draws only with a reason, records it and releases the old seats', async () => {
      const noReason = await call(t, 'POST', '/v1/tasks/t-overlap/redraw', {
        key: 'yn.dispatcher',
        json: {},
      });
      expect(noReason.status).toBe(422);
      const redrawn = await call(t, 'POST', '/v1/tasks/t-overlap/redraw', {
        key: 'yn.dispatcher',
        json: { reason: '组长临时调整', seed: 'seed-redraw-0001' },
      });
      expect(redrawn.status).toBe(200);
      const body = redrawn.body as unknown as TaskView;
      expect(body.draw).toMatchObject({ sequence: 2, seed: 'seed-redraw-0001' });
      const [released] = await queryRows<{ n: number }>(
        t.database.db,
        sql`select count(*)::int as n from panel_seats where task_id = 't-overlap' and state = 'released'`,
      );
      expect(Number(released?.n)).toBe(5);
      const audit = await call(t, 'GET', '/v1/audit?entityType=draw', { key: 'yn.auditor' });
      expect(JSON.stringify(audit.body)).toContain('组长临时调整');
    });

    it('cancels a task, releases its experts and refuses to cancel it twice', async () => {
      const cancelled = await call(t, 'POST', '/v1/tasks/t-overlap/cancel', {
        key: 'yn.dispatcher',
        json: { reason: '企业停产' },
      });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: '企业停产' });
      expect(
        (cancelled.body as unknown as TaskView).panel.every((s) => s.state === 'released'),
      ).toBe(true);
      const again = await call(t, 'POST', '/v1/tasks/t-overlap/cancel', {
        key: 'yn.dispatcher',
        json: { reason: '企业停产' },
      });
      expect(again.status).toBe(409);
    });

    it('refuses to cancel another authority’s task with a 404', async () => {
      const refused = await call(t, 'POST', '/v1/tasks/t-main/cancel', {
        key: 'km.dispatcher',
        json: { reason: '测试取消' },
      });
      expect(refused.status).toBe(404);
    });
  });

  describe('verifiable draws', () => {
    it('replays a stored draw and confirms the same panel (auditor)', async () => {
      const task = (await call(t, 'GET', '/v1/tasks/t-main', { key: 'yn.dispatcher' }))
        .body as unknown as TaskView;
      const verified = await call(t, 'GET', `/v1/draws/${task.draw?.id}/verify`, {
        key: 'yn.auditor',
      });
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({
        ok: true,
        digestMatches: true,
        resultMatches: true,
        poolDigestMatches: true,
      });
      const refused = await call(t, 'GET', `/v1/draws/${task.draw?.id}/verify`, {
        key: 'yn.dispatcher',
      });
      expect(refused.status).toBe(403);
    });

    it('exports a draw that verifies offline and detects tampering', async () => {
      const task = (await call(t, 'GET', '/v1/tasks/t-main', { key: 'yn.dispatcher' }))
        .body as unknown as TaskView;
      const exported = await call(t, 'GET', `/v1/draws/${task.draw?.id}/export`, {
        key: 'yn.auditor',
      });
      expect(exported.status).toBe(200);
      expect(exported.text).not.toMatch(/139\d{8}/);
      const file = drawFileSchema.parse(exported.body);
      expect(verifyDrawFile(file).ok).toBe(true);
      expect(verifyDrawFile({ ...file, input: { ...file.input, seed: 'another-seed' } }).ok).toBe(
        false,
      );
      const [first, ...rest] = file.input.experts;
      if (first === undefined) throw new Error('empty snapshot');
      const tampered = {
        ...file,
        input: { ...file.input, experts: [{ ...first, birthDate: '1950-01-01' }, ...rest] },
      };
      expect(verifyDrawFile(tampered)).toMatchObject({ ok: false, poolDigestMatches: false });
    });

    it('lists every expert left out with the article that excluded them', async () => {
      const task = (await call(t, 'GET', '/v1/tasks/t-main', { key: 'yn.dispatcher' }))
        .body as unknown as TaskView;
      const draw = await call(t, 'GET', `/v1/draws/${task.draw?.id}`, { key: 'yn.auditor' });
      expect(draw.status).toBe(200);
      expect(draw.body).toMatchObject({ seed: 'seed-main-0001', sequence: 1 });
    });
  });
});
