import {
  addDays,
  addYears,
  checkDisqualificationBar,
  checkPublicNoticeStart,
  type Expert,
  evaluateAdmission,
  expertStates,
  formatZhDate,
  type IsoDate,
  isPublicNoticeOver,
  publicNoticePeriod,
  type RuleOutcome,
  type RuleSet,
  toShanghaiDate,
  type WorkingDayCalendar,
} from '@expert-dispatch/rules';
import { calendarYearUnknownProblem } from '../../calendar/working-calendar.js';
import { ProblemError } from '../../errors.js';
import { assertNoticeConcluded, type ObjectionCounts } from '../../notices/notice-gate.js';
import type { ExpertLifecycle } from '../expert-row.js';
import type { Evidence } from './action-evidence.js';
import {
  citedArticle,
  EXPERT_TRANSITIONS,
  type ExpertAction,
  needsEvidence,
  nextExpertState,
} from './expert-transitions.js';
import type { PriorDisqualification } from './find-prior-disqualification.js';

/** 弄虚作假骗取专家资格: a dismissal under it is a disqualification of the person. */
export const FRAUD = '第二十三条（六）';

/** What the caller sends with an action. */
export interface ActionInput {
  readonly reason: string;
  /** The effective date (appointment start, warning date, disqualification); default today. */
  readonly on?: IsoDate | undefined;
  /** The article the action cites; default the action's own (第二十三条 for discipline). */
  readonly article?: string | undefined;
  /** What the action relies on; required for discipline (see `needsEvidence`). */
  readonly evidence?: readonly Evidence[] | undefined;
}

export interface ActionContext {
  readonly today: IsoDate;
  readonly now: Date;
  readonly ruleSet: RuleSet;
  /** The working-day calendar from the database (`loadWorkingCalendar`), for 第十条（四）. */
  readonly calendar: WorkingDayCalendar;
  /** The same person's latest disqualification under another record (a re-application). */
  readonly priorDisqualification?: PriorDisqualification | null | undefined;
  /**
   * The objections to the expert's current notice (`countNoticeObjections`); appoint and renew
   * need them (第十条（四）（五）, 第十一条).
   */
  readonly noticeObjections?: ObjectionCounts | undefined;
}

export interface ActionOutcome {
  readonly expert: Expert;
  readonly lifecycle: ExpertLifecycle;
  /** The article the action was taken under. */
  readonly article: string;
  /** The effective date. */
  readonly on: IsoDate;
}

/**
 * Applies one lifecycle action: checks the transition table, then the action's own conditions
 * (admission rules on approval, the public notice having run, a certificate to seal), and
 * returns the changed expert. Refusals are problems: 409 for a state that does not allow the
 * action, 422 when the admission rules refuse.
 *
 * @example
 * applyExpertAction(expert, lifecycle, 'suspend', { reason: '核查举报' }, context).expert.status; // 'suspended'
 */
