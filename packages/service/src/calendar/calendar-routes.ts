import { isoDateSchema, parseCalendarYear } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { requireRole } from '../access/authenticate.js';
import { appendAudit } from '../audit/append-audit.js';
import { workingCalendarYears } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import { createRouter } from '../http/create-router.js';
import { toFieldErrors } from '../http/field-errors.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import { forgetWorkingCalendar } from './working-calendar.js';

const TAGS = ['Calendar 工作日历'];

const yearParams = z.object({
  year: z
    .string()
    .regex(/^(19\d\d|2[01]\d\d|2200)$/, 'expected a year from 1900 to 2200')
    .openapi({ param: { name: 'year', in: 'path' }, example: '2027' }),
});

const calendarYearBodySchema = z
  .object({
    holidays: z
      .array(isoDateSchema)
      .max(366)
      .openapi({
        description: 'Every day off of the year’s arrangement (放假), weekends included / 放假日期',
        example: ['2027-01-01'],
      }),
    makeupWorkdays: z
      .array(isoDateSchema)
      .max(366)
      .openapi({
        description: 'Weekend days worked instead (调休上班) / 调休上班日期',
        example: ['2027-02-06'],
      }),
    reason: z.string().trim().min(1).max(500).optional().openapi({
      description: 'Why / 理由, e.g. the State Council notice / 国务院办公厅通知文号',
    }),
  })
  .strict()
  .openapi('CalendarYearInput');

const calendarYearViewSchema = z
  .object({
    year: z.number().int(),
    holidays: z.array(z.string()),
    makeupWorkdays: z.array(z.string()),
    source: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi('CalendarYear');

const getRoute = createRoute({
  method: 'get',
  path: '/v1/calendar/{year}',
  operationId: 'getCalendarYear',
  tags: TAGS,
  summary: 'One year of the working-day calendar (第十条（四）) / 查询年度工作日历',
  description:
    'The holidays and make-up working days (放假调休) the working-day computations use for the ' +
    'year; 404 when the year has not been loaded.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin', 'dispatcher', 'auditor', 'viewer')] as const,
  request: { params: yearParams },
  responses: {
    200: json(calendarYearViewSchema, 'The year as stored'),
    ...problems(401, 403, 404, 422),
  },
});

const putRoute = createRoute({
  method: 'put',
  path: '/v1/calendar/{year}',
  operationId: 'replaceCalendarYear',
  tags: TAGS,
  summary: 'Load a year of holidays and make-up working days (第十条（四）) / 载入年度工作日历',
  description:
    'A provincial admin loads the State Council’s arrangement for a year, the field names of ' +
    '`workingDayCalendarSchema`. Every date must lie in that year, none twice, and make-up ' +
    'working days fall on weekends; a refusal names the bad entry (`holidays.3`). The change ' +
    'is audited and used by every working-day computation of every process within seconds. A ' +
    'computation reaching a year not loaded answers 422 `calendar_year_unknown`.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { params: yearParams, body: jsonBody(calendarYearBodySchema) },
  responses: {
    200: json(calendarYearViewSchema, 'The year now in force'),
    ...problems(400, 401, 403, 413, 415, 422),
  },
});

/** `GET|PUT /v1/calendar/{year}`: the working-day calendar as data (第十条（四）). */
export const calendarRoutes = createRouter();

calendarRoutes.openapi(getRoute, async (c) => {
  const year = Number(c.req.valid('param').year);
  const [row] = await c.var.db
    .select()
    .from(workingCalendarYears)
    .where(eq(workingCalendarYears.year, year));
  if (row === undefined) {
    throw new ProblemError('not_found', {
      zh: `尚未载入${year}年的工作日历`,
      en: `the calendar of ${year} has not been loaded`,
    });
  }
  return c.json(toView(row), 200);
});

calendarRoutes.openapi(putRoute, async (c) => {
  const year = Number(c.req.valid('param').year);
  const { holidays, makeupWorkdays, reason } = c.req.valid('json');
  const principal = c.var.principal;
  if (principal.tier !== 'province') {
    throw new ProblemError('forbidden', {
      zh: '工作日历由省级管理员维护',
      en: 'only a provincial admin maintains the working-day calendar',
    });
  }
  const parsed = parseCalendarYear(year, { holidays, makeupWorkdays });
  if (!parsed.success) {
    throw new ProblemError(
      'validation_failed',
      {
        zh: `${year}年工作日历有误：日期须在该年内、不得重复，调休上班日须为周末`,
        en: `the ${year} calendar is invalid: dates within the year, none twice, make-up days on weekends`,
      },
      { errors: toFieldErrors(parsed.error) },
    );
  }
  const sorted = { holidays: [...holidays].sort(), makeupWorkdays: [...makeupWorkdays].sort() };
  const { services, db } = c.var;
  const now = services.now();
  const row = await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(workingCalendarYears)
      .where(eq(workingCalendarYears.year, year))
      .for('update');
    const values = { ...sorted, source: null, updatedAt: now, updatedBy: principal.keyId };
    const [written] = await tx
      .insert(workingCalendarYears)
      .values({ year, ...values })
      .onConflictDoUpdate({ target: workingCalendarYears.year, set: values })
      .returning();
    await appendAudit(
      tx,
      {
        actor: { keyId: principal.keyId, authorityId: principal.authorityId },
        action: 'calendar.year_set',
        entityType: 'calendar_year',
        entityId: String(year),
        reason: reason ?? null,
        before: before
          ? { holidays: before.holidays, makeupWorkdays: before.makeupWorkdays }
          : null,
        after: sorted,
      },
      now,
    );
    return written;
  });
  forgetWorkingCalendar(services.db);
  if (row === undefined) throw new Error('the calendar year was not written');
  return c.json(toView(row), 200);
});

function toView(row: typeof workingCalendarYears.$inferSelect) {
  return {
    year: row.year,
    holidays: row.holidays,
    makeupWorkdays: row.makeupWorkdays,
    source: row.source,
    updatedAt: row.updatedAt.toISOString(),
  };
}
