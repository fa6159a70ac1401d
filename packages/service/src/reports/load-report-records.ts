import {
  addDays,
  type Expert,
  type Industry,
  type RuleSet,
  startOfShanghaiDate,
} from '@expert-dispatch/rules';
import { and, asc, eq, gte, inArray, isNotNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import {
  authorities,
  conductNotifications,
  declineReviews,
  deliveries,
  experts,
  notices,
  panelSeats,
  ratings,
  tasks,
} from '../db/schema.js';
import { lastEvaluatedYear, loadLastEvaluations } from '../evaluations/last-evaluations.js';
import type { Principal } from '../http/app-env.js';
import { resolveRuleSet } from '../rule-set/resolve-rule-set.js';
import { isPanelSealedFor } from '../tasks/sealed-panel.js';
import { canSeeTask } from '../tasks/task-view.js';
import { clampStoredBirthDate, clampStoredDate, clampStoredInstant } from './report-date-range.js';
import type { ReportExpert, ReportRecords, ReportSeat } from './report-records.js';
import type { ConductNotification, ReportPeriod, ReportScope } from './report-schemas.js';

/**
 * How far before the period invitations are read: a 第二十三条（一） run whose last refusal falls
 * in the period may start up to a window (12 months, at most 366 days) earlier, and its
 * invitation a little before its answer.
 */
const LOOKBACK_DAYS = 400;
const CHUNK = 1000;

/**
 * The caller's own pool: the provincial pool for the province, its own local pool for a city or
 * county (第二十一条, 第二十六条).
 */
function ownPool(principal: Principal): SQL {
  const own = eq(experts.ownerAuthorityId, principal.authorityId);
  return principal.tier === 'province' ? (or(eq(experts.tier, 'province'), own) as SQL) : own;
}

function isOwnPool(
  row: { readonly tier: string; readonly ownerAuthorityId: string },
  principal: Principal,
): boolean {
  return (
    row.ownerAuthorityId === principal.authorityId ||
    (principal.tier === 'province' && row.tier === 'province')
  );
}

const expertColumns = {
  id: experts.id,
  name: experts.name,
  group: experts.group,
  industries: experts.industries,
  status: experts.status,
  appointment: experts.appointment,
  birthDate: experts.birthDate,
  outstanding: experts.outstanding,
  ageWaiver: experts.ageWaiver,
  ageWaiverApproval: experts.ageWaiverApproval,
  profileUpdatedAt: experts.profileUpdatedAt,
  tier: experts.tier,
  ownerAuthorityId: experts.ownerAuthorityId,
};

/**
 * Loads what a report over `period` needs, within the caller's scope: the experts of the own
 * pool; every invitation of those experts, whoever asked; every invitation made by the caller's
 * own tasks (experts of the provincial pool included); the ratings of those invitations. A
 * task of another authority is never named unless the caller may open it (the provincial
 * auditor may; `canSeeTask`). Four queries, whatever the size of the pool.
 *
 * With `sealing`, the open, accepted and waitlisted invitations of a panel still sealed for the
 * caller (`isPanelSealedFor` at `sealing.now`, under the task's authority's rule set) are left
 * out, so that no count, list or export names who will serve before the work starts
 * (第八条（五）（七）). Ended invitations stay: they name no one who will serve.
 *
 * @example
 * const records = await loadReportRecords(db, principal, { from: '2026-01-01', to: '2026-12-31' });
 */
export async function loadReportRecords(
  db: Executor,
  principal: Principal,
  period: ReportPeriod,
  sealing?: ReportSealing,
): Promise<ReportRecords> {
  const start = new Date(startOfShanghaiDate(addDays(period.from, -LOOKBACK_DAYS)));
  const periodStart = new Date(startOfShanghaiDate(period.from));
  const end = new Date(startOfShanghaiDate(addDays(period.to, 1)));
  const inScope = or(ownPool(principal), eq(tasks.authorityId, principal.authorityId));
  const poolRows = await db
    .select(expertColumns)
    .from(experts)
    .where(ownPool(principal))
    .orderBy(asc(experts.id));
  const seatRows = await db
    .select({
      seatId: panelSeats.id,
      taskId: panelSeats.taskId,
      taskAuthorityId: tasks.authorityId,
      taskWindowFrom: tasks.windowFrom,
      taskIndustries: sql<unknown>`${tasks.body} -> 'industries'`.mapWith(tasks.body),
      expertId: panelSeats.expertId,
      role: panelSeats.role,
      state: panelSeats.state,
      declineReason: panelSeats.declineReason,
      declineNote: panelSeats.declineNote,
      replyChannel: panelSeats.replyChannel,
      repliedBy: panelSeats.repliedBy,
      deliveredAt: panelSeats.deliveredAt,
      invitedAt: panelSeats.invitedAt,
      repliedAt: panelSeats.repliedAt,
      replyDeadline: panelSeats.replyDeadline,
      updatedAt: panelSeats.updatedAt,
      attendance: panelSeats.attendance,
      deliveryState: deliveries.state,
      deliveryChannel: deliveries.channel,
      deliveryAttempts: deliveries.attempts,
      deliverySentAt: deliveries.sentAt,
      deliveryFailedAt: deliveries.failedAt,
      decision: declineReviews.decision,
      decisionNote: declineReviews.note,
      decidedBy: declineReviews.decidedBy,
      decidedAt: declineReviews.decidedAt,
    })
    .from(panelSeats)
    .innerJoin(tasks, eq(tasks.id, panelSeats.taskId))
    .innerJoin(experts, eq(experts.id, panelSeats.expertId))
    .leftJoin(deliveries, eq(deliveries.seatId, panelSeats.id))
    .leftJoin(declineReviews, eq(declineReviews.seatId, panelSeats.id))
    .where(
      and(
        isNotNull(panelSeats.invitedAt),
        gte(panelSeats.invitedAt, start),
        lt(panelSeats.invitedAt, end),
        inScope,
      ),
    )
    .orderBy(asc(panelSeats.id));
  const ratingRows = await db
    .select({ seatId: ratings.seatId, expertId: ratings.expertId, score: ratings.score })
    .from(ratings)
    .innerJoin(panelSeats, eq(panelSeats.id, ratings.seatId))
    .innerJoin(tasks, eq(tasks.id, panelSeats.taskId))
    .innerJoin(experts, eq(experts.id, panelSeats.expertId))
    .where(and(gte(panelSeats.invitedAt, periodStart), lt(panelSeats.invitedAt, end), inScope));

  // Experts of another pool who appear through the caller's own tasks.
  const known = new Set(poolRows.map((row) => row.id));
  const missing = [...new Set(seatRows.map((seat) => seat.expertId))].filter(
    (id) => !known.has(id),
  );
  const otherRows: typeof poolRows = [];
  for (let index = 0; index < missing.length; index += CHUNK) {
    otherRows.push(
      ...(await db
        .select(expertColumns)
        .from(experts)
        .where(inArray(experts.id, missing.slice(index, index + CHUNK)))),
    );
  }

  const allSeats: ReportSeat[] = seatRows.map((seat) => ({
    seatId: seat.seatId,
    taskId: seat.taskId,
    taskVisible: canSeeTask({ authorityId: seat.taskAuthorityId }, principal),
    taskIndustries: Array.isArray(seat.taskIndustries) ? (seat.taskIndustries as Industry[]) : [],
    expertId: seat.expertId,
    role: seat.role as ReportSeat['role'],
    state: seat.state,
    declineReason: seat.declineReason,
    declineNote: seat.declineNote,
    replyChannel: seat.replyChannel,
    repliedBy: seat.repliedBy,
    deliveredAt: seat.deliveredAt === null ? null : clampStoredInstant(seat.deliveredAt),
    invitedAt: clampStoredInstant(seat.invitedAt as Date),
    repliedAt: seat.repliedAt === null ? null : clampStoredInstant(seat.repliedAt),
    replyDeadline: seat.replyDeadline === null ? null : clampStoredInstant(seat.replyDeadline),
    updatedAt: clampStoredInstant(seat.updatedAt),
    attendance: seat.attendance as ReportSeat['attendance'],
    delivery:
      seat.deliveryState === null
        ? null
        : {
            state: seat.deliveryState,
            channel: seat.deliveryChannel,
            attempts: seat.deliveryAttempts ?? 0,
            sentAt: seat.deliverySentAt?.toISOString() ?? null,
            failedAt: seat.deliveryFailedAt?.toISOString() ?? null,
          },
    review:
      seat.decision === 'justified' || seat.decision === 'unjustified'
        ? {
            decision: seat.decision,
            note: seat.decisionNote ?? '',
            decidedBy: seat.decidedBy ?? '',
            decidedAt: seat.decidedAt ?? new Date(0),
          }
        : null,
  }));
  // Panels still sealed for the caller name no one who will serve (第八条（五）（七）).
  const sealed =
    sealing === undefined
      ? new Set<number>()
      : await sealedSeatIds(db, principal, seatRows, sealing);
  const seats = allSeats.filter((seat) => !sealed.has(seat.seatId));
  const everyone = [...poolRows, ...otherRows];
  return {
    experts: everyone.map((row) => toReportExpert(row, principal)),
    seats,
    ratings: ratingRows,
    notifications: await loadNotifications(
      db,
      everyone.map((row) => row.id),
    ),
    evaluations: await loadLastEvaluations(
      db,
      poolRows.map((row) => row.id),
      lastEvaluatedYear(period.to),
    ),
  };
}

/** The base rule set and the moment a report reads the sealed list at. */
export interface ReportSealing {
  readonly base: RuleSet;
  readonly now: Date;
}

/** The seat states that name who will (or may) serve: an open invitation, an acceptance. */
const SERVING_STATES: readonly string[] = ['invited', 'accepted', 'waitlisted'];

/** The seats of panels still sealed for the caller that would name who will serve. */
async function sealedSeatIds(
  db: Executor,
  principal: Principal,
  rows: readonly {
    readonly seatId: number;
    readonly state: string;
    readonly taskAuthorityId: string;
    readonly taskWindowFrom: Date;
  }[],
  sealing: ReportSealing,
): Promise<Set<number>> {
  const ruleSets = new Map<string, RuleSet>();
  const sealed = new Set<number>();
  for (const row of rows) {
    if (!SERVING_STATES.includes(row.state)) continue;
    if (row.taskWindowFrom.getTime() <= sealing.now.getTime()) continue;
    let ruleSet = ruleSets.get(row.taskAuthorityId);
    if (ruleSet === undefined) {
      ruleSet = await resolveRuleSet(db, row.taskAuthorityId, sealing.base);
      ruleSets.set(row.taskAuthorityId, ruleSet);
    }
    const task = { authorityId: row.taskAuthorityId, windowFrom: row.taskWindowFrom };
    if (isPanelSealedFor(principal, task, ruleSet, sealing.now)) sealed.add(row.seatId);
  }
  return sealed;
}

/** The 通报 made for these experts (第二十三条), oldest first, by expert id. */
async function loadNotifications(
  db: Executor,
  expertIds: readonly string[],
): Promise<Map<string, ConductNotification[]>> {
  const byExpert = new Map<string, ConductNotification[]>();
  for (let index = 0; index < expertIds.length; index += CHUNK) {
    const rows = await db
      .select({
        expertId: conductNotifications.expertId,
        action: conductNotifications.action,
        article: conductNotifications.article,
        recipient: conductNotifications.recipient,
        recipientName: conductNotifications.recipientName,
        queuedAt: conductNotifications.createdAt,
        state: notices.state,
        sentAt: notices.sentAt,
      })
      .from(conductNotifications)
      .innerJoin(notices, eq(notices.id, conductNotifications.noticeId))
      .where(inArray(conductNotifications.expertId, expertIds.slice(index, index + CHUNK)))
      .orderBy(asc(conductNotifications.createdAt), asc(conductNotifications.id));
    for (const row of rows) {
      const list = byExpert.get(row.expertId) ?? [];
      list.push({
        action: row.action,
        article: row.article,
        recipient: row.recipient === 'employer' ? 'employer' : 'recommending_unit',
        recipientName: row.recipientName,
        queuedAt: row.queuedAt.toISOString(),
        state: row.state,
        sentAt: row.sentAt?.toISOString() ?? null,
      });
      byExpert.set(row.expertId, list);
    }
  }
  return byExpert;
}

function toReportExpert(
  row: {
    readonly id: string;
    readonly name: string;
    readonly group: string;
    readonly industries: string[];
    readonly status: string;
    readonly appointment: Expert['appointment'];
    readonly birthDate: string;
    readonly outstanding: boolean;
    readonly ageWaiver: boolean;
    readonly ageWaiverApproval: Expert['ageWaiverApproval'] | null;
    readonly profileUpdatedAt: Date;
    readonly tier: string;
    readonly ownerAuthorityId: string;
  },
  principal: Principal,
): ReportExpert {
  return {
    id: row.id,
    name: row.name,
    group: row.group as Expert['group'],
    industries: row.industries as Expert['industries'],
    status: row.status as Expert['status'],
    // Dates written around the API (SQL, older releases) are clamped so that every report renders.
    appointment:
      row.appointment === null
        ? null
        : {
            ...row.appointment,
            from: clampStoredDate(String(row.appointment.from)),
            to: clampStoredDate(String(row.appointment.to)),
          },
    birthDate: clampStoredBirthDate(row.birthDate),
    outstanding: row.outstanding,
    ageWaiver: row.ageWaiver,
    // A waiver's own limit (第九条（五）), so the age-limit list shows when it runs out.
    ...(row.ageWaiverApproval === null ? {} : { ageWaiverApproval: row.ageWaiverApproval }),
    profileUpdatedAt: clampStoredInstant(row.profileUpdatedAt).toISOString(),
    ownPool: isOwnPool(row, principal),
  };
}

/**
 * Who the report covers, in words, with the authority's name for the printed heading.
 *
 * @example
 * (await reportScope(db, principal)).description.zh;
 */
export async function reportScope(db: Executor, principal: Principal): Promise<ReportScope> {
  const [row] = await db
    .select({ name: authorities.name })
    .from(authorities)
    .where(eq(authorities.id, principal.authorityId));
  const description =
    principal.tier === 'province'
      ? {
          zh: '省级专家库的专家，及其在各级应急管理部门任务中的全部邀请记录；其他部门的任务编号仅对省级审计员显示',
          en: "the provincial pool's experts and all their invitations, whichever authority asked; other authorities' task ids are shown to provincial auditors only",
        }
      : {
          zh: '本部门专家库的专家及其全部邀请记录，以及其他专家库专家在本部门任务中的邀请记录',
          en: "this authority's own pool with all its invitations, and experts of other pools as invited to this authority's own tasks",
        };
  return {
    authorityId: principal.authorityId,
    authorityName: row?.name ?? principal.authorityId,
    tier: principal.tier,
    description,
  };
}
