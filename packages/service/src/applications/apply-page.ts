import {
  employerKinds,
  groups,
  industries,
  safetyEngineerLevels,
  titles,
} from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { page } from '../dispatch/reply-page.js';
import { type FieldError, ProblemError, problemSchema } from '../errors.js';
import type { AppEnv } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { findUnstorableString, toFieldErrors } from '../http/field-errors.js';
import {
  ATTACHMENT_KIND_LABELS,
  applicationInputSchema,
  attachmentKinds,
} from './application-input.js';
import { ATTACHMENT_MAX_BYTES } from './attachment-type.js';
import { submitApplication } from './submit-application.js';

const TITLE = '云南省应急管理专家申报';

/** The glossary's common specialties (专业特长), offered as choices on the form. */
const COMMON_SPECIALTIES: Readonly<Record<string, string>> = {
  dust_explosion: '粉尘涉爆',
  ammonia_refrigeration: '涉氨制冷',
  confined_space: '有限空间作业',
  molten_metal: '高温熔融金属',
  gas: '煤气',
  deep_well_casting: '铝加工深井铸造',
  electrical: '电气',
  special_equipment: '特种设备',
  fire: '消防',
  occupational_health: '职业健康',
  hazardous_chemicals: '危险化学品使用',
};

/** The form's field names for the error list: the applicant reads Chinese, not schema paths. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  name: '姓名',
  birthDate: '出生日期',
  idNumber: '身份证号',
  phone: '手机号',
  education: '学历学位',
  title: '专业技术职称',
  safetyEngineer: '注册安全工程师',
  practiceYears: '从业年限',
  group: '申报组别',
  industries: '熟悉行业',
  specialties: '专业特长',
  region: '所在地区划代码',
  resume: '工作简历',
  employer: '在职单位',
  consent: '单位意见',
  attachments: '证明材料',
};

/** `attachments.1.contentBase64` → 证明材料（第 2 份）; an unknown path as it is. */
function fieldLabelOf(path: string): string {
  const [head = '', index] = path.split('.');
  const label = FIELD_LABELS[head] ?? path;
  return head === 'attachments' && index !== undefined && /^\d+$/.test(index)
    ? `${label}（第 ${Number(index) + 1} 份）`
    : label;
}

/** A message already in Chinese as it is; a schema's English one after a Chinese sentence. */
const zhMessageOf = (message: string) =>
  /[\u4e00-\u9fff]/.test(message) ? message : `填写有误，请检查 / ${message}`;

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

type Form = Record<string, string | File | (string | File)[]>;
const text = (form: Form, name: string) => {
  const value = form[name];
  return typeof value === 'string' ? value.trim() : '';
};
const texts = (form: Form, name: string) => {
  const value = form[name];
  const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return all.filter((v): v is string => typeof v === 'string');
};

const options = (labels: Readonly<Record<string, { zh: string }>>, chosen: string, blank = '') =>
  (blank ? `<option value="">${blank}</option>` : '') +
  Object.entries(labels)
    .map(
      ([value, label]) =>
        `<option value="${value}"${value === chosen ? ' selected' : ''}>${escapeHtml(label.zh)}</option>`,
    )
    .join('');

const checks = (
  name: string,
  labels: Readonly<Record<string, string>>,
  chosen: readonly string[],
) =>
  Object.entries(labels)
    .map(
      ([value, label]) =>
        `<label class="choice"><input type="checkbox" name="${name}" value="${value}"${chosen.includes(value) ? ' checked' : ''}>${escapeHtml(label)}</label>`,
    )
    .join('');

const input = (form: Form, name: string, label: string, extra = '') =>
  `<label for="${name}">${label}</label><input id="${name}" name="${name}" value="${escapeHtml(text(form, name))}" ${extra} style="width:100%;box-sizing:border-box;font-size:1.05rem">`;

