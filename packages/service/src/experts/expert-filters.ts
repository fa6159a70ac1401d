import {
  expertStates,
  groups,
  industries,
  regionCodeSchema,
  specialtySchema,
} from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import { and, eq, ilike, or, type SQL, sql } from 'drizzle-orm';
import { experts } from '../db/schema.js';
import type { Principal } from '../http/app-env.js';
import { visibleExperts } from './pool-scope.js';

/** Filters of `GET /v1/experts` and `GET /v1/experts/export`. */
export const expertFiltersSchema = z.object({
  group: groups.schema.optional(),
  industry: industries.schema.optional(),
  specialty: specialtySchema.optional(),
  region: regionCodeSchema.optional().openapi({
    description:
      'GB/T 2260 code; 530000 matches the whole province, 530100 the whole city, 530102 one county',
  }),
  status: expertStates.schema.optional(),
  q: z.string().trim().min(1).max(100).optional().openapi({
    description: 'Text search in the name and the employer name (case-insensitive substring)',
  }),
});

export type ExpertFilters = z.infer<typeof expertFiltersSchema>;

/**
 * The SQL condition of the filters within the caller's visible pools, after `afterId`.
 *
 * @example
 * db.select().from(experts).where(expertFilterCondition(principal, { industry: 'tobacco' }));
 */
export function expertFilterCondition(
  principal: Principal,
  filters: ExpertFilters,
  afterId?: string,
): SQL {
  return and(visibleExperts(principal), ...filterConditions(filters, afterId)) as SQL;
}

/**
 * The conditions of the filters alone, after `afterId`, for callers that scope the pool
 * themselves (the public query of 第十九条).
 */
export function filterConditions(filters: ExpertFilters, afterId?: string): SQL[] {
  const conditions: SQL[] = [];
  if (filters.group) conditions.push(eq(experts.group, filters.group));
  if (filters.status) conditions.push(eq(experts.status, filters.status));
  if (filters.industry) {
    conditions.push(sql`${experts.industries} @> ${JSON.stringify([filters.industry])}::jsonb`);
  }
  if (filters.specialty) {
    conditions.push(sql`${experts.specialties} @> ${JSON.stringify([filters.specialty])}::jsonb`);
  }
  if (filters.region) conditions.push(regionCondition(filters.region));
  if (filters.q) {
    const pattern = `%${escapeLike(filters.q)}%`;
    conditions.push(or(ilike(experts.name, pattern), ilike(experts.employerName, pattern)) as SQL);
  }
  if (afterId !== undefined) conditions.push(sql`${experts.id} collate "C" > ${afterId}`);
  return conditions;
}

// GB/T 2260: XX0000 is a province, XXYY00 a city; their codes cover every code beneath.
function regionCondition(region: string): SQL {
  if (region.endsWith('0000')) return sql`${experts.region} like ${`${region.slice(0, 2)}%`}`;
  if (region.endsWith('00')) return sql`${experts.region} like ${`${region.slice(0, 4)}%`}`;
  return eq(experts.region, region);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** Ids in byte order (collation "C"), the same on PostgreSQL and PGlite whatever the locale. */
export const EXPERT_ORDER = sql`${experts.id} collate "C"`;
