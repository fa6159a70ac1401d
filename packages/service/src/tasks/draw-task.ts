import { type PanelSelected, type SelectPanelInput, selectPanel } from '@expert-dispatch/matcher';
import {
  DEFAULT_ENGAGEMENT_LOOKBACK_YEARS,
  type DrawHistory,
  isUrgentTaskType,
  type RuleSet,
  relatedByEngagement,
  type Task,
  type WideningStep,
} from '@expert-dispatch/rules';
import { eq, sql } from 'drizzle-orm';
import type { Actor, AuditEntryInput } from '../audit/audit-entry.js';
import type { Transaction } from '../db/open-database.js';
import { panelSeats } from '../db/schema.js';
import type { CommittedOutbox } from '../dispatch/committed-outbox.js';
import { storeCompactExclusions } from '../draws/compact-exclusions.js';
import { storePoolSnapshot } from '../draws/pool-snapshot-store.js';
import { ProblemError } from '../errors.js';
import type { Principal } from '../http/app-env.js';
import { loadEngagements } from '../organizations/engagement-input.js';
import { randomHex } from '../random-hex.js';
import { type HistoryCountsRead, readHistoryCounts } from './history-counts-cache.js';
import { type StoredHistory, storedHistoryOf } from './history-reference.js';
import { insertDrawRows, type SeatRow } from './insert-draw-rows.js';
import { type LoadedPool, loadPreparedPool } from './load-pool.js';
import { prepareDrawHistory } from './prepare-draw-history.js';
import type { DrawOptions } from './task-request.js';
import type { DrawSummary } from './task-view.js';
import {
  checkWiden,
  drawPreApproved,
  type WideningOption,
  wideningOptions,
} from './widening/widening-options.js';

/** Serialises draws, so that each one sees every booking made before it (第十五条). */
const DRAW_LOCK_KEY = 7_212_025_121_701;

/** What a draw reads besides the pool: stored with the draw so it can be replayed. */
export interface StoredDrawInput {
  readonly task: Task;
  readonly now: string;
  readonly ruleSet: RuleSet;
  readonly policy: NonNullable<SelectPanelInput['policy']>;
  readonly cap?: number;
  readonly seed: string;
  readonly fixed: readonly string[];
  readonly exclude: readonly string[];
  /**
   * Records (draws before migration 0024) or daily counts (before 0030): replayed as stored;
   * since 0030 a reference to the counters read (`resolveStoredHistory` sums them back).
   */
  readonly history: StoredHistory;
}

/** A draw's input as the matcher runs it: the history itself, not its reference. */
type DrawInput = Omit<StoredDrawInput, 'history'> & { readonly history: DrawHistory };

export interface DrawMade {
  readonly drawId: string;
  readonly sequence: number;
  readonly result: PanelSelected;
  /** The seats written, in rank order within each role. */
  readonly seats: readonly SeatRow[];
  readonly poolDigest: string;
  /** `caller` when the requester chose the seed (it could have been tried offline first). */
  readonly seedSource: 'service' | 'caller';
  /** Expert names by id, from the pool the draw read. */
  readonly names: ReadonlyMap<string, string>;
  /** The outbox rows the draw wrote: hand them to the dispatch loop once committed. */
  readonly outbox: readonly CommittedOutbox[];
  /** The audit entry of the draw: append it as the transaction's last write. */
  readonly audit: AuditEntryInput;
  /** Call once the transaction has committed (lets later draws skip the snapshot write). */
  readonly onCommitted: () => void;
  /**
   * The widening steps this draw took unasked (the rule set pre-approves them for the task
   * type): store them in the task's body, so that its replacement draws read the same pools.
   */
  readonly widened: readonly WideningStep[] | null;
}

export type { SeatRow };

/** What a draw reads besides its rule set: the prepared pool and the history since `since`. */
export interface DrawReads {
  readonly since: Date;
  /** The widening steps whose pools `loaded` holds (异地抽取). */
  readonly widen: readonly WideningStep[];
  readonly loaded: LoadedPool;
  readonly history: DrawHistory;
  /** Where the history's counters come from: what the draw stores instead of them (#17). */
  readonly historyRead?: HistoryCountsRead;
}