export function applyExpertAction(
  expert: Expert,
  lifecycle: ExpertLifecycle,
  action: ExpertAction,
  input: ActionInput,
  context: ActionContext,
): ActionOutcome {
  const step = nextExpertState(action, expert.status);
  if (!step.ok) {
    throw new ProblemError(
      'illegal_transition',
      {
        zh: `专家状态为“${expertStates.labels[step.from].zh}”，不能执行“${EXPERT_TRANSITIONS[action].label.zh}”（→ ${expertStates.labels[step.to].zh}）`,
        en: `an expert in state ${step.from} cannot ${action} (→ ${step.to})`,
      },
      { extensions: { action, from: step.from, to: step.to, allowedFrom: step.allowedFrom } },
    );
  }
  const article = citedArticle(action, input.article);
  if (article === null) {
    throw new ProblemError(
      'validation_failed',
      {
        zh: `“${EXPERT_TRANSITIONS[action].label.zh}”只能引用 ${EXPERT_TRANSITIONS[action].articles.join('、')}`,
        en: `${action} cites one of ${EXPERT_TRANSITIONS[action].articles.join(', ')}`,
      },
      {
        errors: [
          {
            path: 'article',
            message: `must be one of ${EXPERT_TRANSITIONS[action].articles.join(', ')}`,
          },
        ],
      },
    );
  }
  if (needsEvidence(action, article) && (input.evidence ?? []).length === 0) {
    throw new ProblemError(
      'validation_failed',
      {
        zh: `“${EXPERT_TRANSITIONS[action].label.zh}”（${article}）须附证据（邀请、任务、评价或文书）`,
        en: `${action} under ${article} needs evidence (invitations, tasks, ratings or documents)`,
      },
      { errors: [{ path: 'evidence', message: 'at least one piece of evidence is required' }] },
    );
  }
  const on = input.on ?? context.today;
  const done = (changed: Expert, changedLifecycle: ExpertLifecycle = lifecycle): ActionOutcome => ({
    expert: changed,
    lifecycle: changedLifecycle,
    article,
    on,
  });
  const moved: Expert = { ...expert, status: step.to };
  // Admission steps read the person's disqualification under any record (第九条（六）,
  // 第十六条（三）) and carry it onto this one, so that dispatch applies the same bar.
  const carried = withPriorDisqualification(expert, context.priorDisqualification);
  switch (action) {
    case 'recommend': {
      const bar = checkDisqualificationBar(carried, context.today, context.ruleSet);
      if (!bar.ok) throw admissionRefused([bar]);
      return done({ ...carried, status: step.to });
    }
    case 'approve':
      assertAdmissible(carried, context.today, context.ruleSet);
      return done({ ...carried, status: step.to }, { ...lifecycle, reviewApprovedAt: context.now });
    case 'start-review':
      // Back from 公示 (an objection upheld): the review is to be approved again.
      return expert.status === 'public_notice'
        ? done(moved, { ...lifecycle, reviewApprovedAt: null })
        : done(moved);
    case 'start-public-notice': {
      if (lifecycle.reviewApprovedAt === null) {
        throw refuse(action, expert, {
          zh: '审核尚未通过',
          en: 'the review has not been approved',
        });
      }
      // 公示 follows 审核 (第十条（三）（四）); how far it may be backdated is local policy.
      const allowed = checkPublicNoticeStart(
        on,
        {
          approvedOn: toShanghaiDate(lifecycle.reviewApprovedAt),
          today: context.today,
          ...(context.ruleSet.publicNoticeBackdateWorkingDays === undefined
            ? {}
            : { backdate: context.ruleSet.publicNoticeBackdateWorkingDays }),
        },
        context.calendar,
      );
      if (!allowed.ok) {
        if (allowed.code === 'calendar_year_unknown')
          throw calendarYearUnknownProblem(allowed, 'on');
        throw new ProblemError('validation_failed', allowed.message, {
          errors: [{ path: 'on', message: `${allowed.message.zh}; ${allowed.message.en}` }],
          extensions: { earliest: allowed.earliest },
        });
      }
      const period = publicNoticePeriod(on, context.ruleSet, context.calendar);
      if (!period.ok) throw calendarYearUnknownProblem(period, 'on');
      // Every stored notice is counted on a calendar that lists its years (`covered` stays in
      // the stored shape for notices stored before years without data were refused).
      const publicNotice = {
        start: period.start,
        end: period.end,
        workingDays: period.workingDays,
        covered: true,
      };
      return done(moved, { ...lifecycle, publicNotice });
    }
    case 'appoint': {
      const notice = lifecycle.publicNotice;
      if (!notice || !isPublicNoticeOver(notice, context.today)) {
        throw refuse(action, expert, {
          zh: `公示期未满${notice ? `（至${formatZhDate(notice.end)}）` : ''}`,
          en: `the public notice has not run its term${notice ? ` (until ${notice.end})` : ''}`,
        });
      }
      // 公示无异议 (第十条（五）): every objection settled, none upheld; the notice is then used.
      assertNoticeConcluded(notice, 'appointment', context.today, objectionsOf(context, action));
      // 公告 and 聘书 follow the notice (第十条（四）（五）): a term cannot start before it was over.
      const earliest = addDays(notice.end, 1);
      if (on < earliest) {
        throw new ProblemError(
          'validation_failed',
          {
            zh: `聘任日期${formatZhDate(on)}早于公示期满后的${formatZhDate(earliest)}（第十条（四）（五））`,
            en: `a term cannot start (${on}) before the public notice is over (earliest ${earliest})`,
          },
          {
            errors: [{ path: 'on', message: `must not be before ${earliest}` }],
            extensions: { earliest },
          },
        );
      }
      return done(
        { ...moved, appointment: termFrom(on, context.ruleSet) },
        { ...lifecycle, publicNotice: { ...notice, concludedOn: on } },
      );
    }
    case 'start-renewal-notice': {
      // 第十一条: 重新入库确认 is noticed like a first appointment; one renewal notice at a time.
      const current = lifecycle.publicNotice;
      if (
        current &&
        current.purpose === 'renewal' &&
        current.concludedOn === undefined &&
        !isPublicNoticeOver(current, context.today)
      ) {
        throw refuse(action, expert, {
          zh: `续聘公示正在进行（至${formatZhDate(current.end)}）`,
          en: `a renewal notice is running (until ${current.end})`,
        });
      }
      const allowed = checkPublicNoticeStart(
        on,
        {
          approvedOn: expert.appointment?.from ?? on,
          today: context.today,
          ...(context.ruleSet.publicNoticeBackdateWorkingDays === undefined
            ? {}
            : { backdate: context.ruleSet.publicNoticeBackdateWorkingDays }),
        },
        context.calendar,
      );
      if (!allowed.ok) {
        if (allowed.code === 'calendar_year_unknown')
          throw calendarYearUnknownProblem(allowed, 'on');
        throw new ProblemError('validation_failed', allowed.message, {
          errors: [{ path: 'on', message: `${allowed.message.zh}; ${allowed.message.en}` }],
          extensions: { earliest: allowed.earliest },
        });
      }
      const period = publicNoticePeriod(on, context.ruleSet, context.calendar);
      if (!period.ok) throw calendarYearUnknownProblem(period, 'on');
      const publicNotice = {
        start: period.start,
        end: period.end,
        workingDays: period.workingDays,
        covered: true,
        purpose: 'renewal' as const,
      };
      return done(moved, { ...lifecycle, publicNotice });
    }
    case 'seal': {
      if (!expert.appointment || expert.appointment.sealed) {
        throw refuse(action, expert, {
          zh: expert.appointment ? '聘书已盖章' : '无聘任记录',
          en: expert.appointment ? 'the certificate is already sealed' : 'there is no appointment',
        });
      }
      return done({ ...moved, appointment: { ...expert.appointment, sealed: true } });
    }
    case 'renew': {
      const start =
        expert.status === 'active' && expert.appointment && input.on === undefined
          ? addDays(expert.appointment.to, 1)
          : on;
      assertAdmissible(carried, start, context.ruleSet);
      // 第十一条: 重新入库确认 goes through 公示 and 公告 as well.
      const notice = assertNoticeConcluded(
        lifecycle.publicNotice,
        'renewal',
        context.today,
        objectionsOf(context, action),
      );
      return done(
        { ...carried, status: step.to, appointment: termFrom(start, context.ruleSet) },
        { ...lifecycle, publicNotice: { ...notice, concludedOn: on } },
      );
    }
    case 'warn': {
      const warning = { on, article, reason: input.reason };
      return done({ ...moved, warnings: [...(expert.warnings ?? []), warning] });
    }
    case 'disqualify':
      return done({ ...moved, disqualifiedOn: on, disqualifiedUnder: '第十六条（三）' });
    case 'dismiss':
      // A dismissal for obtaining the qualification by fraud (第二十三条（六）) revokes it: the
      // person is barred from re-admission like a disqualified one (第九条（六）).
      return done(
        article === FRAUD ? { ...moved, disqualifiedOn: on, disqualifiedUnder: FRAUD } : moved,
      );
    case 'expire':
    case 'suspend':
    case 'reinstate':
    case 'interview':
    case 'withdraw':
      return done(moved);
    default:
      return assertNever(action);
  }
}

