import { describe, expect, it } from 'vitest';
import { chooseLeader, type RankedMember } from './choose-leader.js';

const member = (expertId: string, overrides: Partial<RankedMember> = {}): RankedMember => ({
  expertId,
  title: 'senior_associate',
  rating: 4,
  practiceYears: 10,
  tieKey: 0,
  ...overrides,
});

describe('chooseLeader (第五条)', () => {
  it.each([
    ['title', [member('a'), member('b', { title: 'senior_full' })], 'b'],
    ['rating', [member('a', { rating: 4.2 }), member('b', { rating: 4.5 })], 'b'],
    ['practice years', [member('a', { practiceYears: 20 }), member('b')], 'a'],
    ['seeded key', [member('a', { tieKey: 9 }), member('b', { tieKey: 3 })], 'b'],
    ['id, last', [member('b'), member('a')], 'a'],
  ] as const)('ranks by %s', (_, members, leader) => {
    const choice = chooseLeader(members, undefined);
    expect(choice).toMatchObject({ expertId: leader, basis: 'ranking', article: '第五条' });
  });

  it('lets the task name its leader, keeping the ranking for the record', () => {
    const choice = chooseLeader([member('a', { title: 'senior_full' }), member('b')], 'b');
    expect(choice?.expertId).toBe('b');
    expect(choice?.basis).toBe('named');
    expect(choice?.ranking.map((c) => c.expertId)).toEqual(['a', 'b']);
    expect(choice?.ranking[0]).not.toHaveProperty('tieKey');
  });

  it('has no leader without a leader-titled member', () => {
    expect(chooseLeader([], undefined)).toBeNull();
  });
});
