import type { Expert } from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';

/**
 * What anyone may see of an active expert (第十九条): who they are professionally, never how to
 * reach them or who they are privately — no phone, ID number, birth date, conflicts,
 * availability, warnings, tasks or panels.
 */
export const publicExpertSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    title: z.string(),
    group: z.string(),
    industries: z.array(z.string()),
    specialties: z.array(z.string()),
    employer: z.object({ name: z.string(), kind: z.string() }),
    region: z.string(),
    term: z.object({ from: z.string(), to: z.string() }).nullable(),
  })
  .openapi('PublicExpert');

export type PublicExpert = z.infer<typeof publicExpertSchema>;

/**
 * The public view of an expert, built field by field so that nothing new on `Expert` can leak.
 *
 * @example
 * toPublicExpert(expert).phone; // undefined — there is no such field
 */
export function toPublicExpert(expert: Expert): PublicExpert {
  return {
    id: expert.id,
    name: expert.name,
    title: expert.title,
    group: expert.group,
    industries: [...expert.industries],
    specialties: [...expert.specialties],
    employer: { name: expert.employer.name, kind: expert.employer.kind },
    region: expert.region,
    term: expert.appointment?.sealed
      ? { from: expert.appointment.from, to: expert.appointment.to }
      : null,
  };
}