/**
 * Reads what a draw reads: the caller's prepared pool and the history since `since`. The two
 * reads are sent together: postgres.js pipelines them on the transaction's connection (one
 * round trip, and with whatever else the caller sends in the same tick), PGlite runs them in
 * turn. When the draw is serialised, call it after `takeDrawLock`.
 *
 * @example
 * const reads = await readDraw(tx, principal, task.window, sinceOf(now, ruleSet), services.db);
 */
export async function readDraw(
  tx: Transaction,
  principal: Principal,
  window: Task['window'],
  since: Date,
  poolOwner: object,
  widen: readonly WideningStep[] = [],
): Promise<DrawReads> {
  const [loaded, historyRead] = await Promise.all([
    loadPreparedPool(tx, principal, poolOwner, widen),
    // The counters of the owner's last read with only the changes since (#17).
    readHistoryCounts(tx, poolOwner, window, since),
  ]);
  return { since, widen, loaded, history: historyRead.history, historyRead };
}

/**
 * Where a draw's history starts: the rule set's reliability look-back (at least a year) before
 * `now`, with a day to spare for leap years.
 *
 * @example
 * sinceOf(new Date('2026-03-01T00:00:00Z'), yunnanGmy2025); // 3 × 366 + 1 days earlier
 */
export function sinceOf(now: Date, ruleSet: RuleSet): Date {
  const lookbackYears = Math.max(ruleSet.scoring.reliabilityLookbackYears, 1);
  return new Date(now.getTime() - (lookbackYears * 366 + 1) * 86_400_000);
}

