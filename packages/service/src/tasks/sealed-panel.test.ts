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
  let ids: readonly string[];

  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 6);
    t.clock.set('2026-03-02T09:00:00+08:00');
    // The requester designates the leader: the request itself then names a drawn expert.
    const created = await postTaskOnDay(t, 't-sealed', '2026-03-10', { leaderId: 'e-p003' });
    const panel = (created.body as unknown as TaskView).panel;
    names = panel.map((seat) => seat.name);
    ids = panel.map((seat) => seat.expertId);
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

  it('names no drawn expert by id either: not the designated leader, not in the service record', async () => {
    expect(ids).toContain('e-p003');
    const leader = (await view('yn.dispatcher')).panel.find((seat) => seat.role === 'leader');
    const accepted = await call(t, 'POST', `/v1/invitations/${leader?.invitationId}/reply`, {
      key: 'yn.dispatcher',
      json: { answer: 'accept' },
    });
    expect(accepted.status).toBe(200);
    for (const key of ['yn.viewer', 'yn.admin'] as const) {
      const paths = ['/v1/tasks/t-sealed', '/v1/tasks', '/v1/tasks/t-sealed/service-record'];
      for (const path of paths) {
        const answer = await call(t, 'GET', path, { key });
        expect(answer.status).toBe(200);
        for (const id of ids) expect(answer.text, `${key} ${path}`).not.toContain(id);
        for (const name of names) expect(answer.text, `${key} ${path}`).not.toContain(name);
      }
      const record = await call(t, 'GET', '/v1/tasks/t-sealed/service-record', { key });
      expect(record.body).toMatchObject({ panelSealed: true, panel: [{ role: 'leader' }] });
    }
    const told = await call(t, 'GET', '/v1/tasks/t-sealed/service-record', {
      key: 'yn.dispatcher',
    });
    expect(told.body).toMatchObject({
      panelSealed: false,
      panel: [{ role: 'leader', expertId: 'e-p003' }],
    });
  });

  it('keeps the serving seats of a sealed panel out of an admin’s reports until the work starts', async () => {
    type Row = { expertId: string; invitations: number };
    const invitationsOf = async (key: KeyName, expertId: string) => {
      const answer = await call(t, 'GET', '/v1/reports/annual?year=2026', { key });
      expect(answer.status).toBe(200);
      return (answer.body.experts as Row[]).find((row) => row.expertId === expertId)?.invitations;
    };
    const drawn = ids.filter((id) => id !== '');
    for (const id of drawn) {
      expect(await invitationsOf('yn.admin', id)).toBe(0);
    }
    expect(await invitationsOf('yn.auditor', 'e-p003')).toBe(1);
    t.clock.set('2026-03-10T08:30:00+08:00');
    try {
      expect(await invitationsOf('yn.admin', 'e-p003')).toBe(1);
    } finally {
      t.clock.set('2026-03-02T09:00:00+08:00');
    }
  });

  it('lists a shadow’s upcoming task in the shadowing record only to whom the panel is open (第二十一条（三）)', async () => {
    const created = await postTaskOnDay(t, 't-sealed-shadow', '2026-03-12', { shadows: 1 });
    const shadow = (created.body as unknown as TaskView).panel.find((s) => s.role === 'shadow');
    if (shadow === undefined) throw new Error('no shadow drawn');
    const accepted = await call(t, 'POST', `/v1/invitations/${shadow.invitationId}/reply`, {
      key: 'yn.dispatcher',
      json: { answer: 'accept' },
    });
    expect(accepted.status).toBe(200);
    const record = (key: KeyName) =>
      call(t, 'GET', `/v1/experts/${shadow.expertId}/shadowing`, { key });
    for (const key of ['yn.viewer', 'yn.admin'] as const) {
      const hidden = await record(key);
      expect(hidden.status).toBe(200);
      expect(hidden.body).toMatchObject({ summary: { joined: 0 }, items: [] });
    }
    expect((await record('yn.dispatcher')).body).toMatchObject({
      summary: { joined: 1 },
      items: [{ taskId: 't-sealed-shadow' }],
    });
    t.clock.set('2026-03-12T08:30:00+08:00');
    try {
      expect((await record('yn.viewer')).body).toMatchObject({ summary: { joined: 1 } });
    } finally {
      t.clock.set('2026-03-02T09:00:00+08:00');
    }
  });

  it('withholds the content of the audit entries about the sealed task and its draws from an admin, not from an auditor', async () => {
    type Listed = { items: { entityId: string; sealed?: true; after: unknown }[] };
    const drawId = (await view('yn.dispatcher')).draw?.id as string;
    for (const query of [
      'entityType=task&entityId=t-sealed',
      `entityType=draw&entityId=${drawId}`,
    ]) {
      const asAdmin = await call(t, 'GET', `/v1/audit?${query}`, { key: 'yn.admin' });
      expect(asAdmin.status).toBe(200);
      const items = (asAdmin.body as unknown as Listed).items;
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((item) => item.sealed === true && item.after === null)).toBe(true);
      for (const id of ids) expect(asAdmin.text, query).not.toContain(id);
      const asAuditor = await call(t, 'GET', `/v1/audit?${query}`, { key: 'yn.auditor' });
      expect(asAuditor.text).toContain('e-p003');
      expect(asAuditor.text).not.toContain('"sealed"');
    }
    t.clock.set('2026-03-10T08:30:00+08:00');
    try {
      const open = await call(t, 'GET', '/v1/audit?entityType=task&entityId=t-sealed', {
        key: 'yn.admin',
      });
      expect(open.text).toContain('e-p003');
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
