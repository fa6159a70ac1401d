import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  availableBackends,
  type CallResult,
  call,
  createTestContext,
  type KeyName,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { addExpert, addInvitation, addRating } from './report-history.test-helpers.js';
import type {
  ActionLists,
  AnnualReport,
  Counts,
  ExpertYear,
  ListsReport,
} from './report-schemas.js';

const backends = await availableBackends();

// Personal data of the seeded experts that no report may ever carry.
const PERSONAL = [
  '13812345678',
  '53010219750615123X',
  '1975-06-15',
  '1961-04-20',
  '1963-09-15',
  '1960-01-01',
];
const EVIL_NAME = '=HYPERLINK("http://evil.example","戊专家")';

const ZERO: Counts = {
  invitations: 0,
  accepted: 0,
  declined: 0,
  declinedJustified: 0,
  declinedUnjustified: 0,
  declinedPending: 0,
  timedOut: 0,
  undeliverable: 0,
  acceptanceWithdrawn: 0,
  pending: 0,
  withdrawn: 0,
  attended: 0,
  noShow: 0,
  ratings: 0,
  averageRating: null,
  tasksLed: 0,
  tasksServed: 0,
};

/**
 * The recorded history (Asia/Shanghai times unless marked Z). Provincial pool: e-a, e-b, e-c,
 * e-d, e-e; Kunming's pool: e-k, e-k2. Tasks of the province unless marked km.
 *  e-a  T1 invited 2025-12-31T16:30Z (= 2026-01-01 00:30) declined unjustified 2026-01-01
 *       T2 invited 2026-12-31 declined unjustified 2026-12-31 (364 days after T1: warning)
 *       T13 invited 2026-04-01, released before any answer (withdrawn)
 *  e-b  T3 declined unjustified 2025-03-09; T4 timed out after delivery, deadline 2026-03-10
 *       (12 months and a day later: no warning); T15 (machinery) accepted, attended;
 *       T16 invited 2026-12-31T16:30Z (= 2027-01-01) accepted
 *  e-c  T5 leader attended, rated 5; T6 member attended, rated 4; T7 accepted, no-show;
 *       T8 declined for illness (awaiting the department's decision, 待认定); T9 (km) declined
 *       unjustified 2026-05-10; T10 timed out, deadline 2026-08-01 (warning: 83 days after T9)
 *  e-d  never invited; profile updated 2025-06-01; term to 2027-01-31; born 1963-09-15
 *  e-e  never invited; term lapsed 2025-12-31; born 1960-01-01; a name that is a formula
 *  e-k  (km) T11 (km) accepted, attended;  e-k2 (km) never invited
 */
