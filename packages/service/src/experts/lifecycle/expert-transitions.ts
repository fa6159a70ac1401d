import { type ExpertState, expertStates, type Label } from '@expert-dispatch/rules';

/** The lifecycle actions, each `POST /v1/experts/{id}/actions/{action}`. */
export const EXPERT_ACTIONS = [
  'recommend',
  'start-review',
  'approve',
  'start-public-notice',
  'appoint',
  'seal',
  'start-renewal-notice',
  'renew',
  'expire',
  'suspend',
  'reinstate',
  'interview',
  'warn',
  'dismiss',
  'withdraw',
  'disqualify',
] as const;

export type ExpertAction = (typeof EXPERT_ACTIONS)[number];

/** One row of the transition table: the states an action starts from and where it leads. */
export interface Transition {
  readonly from: readonly ExpertState[];
  /** The state after the action; `unchanged` for actions that record without moving. */
  readonly to: ExpertState | 'unchanged';
  /** The article cited when the caller names none. */
  readonly article: string;
  /** Every article the caller may cite for this action (the default first). */
  readonly articles: readonly string[];
  /**
   * Whether the action needs evidence (invitations, tasks, ratings, documents) besides its
   * reason: discipline always does (第二十三条, 第十六条（三）), a withdrawal its written
   * application (第二十四条), a suspension when it cites misconduct rather than 第十二条.
   */
  readonly evidence: 'required' | 'optional' | 'for-misconduct';
  readonly label: Label;
}

const ALL = expertStates.values;
const SERVING: readonly ExpertState[] = ['active', 'suspended'];
const NOT_LEFT: readonly ExpertState[] = ALL.filter((s) => s !== 'dismissed' && s !== 'withdrawn');

const ITEMS_OF_23 = ['一', '二', '三', '四', '五', '六', '七', '八'].map(
  (n) => `第二十三条（${n}）`,
);
/** 第二十三条 and its eight kinds of misconduct. */
const MISCONDUCT: readonly string[] = ['第二十三条', ...ITEMS_OF_23];

/**
 * The expert lifecycle (第十条–第十二条, 第十六条（三）, 第二十三条, 第二十四条) as data:
 * application → recommendation → review → public notice → active (3-year term, valid once
 * sealed) → expired / renewed; suspension, warning, dismissal, withdrawal, disqualification.
 * `dismissed` and `withdrawn` are final.
 */
