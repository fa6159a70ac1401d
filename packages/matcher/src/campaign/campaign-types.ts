import type { DrawExpert, DrawHistory, Label, RuleSet, Task } from '@expert-dispatch/rules';
import type { PreparedHistory } from '../prepare-history.js';
import type { PreparedPool } from '../prepare-pool.js';
import type { InputProblem, Unmet } from '../select-panel-types.js';

/** How a campaign is planned: the exact optimum, or a sample with per-pair probability caps. */
export type CampaignPolicy = 'optimal' | 'randomized';

/** Everything a campaign plan reads. Validate at the boundary (zod schemas of the rules package). */
export interface PlanCampaignInput {
  readonly tasks: readonly Task[];
  readonly experts: readonly DrawExpert[] | PreparedPool;
  readonly history?: DrawHistory | PreparedHistory;
  readonly now: string | Date;
  readonly ruleSet?: RuleSet;
  readonly policy: CampaignPolicy;
  /** The most tasks one expert (one person) takes in the campaign; an integer ≥ 1. */
  readonly loadCap: number;
  /** For `randomized`: the most any expert's probability of sitting on a given panel, in (0, 1]. */
  readonly probabilityCap?: number;
  readonly seed: string;
  /** Per task id, experts left out of that task only (a declared conflict, a decline). */
  readonly exclude?: Readonly<Record<string, readonly string[]>>;
}

export interface CampaignMember {
  readonly expertId: string;
  readonly role: 'leader' | 'member';
  /** The expert's score for this task (the same score `selectPanel` gives). */
  readonly score: number;
}

export interface CampaignAlternate {
  readonly expertId: string;
  readonly score: number;
  /** Members this alternate can replace without breaking a hard constraint of the campaign. */
  readonly replaces: readonly string[];
}

export interface CampaignTaskPlan {
  readonly taskId: string;
  /** Exactly `task.panelSize`, the leader first. */
  readonly members: readonly CampaignMember[];
  readonly alternates: readonly CampaignAlternate[];
  /** Task specialties no member holds (第十四条: held first where anyone eligible holds them). */
  readonly specialtyGaps: readonly string[];
}

/** Figures of a plan, comparable with drawing the same tasks one by one. */
export interface CampaignTotals {
  readonly seats: number;
  readonly filled: number;
  /** Sum of the members' scores. */
  readonly fit: number;
  /** Task specialties held by a member, of those named. */
  readonly specialtiesCovered: number;
  readonly specialtiesNamed: number;
  readonly maxLoad: number;
  /** Gini of the load over the experts who sit on at least one panel. */
  readonly gini: number | null;
}

export interface CampaignPlanned {
  readonly ok: true;
  readonly plans: readonly CampaignTaskPlan[];
  /** Tasks per expert id, for every expert on some panel. */
  readonly load: Readonly<Record<string, number>>;
  readonly seed: string;
  readonly policy: CampaignPolicy;
  readonly totals: CampaignTotals;
  readonly solver: {
    /** `exact` when every group of overlapping windows overlaps pairwise (see the README). */
    readonly overlapModel: 'exact' | 'conservative';
    readonly pricingRounds: number;
    /** Swaps made after the flow for a leader, an industry or a specialty. */
    readonly repairs: number;
  };
  /** SHA-256 of the canonical input. */
  readonly inputDigest: string;
  /** SHA-256 of the input digest with the plans and loads: equal input, equal plan, equal digest. */
  readonly digest: string;
}

/** A constraint the campaign cannot meet for one task. */
export interface CampaignUnmet {
  readonly taskId: string;
  /** The task's own unmet constraints as `selectPanel` states them, or the campaign's. */
  readonly reasons: readonly (
    | Unmet
    | { readonly constraint: 'campaign-capacity'; readonly article: null; readonly message: Label }
  )[];
}

export interface CampaignInfeasible {
  readonly ok: false;
  readonly code: 'infeasible';
  readonly unmet: readonly CampaignUnmet[];
  readonly seed: string;
  readonly inputDigest: string;
}

export interface CampaignInvalidInput {
  readonly ok: false;
  readonly code: 'invalid_input';
  readonly problems: readonly CampaignInputProblem[];
  readonly seed: string;
}

/** A task's own input problem (as `selectPanel` states it), or one of the campaign's. */
export interface CampaignInputProblem {
  readonly problem: InputProblem['problem'] | 'load-cap' | 'probability-cap' | 'task-repeated';
  readonly taskId?: string;
  readonly expertId?: string;
  readonly message: Label;
  readonly reasons?: InputProblem['reasons'];
}

export type PlanCampaignResult = CampaignPlanned | CampaignInfeasible | CampaignInvalidInput;
