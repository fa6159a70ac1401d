// The public API of @expert-dispatch/rules, by name.

export { checkDisqualificationBar } from './admission/check-disqualification-bar.js';
// Admission (第九条, 第十条（三）, 第十六条（三）)
export { checkQualification } from './admission/check-qualification.js';
export {
  ADMISSION_RULES,
  type AdmissionCheck,
  type AdmissionEvaluation,
  evaluateAdmission,
} from './admission/evaluate-admission.js';
export { type ReadmissionBar, readmissionBarOf } from './admission/readmission-bar.js';
// Working-day calendar (第十条（四）: 公示5个工作日)
export { addWorkingDays, countWorkingDays } from './calendar/add-working-days.js';
export { chinaNational2025To2026 } from './calendar/china-national-2025-2026.js';
export { dayOfWeek, isWeekend } from './calendar/day-of-week.js';
export { isWorkingDay } from './calendar/is-working-day.js';
export {
  isPublicNoticeOver,
  type PublicNoticePeriod,
  publicNoticePeriod,
} from './calendar/public-notice-period.js';
export {
  checkPublicNoticeStart,
  type PublicNoticeStartOutcome,
  type PublicNoticeStartRefused,
} from './calendar/public-notice-start.js';
export {
  type CalendarYear,
  type CalendarYearUnknown,
  calendarOfYears,
  calendarYearUnknown,
  firstUncoveredYear,
  isCalendarCovering,
  parseCalendarYear,
  type WorkingDayCalendar,
  type WorkingDayOutcome,
  workingDayCalendarSchema,
} from './calendar/working-day-calendar.js';
// Certificates (聘书, 第十一条)
export {
  type CertificateNumbering,
  DEFAULT_CERTIFICATE_NUMBERING,
  formatCertificateNumber,
  parseCertificateNumber,
} from './certificates/certificate-number.js';
export {
  CERTIFICATE_STATE_LABELS,
  type CertificateFacts,
  type CertificateState,
  certificateState,
} from './certificates/certificate-state.js';
export { ageLimitExceededOn, ageLimitOf } from './conduct/age-limit-date.js';
// 正当理由认定 (第二十三条（一）, 第十五条)
export {
  classifyDecline,
  isCountedRefusal,
  isPendingDecline,
} from './conduct/classify-decline.js';
export { type ConductFlag, evaluateConduct } from './conduct/evaluate-conduct.js';
// Conduct flags (第八条（一）, 第十一条, 第二十三条（一）)
export {
  type DeclineWarning,
  declineWindowLabel,
  declineWindowStart,
  findDeclineRuns,
  findDeclineWarning,
} from './conduct/find-decline-warning.js';
export { isProfileStale } from './conduct/is-profile-stale.js';
export { isRenewalDue, type TermStanding, termStanding } from './conduct/term-standing.js';
// Dates (Asia/Shanghai calendar dates)
export {
  addDays,
  addMonths,
  addYears,
  ageOn,
  daysBetween,
  fromEpochDay,
  type IsoDate,
  isIsoDate,
  minDate,
  startOfShanghaiDate,
  toEpochDay,
  toInstant,
  toShanghaiDate,
} from './dates/calendar-date.js';
export {
  formatZhBetween,
  formatZhDate,
  formatZhSpan,
  formatZhWindow,
} from './dates/format-zh-date.js';
export { isOverlapping, windowDays } from './dates/task-days.js';
export { startOfDaysWindow, startOfMonthsWindow } from './dates/year-window.js';
export { type ExpertEvaluation, evaluateExpert } from './evaluate-expert.js';
// The yearly evaluation (第二十条): weights and grades are local policy
export {
  type EvaluationEvidence,
  type EvaluationItem,
  type ExpertYearEvaluation,
  type ExpertYearRecord,
  evaluateExpertYear,
  yearlyEvaluationPolicy,
} from './evaluation/evaluate-expert-year.js';
export { isCommendable, isTitleReviewCandidate } from './evaluation/evaluation-lists.js';
export {
  DEFAULT_YEARLY_EVALUATION,
  type EvaluationGrade,
  evaluationGrades,
  type YearlyEvaluationPolicy,
  yearlyEvaluationSchema,
} from './evaluation/yearly-evaluation-policy.js';
// Recorded engagements make agencies related to the work (第十六条（一）)
export {
  DEFAULT_ENGAGEMENT_LOOKBACK_YEARS,
  type Engagement,
  relatedByEngagement,
} from './recusal/related-by-engagement.js';
// Dispatch rules, one per file, and their evaluation
export { decide, type Evaluation, type RuleOutcome, summarizeOutcomes } from './rule-outcome.js';
// Deriving local rule sets (第二十六条)
export {
  type DeriveRuleSetResult,
  deriveRuleSet,
  type RuleSetError,
  type RuleSetLoosening,
  type RuleSetOverrides,
} from './rule-set/derive-rule-set.js';
export { freezeRuleSet } from './rule-set/freeze-rule-set.js';
// Rules the measures do not contain: 本厅规定 / local policy, no article
export {
  LOCAL_POLICY,
  type LocalPolicyEntry,
  localPolicies,
} from './rule-set/local-policy.js';
// Tiers: a local set's loosenings are its own pool's (第二十六条)
export {
  isHigherTier,
  ownPoolRuleSet,
  ruleSetForExpert,
} from './rule-set/own-pool-rule-set.js';
export {
  ADMISSION_RULE_IDS,
  type AdmissionRuleId,
  DISPATCH_RULE_IDS,
  type DispatchRuleId,
} from './rule-set/rule-ids.js';
// Rule sets (规则集)
export {
  OWN_POOL_WAIVABLE_RULES,
  type OwnPoolOnly,
  ownPoolOnlySchema,
  type RuleSet,
  ruleSetSchema,
  type Scoring,
  scoringSchema,
} from './rule-set/rule-set.js';
export { isLadderPrefix, type Widening, wideningSchema } from './rule-set/widening.js';
export { yunnanGmy2025 } from './rule-set/yunnan-gmy-2025.js';
export { checkAgeLimit, checkAgeOn } from './rules/check-age-limit.js';
export { checkAppointmentInForce } from './rules/check-appointment-in-force.js';
export { checkAvailability } from './rules/check-availability.js';
export { checkDeclaredConflictRecusal } from './rules/check-declared-conflict-recusal.js';
export { checkEmployerRecusal } from './rules/check-employer-recusal.js';
export { checkGoodStanding } from './rules/check-good-standing.js';
export { checkIndustryExpertise, industriesServed } from './rules/check-industry-expertise.js';
export {
  checkOutsideEnterpriseCity,
  checkOutsideEnterpriseCounty,
  cityOf,
} from './rules/check-outside-enterprise-area.js';
export type { DispatchCheck, DispatchContext } from './rules/dispatch-context.js';
export { DISPATCH_RULES } from './rules/dispatch-rules.js';
export { type DrawExpert, drawExpertSchema } from './schemas/draw-expert.js';
export {
  type AgeWaiverApproval,
  type Appointment,
  ageWaiverApprovalSchema,
  appointmentSchema,
  type Conflict,
  conflictSchema,
  type DisqualificationArticle,
  disqualificationArticleSchema,
  type Employer,
  type Expert,
  employerSchema,
  expertSchema,
  type Warning,
  warningSchema,
} from './schemas/expert.js';
export {
  type Busy,
  busySchema,
  EMPTY_HISTORY,
  type History,
  historySchema,
  type InvitationRecord,
  invitationRecordSchema,
  type Rating,
  ratingSchema,
} from './schemas/history.js';
export {
  type DrawHistory,
  drawHistorySchema,
  HISTORY_COUNTS_FORM,
  type HistoryCountEntry,
  type HistoryCountKind,
  type HistoryCounts,
  historyCountKindSchema,
  historyCountsOf,
  historyCountsSchema,
  isHistoryCounts,
} from './schemas/history-counts.js';
// Schemas of the public JSON shapes
export {
  birthDateSchema,
  EARLIEST_BIRTH_DATE,
  EARLIEST_WORK_DATE,
  idSchema,
  isBirthDateOnOrBefore,
  isoDateSchema,
  isoDateTimeSchema,
  isWorkDate,
  LATEST_WORK_DATE,
  type Period,
  periodSchema,
  regionCodeSchema,
  specialtySchema,
  workDateSchema,
} from './schemas/primitives.js';
export {
  type Enterprise,
  enterpriseSchema,
  type RelatedOrganization,
  type RequestingAuthority,
  relatedOrganizationSchema,
  requestingAuthoritySchema,
  type Task,
  taskSchema,
} from './schemas/task.js';
// Vocabulary (第五条, 第六条, 第九条, 第十条–第十二条, 第十五条, 第十六条, 第二十三条, 第二十四条)
export {
  defineVocabulary,
  type Label,
  type Vocabulary,
  type VocabularyValue,
} from './vocabulary/define-vocabulary.js';
export { type EmployerKind, employerKinds } from './vocabulary/employer-kind.js';
export { type EngagementKind, engagementKinds } from './vocabulary/engagement-kind.js';
export { type ExpertState, expertStates } from './vocabulary/expert-state.js';
export { type Group, groups } from './vocabulary/group.js';
export {
  INDUSTRY_GROUP,
  type Industry,
  industries,
  industriesOfGroup,
} from './vocabulary/industry.js';
export {
  type DeclineReason,
  type DeclineStanding,
  declineReasons,
  declineStandings,
  type InvitationOutcome,
  invitationOutcomes,
  type ReviewDecision,
  reviewDecisions,
} from './vocabulary/invitation-outcome.js';
export {
  type RelatedOrganizationRole,
  relatedOrganizationRoles,
} from './vocabulary/related-organization-role.js';
export {
  isIntermediateSafetyEngineerOrAbove,
  type SafetyEngineerLevel,
  safetyEngineerLevels,
} from './vocabulary/safety-engineer.js';
export { isUrgentTaskType, type TaskType, taskTypes } from './vocabulary/task-type.js';
export { type Tier, tiers } from './vocabulary/tier.js';
export { isSeniorTitle, rankTitle, type Title, titles } from './vocabulary/title.js';
export { type WideningStep, wideningSteps } from './vocabulary/widening-step.js';
