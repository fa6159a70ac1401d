import type { Label } from '@expert-dispatch/rules';
import { hasActiveWarning, isProfileStale } from './conduct-signals.js';
import type { ScoringContext } from './scoring-context.js';

/** The components of a score, in the order the breakdown lists them. */
export type ScoreComponentId =
  | 'specialty'
  | 'directIndustry'
  | 'reliability'
  | 'quality'
  | 'fairShare'
  | 'staleProfile'
  | 'warning';

/** One line of a score's breakdown: value in [0, 1], its weight, and the points it adds. */
export interface ScoreComponent {
  readonly component: ScoreComponentId;
  /** The article the component applies; null for fair share, a policy of the rule set. */
  readonly article: string | null;
  readonly label: Label;
  readonly value: number;
  readonly weight: number;
  /** `weight × value`, negative for the two penalties. */
  readonly points: number;
}

const COMPONENTS: Readonly<Record<ScoreComponentId, { article: string | null; label: Label }>> = {
  specialty: { article: '第十四条', label: { zh: '专业特长匹配度', en: 'specialty fit' } },
  directIndustry: {
    article: '第十四条',
    label: { zh: '本行业直接对口（非综合组兼任）', en: 'direct industry match' },
  },
  reliability: {
    article: '第十五条',
    label: { zh: '响应与出勤', en: 'acceptance and attendance' },
  },
  quality: { article: '第二十条（二）', label: { zh: '服务评价', en: 'service quality rating' } },
  fairShare: { article: null, label: { zh: '任务均衡（近期少派优先）', en: 'fair share of work' } },
  staleProfile: {
    article: '第八条（一）',
    label: { zh: '个人信息逾期未更新', en: 'profile not updated in time' },
  },
  warning: {
    article: '第二十三条（一）',
    label: { zh: '无正当理由拒绝或超时的警示', en: 'active warning for unjustified refusals' },
  },
};

/** Bits of the task's specialties the expert holds. */
export function specialtyMaskOf(context: ScoringContext, index: number): number {
  const { specialtyStart, specialtyIds } = context.pool;
  let mask = 0;
  for (let k = specialtyStart[index] as number; k < (specialtyStart[index + 1] as number); k++) {
    mask |= context.specialtyBit[specialtyIds[k] as number] as number;
  }
  return mask;
}

/** Share of the task's specialties the expert has (第十四条); 1 when the task names none. */
export function specialtyFit(context: ScoringContext, index: number): number {
  if (context.specialtyCount === 0) return 1;
  return popcount(specialtyMaskOf(context, index)) / context.specialtyCount;
}

/** Share of the task's industries the expert lists directly, not through the comprehensive group. */
export function directIndustryShare(context: ScoringContext, index: number): number {
  return (
    popcount((context.pool.industryMask[index] as number) & context.industryMask) /
    context.industryCount
  );
}

/**
 * Acceptance and attendance over the lookback years (第十五条), smoothed toward the prior rate:
 * `(good + rate × weight) / (good + bad + weight)`, so a newcomer scores the prior.
 */
export function reliability(context: ScoringContext, index: number): number {
  const { invitationStart, invitationDay, invitationGood, invitationBad } = context.history;
  let good = 0;
  let bad = 0;
  for (let k = invitationStart[index] as number; k < (invitationStart[index + 1] as number); k++) {
    const day = invitationDay[k] as number;
    if (day > context.reliabilityAfter && day <= context.today) {
      good += invitationGood[k] as number;
      bad += invitationBad[k] as number;
    }
  }
  const prior = context.ruleSet.scoring.reliabilityPrior;
  const denominator = good + bad + prior.weight;
  return denominator === 0 ? prior.rate : (good + prior.rate * prior.weight) / denominator;
}

/** The smoothed average rating up to today (第二十条（二）), mapped from 1–5 onto 0–1. */
export function quality(context: ScoringContext, index: number): number {
  return (averageRating(context, index) - 1) / 4;
}

