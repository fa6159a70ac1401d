import {
  type Expert,
  employerKinds,
  groups,
  industries,
  type Label,
  titles,
} from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import { cityNameOf } from '../dispatch/invitation-message.js';
import { specialtyZh } from '../experts/specialty-label.js';

const labelSchema = z.object({ zh: z.string(), en: z.string() });

/**
 * What anyone may see of an active expert (第十九条): who they are professionally, never how to
 * reach them or who they are privately — no phone, ID number, birth date, conflicts,
 * availability, warnings, tasks or panels. Codes come with their Chinese labels, for the public.
 */
export const publicExpertSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    title: z.string(),
    /** 职称 in Chinese (and English) beside the code. */
    titleLabel: labelSchema,
    group: z.string(),
    groupLabel: labelSchema,
    industries: z.array(z.string()),
    industryLabels: z.array(labelSchema),
    specialties: z.array(z.string()),
    /** The specialties' Chinese names (the glossary's for common tags, else the tag). */
    specialtyNames: z.array(z.string()),
    employer: z.object({ name: z.string(), kind: z.string(), kindLabel: labelSchema }),
    region: z.string(),
    /** The city (州、市) of the region, in Chinese. */
    regionName: z.string(),
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
    titleLabel: copy(titles.labels[expert.title]),
    group: expert.group,
    groupLabel: copy(groups.labels[expert.group]),
    industries: [...expert.industries],
    industryLabels: expert.industries.map((industry) => copy(industries.labels[industry])),
    specialties: [...expert.specialties],
    specialtyNames: expert.specialties.map(specialtyZh),
    employer: {
      name: expert.employer.name,
      kind: expert.employer.kind,
      kindLabel: copy(employerKinds.labels[expert.employer.kind]),
    },
    region: expert.region,
    regionName: cityNameOf(expert.region),
    term: expert.appointment?.sealed
      ? { from: expert.appointment.from, to: expert.appointment.to }
      : null,
  };
}

function copy(label: Label): Label {
  return { zh: label.zh, en: label.en };
}
