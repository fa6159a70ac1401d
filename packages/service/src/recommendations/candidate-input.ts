import { z } from '@hono/zod-openapi';
import { expertInputSchema } from '../experts/expert-input.js';

/**
 * An organisation's candidate (第二十一条（一）, 第二十二条): the person's professional and
 * contact fields as on the 申报表. The employer is the recommending organisation, and the pool,
 * state and appointment are not the recommender's to say: they are set by the service.
 */
export const candidateSchema = expertInputSchema
  .pick({
    name: true,
    birthDate: true,
    phone: true,
    idNumber: true,
    title: true,
    safetyEngineer: true,
    practiceYears: true,
    region: true,
    group: true,
    industries: true,
    specialties: true,
  })
  .strict()
  .openapi('RecommendationCandidate');

export type Candidate = z.infer<typeof candidateSchema>;

export const candidateRecommendationSchema = z
  .object({
    candidate: candidateSchema,
    reason: z.string().trim().min(1).max(500).openapi({ description: 'Why / 理由' }),
  })
  .strict()
  .openapi('CandidateRecommendationInput');

export type CandidateRecommendationInput = z.infer<typeof candidateRecommendationSchema>;