/** The smoothed average rating on the 1–5 scale; the prior mean for an expert without ratings. */
export function averageRating(context: ScoringContext, index: number): number {
  const { ratingStart, ratingDay, ratingCount, ratingSum } = context.history;
  let sum = 0;
  let count = 0;
  for (let k = ratingStart[index] as number; k < (ratingStart[index + 1] as number); k++) {
    if ((ratingDay[k] as number) <= context.today) {
      sum += ratingSum[k] as number;
      count += ratingCount[k] as number;
    }
  }
  const prior = context.ruleSet.scoring.qualityPrior;
  const denominator = count + prior.weight;
  return denominator === 0 ? prior.mean : (sum + prior.mean * prior.weight) / denominator;
}

/** Accepted invitations within the fair-share lookback days. */
export function recentAssignments(context: ScoringContext, index: number): number {
  const { invitationStart, invitationDay, invitationAssigned } = context.history;
  const lookback = context.ruleSet.scoring.fairShareLookbackDays;
  let count = 0;
  for (let k = invitationStart[index] as number; k < (invitationStart[index + 1] as number); k++) {
    const age = context.today - (invitationDay[k] as number);
    if (age >= 0 && age < lookback) count += invitationAssigned[k] as number;
  }
  return count;
}

/** Fewer recent assignments rank higher: `1 / (1 + assignments)`. */
export function fairShare(context: ScoringContext, index: number): number {
  return 1 / (1 + recentAssignments(context, index));
}

/**
 * The points that depend on the expert, the history and the day but not on the task:
 * reliability, quality and fair share, less the penalties. Memoized per day and scoring
 * parameters in the prepared history, so that repeated draws on the same day read them back.
 */
export function standingPoints(context: ScoringContext, index: number): number {
  const cached = context.standing[index] as number;
  if (!Number.isNaN(cached)) return cached;
  const { weights, penalties } = context.ruleSet.scoring;
  let points =
    weights.reliability * reliability(context, index) +
    weights.quality * quality(context, index) +
    weights.fairShare * fairShare(context, index);
  if (isProfileStale(context, index)) points -= penalties.staleProfile;
  if (hasActiveWarning(context, index)) points -= penalties.warning;
  context.standing[index] = points;
  return points;
}

/** The total score without building the breakdown: the hot path of every draw. */
export function totalScore(context: ScoringContext, index: number): number {
  const { weights } = context.ruleSet.scoring;
  return (
    weights.specialty * specialtyFit(context, index) +
    weights.directIndustry * directIndustryShare(context, index) +
    standingPoints(context, index)
  );
}

/**
 * Every component of an expert's score with its article; the points sum to `totalScore`.
 *
 * @example
 * breakdownOf(context, 0).map((c) => c.component); // ['specialty', 'directIndustry', …]
 */
export function breakdownOf(context: ScoringContext, index: number): ScoreComponent[] {
  const { weights, penalties } = context.ruleSet.scoring;
  const line = (component: ScoreComponentId, value: number, weight: number): ScoreComponent => ({
    component,
    ...COMPONENTS[component],
    value,
    weight,
    points: weight * value,
  });
  const penalty = (component: ScoreComponentId, applies: boolean, weight: number) => ({
    component,
    ...COMPONENTS[component],
    value: applies ? 1 : 0,
    weight,
    points: applies ? -weight : 0,
  });
  return [
    line('specialty', specialtyFit(context, index), weights.specialty),
    line('directIndustry', directIndustryShare(context, index), weights.directIndustry),
    line('reliability', reliability(context, index), weights.reliability),
    line('quality', quality(context, index), weights.quality),
    line('fairShare', fairShare(context, index), weights.fairShare),
    penalty('staleProfile', isProfileStale(context, index), penalties.staleProfile),
    penalty('warning', hasActiveWarning(context, index), penalties.warning),
  ];
}

/** Number of set bits of a 32-bit integer. */
export function popcount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) as number;
}
