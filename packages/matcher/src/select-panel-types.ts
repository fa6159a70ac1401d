import type {
  DispatchRuleId,
  DrawExpert,
  DrawHistory,
  Industry,
  Label,
  RuleOutcome,
  RuleSet,
  Task,
} from '@expert-dispatch/rules';
import type { LeaderChoice } from './choose-leader.js';
import type { EngagementRecusal } from './engagement-recusals.js';
import type { ExclusionReason, ExclusionReasonKey } from './exclusion-reasons.js';
import type { PreparedHistory } from './prepare-history.js';
import type { PreparedPool } from './prepare-pool.js';
import type { ScoreComponent } from './score-expert.js';

/** How the panel is drawn from the eligible experts. */
export type Policy = 'best' | 'lottery' | 'capped';

/** Everything a draw reads. Validate at the boundary (zod schemas of the rules package). */
export interface SelectPanelInput {
  readonly task: Task;
  /** The pool as expert JSON, or prepared once with `preparePool` and reused. */
  readonly experts: readonly DrawExpert[] | PreparedPool;
  /**
   * Defaults to an empty history; the records or their daily counts (`HistoryCounts`), or
   * either prepared with `prepareHistory` for the same pool.
   */
  readonly history?: DrawHistory | PreparedHistory;
  /** The draw's clock: an ISO 8601 date-time with offset, or a Date. */
  readonly now: string | Date;
  /** Defaults to `yunnanGmy2025`. */
  readonly ruleSet?: RuleSet;
  /** Defaults to `lottery`. */
  readonly policy?: Policy;
  /** For `capped`: the most any expert's probability of being drawn may be, in (0, 1]. */
  readonly cap?: number;
  readonly seed: string;
  /** Experts already on the panel, kept. */
  readonly fixed?: readonly string[];
  /** Experts to leave out, e.g. one who just declined. */
  readonly exclude?: readonly string[];
}

export interface PanelMember {
  readonly expertId: string;
  readonly role: 'leader' | 'member';
  /** `fixed` when the caller kept them, `named-leader` when the task named them, else `drawn`. */
  readonly source: 'fixed' | 'named-leader' | 'drawn';
  readonly score: number;
  readonly breakdown: readonly ScoreComponent[];
}

export interface PanelAlternate {
  readonly expertId: string;
  readonly score: number;
  readonly breakdown: readonly ScoreComponent[];
  /** The members this alternate can replace without breaking a hard constraint. */
  readonly replaces: readonly string[];
}

export interface PanelShadow {
  readonly expertId: string;
  readonly score: number;
  readonly breakdown: readonly ScoreComponent[];
}

/** Experts left out for the same combination of reasons; keys resolve in `exclusionReasons`. */
export interface ExclusionGroup {
  readonly reasons: readonly ExclusionReasonKey[];
  readonly expertIds: readonly string[];
}

/** How many experts each rule removed, applying the rules in the rule set's order. */
export interface Funnel {
  readonly pool: number;
  readonly steps: readonly {
    readonly ruleId: DispatchRuleId;
    readonly removed: number;
    readonly remaining: number;
  }[];
  readonly excludedByCaller: number;
  /**
   * Records that passed every rule but were left out because another record of the same person
   * stands for them (one seat per person, 第二十一条). Present only when the pool has records
   * sharing a `personId`.
   */
  readonly samePerson?: number;
  readonly eligible: number;
}

/** A panel constraint the eligible experts cannot meet. */
export interface Unmet {
  readonly constraint:
    | 'panel-size'
    | 'industry-coverage'
    | 'leader'
    | 'composition'
    | 'employer-limit'
    | 'cap';
  readonly article: string | null;
  readonly message: Label;
  readonly industries?: readonly Industry[];
  readonly needed?: number;
  readonly available?: number;
}

/** What the panel could not cover; none of these makes the draw fail. */
export interface Gaps {
  /** Task specialties no member holds: none eligible holds them, or the seats ran out. */
  readonly specialties: readonly {
    readonly specialty: string;
    readonly reason: 'none-eligible' | 'no-seat';
  }[];
  readonly alternates: number;
  readonly shadows: number;
}

/** The record every result carries so that the draw can be replayed and checked. */
export interface DrawRecord {
  readonly seed: string;
  readonly policy: Policy;
  readonly cap?: number;
  readonly ruleSet: { readonly id: string; readonly version: string };
  /** SHA-256 of the canonical input, see `drawDigest`. */
  readonly digest: string;
  readonly funnel: Funnel;
  readonly eligible: number;
  readonly excluded: readonly ExclusionGroup[];
  readonly exclusionReasons: Readonly<Partial<Record<ExclusionReasonKey, ExclusionReason>>>;
  /**
   * The recorded engagements behind agency recusals (第十六条（一）); present only when one
   * excluded someone, so draws made without engagements replay unchanged.
   */
  readonly engagementRecusals?: readonly EngagementRecusal[];
}

/** How one task specialty was met (第十四条), from selection version 2 on. */
export interface SpecialtyCoverage {
  readonly specialty: string;
  readonly how: 'fixed' | 'specialty-first' | 'none-eligible' | 'no-seat';
  /** The member who holds it; null when unmet. */
  readonly expertId: string | null;
}

export interface PanelSelected extends DrawRecord {
  readonly ok: true;
  /** Exactly `task.panelSize`, the leader first. */
  readonly members: readonly PanelMember[];
  readonly leader: LeaderChoice;
  readonly alternates: readonly PanelAlternate[];
  readonly shadows: readonly PanelShadow[];
  readonly gaps: Gaps;
  /** How each task specialty was met; present from selection version 2 on (第十四条). */
  readonly specialtyCoverage?: readonly SpecialtyCoverage[];
}

export interface PanelInfeasible extends DrawRecord {
  readonly ok: false;
  readonly code: 'infeasible';
  readonly unmet: readonly Unmet[];
}

/** A caller's input that names an impossible panel (an unknown or ineligible fixed member…). */
export interface InputProblem {
  readonly problem:
    | 'unknown-expert'
    | 'fixed-excluded'
    | 'fixed-ineligible'
    | 'too-many-fixed'
    | 'fixed-same-person'
    | 'fixed-employer-limit'
    | 'leader-unknown'
    | 'leader-excluded'
    | 'leader-ineligible'
    | 'leader-title'
    | 'cap-required'
    | 'policy-unknown'
    | 'now-invalid';
  readonly expertId?: string;
  readonly message: Label;
  /** For an ineligible expert: the failing rules as `evaluateExpert` states them. */
  readonly reasons?: readonly RuleOutcome[];
}

export interface PanelInvalidInput {
  readonly ok: false;
  readonly code: 'invalid_input';
  readonly problems: readonly InputProblem[];
  readonly seed: string;
  readonly ruleSet: { readonly id: string; readonly version: string };
}

export type SelectPanelResult = PanelSelected | PanelInfeasible | PanelInvalidInput;