export const EXPERT_TRANSITIONS: Readonly<Record<ExpertAction, Transition>> = {
  recommend: {
    from: ['applied'],
    to: 'recommended',
    article: '第十条（二）',
    articles: ['第十条（二）'],
    evidence: 'optional',
    label: { zh: '单位推荐', en: 'Recommend' },
  },
  'start-review': {
    // From public_notice: back to 审核 after a founded objection (第十条（四））, to notice anew.
    from: ['recommended', 'public_notice'],
    to: 'under_review',
    article: '第十条（三）',
    articles: ['第十条（三）'],
    evidence: 'optional',
    label: { zh: '开始审核', en: 'Start review' },
  },
  approve: {
    from: ['under_review'],
    to: 'unchanged',
    article: '第十条（三）',
    articles: ['第十条（三）'],
    evidence: 'optional',
    label: { zh: '审核通过', en: 'Approve review' },
  },
  'start-public-notice': {
    from: ['under_review'],
    to: 'public_notice',
    article: '第十条（四）',
    articles: ['第十条（四）'],
    evidence: 'optional',
    label: { zh: '开始公示', en: 'Start public notice' },
  },
  appoint: {
    from: ['public_notice'],
    to: 'active',
    article: '第十条（五）、第十一条',
    articles: ['第十条（五）、第十一条'],
    evidence: 'optional',
    label: { zh: '聘任', en: 'Appoint' },
  },
  seal: {
    from: ['active'],
    to: 'unchanged',
    article: '第十一条',
    articles: ['第十一条'],
    evidence: 'optional',
    label: { zh: '聘书盖章', en: 'Seal the certificate' },
  },
  'start-renewal-notice': {
    // 第十一条: a renewal is noticed (公示) and announced (公告) like a first appointment.
    from: ['active', 'expired'],
    to: 'unchanged',
    article: '第十一条',
    articles: ['第十一条'],
    evidence: 'optional',
    label: { zh: '开始续聘公示', en: 'Start renewal notice' },
  },
  renew: {
    from: ['active', 'expired'],
    to: 'active',
    article: '第十一条',
    articles: ['第十一条'],
    evidence: 'optional',
    label: { zh: '续聘', en: 'Renew' },
  },
  expire: {
    from: SERVING,
    to: 'expired',
    article: '第十一条',
    articles: ['第十一条'],
    evidence: 'optional',
    label: { zh: '聘期届满', en: 'Expire' },
  },
  suspend: {
    from: ['active'],
    to: 'suspended',
    article: '第十二条',
    articles: ['第十二条', ...MISCONDUCT],
    evidence: 'for-misconduct',
    label: { zh: '暂停', en: 'Suspend' },
  },
  reinstate: {
    from: ['suspended'],
    to: 'active',
    article: '第十二条',
    articles: ['第十二条'],
    evidence: 'optional',
    label: { zh: '恢复', en: 'Reinstate' },
  },
  interview: {
    from: SERVING,
    to: 'unchanged',
    article: '第二十三条',
    articles: MISCONDUCT,
    evidence: 'required',
    label: { zh: '约谈', en: 'Interview' },
  },
  warn: {
    from: SERVING,
    to: 'unchanged',
    article: '第二十三条',
    articles: MISCONDUCT,
    evidence: 'required',
    label: { zh: '警告', en: 'Warn' },
  },
  dismiss: {
    from: [...SERVING, 'expired'],
    to: 'dismissed',
    article: '第二十三条',
    articles: MISCONDUCT,
    evidence: 'required',
    label: { zh: '解聘', en: 'Dismiss' },
  },
  withdraw: {
    from: NOT_LEFT,
    to: 'withdrawn',
    article: '第二十四条',
    articles: ['第二十四条'],
    evidence: 'required',
    label: { zh: '退出', en: 'Withdraw' },
  },
  disqualify: {
    from: ALL,
    to: 'dismissed',
    article: '第十六条（三）',
    articles: ['第十六条（三）'],
    evidence: 'required',
    label: { zh: '取消资格', en: 'Disqualify' },
  },
};

export type TransitionResult =
  | { readonly ok: true; readonly to: ExpertState }
  | {
      readonly ok: false;
      readonly from: ExpertState;
      readonly to: ExpertState;
      readonly allowedFrom: readonly ExpertState[];
    };

/**
 * Where `action` takes an expert in state `from`, or why it may not.
 *
 * @example
 * nextExpertState('suspend', 'active'); // { ok: true, to: 'suspended' }
 * nextExpertState('reinstate', 'dismissed').ok; // false: dismissed is final
 */
export function nextExpertState(action: ExpertAction, from: ExpertState): TransitionResult {
  const transition = EXPERT_TRANSITIONS[action];
  const to = transition.to === 'unchanged' ? from : transition.to;
  return transition.from.includes(from)
    ? { ok: true, to }
    : { ok: false, from, to, allowedFrom: transition.from };
}

/**
 * The article an action cites: the caller's when it is one the action may cite, the action's
 * own when the caller names none; null when the caller's article does not fit the action.
 *
 * @example
 * citedArticle('warn', '第二十三条（一）'); // '第二十三条（一）'
 * citedArticle('withdraw', '第二十三条'); // null: a withdrawal is 第二十四条
 */
export function citedArticle(action: ExpertAction, article: string | undefined): string | null {
  const transition = EXPERT_TRANSITIONS[action];
  if (article === undefined) return transition.article;
  return transition.articles.includes(article) ? article : null;
}

/**
 * True when the action, citing `article`, must come with evidence.
 *
 * @example
 * needsEvidence('suspend', '第十二条'); // false: a suspension for work needs is not discipline
 * needsEvidence('suspend', '第二十三条（五）'); // true
 */
export function needsEvidence(action: ExpertAction, article: string): boolean {
  const rule = EXPERT_TRANSITIONS[action].evidence;
  if (rule === 'for-misconduct') return article.startsWith('第二十三条');
  return rule === 'required';
}
