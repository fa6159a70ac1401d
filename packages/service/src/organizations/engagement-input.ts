import { type Engagement, engagementKinds, idSchema, workDateSchema } from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { engagements } from '../db/schema.js';

/** The body of `POST /v1/organizations/{agencyId}/engagements` (第十六条（一）). */
export const engagementInputSchema = z
  .object({
    /** The enterprise served (服务对象). */
    enterpriseId: idSchema,
    /** design / safety_evaluation / testing / standardization_review / consulting. */
    kind: engagementKinds.schema,
    /** First and last day, both counted. */
    from: workDateSchema,
    to: workDateSchema,
  })
  .strict()
  .refine((input) => input.from <= input.to, {
    message: 'to must not be before from',
    path: ['to'],
  })
  .openapi('EngagementInput');

export type EngagementInput = z.infer<typeof engagementInputSchema>;

/** An engagement as the API shows it, with the kind's zh/en label. */
export const engagementViewSchema = z
  .object({
    id: z.string(),
    agencyId: z.string(),
    enterpriseId: z.string(),
    kind: engagementKinds.schema,
    kindLabel: z.object({ zh: z.string(), en: z.string() }),
    from: z.string(),
    to: z.string(),
    createdAt: z.string(),
  })
  .openapi('Engagement');

export type EngagementView = z.infer<typeof engagementViewSchema>;

/** The view of a stored engagement. */
export function toEngagementView(row: typeof engagements.$inferSelect): EngagementView {
  const kind = row.kind as Engagement['kind'];
  return {
    id: row.id,
    agencyId: row.agencyId,
    enterpriseId: row.enterpriseId,
    kind,
    kindLabel: engagementKinds.labels[kind],
    from: row.from,
    to: row.to,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Every recorded engagement with an enterprise, for a draw to relate the agencies
 * (`relatedByEngagement` applies the rule set's look-back).
 *
 * @example
 * const related = relatedByEngagement(task, await loadEngagements(tx, task.enterprise.id), 3);
 */
export async function loadEngagements(db: Executor, enterpriseId: string): Promise<Engagement[]> {
  const rows = await db
    .select()
    .from(engagements)
    .where(eq(engagements.enterpriseId, enterpriseId))
    .orderBy(asc(engagements.id));
  return rows.map((row) => ({
    id: row.id,
    agencyId: row.agencyId,
    enterpriseId: row.enterpriseId,
    kind: row.kind as Engagement['kind'],
    from: row.from,
    to: row.to,
  }));
}