/** A 3-year term (第十一条) from `from`, ending the day before the anniversary; unsealed. */
export function termFrom(from: IsoDate, ruleSet: RuleSet) {
  return { from, to: addDays(addYears(from, ruleSet.appointment.termYears), -1), sealed: false };
}

function assertAdmissible(expert: Expert, date: IsoDate, ruleSet: RuleSet): void {
  const evaluation = evaluateAdmission(expert, date, ruleSet);
  if (!evaluation.ok) throw admissionRefused(evaluation.reasons, evaluation.outcomes);
}

function admissionRefused(
  reasons: readonly RuleOutcome[],
  outcomes: readonly RuleOutcome[] = reasons,
): ProblemError {
  return new ProblemError(
    'admission_refused',
    {
      zh: reasons.map((r) => `${r.article}：${r.message.zh}`).join('；'),
      en: reasons.map((r) => `${r.article}: ${r.message.en}`).join('; '),
    },
    { extensions: { outcomes, reasons } },
  );
}

/**
 * The expert with the person's latest disqualification under another record, when that is
 * later than the record's own (a disqualified record is final, so a person comes back only
 * through a new application).
 */
function withPriorDisqualification(
  expert: Expert,
  prior: PriorDisqualification | null | undefined,
): Expert {
  if (prior === null || prior === undefined) return expert;
  const own = expert.disqualifiedOn;
  if (own !== undefined && own >= prior.disqualifiedOn) return expert;
  return { ...expert, disqualifiedOn: prior.disqualifiedOn, disqualifiedUnder: prior.under };
}

function refuse(action: ExpertAction, expert: Expert, why: { zh: string; en: string }) {
  return new ProblemError(
    'illegal_transition',
    {
      zh: `不能执行“${EXPERT_TRANSITIONS[action].label.zh}”：${why.zh}`,
      en: `cannot ${action}: ${why.en}`,
    },
    { extensions: { action, from: expert.status } },
  );
}

function objectionsOf(context: ActionContext, action: ExpertAction) {
  // A caller that appoints or renews without reading the objections is a programming error.
  if (context.noticeObjections === undefined) {
    throw new Error(`${action} needs the objections to the notice`);
  }
  return context.noticeObjections;
}

function assertNever(value: never): never {
  throw new Error(`unhandled action ${String(value)}`);
}
