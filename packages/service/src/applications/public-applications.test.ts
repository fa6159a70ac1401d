import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applicationAttachments, auditLog, expertApplications, experts } from '../db/schema.js';
import { openSelfSession } from '../self/self-session.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { ATTACHMENT_MAX_BYTES } from './attachment-type.js';

const backends = await availableBackends();

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
// A Windows executable ("MZ" header) renamed to look like a PDF.
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), Buffer.alloc(64)]);

const b64 = (bytes: Buffer) => bytes.toString('base64');

/** A complete 申报表 (第十条（一）) with the employer's consent (第十条（二）). */
const application = (overrides: Record<string, unknown> = {}) => ({
  name: '李文博',
  birthDate: '1972-04-18',
  idNumber: '530102197204181234',
  phone: '13800006666',
  education: '硕士研究生',
  title: 'senior_associate',
  safetyEngineer: 'intermediate',
  practiceYears: 22,
  employer: { name: '云南冶金集团股份有限公司', kind: 'enterprise' },
  region: '530100',
  group: 'metallurgy_nonferrous_machinery',
  industries: ['metallurgy', 'nonferrous'],
  specialties: ['molten_metal', 'gas'],
  resume: '1998年起从事冶金安全管理工作。',
  consent: { kind: 'employer', agreed: true, declaredBy: '人力资源部 王芳' },
  attachments: [
    { kind: 'title', fileName: '职称证书.pdf', contentBase64: b64(PDF) },
    { kind: 'identity', fileName: 'id.png', contentBase64: b64(PNG) },
  ],
  ...overrides,
});

