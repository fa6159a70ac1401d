import { freezeRuleSet } from './freeze-rule-set.js';
import type { RuleSet } from './rule-set.js';

/**
 * The provincial rule set of 《云南省级工贸行业安全生产专家管理办法》 (云应急办〔2025〕19号).
 * Each parameter names the article it comes from, or says 本厅规定 / local policy where the
 * measures do not contain the rule (`localPolicies` lists those).
 */
export const yunnanGmy2025: RuleSet = freezeRuleSet({
  id: 'yunnan-gmy-2025',
  // Every change is in CHANGELOG.md; stored draws carry the whole set they ran on.
  version: '2.0.0',
  name: {
    zh: '云南省级工贸行业安全生产专家管理办法（2025）',
    en: 'Yunnan provincial industry-and-trade safety expert measures (2025)',
  },
  dispatchRules: [
    'appointment-in-force', // 第十一条
    'good-standing', // 第九条（六）, 第十二条, 第十六条（三）, 第二十三条, 第二十四条
    'age-limit', // 第九条（五）
    'employer-recusal', // 第十六条（一）, 第八条（四）
    'declared-conflict-recusal', // 第八条（四）
    'availability', // 第十五条
    'industry-expertise', // 第五条, 第十四条
  ],
  admissionRules: ['qualification', 'admission-age', 'disqualification-bar'],
  age: { limit: 65, outstandingLimit: 70, checkedThrough: 'every-task-day' }, // 第九条（五）
  qualification: { seniorTitles: ['senior_full', 'senior_associate'], minPracticeYears: 5 }, // 第九条（四）
  // 第十一条: a three-year term; listing it for renewal 90 days ahead is 本厅规定 / local policy.
  appointment: { termYears: 3, renewalNoticeDays: 90 },
  publicNoticeWorkingDays: 5, // 第十条（四）
  publicNoticeBackdateWorkingDays: 1, // local policy: a notice may be entered the next working day
  // 本厅规定 / local policy: the measures fix the certificate (聘书, 第十一条), not its number.
  certificateNumbering: { pattern: '云应急专家〔{year}〕第{seq}号', digits: 4 },
  disqualificationBarYears: 5, // 第十六条（三）
  // 第十六条（三） fixes five years for misuse of the title; for fraud in obtaining the
  // qualification (第二十三条（六）) only 第九条（六） speaks: never recommended again.
  readmissionBar: { titleMisuse: 5, qualificationFraud: null },
  declineWarning: { count: 2, windowMonths: 12 }, // 第二十三条（一）: 1年内, back to the same date
  declineReasonsJustifiedOnWord: ['conflict_of_interest'], // 第八条（四）; others await 认定
  countsSilenceAfterDelivery: true, // 第二十三条（一） 超时未响应, after a delivery receipt only
  sealedPanelList: true, // 第八条（五）（七）
  profileStaleMonths: 12, // 第八条（一）
  // 第十六条（一） relates agencies with a business link; 3 years back is 本厅规定 / local policy.
  engagementLookbackYears: 3,
  // 本厅规定 / local policy (no article): one member per employer, a senior title for the leader.
  panel: { maxMembersPerEmployer: 1, leaderTitles: ['senior_full', 'senior_associate'] },
  replyDeadlineMinutes: { urgent: 30, routine: 24 * 60 }, // 本厅规定 / local policy
  urgentOverInvite: 2, // 本厅规定 / local policy: two alternates asked at once for accident rescue
  selectionVersion: 2, // 第十四条: specialty holders first under every policy
  // 本厅规定 / local policy (异地抽取): the neighbouring counties, then the prefecture's pool, then
  // the other prefectures; accident rescue takes the first two without a second request.
  widening: {
    ladder: ['same_prefecture_counties', 'prefecture_pool', 'other_prefectures'],
    preApproved: { accident_rescue: ['same_prefecture_counties', 'prefecture_pool'] },
  },
  // 本厅规定 / local policy: how the score weighs specialty (第十四条), reliability, ratings, workload.
  scoring: {
    weights: { specialty: 4, directIndustry: 1, reliability: 2, quality: 1.5, fairShare: 2 },
    penalties: { staleProfile: 0.5, warning: 1.5 },
    reliabilityLookbackYears: 3,
    reliabilityPrior: { rate: 0.9, weight: 4 },
    qualityPrior: { mean: 4, weight: 3 },
    fairShareLookbackDays: 365,
  },
  // 第二十条 fixes a yearly evaluation; its weights and grades are 本厅规定 / local policy.
  yearlyEvaluation: {
    baseScore: 80,
    perTaskServed: 2,
    tasksServedCap: 10,
    ratingNeutral: 3,
    perRatingPoint: 5,
    perUnjustifiedRefusal: 8,
    perCountedSilence: 8,
    perNoShow: 10,
    perWarning: 15,
    grades: { excellent: 90, competent: 75, basicallyCompetent: 60 },
    excellentMinTasksServed: 3,
    titleReviewReserve: { grades: ['excellent', 'competent'], minAverageRating: 4 },
  },
});