/** The form (第十条（一）（二）): the 申报表's fields, the consent and the proofs. */
function applyForm(form: Form, errors: readonly FieldError[] = []): string {
  const notice =
    errors.length === 0
      ? ''
      : `<div id="errors" role="alert"><p><strong>申报未提交，请修改：</strong></p><ul>${errors
          .map(
            (e) =>
              `<li data-path="${escapeHtml(e.path)}">${escapeHtml(fieldLabelOf(e.path))}：${escapeHtml(e.messageZh === undefined ? zhMessageOf(e.message) : `${e.messageZh} / ${e.message}`)}</li>`,
          )
          .join('')}</ul></div>`;
  const consent = text(form, 'consentKind') || 'employer';
  const industryLabels = Object.fromEntries(
    Object.entries(industries.labels).map(([k, v]) => [k, v.zh]),
  );
  const files = attachmentKinds
    .map(
      (kind) =>
        `<label for="file-${kind}">${ATTACHMENT_KIND_LABELS[kind]}</label><input id="file-${kind}" name="file-${kind}" type="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png">`,
    )
    .join('');
  return (
    `<h1>${TITLE}</h1>${notice}<p>第十条（一）：按照自愿原则填报申报表，提供真实准确的身份、学历、专业技术职称和推荐意见等证明材料。</p>` +
    '<form method="post" action="/apply" enctype="multipart/form-data">' +
    `<fieldset><legend>个人信息</legend>${input(form, 'name', '姓名', 'required maxlength="100"')}` +
    `${input(form, 'birthDate', '出生日期', 'type="date" required')}` +
    `${input(form, 'idNumber', '身份证号', 'required pattern="[0-9]{17}[0-9X]" autocomplete="off"')}` +
    `${input(form, 'phone', '手机号', 'type="tel" required autocomplete="tel"')}` +
    `${input(form, 'education', '学历学位', 'required maxlength="100"')}</fieldset>` +
    `<fieldset><legend>专业资格</legend><label for="title">专业技术职称</label><select id="title" name="title" required>${options(titles.labels, text(form, 'title'), '请选择')}</select>` +
    `<label for="safetyEngineer">注册安全工程师</label><select id="safetyEngineer" name="safetyEngineer">${options(safetyEngineerLevels.labels, text(form, 'safetyEngineer'), '无')}</select>` +
    `${input(form, 'practiceYears', '从业年限（年）', 'type="number" min="0" max="70" required inputmode="numeric"')}` +
    `<label for="group">申报组别</label><select id="group" name="group" required>${options(groups.labels, text(form, 'group'), '请选择')}</select>` +
    `<p>熟悉行业（可多选）</p>${checks('industries', industryLabels, texts(form, 'industries'))}` +
    `<p>专业特长（可多选）</p>${checks('specialties', COMMON_SPECIALTIES, texts(form, 'specialties'))}` +
    `${input(form, 'region', '所在地区划代码（6 位，如 530102）', 'required pattern="[1-8][0-9]{5}" inputmode="numeric"')}` +
    `<label for="resume">工作简历</label><textarea id="resume" name="resume" maxlength="4000">${escapeHtml(text(form, 'resume'))}</textarea></fieldset>` +
    '<fieldset><legend>单位意见（第十条（二））</legend>' +
    `<label class="choice"><input type="radio" name="consentKind" value="employer"${consent === 'employer' ? ' checked' : ''}>在职单位同意申报</label>` +
    `${input(form, 'employerName', '在职单位名称', 'maxlength="200"')}` +
    `<label for="employerKind">单位类型</label><select id="employerKind" name="employerKind">${options(employerKinds.labels, text(form, 'employerKind'), '请选择')}</select>` +
    `${input(form, 'declaredBy', '单位经办人或负责人', 'maxlength="100"')}` +
    `<label class="choice"><input type="radio" name="consentKind" value="department"${consent === 'department' ? ' checked' : ''}>无在职单位，由应急管理部门推荐</label>` +
    `${input(form, 'department', '推荐的应急管理部门', 'maxlength="100"')}</fieldset>` +
    `<fieldset><legend>证明材料</legend><p><small>仅接受 PDF、JPG、PNG 文件（按文件内容识别），每个不超过 ${Math.floor(ATTACHMENT_MAX_BYTES / 1024)} KB，合计不超过 1 MB；至少上传一份。</small></p>${files}</fieldset>` +
    '<button type="submit">提交申报</button></form>'
  );
}