async function seedHistory(t: TestContext): Promise<void> {
  await addExpert(t, { id: 'e-a', name: '甲专家' });
  await addExpert(t, { id: 'e-b', name: '乙专家', industries: ['machinery'] });
  await addExpert(t, { id: 'e-c', name: '丙专家', birthDate: '1961-04-20' });
  await addExpert(t, {
    id: 'e-d',
    name: '丁专家',
    birthDate: '1963-09-15',
    appointment: { from: '2024-02-01', to: '2027-01-31', sealed: true },
    profileUpdatedAt: '2025-06-01T10:00:00+08:00',
  });
  await addExpert(t, {
    id: 'e-e',
    name: EVIL_NAME,
    birthDate: '1960-01-01',
    appointment: { from: '2023-01-01', to: '2025-12-31', sealed: true },
  });
  await addExpert(t, { id: 'e-k', name: '昆明专家' }, 'km');
  await addExpert(t, { id: 'e-k2', name: '昆明专家二' }, 'km');

  const unjustified = { state: 'declined', declineReason: 'unjustified' } as const;
  await addInvitation(t, {
    taskId: 'T1',
    day: '2026-01-05',
    expertId: 'e-a',
    ...unjustified,
    invitedAt: '2025-12-31T16:30:00Z',
    repliedAt: '2026-01-01T01:00:00+08:00',
  });
  await addInvitation(t, {
    taskId: 'T2',
    day: '2027-01-10',
    expertId: 'e-a',
    ...unjustified,
    invitedAt: '2026-12-31T10:00:00+08:00',
    repliedAt: '2026-12-31T11:00:00+08:00',
  });
  await addInvitation(t, {
    taskId: 'T13',
    day: '2026-04-03',
    expertId: 'e-a',
    state: 'released',
    invitedAt: '2026-04-01T09:00:00+08:00',
  });
  await addInvitation(t, {
    taskId: 'T3',
    day: '2025-03-15',
    expertId: 'e-b',
    ...unjustified,
    invitedAt: '2025-03-09T09:00:00+08:00',
    repliedAt: '2025-03-09T10:00:00+08:00',
  });
  await addInvitation(t, {
    taskId: 'T4',
    day: '2026-03-15',
    expertId: 'e-b',
    state: 'timed_out',
    invitedAt: '2026-03-09T10:00:00+08:00',
    replyDeadline: '2026-03-10T10:00:00+08:00',
  });
  await addInvitation(t, {
    taskId: 'T15',
    day: '2026-06-05',
    expertId: 'e-b',
    industries: ['machinery'],
    state: 'accepted',
    invitedAt: '2026-06-01T09:00:00+08:00',
    repliedAt: '2026-06-01T10:00:00+08:00',
    attendance: 'attended',
  });
  await addInvitation(t, {
    taskId: 'T16',
    day: '2027-01-12',
    expertId: 'e-b',
    state: 'accepted',
    invitedAt: '2026-12-31T16:30:00Z',
    repliedAt: '2027-01-01T09:00:00+08:00',
  });
  const t5 = await addInvitation(t, {
    taskId: 'T5',
    day: '2026-02-03',
    expertId: 'e-c',
    role: 'leader',
    state: 'accepted',
    invitedAt: '2026-02-01T09:00:00+08:00',
    repliedAt: '2026-02-01T09:30:00+08:00',
    attendance: 'attended',
  });
  await addRating(t, { seatId: t5, taskId: 'T5', expertId: 'e-c', score: 5 });
  const t6 = await addInvitation(t, {
    taskId: 'T6',
    day: '2026-03-03',
    expertId: 'e-c',
    state: 'accepted',
    invitedAt: '2026-03-01T09:00:00+08:00',
    repliedAt: '2026-03-01T09:30:00+08:00',
    attendance: 'attended',
  });
  await addRating(t, { seatId: t6, taskId: 'T6', expertId: 'e-c', score: 4 });
  await addInvitation(t, {
    taskId: 'T7',
    day: '2026-04-08',
    expertId: 'e-c',
    state: 'accepted',
    invitedAt: '2026-04-06T09:00:00+08:00',
    repliedAt: '2026-04-06T09:30:00+08:00',
    attendance: 'no_show',
  });
  await addInvitation(t, {
    taskId: 'T8',
    day: '2026-04-22',
    expertId: 'e-c',
    state: 'declined',
    declineReason: 'illness',
    invitedAt: '2026-04-20T09:00:00+08:00',
    repliedAt: '2026-04-20T09:30:00+08:00',
  });
  await addInvitation(t, {
    taskId: 'T9',
    authority: 'km',
    day: '2026-05-12',
    expertId: 'e-c',
    ...unjustified,
    invitedAt: '2026-05-10T09:00:00+08:00',
    repliedAt: '2026-05-10T10:00:00+08:00',
  });
  await addInvitation(t, {
    taskId: 'T10',
    day: '2026-08-05',
    expertId: 'e-c',
    state: 'timed_out',
    invitedAt: '2026-07-31T10:00:00+08:00',
    replyDeadline: '2026-08-01T10:00:00+08:00',
  });
  await addInvitation(t, {
    taskId: 'T11',
    authority: 'km',
    day: '2026-09-03',
    expertId: 'e-k',
    state: 'accepted',
    invitedAt: '2026-09-01T09:00:00+08:00',
    repliedAt: '2026-09-01T09:30:00+08:00',
    attendance: 'attended',
  });
}

const annual = (t: TestContext, key: KeyName, query: string, headers?: Record<string, string>) =>
  call(t, 'GET', `/v1/reports/annual?${query}`, { key, ...(headers ? { headers } : {}) });
const lists = (t: TestContext, key: KeyName, query: string) =>
  call(t, 'GET', `/v1/reports/lists?${query}`, { key });
