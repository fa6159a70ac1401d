import { z } from 'zod';
import { isIsoDate, toInstant } from '../dates/calendar-date.js';

/** An identifier chosen by the caller: 1–64 visible characters. */
export const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only');

/** A calendar date `YYYY-MM-DD` that exists (Asia/Shanghai). */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine(isIsoDate, 'not a calendar date');

/** An ISO 8601 date-time with an explicit offset or `Z`. */
export const isoDateTimeSchema = z.iso.datetime({ offset: true });

/** A 6-digit administrative division code (GB/T 2260), e.g. `530102` for 五华区. */
export const regionCodeSchema = z
  .string()
  .regex(/^[1-8]\d{5}$/, 'expected a 6-digit GB/T 2260 code');

/** A free specialty tag in snake_case, e.g. `dust_explosion` (专业特长). */
export const specialtySchema = z
  .string()
  .min(2)
  .max(48)
  .regex(/^[a-z][a-z0-9_]*$/, 'expected a snake_case tag');

/** A half-open period `[from, to)` of instants; `to` must be after `from`. */
export const periodSchema = z
  .object({ from: isoDateTimeSchema, to: isoDateTimeSchema })
  .refine((period) => toInstant(period.from) < toInstant(period.to), {
    message: 'to must be after from',
    path: ['to'],
  });

export type Period = z.infer<typeof periodSchema>;
