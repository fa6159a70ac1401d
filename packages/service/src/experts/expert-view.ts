import { type Expert, expertSchema } from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import type { ExpertLifecycle } from './expert-row.js';

/**
 * An expert as the API returns it. Roles without access to personal data (dispatcher, viewer)
 * get `phone` masked (`138****5678`), no `idNumber` and no `birthDate` — only `birthYear`.
 */
export const expertViewSchema = expertSchema
  .omit({ phone: true, birthDate: true, idNumber: true })
  .extend({
    phone: z.string().openapi({ example: '138****5678' }),
    birthDate: z.string().optional(),
    idNumber: z.string().optional(),
    birthYear: z.number().int(),
    poolAuthorityId: z.string(),
    personalDataMasked: z.boolean(),
    /** Where the selection procedure stands (第十条（三）（四）). */
    selection: z.object({
      reviewApprovedAt: z.string().nullable(),
      publicNotice: z
        .object({
          start: z.string(),
          end: z.string(),
          workingDays: z.number().int(),
          covered: z.boolean(),
          purpose: z.literal('renewal').optional(),
          concludedOn: z.string().optional(),
        })
        .nullable(),
    }),
  })
  .openapi('ExpertView');

export type ExpertView = z.infer<typeof expertViewSchema>;

const NO_LIFECYCLE: ExpertLifecycle = { reviewApprovedAt: null, publicNotice: null };

/**
 * The API view of an expert; `personal` decides whether phone, ID number and birth date are in.
 *
 * @example
 * toExpertView(expert, 'yn', false).phone; // '138****5678'
 */
export function toExpertView(
  expert: Expert,
  poolAuthorityId: string,
  personal: boolean,
  lifecycle: ExpertLifecycle = NO_LIFECYCLE,
): ExpertView {
  const { phone, birthDate, idNumber, ...rest } = expert;
  const selection = {
    reviewApprovedAt: lifecycle.reviewApprovedAt ? lifecycle.reviewApprovedAt.toISOString() : null,
    publicNotice: lifecycle.publicNotice ?? null,
  };
  const base = { ...rest, birthYear: Number(birthDate.slice(0, 4)), poolAuthorityId, selection };
  if (personal) {
    return {
      ...base,
      phone,
      birthDate,
      ...(idNumber === undefined ? {} : { idNumber }),
      personalDataMasked: false,
    };
  }
  return { ...base, phone: maskPhone(phone), personalDataMasked: true };
}

/**
 * Keeps the first 3 and last 4 digits of a phone number.
 *
 * @example
 * maskPhone('13812345678'); // '138****5678'
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 8 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : '****';
}
