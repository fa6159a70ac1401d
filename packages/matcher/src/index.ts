// The public API of @expert-dispatch/matcher, by name.

export type { UnmetConstraint } from './assemble-panel.js';
export type {
  CampaignAlternate,
  CampaignInfeasible,
  CampaignInputProblem,
  CampaignInvalidInput,
  CampaignMember,
  CampaignPlanned,
  CampaignPolicy,
  CampaignTaskPlan,
  CampaignTotals,
  CampaignUnmet,
  PlanCampaignInput,
  PlanCampaignResult,
} from './campaign/campaign-types.js';
export { planCampaign } from './campaign/plan-campaign.js';
export { canonicalJson, type Sha256Stream, sha256Hex, sha256HexWith } from './canonical-json.js';
export type { LeaderCandidate, LeaderChoice } from './choose-leader.js';
export { countHistory } from './count-history.js';
export type { EngagementRecusal } from './engagement-recusals.js';
export {
  EXCLUSION_REASON_KEYS,
  EXCLUSION_REASONS,
  EXCLUSION_REASONS_V2,
  type ExclusionReason,
  type ExclusionReasonKey,
} from './exclusion-reasons.js';
export { type ExclusionExplanation, explainExclusion } from './explain-exclusion.js';
export { giniCoefficient } from './gini-coefficient.js';
export {
  POOL_DIGEST_BLOCK,
  type PoolDigestTree,
  type PoolDigestVersion,
  poolDigest,
  poolDigestTree,
  poolDigestVersionOf,
  recordDigest,
} from './pool-digest.js';
export {
  canReuseCountRows,
  isPreparedHistory,
  type PreparedHistory,
  prepareHistory,
} from './prepare-history.js';
export { isPreparedPool, type PreparedPool, preparePool } from './prepare-pool.js';
export { drawDigest } from './resolve-draw.js';
export type { ScoreComponent, ScoreComponentId } from './score-expert.js';
export { selectPanel } from './select-panel.js';
export type {
  DrawRecord,
  ExclusionGroup,
  Funnel,
  Gaps,
  InputProblem,
  PanelAlternate,
  PanelInfeasible,
  PanelInvalidInput,
  PanelMember,
  PanelSelected,
  PanelShadow,
  Policy,
  SelectPanelInput,
  SelectPanelResult,
  SpecialtyCoverage,
  Unmet,
} from './select-panel-types.js';
export { type GenerateHistoryOptions, generateHistory } from './synthetic/generate-history.js';
export { generateHistoryCounts } from './synthetic/generate-history-counts.js';
export { type GeneratePoolOptions, generatePool } from './synthetic/generate-pool.js';
export { type GenerateTaskOptions, generateTask } from './synthetic/generate-task.js';
export { updatePreparedHistory } from './update-prepared-history.js';
export {
  type PoolChange,
  type PoolUpdateOptions,
  updatePreparedPool,
} from './update-prepared-pool.js';
export { type DrawVerification, verifyDraw } from './verify-draw.js';
