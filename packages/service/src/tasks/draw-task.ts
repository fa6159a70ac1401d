import { randomBytes } from 'node:crypto';
import {
  type PanelSelected,
  prepareHistory,
  type SelectPanelInput,
  selectPanel,
} from '@expert-dispatch/matcher';
import { type History, isUrgentTaskType, type RuleSet, type Task } from '@expert-dispatch/rules';
import { eq, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import type { Actor } from '../audit/audit-entry.js';
import type { Transaction } from '../db/open-database.js';
import { draws, panelSeats, poolSnapshots } from '../db/schema.js';
import { writeInvitationOutbox } from '../dispatch/write-invitation-outbox.js';
import { ProblemError } from '../errors.js';
import type { Principal } from '../http/app-env.js';
import { loadHistory } from './load-history.js';
import { loadPreparedPool } from './load-pool.js';
import type { DrawOptions } from './task-request.js';

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
  readonly history: History;
}

export interface DrawMade {
  readonly drawId: string;
  readonly sequence: number;
  readonly result: PanelSelected;
}

/**
 * Draws a panel for a task inside the caller's transaction and records it: the pool snapshot
 * (once per digest), the draw with its seed, input and full exclusion record, one seat per
 * member, alternate and shadow, the outbox rows that notify the invited, and the audit entry. An infeasible draw is a 422 problem with
 * the matcher's funnel and unmet constraints; the transaction then rolls back whole.
 *
 * @example
 * await db.transaction((tx) => drawTask(tx, { task, options, principal, now, ruleSet, sequence: 1 }));
 */
export async function drawTask(
  tx: Transaction,
  args: {
    readonly task: Task;
    readonly options: DrawOptions;
    readonly principal: Principal;
    readonly now: Date;
    readonly ruleSet: RuleSet;
    readonly sequence: number;
    readonly reason: string | null;
  },
): Promise<DrawMade> {
  const { task, options, principal, now, ruleSet } = args;
  const pool = await loadPreparedPool(tx, principal);
  await tx.execute(sql`select pg_advisory_xact_lock(${DRAW_LOCK_KEY})`);
  const lookbackYears = Math.max(ruleSet.scoring.reliabilityLookbackYears, 1);
  const since = new Date(now.getTime() - (lookbackYears * 366 + 1) * 86_400_000);
  const history = await loadHistory(tx, task.window, since);
  const input: StoredDrawInput = {
    task,
    now: now.toISOString(),
    ruleSet,
    policy: options.policy,
    ...(options.cap === undefined ? {} : { cap: options.cap }),
    seed: options.seed ?? randomBytes(16).toString('hex'),
    fixed: [],
    exclude: [],
    history,
  };
  const result = selectPanel({ ...input, experts: pool, history: prepareHistory(history, pool) });
  if (!result.ok) throw refusalOf(result);

  const [stored] = await tx
    .select({ digest: poolSnapshots.digest })
    .from(poolSnapshots)
    .where(eq(poolSnapshots.digest, pool.digest));
  if (stored === undefined) {
    await tx
      .insert(poolSnapshots)
      .values({ digest: pool.digest, experts: pool.experts, createdAt: now })
      .onConflictDoNothing();
  }
  const drawId = `d_${randomBytes(10).toString('hex')}`;
  const { excluded, exclusionReasons, funnel, eligible } = result;
  await tx.insert(draws).values({
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
      seedSource: options.seed === undefined ? 'service' : 'caller',
    },
    seed: input.seed,
    inputDigest: result.digest,
    input,
    result,
    exclusions: { funnel, eligible, excluded, exclusionReasons },
    reason: args.reason,
    createdBy: principal.keyId,
    createdByAuthorityId: principal.authorityId,
    createdAt: now,
  });
  const seats = await tx
    .insert(panelSeats)
    .values(seatRows(task, result, drawId, now, ruleSet))
    .returning({
      id: panelSeats.id,
      taskId: panelSeats.taskId,
      expertId: panelSeats.expertId,
      state: panelSeats.state,
      replyDeadline: panelSeats.replyDeadline,
    });
  await writeInvitationOutbox(
    tx,
    seats.flatMap((seat) =>
      seat.state === 'invited' && seat.replyDeadline !== null
        ? [{ ...seat, replyDeadline: seat.replyDeadline }]
        : [],
    ),
    now,
  );
  await appendAudit(
    tx,
    {
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
        seedSource: options.seed === undefined ? 'service' : 'caller',
        policy: input.policy,
        digest: result.digest,
        poolDigest: pool.digest,
        members: result.members.map((m) => ({ expertId: m.expertId, role: m.role })),
        alternates: result.alternates.map((a) => a.expertId),
        shadows: result.shadows.map((s) => s.expertId),
      },
    },
    now,
  );
  return { drawId, sequence: args.sequence, result };
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

function seatRows(task: Task, result: PanelSelected, drawId: string, now: Date, ruleSet: RuleSet) {
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
    ...result.alternates.map((a, rank) => ({
      ...base,
      expertId: a.expertId,
      role: 'alternate',
      rank,
      state: 'reserve',
    })),
    ...result.shadows.map((s, rank) => ({
      ...base,
      ...invited,
      expertId: s.expertId,
      role: 'shadow',
      rank,
    })),
  ];
}

function refusalOf(result: Exclude<ReturnType<typeof selectPanel>, PanelSelected>): ProblemError {
  if (result.code === 'infeasible') {
    return new ProblemError(
      'panel_infeasible',
      {
        zh: `无法组成专家组：${result.unmet.map((u) => u.message.zh).join('；')}`,
        en: `no panel can be formed: ${result.unmet.map((u) => u.message.en).join('; ')}`,
      },
      { extensions: { funnel: result.funnel, unmet: result.unmet } },
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
