import { z } from '@hono/zod-openapi';

const memberSchema = z.object({ expertId: z.string(), role: z.enum(['leader', 'member']) });
const loadSchema = z.record(z.string(), z.number().int());

/** The answer of `POST /v1/campaigns`: the plan, each task's draw, the load and the totals. */
export const campaignCreatedSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    policy: z.enum(['optimal', 'randomized']),
    loadCap: z.number().int(),
    seed: z.string(),
    seedSource: z.enum(['service', 'caller']),
    digest: z.string(),
    inputDigest: z.string(),
    tasks: z.array(
      z.object({
        taskId: z.string(),
        drawId: z.string(),
        members: z.array(memberSchema),
        specialtyGaps: z.array(z.string()),
      }),
    ),
    load: loadSchema,
    totals: z.object({
      seats: z.number().int(),
      filled: z.number().int(),
      fit: z.number(),
      specialtiesCovered: z.number().int(),
      specialtiesNamed: z.number().int(),
      maxLoad: z.number().int(),
      gini: z.number().nullable(),
    }),
    createdAt: z.string(),
  })
  .openapi('CampaignCreated');

const figuresSchema = z.object({
  seats: z.number().int(),
  filled: z.number().int(),
  fit: z.number(),
  specialtiesCovered: z.number().int(),
  specialtiesNamed: z.number().int(),
  maxLoad: z.number().int(),
  gini: z.number().nullable(),
  load: loadSchema,
  unstaffed: z.array(z.string()),
});

/** `GET /v1/campaigns/{id}`: the plan and the seats now, beside drawing the tasks one by one. */
export const campaignViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    policy: z.enum(['optimal', 'randomized']),
    loadCap: z.number().int(),
    seed: z.string(),
    digest: z.string(),
    inputDigest: z.string(),
    createdAt: z.string(),
    tasks: z.array(
      z.object({
        taskId: z.string(),
        status: z.string(),
        drawId: z.string().nullable(),
        planned: z.array(memberSchema),
        accepted: z.number().int(),
        invited: z.number().int(),
      }),
    ),
    plan: figuresSchema.openapi({ description: 'The campaign plan / 专项统筹方案' }),
    current: z
      .object({
        holding: z.number().int(),
        load: loadSchema,
        maxLoad: z.number().int(),
        gini: z.number().nullable(),
      })
      .openapi({ description: 'Seats held now, after declines and backfills / 当前在组' }),
    oneByOne: figuresSchema.openapi({
      description:
        'Drawing the same tasks one by one, as POST /v1/tasks would (lottery, each task’s seed ' +
        'derived from the campaign’s, each draw seeing the bookings of those before it), ' +
        'computed once at creation from the stored input and seed; GET /v1/campaigns/{id}/verify ' +
        'replays it / 逐项抽取对照（创建时计算并保存，可复核）',
    }),
  })
  .openapi('CampaignView');

/** `GET /v1/campaigns/{id}/verify`. */
export const campaignVerificationSchema = z
  .object({
    campaignId: z.string(),
    ok: z.boolean(),
    digest: z.string().nullable(),
    recordedDigest: z.string(),
    inputDigestMatches: z.boolean(),
    oneByOneMatches: z
      .boolean()
      .nullable()
      .openapi({
        description:
          'Whether replaying the one-by-one comparison gives the one stored at creation; null for ' +
          'a campaign stored before the comparison was kept / 逐项抽取对照复核',
      }),
  })
  .openapi('CampaignVerification');