/** The form's fields as the JSON API's input, so that both are validated by one schema. */
async function formToInput(form: Form): Promise<Record<string, unknown>> {
  const attachments: Record<string, unknown>[] = [];
  for (const kind of attachmentKinds) {
    const file = form[`file-${kind}`];
    if (!(file instanceof File) || file.size === 0) continue;
    // Read at most one byte past the limit: the size check names the field either way.
    const bytes = Buffer.from(await file.slice(0, ATTACHMENT_MAX_BYTES + 1).arrayBuffer());
    attachments.push({
      kind,
      fileName: file.name || kind,
      contentBase64: bytes.toString('base64'),
    });
  }
  const consentKind = text(form, 'consentKind');
  const employerName = text(form, 'employerName');
  const years = text(form, 'practiceYears');
  return {
    name: text(form, 'name'),
    birthDate: text(form, 'birthDate'),
    idNumber: text(form, 'idNumber').toUpperCase(),
    phone: text(form, 'phone'),
    education: text(form, 'education'),
    title: text(form, 'title'),
    safetyEngineer: text(form, 'safetyEngineer') || null,
    practiceYears: /^\d{1,3}$/.test(years) ? Number(years) : years,
    employer:
      consentKind === 'department' && employerName === ''
        ? null
        : { name: employerName, kind: text(form, 'employerKind') },
    region: text(form, 'region'),
    group: text(form, 'group'),
    industries: texts(form, 'industries'),
    specialties: texts(form, 'specialties'),
    ...(text(form, 'resume') === '' ? {} : { resume: text(form, 'resume') }),
    consent:
      consentKind === 'department'
        ? { kind: 'department', department: text(form, 'department') }
        : { kind: 'employer', agreed: true, declaredBy: text(form, 'declaredBy') },
    attachments,
  };
}

const html = (c: Context<AppEnv>, body: string, status: 200 | 201 | 422 = 200) =>
  c.html(page(`${TITLE} / Apply`, body), status);

/** `/apply`: the public application page (第十条（一）（二）), no script, no external asset. */
export const applyPageRoutes = createRouter();

const htmlPage = (description: string) => ({
  description,
  content: { 'text/html': { schema: z.string().openapi({ description: 'A page in Chinese' }) } },
});
const registry = applyPageRoutes.openAPIRegistry;
registry.registerPath({
  method: 'get',
  path: '/apply',
  operationId: 'showApplyPage',
  tags: ['Applications 专家申报'],
  summary: 'The public application form (第十条（一）（二）) / 专家申报页面',
  description: 'The 申报表 with the consent and the proof attachments; posts to /apply.',
  security: [],
  responses: { 200: htmlPage('The form / 申报表') },
});
registry.registerPath({
  method: 'post',
  path: '/apply',
  operationId: 'submitApplyForm',
  tags: ['Applications 专家申报'],
  summary: 'Submit the application form / 提交申报',
  description:
    'multipart/form-data from the page; validated like POST /v1/public/applications (files ' +
    'named file-<kind>). A post from another site is refused (403 problem).',
  security: [],
  request: {
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: z
            .record(z.string(), z.string())
            .openapi({ description: 'The form fields and files (file-identity, file-title, …)' }),
        },
      },
    },
  },
  responses: {
    201: htmlPage('Received / 已受理'),
    403: {
      description: 'Foreign post',
      content: { 'application/problem+json': { schema: problemSchema } },
    },
    422: htmlPage('The form with what to correct / 需修改'),
    429: {
      description: 'Too many',
      content: { 'application/problem+json': { schema: problemSchema } },
    },
  },
});

applyPageRoutes.get('/apply', (c) => html(c, applyForm({})));

applyPageRoutes.post('/apply', async (c) => {
  let form: Form;
  try {
    form = (await c.req.parseBody({ all: true })) as Form;
  } catch {
    form = {};
  }
  const parsed = applicationInputSchema.safeParse(await formToInput(form));
  if (!parsed.success) return html(c, applyForm(form, toFieldErrors(parsed.error)), 422);
  // Text PostgreSQL cannot store (U+0000) is the applicant's error, not the server's.
  const unstorable = findUnstorableString(parsed.data);
  if (unstorable !== null) return html(c, applyForm(form, [unstorable]), 422);
  try {
    const done = await submitApplication(c, parsed.data);
    return html(
      c,
      `<h1>${TITLE}</h1><p id="received"><strong>申报已受理。</strong></p><p>受理编号：<code>${escapeHtml(done.applicationId)}</code>。省应急管理厅将按推荐、审核、公示、公告程序办理（第十条），请保持手机畅通。</p>`,
      201,
    );
  } catch (error) {
    if (error instanceof ProblemError && error.code === 'validation_failed') {
      return html(c, applyForm(form, error.errors ?? []), 422);
    }
    throw error;
  }
});
