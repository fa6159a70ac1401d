import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postTaskOnDay, seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

describe.each(backends)('the public check of a printed draw record on %s', (kind) => {
  let t: TestContext;
  let drawId: string;

  beforeAll(async () => {
    t = await createTestContext(kind);
    t.clock.set('2026-03-01T09:00:00+08:00');
    await seedPanelPool(t, 6);
    const created = await postTaskOnDay(t, 't-public', '2026-03-10');
    drawId = (created.body as unknown as TaskView).draw?.id ?? '';
  });
  afterAll(() => t.close());

  it('verifies a draw for anyone, without a key, naming no expert', async () => {
    const checked = await call(t, 'GET', `/v1/public/draws/${drawId}/verify`);
    expect(checked.status, checked.text).toBe(200);
    expect(checked.body).toMatchObject({
      drawId,
      ok: true,
      digestMatches: true,
      resultMatches: true,
      poolDigestMatches: true,
      ruleSet: { id: 'yunnan-gmy-2025' },
      message: { zh: '核验通过：重放结果与抽取记录一致' },
    });
    // The names and ids drawn stay with the requester and auditors (第八条（五）（七）).
    expect(checked.text).not.toMatch(/e-p0\d\d|专家\d/);
  });

  it('gives the same digests as the auditors’ verify', async () => {
    const publicCheck = await call(t, 'GET', `/v1/public/draws/${drawId}/verify`);
    const auditorCheck = await call(t, 'GET', `/v1/draws/${drawId}/verify`, { key: 'yn.auditor' });
    expect(auditorCheck.status).toBe(200);
    expect(publicCheck.body.digest).toBe(auditorCheck.body.digest);
  });

  it('answers 404 for a draw that does not exist', async () => {
    const missing = await call(t, 'GET', '/v1/public/draws/d_unknown/verify');
    expect(missing.status).toBe(404);
    expect(missing.contentType).toContain('application/problem+json');
  });
});