/** Takes the draw lock until the transaction ends: later reads see every booking made before. */
export async function takeDrawLock(tx: Transaction): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${DRAW_LOCK_KEY})`);
}

/**
 * Draws a panel for a task inside the caller's transaction and records it: the pool snapshot
 * (once per digest), the draw with its seed, input and full exclusion record, one seat per
 * member, alternate and shadow, and the outbox rows that notify the invited. It returns the
 * draw's audit entry for the caller to append LAST (the audit chain lock is held until commit).
 * An infeasible draw is a 422 problem with the matcher's funnel and unmet constraints; the
 * transaction then rolls back whole.
 *
 * A first attempt draws without the draw lock: the exclusion constraint on `panel_seats` still
 * refuses any double booking (SQLSTATE 23P01), and the caller retries with `serialize`, which
 * takes the lock before reading the bookings, so a retry sees every booking committed before it.
 *
 * @example
 * const made = await drawTask(tx, { task, options, principal, now, ruleSet, sequence: 1, reason: null, poolOwner: db });
 * await appendAudit(tx, made.audit, now);
 */
export async function drawTask(
  tx: Transaction,
  args: {
    readonly task: Task;
    /** `overInvite`: see `overInviteOf`; replacement draws pass 0. */
    readonly options: DrawOptions & { readonly overInvite?: number | undefined };
    readonly principal: Principal;
    readonly now: Date;
    readonly ruleSet: RuleSet;
    readonly sequence: number;
    readonly reason: string | null;
    /** What the prepared-pool cache is kept for: the database, not this transaction. */
    readonly poolOwner: object;
    /** Take the draw lock first (retries after a booking conflict). */
    readonly serialize?: boolean;
    /** The draw's id when the caller needs it before the draw is made. */
    readonly drawId?: string;
    /**
     * For a replacement draw: the seats that stay (members who have not declined), by expert.
     * They are kept on the panel (`fixed`) and move to the new draw instead of being invited
     * again; only the new members are invited.
     */
    readonly keptSeats?: ReadonlyMap<string, number>;
    /** Experts the draw must leave out, e.g. those who declined this task. */
    readonly exclude?: readonly string[];
    /** Experts the draw must seat besides any kept ones, e.g. a campaign's planned members. */
    readonly fixed?: readonly string[];
    /**
     * The pool and history, read ahead by the caller (`readDraw`, after `takeDrawLock` when
     * serialising); read here when absent or read since another moment than the rule set's.
     */
    readonly reads?: DrawReads;
  },
): Promise<DrawMade> {
  const { options, principal, now, ruleSet } = args;
  const widenErrors = checkWiden(args.task.widen, ruleSet);
  if (widenErrors.length > 0) {
    throw new ProblemError(
      'validation_failed',
      { zh: '扩大抽取范围的步骤无效', en: 'the widening steps are not valid' },
      { errors: widenErrors },
    );
  }
  const taskWithEngagements = await withEngagements(tx, args.task, ruleSet);
  const since = sinceOf(now, ruleSet);
  const widen = taskWithEngagements.widen ?? [];
  let reads = args.reads;
  if (
    reads === undefined ||
    reads.since.getTime() !== since.getTime() ||
    reads.widen.join() !== widen.join()
  ) {
    if (args.serialize === true && args.reads === undefined) await takeDrawLock(tx);
    reads = await readDraw(tx, principal, taskWithEngagements.window, since, args.poolOwner, widen);
  }
  const { history } = reads;
  let loaded = reads.loaded;
  let input: DrawInput = {
    task: taskWithEngagements,
    now: now.toISOString(),
    ruleSet,
    policy: options.policy,
    ...(options.cap === undefined ? {} : { cap: options.cap }),
    seed: options.seed ?? randomHex(16),
    fixed: [...new Set([...(args.keptSeats?.keys() ?? []), ...(args.fixed ?? [])])].sort(),
    exclude: [...(args.exclude ?? [])].sort(),
    history,
  };
  // What the process made of the same counters is reused: their JSON, their rows (#17).
  const preparedHistory = prepareDrawHistory(history, loaded.pool, ruleSet);
  let drawn = selectPanel({ ...input, experts: loaded.pool, history: preparedHistory });
  // 异地抽取: a task type may take the rule set's first steps unasked (accident rescue);
  // otherwise the refusal lists what each further step would bring.
  let widened: readonly WideningStep[] | null = null;
  if (!drawn.ok && drawn.code === 'infeasible') {
    const auto = await drawPreApproved(tx, principal, args.poolOwner, input);
    if (auto === null) {
      const next = await wideningOptions(tx, principal, args.poolOwner, input, drawn.eligible);
      throw refusalOf(drawn, ruleSet.widening === undefined ? undefined : { taken: widen, next });
    }
    loaded = auto.loaded;
    input = { ...input, task: auto.task };
    drawn = auto.result;
    widened = auto.task.widen ?? null;
  }
  if (!drawn.ok) throw refusalOf(drawn);
  const result = drawn;
  const task = input.task;
  const { pool, isSnapshotStored, markSnapshotStored } = loaded;

  // A pool-digest@2 pool is stored as the versions it read: only what is not stored yet (#17).
  const snapshotWritten = isSnapshotStored()
    ? () => {}
    : await storePoolSnapshot(tx, pool, args.poolOwner, now);
  const drawId = args.drawId ?? newDrawId();
  const seedSource = options.seed === undefined ? 'service' : 'caller';
  const overInvite = overInviteOf(task, options.overInvite, ruleSet, result.alternates.length);
  // The exclusion record is most of a result's size: it is stored once, beside the panel.
  const { excluded, exclusionReasons, funnel, eligible, engagementRecusals, ...panel } = result;
  const drawRow = {
    id: drawId,
    taskId: task.id,
    sequence: args.sequence,
    poolSnapshotDigest: pool.digest,
    ruleSetId: ruleSet.id,
    ruleSetVersion: ruleSet.version,
    // A caller-chosen seed could have been tried offline first: auditors see where it came from.
    policy: {
      policy: input.policy,
      ...(input.cap === undefined ? {} : { cap: input.cap }),
      seedSource,
      ...(overInvite === 0 ? {} : { overInvite }),
    },
    seed: input.seed,
    inputDigest: result.digest,
    // The counters by reference (the snapshot they were read under): not O(pool) per draw (#17).
    input: {
      ...input,
      history: storedHistoryOf(input.history, reads.historyRead, preparedHistory.digest),
    },
    result: panel,
    // Reasons name pool index sets, the large ones stored once by hash and shared by the draws
    // that repeat them: a few hundred bytes instead of an id per excluded expert (#17).
    exclusions: await storeCompactExclusions(
      tx,
      {
        funnel,
        eligible,
        excluded,
        exclusionReasons,
        ...(engagementRecusals === undefined ? {} : { engagementRecusals }),
      },
      pool.ids,
      pool.indexOf,
      pool.experts,
    ),
    reason: args.reason,
    createdBy: principal.keyId,
    createdByAuthorityId: principal.authorityId,
    createdAt: now,
  };
  const kept = args.keptSeats ?? new Map<string, number>();
  const newRows = seatRows(task, result, drawId, now, ruleSet, overInvite).filter(
    (row) => !kept.has(row.expertId),
  );
  // The draw, its new seats and their invitations (deliveries, outbox) in one statement; the
  // kept seats move onto the draw once it exists.
  const inserted = await insertDrawRows(tx, drawRow, newRows, now);
  const movedSeats = await keepSeats(tx, result, kept, drawId, now);
  const seats = [...movedSeats, ...inserted.seats];
  const audit: AuditEntryInput = {
    actor: actorOf(principal),
    action: args.sequence === 1 ? 'draw.made' : 'draw.redrawn',
    entityType: 'draw',
    entityId: drawId,
    reason: args.reason,
    before: null,
    after: {
      taskId: task.id,
      sequence: args.sequence,
      seed: input.seed,
      seedSource,
      policy: input.policy,
      digest: result.digest,
      poolDigest: pool.digest,
      members: result.members.map((m) => ({ expertId: m.expertId, role: m.role })),
      alternates: result.alternates.map((a) => a.expertId),
      shadows: result.shadows.map((s) => s.expertId),
      ...(overInvite === 0
        ? {}
        : { overInvited: result.alternates.slice(0, overInvite).map((a) => a.expertId) }),
      // 异地抽取: the steps taken, and whether the rule set took them unasked.
      ...(task.widen === undefined ? {} : { widen: task.widen, widenedUnasked: widened !== null }),
    },
  };
  const names = new Map<string, string>();
  for (const seat of seats) {
    const index = pool.indexOf.get(seat.expertId);
    names.set(seat.expertId, index === undefined ? '' : (pool.experts[index]?.name ?? ''));
  }
  // The cache may only say "stored" once the snapshot is committed: a draw row needs it.
  return {
    drawId,
    sequence: args.sequence,
    result,
    seats,
    poolDigest: pool.digest,
    seedSource,
    names,
    audit,
    outbox: inserted.outbox,
    onCommitted: () => {
      snapshotWritten();
      markSnapshotStored();
    },
    widened,
  };
}

/**
 * The task as the draw sees it (第十六条（一）): the dispatcher's related organisations plus every
 * agency with a recorded engagement with the served enterprise within the rule set's look-back,
 * each carrying its engagement. The draw stores this task in its input, so it replays with the
 * engagements it used; a task without such engagements is drawn as it came.
 */
export async function withEngagements(
  tx: Transaction,
  task: Task,
  ruleSet: RuleSet,
): Promise<Task> {
  const recorded = await loadEngagements(tx, task.enterprise.id);
  if (recorded.length === 0) return task;
  const lookback = ruleSet.engagementLookbackYears ?? DEFAULT_ENGAGEMENT_LOOKBACK_YEARS;
  const related = relatedByEngagement(task, recorded, lookback);
  if (related.length === 0) return task;
  return { ...task, relatedOrganizations: [...task.relatedOrganizations, ...related] };
}

/**
 * The matcher's result as it was, from a stored draw: the panel in `result` and the exclusion
 * record in `exclusions` (stored apart so that it is written once).
 *
 * @example
 * verifyDraw(input, storedResult(draw)).ok;
 */
export function storedResult(draw: {
  readonly result: unknown;
  readonly exclusions: unknown;
}): Record<string, unknown> {
  return {
    ...(draw.result as Record<string, unknown>),
    ...(draw.exclusions as Record<string, unknown>),
  };
}

/**
 * Moves the seats a replacement draw keeps onto the new draw, with the role and rank the draw
 * gave them (a member may become the leader); their state and invitation stay as they were.
 */
async function keepSeats(
  tx: Transaction,
  result: PanelSelected,
  kept: ReadonlyMap<string, number>,
  drawId: string,
  now: Date,
): Promise<SeatRow[]> {
  const moved: SeatRow[] = [];
  for (const [rank, member] of result.members.entries()) {
    const seatId = kept.get(member.expertId);
    if (seatId === undefined) continue;
    const [seat] = await tx
      .update(panelSeats)
      .set({ drawId, role: member.role, rank, updatedAt: now })
      .where(eq(panelSeats.id, seatId))
      .returning();
    if (seat !== undefined) moved.push(seat);
  }
  return moved;
}

/** A new draw id. */
export function newDrawId(): string {
  return `d_${randomHex(10)}`;
}

/** The audit actor of a principal. */
export function actorOf(principal: Principal): Actor {
  return { keyId: principal.keyId, authorityId: principal.authorityId };
}

/** When a reply is due: minutes for accident rescue, hours for routine work (第六条（四）, 第十五条). */
export function replyDeadlineOf(task: Task, now: Date, ruleSet: RuleSet): Date {
  const minutes = isUrgentTaskType(task.type)
    ? ruleSet.replyDeadlineMinutes.urgent
    : ruleSet.replyDeadlineMinutes.routine;
  return new Date(now.getTime() + minutes * 60_000);
}

/**
 * How many alternates are invited at once beside the panel (urgent work, 第六条（四）): the
 * request's number, else the rule set's `urgentOverInvite` for an urgent task, else none; never
 * more than the alternates drawn.
 *
 * @example
 * overInviteOf(rescueTask, undefined, yunnanGmy2025, 3); // 2
 */
export function overInviteOf(
  task: Task,
  requested: number | undefined,
  ruleSet: RuleSet,
  alternatesDrawn: number,
): number {
  const wanted = requested ?? (isUrgentTaskType(task.type) ? (ruleSet.urgentOverInvite ?? 0) : 0);
  return Math.max(0, Math.min(wanted, alternatesDrawn));
}

/**
 * The seats of a draw. The first `overInvite` alternates are invited at once as members ranked
 * after the panel (`rank >= panelSize`): an invitation books its expert (the exclusion
 * constraint of migration 0001 covers every role but `alternate`), and the first acceptances
 * that keep the panel's constraints take its places (dispatch/fill-panel.ts).
 */
function seatRows(
  task: Task,
  result: PanelSelected,
  drawId: string,
  now: Date,
  ruleSet: RuleSet,
  overInvite: number,
) {
  const window = { windowFrom: new Date(task.window.from), windowTo: new Date(task.window.to) };
  const invited = {
    state: 'invited',
    invitedAt: now,
    replyDeadline: replyDeadlineOf(task, now, ruleSet),
  };
  const base = { taskId: task.id, drawId, ...window, createdAt: now, updatedAt: now };
  return [
    ...result.members.map((m, rank) => ({
      ...base,
      ...invited,
      expertId: m.expertId,
      role: m.role,
      rank,
    })),
    ...result.alternates.map((a, rank) =>
      rank < overInvite
        ? { ...base, ...invited, expertId: a.expertId, role: 'member', rank: task.panelSize + rank }
        : { ...base, expertId: a.expertId, role: 'alternate', rank, state: 'reserve' },
    ),
    ...result.shadows.map((s, rank) => ({
      ...base,
      ...invited,
      expertId: s.expertId,
      role: 'shadow',
      rank,
    })),
  ];
}

function refusalOf(
  result: Exclude<ReturnType<typeof selectPanel>, PanelSelected>,
  widening?: { readonly taken: readonly WideningStep[]; readonly next: readonly WideningOption[] },
): ProblemError {
  if (result.code === 'infeasible') {
    return new ProblemError(
      'panel_infeasible',
      {
        zh: `无法组成专家组：${result.unmet.map((u) => u.message.zh).join('；')}`,
        en: `no panel can be formed: ${result.unmet.map((u) => u.message.en).join('; ')}`,
      },
      {
        extensions: {
          funnel: result.funnel,
          unmet: result.unmet,
          ...(widening === undefined ? {} : { widening }),
        },
      },
    );
  }
  return new ProblemError(
    'validation_failed',
    {
      zh: result.problems.map((p) => p.message.zh).join('；'),
      en: result.problems.map((p) => p.message.en).join('; '),
    },
    {
      errors: result.problems.map((p) => ({
        path: p.problem.startsWith('leader')
          ? 'leaderId'
          : p.problem === 'cap-required'
            ? 'cap'
            : 'body',
        message: p.message.en,
      })),
      extensions: { problems: result.problems },
    },
  );
}

/**
 * The summary of a draw just made, as a task view shows it (the same as `summarizeDraw` of the
 * stored row).
 */
export function drawSummaryOf(made: DrawMade, now: Date): DrawSummary {
  return {
    id: made.drawId,
    sequence: made.sequence,
    seed: made.result.seed,
    seedSource: made.seedSource,
    policy: made.result.policy,
    ruleSet: { id: made.result.ruleSet.id, version: made.result.ruleSet.version },
    digest: made.result.digest,
    poolDigest: made.poolDigest,
    eligible: made.result.eligible,
    gaps: made.result.gaps,
    leader: made.result.leader,
    createdAt: now.toISOString(),
  };
}
