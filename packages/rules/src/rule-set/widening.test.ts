import { describe, expect, it } from 'vitest';
import type { WideningStep } from '../vocabulary/widening-step.js';
import { isLadderPrefix, wideningSchema } from './widening.js';
import { yunnanGmy2025 } from './yunnan-gmy-2025.js';

const LADDER: readonly WideningStep[] = [
  'same_prefecture_counties',
  'prefecture_pool',
  'other_prefectures',
];

describe('isLadderPrefix', () => {
  it.each<[string, readonly WideningStep[], boolean]>([
    ['no step', [], true],
    ['the first step', ['same_prefecture_counties'], true],
    ['the first two steps in order', ['same_prefecture_counties', 'prefecture_pool'], true],
    ['the whole ladder', LADDER, true],
    ['a step skipped', ['prefecture_pool'], false],
    ['steps out of order', ['prefecture_pool', 'same_prefecture_counties'], false],
    ['more steps than the ladder', [...LADDER, 'same_prefecture_counties'], false],
  ])('%s → %s', (_name, steps, expected) => {
    expect(isLadderPrefix(steps, LADDER)).toBe(expected);
  });
});

describe('wideningSchema', () => {
  it('accepts the Yunnan ladder, whose accident rescue takes the first two steps unasked', () => {
    expect(wideningSchema.parse(yunnanGmy2025.widening)).toEqual(yunnanGmy2025.widening);
    expect(yunnanGmy2025.widening?.preApproved?.accident_rescue).toEqual(LADDER.slice(0, 2));
  });

  it('refuses pre-approved steps that skip a step of the ladder', () => {
    const parsed = wideningSchema.safeParse({
      ladder: LADDER,
      preApproved: { accident_rescue: ['prefecture_pool'] },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['preApproved']);
  });

  it('refuses a step named twice', () => {
    expect(
      wideningSchema.safeParse({ ladder: ['prefecture_pool', 'prefecture_pool'] }).success,
    ).toBe(false);
  });
});
