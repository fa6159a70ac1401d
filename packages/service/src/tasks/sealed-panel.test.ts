import { yunnanGmy2025 } from '@expert-dispatch/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  availableBackends,
  call,
  createTestContext,
  type KeyName,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { isPanelSealedFor } from './sealed-panel.js';
import { postTaskOnDay, seedPanelPool } from './task-fixtures.test-helpers.js';
import type { TaskView } from './task-view.js';

const backends = await availableBackends();

describe('isPanelSealedFor (第八条（五）（七）)', () => {
  const task = { authorityId: 'yn-yjt', windowFrom: new Date('2026-03-10T08:30:00+08:00') };
  const before = new Date('2026-03-09T09:00:00+08:00');
  const after = new Date('2026-03-10T08:30:00+08:00');
  it.each<
    [
      string,
      { role: 'admin' | 'dispatcher' | 'auditor' | 'viewer'; authorityId: string },
      Date,
      boolean,
    ]
  >([
    [
      'seals the names from a viewer before the window',
      { role: 'viewer', authorityId: 'yn-yjt' },
      before,
      true,
    ],
    [
      'seals the names from an admin before the window',
      { role: 'admin', authorityId: 'yn-yjt' },
      before,
      true,
    ],
    [
      'shows them to the requesting dispatcher',
      { role: 'dispatcher', authorityId: 'yn-yjt' },
      before,
      false,
    ],
    [
      'seals them from another authority’s dispatcher',
      { role: 'dispatcher', authorityId: 'km-yjj' },
      before,
      true,
    ],
    ['shows them to an auditor', { role: 'auditor', authorityId: 'yn-yjt' }, before, false],
    [
      'shows them to a viewer once the window starts',
      { role: 'viewer', authorityId: 'yn-yjt' },
      after,
      false,
    ],
  ])('%s', (_name, principal, now, sealed) => {
    expect(isPanelSealedFor(principal, task, yunnanGmy2025, now)).toBe(sealed);
  });

  it('seals nothing under a rule set that does not choose it', () => {
    const { sealedPanelList: _sealed, ...open } = yunnanGmy2025;
    expect(isPanelSealedFor({ role: 'viewer', authorityId: 'yn-yjt' }, task, open, before)).toBe(
      false,
    );
  });
});

describe.each(backends)('the sealed list on %s (第八条（五）（七）)', (kind) => {
  let t: TestContext;
  let names: readonly string[];

  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 6);
    t.clock.set('2026-03-02T09:00:00+08:00');
    const created = await postTaskOnDay(t, 't-sealed', '2026-03-10');
    names = (created.body as unknown as TaskView).panel.map((seat) => seat.name);
  });
  afterAll(() => t.close());

  const view = async (key: KeyName) =>
    (await call(t, 'GET', '/v1/tasks/t-sealed', { key })).body as unknown as TaskView;

  it('shows a viewer the places and states but no names before the window, and the names after', async () => {
    expect(names.filter((name) => name !== '').length).toBeGreaterThan(0);
    const sealed = await view('yn.viewer');
    expect(sealed.panelSealed).toBe(true);
    expect(sealed.panel.length).toBe(names.length);
    expect(sealed.panel.every((seat) => seat.name === '' && seat.expertId === '')).toBe(true);
    expect(sealed.panel.map((seat) => seat.state)).toContain('invited');
    const text = JSON.stringify(sealed);
    for (const name of names) expect(text).not.toContain(`"${name}"`);
    const listed = (await call(t, 'GET', '/v1/tasks', { key: 'yn.viewer' })).body as unknown as {
      items: TaskView[];
    };
    expect(listed.items.find((item) => item.id === 't-sealed')?.panelSealed).toBe(true);

    t.clock.set('2026-03-10T08:30:00+08:00');
    try {
      const open = await view('yn.viewer');
      expect(open.panelSealed).toBe(false);
      expect(open.panel.map((seat) => seat.name)).toEqual(names);
    } finally {
      t.clock.set('2026-03-02T09:00:00+08:00');
    }
  });

  it('names the drawn experts to the requesting dispatcher and to an auditor before the window', async () => {
    for (const key of ['yn.dispatcher', 'yn.auditor'] as const) {
      const shown = await view(key);
      expect(shown.panelSealed).toBe(false);
      expect(shown.panel.map((seat) => seat.name)).toEqual(names);
    }
  });

  it('withholds the draw’s result from an admin before the window, not from the dispatcher', async () => {
    const drawId = (await view('yn.dispatcher')).draw?.id as string;
    const asAdmin = await call(t, 'GET', `/v1/draws/${drawId}`, { key: 'yn.admin' });
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body).toMatchObject({ panelSealed: true, result: null });
    for (const name of names) expect(asAdmin.text).not.toContain(name);
    const asDispatcher = await call(t, 'GET', `/v1/draws/${drawId}`, { key: 'yn.dispatcher' });
    expect(asDispatcher.body).toMatchObject({ panelSealed: false });
    expect(asDispatcher.body.result).not.toBeNull();
  });
});
