import { type ExpertState, expertStates } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import {
  citedArticle,
  EXPERT_ACTIONS,
  type ExpertAction,
  needsEvidence,
  nextExpertState,
} from './expert-transitions.js';

// The whole table, written out: [action, from, to] for every allowed pair. Any pair not
// listed must be refused.
const ALLOWED: readonly [ExpertAction, ExpertState, ExpertState][] = [
  ['recommend', 'applied', 'recommended'], // 第十条（二）
  ['start-review', 'recommended', 'under_review'], // 第十条（三）
  ['start-review', 'public_notice', 'under_review'], // back to 审核 after an objection
  ['approve', 'under_review', 'under_review'], // 第十条（三）
  ['start-public-notice', 'under_review', 'public_notice'], // 第十条（四）
  ['appoint', 'public_notice', 'active'], // 第十条（五）、第十一条
  ['seal', 'active', 'active'], // 第十一条
  ['start-renewal-notice', 'active', 'active'], // 第十一条: 公示 before 续聘
  ['start-renewal-notice', 'expired', 'expired'],
  ['renew', 'active', 'active'], // 第十一条
  ['renew', 'expired', 'active'],
  ['expire', 'active', 'expired'],
  ['expire', 'suspended', 'expired'],
  ['suspend', 'active', 'suspended'], // 第十二条
  ['reinstate', 'suspended', 'active'],
  ['interview', 'active', 'active'], // 第二十三条
  ['interview', 'suspended', 'suspended'],
  ['warn', 'active', 'active'], // 第二十三条
  ['warn', 'suspended', 'suspended'],
  ['dismiss', 'active', 'dismissed'],
  ['dismiss', 'suspended', 'dismissed'],
  ['dismiss', 'expired', 'dismissed'],
  ...(
    [
      'applied',
      'recommended',
      'under_review',
      'public_notice',
      'active',
      'suspended',
      'expired',
    ] as const
  ).map(
    (from) => ['withdraw', from, 'withdrawn'] as [ExpertAction, ExpertState, ExpertState], // 第二十四条
  ),
  ...expertStates.values.map(
    (from) => ['disqualify', from, 'dismissed'] as [ExpertAction, ExpertState, ExpertState], // 第十六条（三）
  ),
];

const allowedKey = new Set(ALLOWED.map(([action, from]) => `${action}:${from}`));
const REFUSED = EXPERT_ACTIONS.flatMap((action) =>
  expertStates.values
    .filter((from) => !allowedKey.has(`${action}:${from}`))
    .map((from) => [action, from] as const),
);

describe('the expert lifecycle (第十条–第十二条, 第二十三条, 第二十四条)', () => {
  it.each(ALLOWED)('%s takes %s to %s', (action, from, to) => {
    expect(nextExpertState(action, from)).toEqual({ ok: true, to });
  });

  it.each(REFUSED)('refuses %s from %s', (action, from) => {
    const result = nextExpertState(action, from);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.from).toBe(from);
  });

  it('never brings a dismissed or withdrawn expert back (dismissed → active is refused)', () => {
    for (const action of EXPERT_ACTIONS) {
      for (const from of ['dismissed', 'withdrawn'] as const) {
        const result = nextExpertState(action, from);
        if (result.ok) expect(result.to).toBe('dismissed');
      }
    }
    expect(nextExpertState('reinstate', 'dismissed')).toMatchObject({
      ok: false,
      from: 'dismissed',
      to: 'active',
    });
  });
});

describe('the article an action cites (第十二条, 第十六条（三）, 第二十三条, 第二十四条)', () => {
  it.each<[ExpertAction, string | undefined, string | null]>([
    ['warn', undefined, '第二十三条'],
    ['warn', '第二十三条（一）', '第二十三条（一）'],
    ['interview', '第二十三条（三）', '第二十三条（三）'],
    ['dismiss', '第二十三条（八）', '第二十三条（八）'],
    ['dismiss', '第二十三条（九）', null],
    ['suspend', undefined, '第十二条'],
    ['suspend', '第二十三条（五）', '第二十三条（五）'],
    ['withdraw', '第二十三条', null],
    ['disqualify', undefined, '第十六条（三）'],
    ['disqualify', '第二十三条（六）', null],
    ['expire', '第十一条', '第十一条'],
  ])('%s citing %s cites %s', (action, article, cited) => {
    expect(citedArticle(action, article)).toBe(cited);
  });

  it.each<[ExpertAction, string, boolean]>([
    ['interview', '第二十三条', true],
    ['warn', '第二十三条（一）', true],
    ['dismiss', '第二十三条', true],
    ['withdraw', '第二十四条', true],
    ['disqualify', '第十六条（三）', true],
    ['suspend', '第十二条', false],
    ['suspend', '第二十三条（二）', true],
    ['reinstate', '第十二条', false],
    ['renew', '第十一条', false],
  ])('%s under %s needs evidence: %s', (action, article, needed) => {
    expect(needsEvidence(action, article)).toBe(needed);
  });
});
