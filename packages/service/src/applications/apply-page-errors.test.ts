import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../testing/test-backends.test-helpers.js';

const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), Buffer.alloc(64)]);

/** What the public applicant reads when /apply refuses the form (第十条（一）): Chinese first. */
describe('the /apply page names what to correct in Chinese', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext('pglite');
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('lists each refused field by its form label with a Chinese message, the path kept for tools', async () => {
    const form = new FormData();
    form.set('name', '赵页面');
    form.set('birthDate', '1978-13-40');
    form.set('consentKind', 'department');
    const refused = await t.app.request('/apply', { method: 'POST', body: form });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    const items = [...html.matchAll(/<li data-path="([^"]*)">([^<]*)<\/li>/g)].map((m) => ({
      path: m[1] ?? '',
      text: m[2] ?? '',
    }));
    expect(items.find((i) => i.path === 'birthDate')?.text).toMatch(/^出生日期：无效输入 \/ \w/);
    expect(items.find((i) => i.path === 'idNumber')?.text).toMatch(/^身份证号：/);
    expect(items.length).toBeGreaterThan(3);
    for (const item of items) {
      expect(item.text, item.path).toMatch(/^[\u4e00-\u9fff]/);
      expect(item.text, item.path).toMatch(/[：][\u4e00-\u9fff]/);
    }
  });

  it('names a refused proof by its place among the proofs, in Chinese', async () => {
    const form = new FormData();
    for (const [name, value] of Object.entries({
      name: '李文博',
      birthDate: '1972-04-18',
      idNumber: '530102197204181234',
      phone: '13800006666',
      education: '硕士研究生',
      title: 'senior_associate',
      practiceYears: '22',
      group: 'metallurgy_nonferrous_machinery',
      industries: 'metallurgy',
      region: '530100',
      consentKind: 'department',
      department: '昆明市应急管理局',
    })) {
      form.set(name, value);
    }
    form.set(
      'file-identity',
      new File([new Uint8Array(EXE)], 'x.pdf', { type: 'application/pdf' }),
    );
    const refused = await t.app.request('/apply', { method: 'POST', body: form });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain(
      '<li data-path="attachments.0.contentBase64">证明材料（第 1 份）：仅接受 PDF、JPEG、PNG 文件',
    );
  });
});