describe.each(backends)('public applications (第十条（一）（二）) on %s', (kind) => {
  let t: TestContext;
  // A fresh migrated database can take a while on a loaded machine.
  beforeAll(async () => {
    t = await createTestContext(kind);
  }, 180_000);
  afterAll(() => t.close());
  // Each case starts a fresh hour on the test clock, so no throttle window carries over.
  let hour = 0;
  beforeEach(() => {
    hour += 1;
    t.clock.set(new Date(Date.parse('2026-03-02T09:00:00+08:00') + hour * 3_600_000).toISOString());
  });

  const apply = (json: unknown) => call(t, 'POST', '/v1/public/applications', { json });
  const rowCounts = async () => {
    const db = t.database.db;
    const [e] = await db.select({ n: count() }).from(experts);
    const [a] = await db.select({ n: count() }).from(expertApplications);
    const [f] = await db.select({ n: count() }).from(applicationAttachments);
    const [l] = await db.select({ n: count() }).from(auditLog);
    return { experts: e?.n, applications: a?.n, attachments: f?.n, audit: l?.n };
  };

  it('accepts an application with a PDF: the applicant lands as applied in the provincial pool, audited', async () => {
    const received = await apply(application());
    expect(received.status, received.text).toBe(201);
    expect(received.body).toMatchObject({ status: 'applied' });
    // Personal data is not echoed back.
    expect(received.text).not.toContain('530102197204181234');
    expect(received.text).not.toContain('13800006666');
    const expertId = String(received.body.expertId);
    const expert = await call(t, 'GET', `/v1/experts/${expertId}`, { key: 'yn.admin' });
    expect(expert.body).toMatchObject({ status: 'applied', tier: 'province', name: '李文博' });
    const view = await call(t, 'GET', `/v1/experts/${expertId}/application`, { key: 'yn.admin' });
    expect(view.status, view.text).toBe(200);
    expect(view.body).toMatchObject({
      consent: {
        kind: 'employer',
        employerName: '云南冶金集团股份有限公司',
        declaredBy: '人力资源部 王芳',
      },
      education: '硕士研究生',
    });
    const files = view.body.attachments as { id: string; mediaType: string; size: number }[];
    expect(files.map((f) => [f.mediaType, f.size])).toEqual([
      ['application/pdf', PDF.length],
      ['image/png', PNG.length],
    ]);
    const audit = await t.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.actorKeyId, 'public:application'));
    expect(audit.map((a) => a.action)).toEqual(['expert.applied', 'expert_application.filed']);
    // The review starts from the existing actions (第十条（二）（三）).
    const recommended = await call(t, 'POST', `/v1/experts/${expertId}/actions/recommend`, {
      key: 'yn.admin',
      json: { reason: '单位推荐意见齐全' },
    });
    expect(recommended.status, recommended.text).toBe(200);
    expect(recommended.body.status).toBe('recommended');
  });

  it('serves an attachment only as a download with its checked type and nosniff, to the reviewing pool', async () => {
    const received = await apply(application({ phone: '13800007777' }));
    const expertId = String(received.body.expertId);
    const [file] = received.body.attachments as { id: string }[];
    const path = `/v1/experts/${expertId}/application/attachments/${file?.id}`;
    const response = await t.app.request(path, {
      headers: { authorization: `Bearer ${t.keys['yn.auditor']}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="attachment-att_[0-9a-f]+\.pdf"; filename\*=UTF-8''%E8%81%8C/,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await response.arrayBuffer()).equals(PDF)).toBe(true);
    expect((await call(t, 'GET', path, { key: 'km.admin' })).status).toBe(403);
    expect((await call(t, 'GET', path, { key: 'yn.dispatcher' })).status).toBe(403);
    expect((await call(t, 'GET', path)).status).toBe(401);
    // Not even the applicant's own session opens the admins' routes.
    const own = await t.database.db.transaction((tx) =>
      openSelfSession(tx, expertId, t.clock.now()),
    );
    expect((await call(t, 'GET', path, { key: { secret: own.token } })).status).toBe(401);
  });

  it('refuses a renamed .exe by its content, naming the field, and writes nothing', async () => {
    const before = await rowCounts();
    const refused = await apply(
      application({
        attachments: [
          { kind: 'title', fileName: '职称证书.pdf', contentBase64: b64(PDF) },
          { kind: 'education', fileName: '学历证明.pdf', contentBase64: b64(EXE) },
        ],
      }),
    );
    expect(refused.status).toBe(422);
    expect(refused.contentType).toMatch(/^application\/problem\+json/);
    expect(refused.body.code).toBe('validation_failed');
    expect(refused.body.errors?.map((e) => e.path)).toEqual(['attachments.1.contentBase64']);
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses an attachment over the size limit and writes nothing', async () => {
    const before = await rowCounts();
    const big = Buffer.concat([PDF, Buffer.alloc(ATTACHMENT_MAX_BYTES)]);
    const refused = await apply(
      application({
        attachments: [{ kind: 'title', fileName: 'big.pdf', contentBase64: b64(big) }],
      }),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.errors?.map((e) => e.path)).toEqual(['attachments.0.contentBase64']);
    expect(await rowCounts()).toEqual(before);
  });

  it('takes the department as recommender only for an applicant without an employer (第十条（二）)', async () => {
    const employed = await apply(
      application({ consent: { kind: 'department', department: '昆明市应急管理局' } }),
    );
    expect(employed.status).toBe(422);
    expect(employed.body.errors?.map((e) => e.path)).toEqual(['consent.kind']);
    const unemployed = await apply(
      application({
        phone: '13800008888',
        employer: null,
        consent: { kind: 'department', department: '昆明市应急管理局' },
      }),
    );
    expect(unemployed.status, unemployed.text).toBe(201);
    const noEmployer = await apply(application({ employer: null }));
    expect(noEmployer.status).toBe(422);
    expect(noEmployer.body.errors?.map((e) => e.path)).toEqual(['employer']);
  });

  it('throttles applications per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1)
      statuses.push((await apply(application({ employer: null }))).status);
    expect(statuses).toEqual([422, 422, 422, 422, 422, 429]);
  });

  it('answers the /apply page with the form and what to correct, never a 5xx, storing nothing', async () => {
    const before = await rowCounts();
    const shown = await t.app.request('/apply');
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('enctype="multipart/form-data"');
    const form = new FormData();
    form.set('name', 'a\u0000b');
    form.set('consentKind', 'department');
    form.set('file-title', new File([new Uint8Array(EXE)], 'x.pdf', { type: 'application/pdf' }));
    const refused = await t.app.request('/apply', { method: 'POST', body: form });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('data-path="idNumber"');
    expect(await rowCounts()).toEqual(before);
  });
});
