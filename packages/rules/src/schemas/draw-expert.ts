import type { z } from 'zod';
import { expertSchema } from './expert.js';
import { idSchema } from './primitives.js';

/**
 * An expert as a draw reads it: the expert record plus an optional `personId`, an opaque key
 * shared by the records of one person. A person may hold a record in the provincial pool and
 * one in a city or county pool (第二十一条（一）: local experts are recommended upward and keep
 * their local record; 第二十六条: local pools are built on these measures). The draw seats a
 * person once and treats a booking of any of their records as a booking of the person.
 *
 * `personId` is set by the service from its own records when a draw loads the pool; it is not
 * part of `expertSchema`, so no expert input derived from that schema can set it. A record
 * without `personId` is a person of its own, so a pool stored before the field existed replays
 * exactly as it was drawn. It is never personal data (no ID number, nor a hash of one).
 *
 * @example
 * drawExpertSchema.parse({ ...expert, personId: 'e-0007' }).personId; // 'e-0007'
 * drawExpertSchema.parse(expert).personId; // undefined: the record is its own person
 */
export const drawExpertSchema = expertSchema.extend({ personId: idSchema.optional() });

export type DrawExpert = z.infer<typeof drawExpertSchema>;
