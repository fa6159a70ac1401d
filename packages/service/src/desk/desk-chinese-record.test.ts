import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTaskRequest, postTask, seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import {
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

/** The desk's request page and printed draw record read as a Chinese office reads them. */
describe('the desk in Asia/Shanghai and in Chinese', () => {
  let t: TestContext;
  let cookie = '';

  beforeAll(async () => {
    t = await createTestContext('pglite');
    t.clock.set('2026-03-02T07:30:00+08:00'); // Monday; the UTC date is still Sunday 1 March
    await seedPanelPool(t, 6);
    const signed = await call(t, 'POST', '/desk/login', {
      body: new URLSearchParams({ key: t.keys['yn.dispatcher'], next: '/desk' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(signed.status, signed.text).toBe(303);
    cookie = (signed.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('starts the working-day calendar on the Beijing date, not the UTC one', async () => {
    const page = await call(t, 'GET', '/desk/request', { headers: { cookie } });
    expect(page.status, page.text).toBe(200);
    const first = /<table class="calendar">.*?<span>(\d\d-\d\d)<\/span>/s.exec(page.text)?.[1];
    expect(first).toBe('03-02');
  });

  it('names specialties in Chinese in the pool and on the expert page, by tag with ?lang=en', async () => {
    const pool = await call(t, 'GET', '/desk/experts', { headers: { cookie } });
    expect(pool.status, pool.text).toBe(200);
    expect(pool.text).toContain('<td>煤气</td>');
    expect(pool.text).not.toContain('<td>gas</td>');
    const expert = await call(t, 'GET', '/desk/experts/e-p002', { headers: { cookie } });
    expect(expert.status, expert.text).toBe(200);
    expect(expert.text).toContain('高温熔融金属');
    expect(expert.text).not.toContain('molten_metal');
    const english = await call(t, 'GET', '/desk/experts?lang=en', { headers: { cookie } });
    expect(english.text).toContain('<td>gas</td>');
  });

  it('shows staff Beijing times and role names, not UTC instants and codes', async () => {
    const expert = await call(t, 'GET', '/desk/experts/e-p002', { headers: { cookie } });
    expect(expert.text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    const admin = await call(t, 'POST', '/desk/login', {
      body: new URLSearchParams({ key: t.keys['yn.admin'], next: '/desk' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const adminCookie = (admin.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    // Admins also read the expert's audit history (and the draws that left them out).
    const history = await call(t, 'GET', '/desk/experts/e-p002', {
      headers: { cookie: adminCookie },
    });
    expect(history.text).toContain('<table id="history">');
    expect(history.text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    const keys = await call(t, 'GET', '/desk/keys', { headers: { cookie: adminCookie } });
    expect(keys.status, keys.text).toBe(200);
    const table = /<table id="keys">.*?<\/table>/s.exec(keys.text)?.[0] ?? '';
    expect(table).toContain('<td>管理员</td>');
    expect(table).toContain('<td>调度员</td>');
    expect(table).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });

  it('prints the draw policy in Chinese on the draw record (抽取记录) and the reply channel on the board', async () => {
    const drawn = await postTask(t, makeTaskRequest({ alternates: 1 }), 'desk-record-0001');
    expect(drawn.status, drawn.text).toBe(201);
    const drawId = String((drawn.body.draw as { id: string }).id);
    const record = await call(t, 'GET', `/desk/draws/${drawId}/record`, { headers: { cookie } });
    expect(record.status, record.text).toBe(200);
    expect(record.text).toContain('随机抽取（<code>lottery</code>）');

    // The reply board names how an answer came in, in Chinese: a phone answer is 电话.
    const seats = (drawn.body.panel as { invitationId: string; state: string }[]).filter(
      (seat) => seat.state === 'invited',
    );
    const seat = seats[0]?.invitationId ?? '';
    const answered = await call(t, 'POST', `/v1/invitations/${seat}/phone-reply`, {
      key: 'yn.dispatcher',
      json: { answer: 'accept' },
    });
    expect(answered.status, answered.text).toBe(200);
    const board = await call(t, 'GET', `/desk/tasks/${String(drawn.body.id)}`, {
      headers: { cookie },
    });
    expect(board.status, board.text).toBe(200);
    expect(board.text).toContain('<small>（电话）</small>');
    expect(board.text).not.toContain('(phone)');
  });
});
