import {
  addDays,
  addYears,
  type Expert,
  evaluateAdmission,
  expertStates,
  type IsoDate,
  isPublicNoticeOver,
  publicNoticePeriod,
  type RuleSet,
  type WorkingDayCalendar,
} from '@expert-dispatch/rules';
import { ProblemError } from '../../errors.js';
import type { ExpertLifecycle } from '../expert-row.js';
import { EXPERT_TRANSITIONS, type ExpertAction, nextExpertState } from './expert-transitions.js';

/** What the caller sends with an action. */
export interface ActionInput {
  readonly reason: string;
  /** The effective date (appointment start, warning date, disqualification); default today. */
  readonly on?: IsoDate | undefined;
  /** The article a warning cites; default 第二十三条. */
  readonly article?: string | undefined;
}

export interface ActionContext {
  readonly today: IsoDate;
  readonly now: Date;
  readonly ruleSet: RuleSet;
  readonly calendar: WorkingDayCalendar;
}

export interface ActionOutcome {
  readonly expert: Expert;
  readonly lifecycle: ExpertLifecycle;
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
  const on = input.on ?? context.today;
  const moved: Expert = { ...expert, status: step.to };
  switch (action) {
    case 'approve':
      assertAdmissible(expert, context.today, context.ruleSet);
      return { expert: moved, lifecycle: { ...lifecycle, reviewApprovedAt: context.now } };
    case 'start-public-notice': {
      if (lifecycle.reviewApprovedAt === null) {
        throw refuse(action, expert, {
          zh: '审核尚未通过',
          en: 'the review has not been approved',
        });
      }
      const period = publicNoticePeriod(on, context.ruleSet, context.calendar);
      const publicNotice = {
        start: period.start,
        end: period.end,
        workingDays: period.workingDays,
        covered: period.covered,
      };
      return { expert: moved, lifecycle: { ...lifecycle, publicNotice } };
    }
    case 'appoint': {
      const notice = lifecycle.publicNotice;
      if (!notice || !isPublicNoticeOver(notice, context.today)) {
        throw refuse(action, expert, {
          zh: `公示期未满${notice ? `（至 ${notice.end}）` : ''}`,
          en: `the public notice has not run its term${notice ? ` (until ${notice.end})` : ''}`,
        });
      }
      return { expert: { ...moved, appointment: termFrom(on, context.ruleSet) }, lifecycle };
    }
    case 'seal': {
      if (!expert.appointment || expert.appointment.sealed) {
        throw refuse(action, expert, {
          zh: expert.appointment ? '聘书已盖章' : '无聘任记录',
          en: expert.appointment ? 'the certificate is already sealed' : 'there is no appointment',
        });
      }
      return {
        expert: { ...moved, appointment: { ...expert.appointment, sealed: true } },
        lifecycle,
      };
    }
    case 'renew': {
      const start =
        expert.status === 'active' && expert.appointment && input.on === undefined
          ? addDays(expert.appointment.to, 1)
          : on;
      assertAdmissible(expert, start, context.ruleSet);
      return { expert: { ...moved, appointment: termFrom(start, context.ruleSet) }, lifecycle };
    }
    case 'warn': {
      const warning = { on, article: input.article ?? '第二十三条', reason: input.reason };
      return { expert: { ...moved, warnings: [...(expert.warnings ?? []), warning] }, lifecycle };
    }
    case 'disqualify':
      return { expert: { ...moved, disqualifiedOn: on }, lifecycle };
    case 'recommend':
    case 'start-review':
    case 'expire':
    case 'suspend':
    case 'reinstate':
    case 'dismiss':
    case 'withdraw':
      return { expert: moved, lifecycle };
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
  if (!evaluation.ok) {
    throw new ProblemError(
      'admission_refused',
      {
        zh: evaluation.reasons.map((r) => `${r.article}：${r.message.zh}`).join('；'),
        en: evaluation.reasons.map((r) => `${r.article}: ${r.message.en}`).join('; '),
      },
      { extensions: { outcomes: evaluation.outcomes, reasons: evaluation.reasons } },
    );
  }
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

function assertNever(value: never): never {
  throw new Error(`unhandled action ${String(value)}`);
}
