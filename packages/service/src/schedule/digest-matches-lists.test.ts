import { yunnanGmy2025 } from '@expert-dispatch/rules';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notices } from '../db/schema.js';
import { addActiveExperts, declineAsLeader } from '../tasks/task-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { sendMonthlyDigest } from './send-monthly-digest.js';

const backends = await availableBackends();

const DIGEST_TO = { channel: 'webhook', address: 'https://aqjg.example.gov.cn/digest' } as const;
/** The digest's sections, in order, and the list of `GET /v1/reports/lists` each words. */
const SECTIONS = [
  'declineWarnings',
  'pendingDeclines',
  'noShows',
  'staleProfiles',
  'terms',
  'ageLimits',
] as const;

/** The expert ids of each section of a digest notice (`- 姓名（id）条款：…` lines). */
function idsBySection(body: string): string[][] {
  const sections: string[][] = [];
  for (const line of body.split('\n')) {
    if (line.startsWith('【')) sections.push([]);
    const id = /^- .*?（([^（）]+)）第/.exec(line)?.[1];
    if (id !== undefined) sections.at(-1)?.push(id);
  }
  return sections.map((ids) => [...ids].sort());
}

describe.each(backends)('the monthly digest and the report lists on %s', (kind) => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext(kind);
    const experts = [
      // Lapsed 92 days before the digest: the old digest looked back 31 days only.
      ['m-lapsed', { appointment: { from: '2023-09-01', to: '2026-08-31', sealed: true } }],
      ['m-ending', { appointment: { from: '2024-02-01', to: '2027-01-31', sealed: true } }],
      ['m-stale', { profileUpdatedAt: '2025-10-01T10:00:00+08:00' }],
      ['m-old', { birthDate: '1962-05-01' }],
      ['m-refuse', {}],
      ['m-fresh', {}],
      ['m-spare', {}],
    ] as const;
    await addActiveExperts(t, experts);
    await declineAsLeader(t, 'm-refuse', '2026-03-02T09:00:00+08:00', 't-refused-1', '2026-03-20');
    await declineAsLeader(t, 'm-refuse', '2026-05-20T09:00:00+08:00', 't-refused-2', '2026-06-10');
  });
  afterAll(() => t.close());

  it('lists the same experts as GET /v1/reports/lists on the same day (第二十三条（一）, 第八条（一）, 第十一条, 第九条（五）)', async () => {
    t.clock.set('2026-12-01T09:00:00+08:00');
    const now = t.clock.now();
    await t.database.db.transaction((tx) =>
      sendMonthlyDigest(tx, now, '2026-12', yunnanGmy2025, [DIGEST_TO]),
    );
    const [notice] = await t.database.db
      .select()
      .from(notices)
      .where(eq(notices.kind, 'monthly_digest'));
    const report = await call(t, 'GET', '/v1/reports/lists?on=2026-12-01', { key: 'yn.auditor' });
    expect(report.status).toBe(200);
    const lists = report.body.lists as Record<string, { expertId: string }[]>;
    const expected = SECTIONS.map((name) => (lists[name] ?? []).map((e) => e.expertId).sort());
    expect(idsBySection(notice?.body ?? '')).toEqual(expected);
    // Every kind of entry is there, the long-lapsed term included.
    expect(expected).toEqual([
      ['m-refuse'],
      [],
      [],
      ['m-stale'],
      ['m-ending', 'm-lapsed'],
      ['m-old'],
    ]);
  });
});
