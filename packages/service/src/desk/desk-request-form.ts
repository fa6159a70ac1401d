import {
  industries,
  isWorkingDay,
  relatedOrganizationRoles,
  taskTypes,
  type WorkingDayCalendar,
  wideningSteps,
} from '@expert-dispatch/rules';
import type { FieldError } from '../errors.js';
import { toFieldErrors } from '../http/field-errors.js';
import { type TaskRequest, taskRequestSchema } from '../tasks/task-request.js';
import { type DeskLang, escapeHtml, t } from './desk-layout.js';

/** An organisation of the register, as the form offers it. */
export interface OrganizationChoice {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly region: string | null;
}

/** The form's fields as posted (strings, and arrays for the repeated ones). */
export type DeskForm = Record<string, string | File | (string | File)[]>;

/** Rows offered for related organisations (第十六条（一）); recorded engagements add more at the draw. */
export const RELATED_ROWS = 3;

const text = (form: DeskForm, name: string): string => {
  const value = form[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
};

const list = (form: DeskForm, name: string): string[] => {
  const value = form[name];
  const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return all.filter((v): v is string => typeof v === 'string' && v !== '');
};

/** `2026-12-10T09:00` from a datetime-local field, read as Beijing time. */
const beijing = (value: string): string =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00+08:00` : value;

const integer = (value: string): number | undefined =>
  /^\d{1,3}$/.test(value) ? Number(value) : undefined;

/**
 * The TaskRequest a desk form stands for, checked by the API's own schema (the same body
 * `POST /v1/tasks` takes), or its field errors.
 *
 * @example
 * const parsed = taskRequestOfForm(form, organizations, '530100');
 * if (parsed.ok) await requestPanel(services, principal, parsed.request, key);
 */
export function taskRequestOfForm(
  form: DeskForm,
  organizations: readonly OrganizationChoice[],
  defaultRegion: string,
): { ok: true; request: TaskRequest } | { ok: false; errors: FieldError[] } {
  const enterprise = organizations.find((o) => o.id === text(form, 'enterprise'));
  const related = Array.from({ length: RELATED_ROWS }, (_, i) => ({
    id: text(form, `related${i}`),
    role: text(form, `relatedRole${i}`),
  })).filter((row) => row.id !== '');
  const cap = text(form, 'cap');
  const body = {
    type: text(form, 'type'),
    industries: list(form, 'industries'),
    specialties: text(form, 'specialties')
      .split(/[,，、\s]+/)
      .filter((s) => s !== ''),
    enterprise:
      enterprise === undefined
        ? undefined
        : {
            id: enterprise.id,
            name: enterprise.name,
            region: enterprise.region ?? defaultRegion,
          },
    relatedOrganizations: related,
    ...(list(form, 'widen').length === 0 ? {} : { widen: list(form, 'widen') }),
    window: { from: beijing(text(form, 'from')), to: beijing(text(form, 'to')) },
    panelSize: integer(text(form, 'panelSize')),
    alternates: integer(text(form, 'alternates')) ?? 0,
    policy: text(form, 'policy') || 'lottery',
    ...(cap === '' ? {} : { cap: Number(cap) }),
  };
  const parsed = taskRequestSchema.safeParse(body);
  return parsed.success
    ? { ok: true, request: parsed.data }
    : { ok: false, errors: toFieldErrors(parsed.error) };
}

const selected = (on: boolean) => (on ? ' selected' : '');

/**
 * The task fields of the request form, filled from what was posted (or empty).
 *
 * @example
 * `<form method="post">${requestFields('zh', form, organizations)}</form>`
 */
export function requestFields(
  lang: DeskLang,
  form: DeskForm,
  organizations: readonly OrganizationChoice[],
): string {
  const chosen = new Set(list(form, 'industries'));
  const type = text(form, 'type');
  const enterprise = text(form, 'enterprise');
  const orgOptions = (value: string, kinds?: readonly string[]) =>
    organizations
      .filter((o) => kinds === undefined || kinds.includes(o.kind))
      .map(
        (o) =>
          `<option value="${escapeHtml(o.id)}"${selected(o.id === value)}>${escapeHtml(o.name)}</option>`,
      )
      .join('');
  const relatedRows = Array.from({ length: RELATED_ROWS }, (_, i) => {
    const role = text(form, `relatedRole${i}`);
    return `<div class="grid"><div><label for="related${i}">${t(lang, { zh: `关联单位 ${i + 1}`, en: `Related organisation ${i + 1}` })}</label><select id="related${i}" name="related${i}"><option value="">—</option>${orgOptions(text(form, `related${i}`))}</select></div><div><label for="relatedRole${i}">${t(lang, { zh: '关联方式', en: 'Relation' })}</label><select id="relatedRole${i}" name="relatedRole${i}">${relatedOrganizationRoles.values
      .map(
        (v) =>
          `<option value="${v}"${selected(v === role)}>${escapeHtml(t(lang, relatedOrganizationRoles.labels[v]))}</option>`,
      )
      .join('')}</select></div></div>`;
  }).join('');
  const policy = text(form, 'policy') || 'lottery';
  const widen = new Set(list(form, 'widen'));
  return (
    `<fieldset><legend>${t(lang, { zh: '任务', en: 'Task' })}</legend><div class="grid">` +
    `<div><label for="type">${t(lang, { zh: '任务类型', en: 'Task type' })}</label><select id="type" name="type" required>${taskTypes.values
      .map(
        (v) =>
          `<option value="${v}"${selected(v === type)}>${escapeHtml(t(lang, taskTypes.labels[v]))}</option>`,
      )
      .join('')}</select></div>` +
    `<div><label for="enterprise">${t(lang, { zh: '服务对象（单位名录）', en: 'Enterprise (organisation register)' })}</label><select id="enterprise" name="enterprise" required><option value="">—</option>${orgOptions(enterprise)}</select></div>` +
    `</div><fieldset><legend>${t(lang, { zh: '行业（至少一项）', en: 'Industries (at least one)' })}</legend><div class="grid">${industries.values
      .map(
        (v) =>
          `<label class="choice"><input type="checkbox" name="industries" value="${v}"${chosen.has(v) ? ' checked' : ''}> ${escapeHtml(t(lang, industries.labels[v]))}</label>`,
      )
      .join('')}</div></fieldset>` +
    `<label for="specialties">${t(lang, { zh: '专业特长（英文标签，逗号分隔，可空）', en: 'Specialties (tags, comma separated, optional)' })}</label><input type="text" id="specialties" name="specialties" value="${escapeHtml(text(form, 'specialties'))}" placeholder="dust_explosion">` +
    `</fieldset><fieldset><legend>${t(lang, { zh: '关联单位（第十六条（一）；已登记的往来业务在抽取时自动加入）', en: 'Related organisations (第十六条（一）; recorded engagements are added at the draw)' })}</legend>${relatedRows}</fieldset>` +
    `<fieldset><legend>${t(lang, { zh: '时间与人数', en: 'Window and panel' })}</legend><div class="grid">` +
    `<div><label for="from">${t(lang, { zh: '开始（北京时间）', en: 'From (Beijing time)' })}</label><input type="datetime-local" id="from" name="from" required value="${escapeHtml(text(form, 'from'))}"></div>` +
    `<div><label for="to">${t(lang, { zh: '结束（北京时间）', en: 'To (Beijing time)' })}</label><input type="datetime-local" id="to" name="to" required value="${escapeHtml(text(form, 'to'))}"></div>` +
    `<div><label for="panelSize">${t(lang, { zh: '专家组人数', en: 'Panel size' })}</label><input type="number" id="panelSize" name="panelSize" min="1" max="30" required value="${escapeHtml(text(form, 'panelSize') || '3')}"></div>` +
    `<div><label for="alternates">${t(lang, { zh: '备选人数', en: 'Alternates' })}</label><input type="number" id="alternates" name="alternates" min="0" max="30" value="${escapeHtml(text(form, 'alternates') || '2')}"></div>` +
    `<div><label for="policy">${t(lang, { zh: '抽取方式', en: 'Policy' })}</label><select id="policy" name="policy">${(
      [
        ['lottery', { zh: '随机抽取', en: 'Lottery' }],
        ['capped', { zh: '限概率随机', en: 'Capped lottery' }],
        ['best', { zh: '择优', en: 'Best score' }],
      ] as const
    )
      .map(
        ([v, l]) =>
          `<option value="${v}"${selected(v === policy)}>${escapeHtml(t(lang, l))}</option>`,
      )
      .join('')}</select></div>` +
    `<div><label for="cap">${t(lang, { zh: '概率上限（限概率随机时填写，0–1）', en: 'Cap (capped lottery, 0–1)' })}</label><input type="text" inputmode="decimal" id="cap" name="cap" value="${escapeHtml(text(form, 'cap'))}"></div>` +
    '</div></fieldset>' +
    `<fieldset><legend>${t(lang, { zh: '扩大抽取范围（异地抽取，本厅规定：按规则集顺序逐级勾选）', en: 'Widening (local policy: tick the rule set’s steps in order)' })}</legend>${wideningSteps.values
      .map(
        (v) =>
          `<label class="choice"><input type="checkbox" name="widen" value="${v}"${widen.has(v) ? ' checked' : ''}> ${escapeHtml(t(lang, wideningSteps.labels[v]))}</label>`,
      )
      .join('')}</fieldset>`
  );
}

/**
 * The next weeks as a small calendar, working days marked (from the service's working-day
 * calendar, so that 调休 and holidays show as public notices count them, 第十条（四）). A year
 * the calendar does not list is marked unknown and named, never guessed from weekends.
 *
 * @example
 * workingDaysHint('zh', calendar, '2026-12-02', 28);
 */
export function workingDaysHint(
  lang: DeskLang,
  calendar: WorkingDayCalendar,
  today: string,
  days: number,
): string {
  const start = new Date(`${today}T00:00:00Z`);
  const cells: string[] = [];
  const unknownYears = new Set<string>();
  // Start on Monday so that the columns are weekdays.
  const offset = (start.getUTCDay() + 6) % 7;
  for (let i = 0; i < offset; i++) cells.push('<td></td>');
  for (let i = 0; i < days; i++) {
    const day = new Date(start.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    let working: boolean | undefined;
    try {
      working = isWorkingDay(day, calendar);
    } catch {
      working = undefined;
      unknownYears.add(day.slice(0, 4));
    }
    const mark =
      working === undefined
        ? t(lang, { zh: '未知', en: 'unknown' })
        : working
          ? t(lang, { zh: '工作日', en: 'working' })
          : t(lang, { zh: '休', en: 'off' });
    cells.push(
      `<td class="${working === false ? 'off' : ''}"><span>${day.slice(5)}</span> <small>${mark}</small></td>`,
    );
  }
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += 7) rows.push(`<tr>${cells.slice(i, i + 7).join('')}</tr>`);
  const head = (
    lang === 'en'
      ? ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
      : ['一', '二', '三', '四', '五', '六', '日']
  )
    .map((d) => `<th scope="col">${d}</th>`)
    .join('');
  const missing = [...unknownYears]
    .map((year) =>
      t(lang, {
        zh: `尚未载入${year}年的节假日安排，该年工作日未知（省级管理员通过 PUT /v1/calendar/${year} 载入）`,
        en: `no holidays loaded for ${year}: its working days are unknown (a provincial admin loads them with PUT /v1/calendar/${year})`,
      }),
    )
    .map((text) => `<p class="flag calendar-missing">${escapeHtml(text)}</p>`)
    .join('');
  return `<details${missing === '' ? '' : ' open'}><summary>${t(lang, { zh: '工作日日历（放假调休安排，公示期按工作日计算）', en: 'Working days (holidays and make-up days; public notices count working days)' })}</summary>${missing}<div class="scroll"><table class="calendar"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div></details>`;
}