/** The body as sent, byte-order mark included (`Response.text()` drops it). */
async function rawBody(t: TestContext, path: string, headers: Record<string, string> = {}) {
  const response = await t.app.request(path, {
    headers: { authorization: `Bearer ${t.keys['yn.auditor']}`, ...headers },
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  return {
    response,
    bytes,
    text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes),
  };
}
const rowOf = (report: AnnualReport, id: string): ExpertYear | undefined =>
  report.experts.find((row) => row.expertId === id);
const ids = (entries: readonly { expertId: string }[]) => entries.map((entry) => entry.expertId);
const expectNoPersonalData = (response: CallResult) => {
  for (const value of PERSONAL) expect(response.text).not.toContain(value);
  expect(response.text).not.toMatch(/birthDate|idNumber|"phone"/);
};

describe.each(backends)('yearly evaluation and lists on %s', (kind) => {
  let t: TestContext;
  let report: AnnualReport;

  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedHistory(t);
    t.clock.set('2027-01-15T09:00:00+08:00');
    const response = await annual(t, 'yn.auditor', 'year=2026');
    expect(response.status).toBe(200);
    report = response.body as unknown as AnnualReport;
  });
  afterAll(() => t.close());

  describe('GET /v1/reports/annual (第十五条, 第二十条)', () => {
    it('counts each expert’s invitations of the year and what became of them, as worked out by hand', () => {
      expect(report.period).toEqual({ from: '2026-01-01', to: '2026-12-31' });
      expect(report.experts.map((row) => row.expertId)).toEqual([
        'e-a',
        'e-b',
        'e-c',
        'e-d',
        'e-e',
      ]);
      expect(rowOf(report, 'e-a')).toMatchObject({
        ...ZERO,
        invitations: 3,
        declined: 2,
        declinedUnjustified: 2,
        withdrawn: 1,
      });
      expect(rowOf(report, 'e-b')).toMatchObject({
        ...ZERO,
        invitations: 2,
        accepted: 1,
        timedOut: 1,
        attended: 1,
        tasksServed: 1,
      });
      expect(rowOf(report, 'e-c')).toMatchObject({
        invitations: 6,
        accepted: 3,
        declined: 2,
        declinedJustified: 0,
        declinedUnjustified: 1,
        declinedPending: 1,
        timedOut: 1,
        pending: 0,
        withdrawn: 0,
        attended: 2,
        noShow: 1,
        ratings: 2,
        averageRating: 4.5,
        tasksLed: 1,
        tasksServed: 2,
      });
      expect(rowOf(report, 'e-d')).toMatchObject(ZERO);
      expect(report.totals).toEqual({
        invitations: 11,
        accepted: 4,
        declined: 4,
        declinedJustified: 0,
        declinedUnjustified: 3,
        declinedPending: 1,
        timedOut: 2,
        undeliverable: 0,
        acceptanceWithdrawn: 0,
        pending: 0,
        withdrawn: 1,
        attended: 3,
        noShow: 1,
        ratings: 2,
        averageRating: 4.5,
        tasksLed: 1,
        tasksServed: 3,
      });
    });

    it('puts an invitation at 2025-12-31T16:30Z into 2026 and one at 2026-12-31T16:30Z into 2027 (Asia/Shanghai)', async () => {
      const y2025 = (await annual(t, 'yn.auditor', 'year=2025')).body as unknown as AnnualReport;
      expect(rowOf(y2025, 'e-a')?.invitations).toBe(0);
      expect(rowOf(y2025, 'e-b')).toMatchObject({ invitations: 1, declinedUnjustified: 1 });
      const y2027 = (await annual(t, 'yn.auditor', 'year=2027')).body as unknown as AnnualReport;
      expect(y2027.period).toEqual({ from: '2027-01-01', to: '2027-01-15' });
      expect(rowOf(y2027, 'e-b')).toMatchObject({ invitations: 1, accepted: 1 });
      expect(rowOf(y2027, 'e-a')?.invitations).toBe(0);
    });

    it('lists two unjustified refusals within 12 months, not 12 months and a day apart (第二十三条（一）)', () => {
      const warnings = report.lists.declineWarnings;
      expect(ids(warnings)).toEqual(['e-a', 'e-c']);
      expect(warnings[0]).toMatchObject({
        article: '第二十三条（一）',
        refusals: 2,
        firstDate: '2026-01-01',
        lastDate: '2026-12-31',
      });
      expect(warnings[0]?.message.zh).toBe(
        '2026年1月1日至12月31日间2次无正当理由拒绝或超时未响应（1年内2次及以上），应约谈或警告',
      );
      expect(warnings[0]?.evidence.map((e) => [e.taskId, e.refusedOn, e.outcome])).toEqual([
        ['T1', '2026-01-01', 'declined_unjustified'],
        ['T2', '2026-12-31', 'declined_unjustified'],
      ]);
      expect(warnings[1]?.evidence.map((e) => [e.taskId, e.refusedOn, e.outcome])).toEqual([
        ['T9', '2026-05-10', 'declined_unjustified'],
        ['T10', '2026-08-01', 'timed_out'],
      ]);
      expect(warnings[1]?.evidence[1]?.taskUrl).toBe('/v1/tasks/T10');
      expect(warnings[1]?.notifications).toEqual([]);
    });

    it('lists a decline awaiting the department’s decision apart (待认定), and no-shows as attendance data (第十五条)', () => {
      const { pendingDeclines, noShows } = report.lists as ActionLists;
      expect(pendingDeclines.map((e) => [e.expertId, e.declines])).toEqual([['e-c', 1]]);
      expect(pendingDeclines[0]?.evidence.map((e) => [e.taskId, e.outcome, e.reason])).toEqual([
        ['T8', 'declined_pending', 'illness'],
      ]);
      expect(noShows.map((e) => [e.expertId, e.article, e.noShows])).toEqual([
        ['e-c', '第十五条', 1],
      ]);
      expect(noShows[0]?.evidence.map((e) => [e.taskId, e.attendance])).toEqual([
        ['T7', 'no_show'],
      ]);
    });

    it('lists stale profiles, terms due or lapsed, the age limit by month and the never invited (第八条（一）, 第十一条, 第九条（五）)', () => {
      const { staleProfiles, terms, ageLimits, neverInvited } = report.lists as ActionLists;
      expect(staleProfiles).toEqual([
        expect.objectContaining({
          expertId: 'e-d',
          article: '第八条（一）',
          profileUpdatedOn: '2025-06-01',
          staleSince: '2026-06-02',
        }),
      ]);
      expect(terms.map((e) => [e.expertId, e.standing, e.termTo, e.daysLeft, e.daysSince])).toEqual(
        [
          ['e-d', 'renewal_due', '2027-01-31', 31, null],
          ['e-e', 'lapsed', '2025-12-31', null, 365],
        ],
      );
      expect(ageLimits.map((e) => [e.expertId, e.within, e.limitMonth])).toEqual([
        ['e-c', 'current_term', '2027-04'],
        ['e-d', 'next_term', '2029-09'],
        ['e-e', 'passed', '2026-01'],
      ]);
      expect(ids(neverInvited)).toEqual(['e-d', 'e-e']);
    });

    it('spreads the workload with a Gini coefficient overall, by group and by industry', () => {
      const { overall, byGroup, byIndustry } = report.workload;
      // Tasks served: e-a 0, e-b 1, e-c 2, e-d 0, e-e 0 → G = 20 / (2·25·0.6) = 2/3.
      expect(overall).toMatchObject({ experts: 5, assignments: 3, mean: 0.6, max: 2 });
      expect(overall.gini).toBeCloseTo(2 / 3, 4);
      expect(overall.top).toEqual([
        { expertId: 'e-c', name: '丙专家', tasks: 2 },
        { expertId: 'e-b', name: '乙专家', tasks: 1 },
      ]);
      const group = (key: string) => byGroup.find((s) => s.key === key);
      expect(group('metallurgy_nonferrous_machinery')?.gini).toBeCloseTo(2 / 3, 4);
      expect(group('comprehensive')).toMatchObject({ experts: 0, gini: null });
      const industry = (key: string) => byIndustry.find((s) => s.key === key);
      // Metallurgy: e-a, e-c, e-d, e-e (e-b is machinery only); e-c served 2 → 3/4.
      expect(industry('metallurgy')).toMatchObject({ experts: 4, assignments: 2, gini: 0.75 });
      // Machinery: all five; only e-b served a machinery task → 4·1·2 / (2·25·0.2) = 0.8.
      expect(industry('machinery')).toMatchObject({ experts: 5, assignments: 1, gini: 0.8 });
    });

    it('names another authority’s task only to the provincial auditor, not to the provincial admin', async () => {
      const response = await annual(t, 'yn.admin', 'year=2026');
      const asAdmin = response.body as unknown as AnnualReport;
      expect(rowOf(asAdmin, 'e-c')?.invitations).toBe(6);
      const evidence = asAdmin.lists.declineWarnings.find((e) => e.expertId === 'e-c')?.evidence;
      expect(evidence?.map((e) => e.taskId)).toEqual([null, 'T10']);
      expect(evidence?.[0]).toMatchObject({ taskUrl: null, invitationId: expect.any(String) });
      expect(response.text).not.toContain('"T9"');
    });

    it('shows a city its own pool and only the invitations of its own tasks, never the province’s tasks', async () => {
      const response = await annual(t, 'km.admin', 'year=2026');
      expect(response.status).toBe(200);
      const city = response.body as unknown as AnnualReport;
      expect(city.experts.map((row) => [row.expertId, row.ownPool])).toEqual([
        ['e-c', false],
        ['e-k', true],
        ['e-k2', true],
      ]);
      expect(rowOf(city, 'e-c')).toMatchObject({
        ...ZERO,
        invitations: 1,
        declined: 1,
        declinedUnjustified: 1,
      });
      expect(rowOf(city, 'e-k')).toMatchObject({
        invitations: 1,
        accepted: 1,
        attended: 1,
        tasksServed: 1,
      });
      expect(city.lists.declineWarnings).toEqual([]);
      expect(ids(city.lists.neverInvited)).toEqual(['e-k2']);
      expect(city.lists.ageLimits).toEqual([]);
      for (const hidden of ['T1', 'T5', 'T10', 'T13', 'e-a', 'e-d', '丁专家']) {
        expect(response.text).not.toContain(`"${hidden}"`);
      }
    });

    it('never carries phone, ID number or birth date, in any format', async () => {
      for (const format of ['json', 'csv', 'html']) {
        for (const section of ['experts', 'lists', 'workload']) {
          const response = await annual(
            t,
            'yn.auditor',
            `year=2026&format=${format}&section=${section}`,
          );
          expect(response.status).toBe(200);
          expectNoPersonalData(response);
        }
      }
      expectNoPersonalData(await lists(t, 'yn.admin', 'on=2027-01-10'));
    });
  });

  describe('formats', () => {
    it('writes a CSV that Excel opens with the Chinese intact: BOM, CRLF, Chinese headers', async () => {
      const { response, bytes, text } = await rawBody(t, '/v1/reports/annual?year=2026', {
        accept: 'text/csv',
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(response.headers.get('vary')).toBe('Accept');
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(text.startsWith('\uFEFF专家编号,姓名,专家组别,状态,本库专家,邀请次数,接受,')).toBe(
        true,
      );
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
      const lines = text.slice(1).split('\r\n');
      expect(lines).toHaveLength(report.experts.length + 2);
      expect(lines).toContain(
        'e-c,丙专家,冶金、有色、机械组,在库,是,6,3,0,1,1,1,0,0,0,0,2,1,2,4.5,1,2',
      );
    });

    it('defuses a name that a spreadsheet would run as a formula', async () => {
      const response = await annual(t, 'yn.auditor', 'year=2026&format=csv');
      const line = response.text.split('\r\n').find((l) => l.startsWith('e-e,'));
      expect(line).toBe(
        `e-e,"'=HYPERLINK(""http://evil.example"",""戊专家"")",冶金、有色、机械组,在库,是,${'0,'.repeat(13)},0,0`,
      );
    });

    it('writes the lists and the workload as CSV tables of their own', async () => {
      const listCsv = (await rawBody(t, '/v1/reports/annual?year=2026&format=csv&section=lists'))
        .text;
      expect(listCsv.startsWith('\uFEFF清单,条款,专家编号,姓名,本库专家,说明,依据,通报\r\n')).toBe(
        true,
      );
      expect(listCsv).toContain('邀请');
      expect(listCsv).toMatch(
        /第二十三条（一）,e-a,甲专家,是,[^\r\n]*任务 T1 · 2026年1月1日 · 拒绝（无正当理由） · 送达：无回执；/,
      );
      const workCsv = (await annual(t, 'yn.auditor', 'year=2026&format=csv&section=workload')).text;
      expect(workCsv).toContain(
        '\r\n全部,全部专家,5,3,0.6,2,0.6667,丙专家（e-c）2；乙专家（e-b）1\r\n',
      );
    });

    it('answers a browser with the printable page, and JSON by default', async () => {
      const html = await annual(t, 'yn.auditor', 'year=2026', {
        accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      });
      expect(html.contentType).toMatch(/^text\/html/);
      expect(html.headers.get('content-security-policy')).toBe(
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      );
      expect(html.text).toContain('专家年度考评报告（2026年度）</h1>');
      expect(html.text).toContain('@page{size:A4 landscape');
      expect(html.text).not.toMatch(/<script|<link|\ssrc=/i);
      expect(html.text).toContain('=HYPERLINK(&quot;http://evil.example&quot;');
      const json = await annual(t, 'yn.auditor', 'year=2026', { accept: '*/*' });
      expect(json.contentType).toMatch(/^application\/json/);
      const forced = await annual(t, 'yn.auditor', 'year=2026&format=json', { accept: 'text/csv' });
      expect(forced.contentType).toMatch(/^application\/json/);
    });
  });

  describe('GET /v1/reports/lists', () => {
    it('lists on a date the warnings in force and the never invited of the 12 months before (1年内)', async () => {
      const response = await lists(t, 'yn.auditor', 'on=2027-01-10');
      expect(response.status).toBe(200);
      const body = response.body as unknown as ListsReport;
      expect(body.lists.period).toEqual({ from: '2026-01-10', to: '2027-01-10' });
      expect(ids(body.lists.declineWarnings)).toEqual(['e-a', 'e-c']);
      expect(ids(body.lists.neverInvited)).toEqual(['e-d', 'e-e']);
      expect(body.lists.terms.find((e) => e.expertId === 'e-d')?.daysLeft).toBe(21);
    });

    it('keeps a warning in force 12 months to the day after the last refusal and drops it the day after (第二十三条（一）)', async () => {
      t.clock.set('2027-09-01T09:00:00+08:00');
      try {
        const before = (await lists(t, 'yn.auditor', 'on=2027-08-01'))
          .body as unknown as ListsReport;
        expect(ids(before.lists.declineWarnings)).toContain('e-c');
        const after = (await lists(t, 'yn.auditor', 'on=2027-08-02'))
          .body as unknown as ListsReport;
        expect(ids(after.lists.declineWarnings)).not.toContain('e-c');
      } finally {
        t.clock.set('2027-01-15T09:00:00+08:00');
      }
    });

    it('renders the lists as CSV and as a printable page', async () => {
      const csv = await rawBody(t, '/v1/reports/lists?on=2027-01-10&format=csv');
      expect(csv.text.startsWith('\uFEFF清单,条款,')).toBe(true);
      expect(csv.text).toContain(',e-c,丙专家,是,');
      const html = await lists(t, 'yn.auditor', 'on=2027-01-10&format=html');
      expect(html.text).toContain('需处理专家名单（截至2027年1月10日）</h1>');
    });
  });

  it('documents both reports in /openapi.json with their four media types', async () => {
    const doc = await call(t, 'GET', '/openapi.json');
    const paths = doc.body.paths as Record<string, { get: { responses: Record<string, unknown> } }>;
    for (const path of ['/v1/reports/annual', '/v1/reports/lists']) {
      const ok = paths[path]?.get.responses['200'] as { content: Record<string, unknown> };
      expect(Object.keys(ok.content)).toEqual([
        'application/json',
        'text/csv',
        'text/html',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ]);
    }
  });

  describe('refusals', () => {
    it.each<[string, KeyName | undefined, number]>([
      ['needs a key', undefined, 401],
      ['refuses a viewer', 'yn.viewer', 403],
      ['refuses a dispatcher', 'km.dispatcher', 403],
    ])('%s', async (_name, key, status) => {
      const response = await call(t, 'GET', '/v1/reports/annual?year=2026', key ? { key } : {});
      expect(response.status).toBe(status);
      expect(response.contentType).toMatch(/^application\/problem\+json/);
    });

    it.each<[string, string, string]>([
      ['/v1/reports/annual?year=abc', 'query.year', 'a year that is not a number'],
      ['/v1/reports/annual?year=2028', 'query.year', 'a year that has not begun'],
      ['/v1/reports/annual?year=2026&format=xml', 'query.format', 'an unknown format'],
      ['/v1/reports/annual?year=2026&section=all', 'query.section', 'an unknown section'],
      ['/v1/reports/lists?on=2027-02-30', 'query.on', 'a date that does not exist'],
      ['/v1/reports/lists?on=2027-01-16', 'query.on', 'a date in the future'],
    ])('answers %s with a 422 on %s (%s)', async (path, field) => {
      const response = await call(t, 'GET', path, { key: 'yn.admin' });
      expect(response.status).toBe(422);
      expect(response.body.errors?.map((e) => e.path)).toContain(field);
    });
  });
});
