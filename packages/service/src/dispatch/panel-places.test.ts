import { describe, expect, it } from 'vitest';
import { canFill, hasPlaceFor, leaderSuccessor, type PlaceSeat } from './panel-places.js';

const needs = {
  panelSize: 3,
  industries: ['metallurgy', 'nonferrous'],
  maxMembersPerEmployer: 1,
} as const;

let nextId = 1;
const seat = (
  role: PlaceSeat['role'],
  employerId: string,
  industries: readonly string[] = ['metallurgy'],
  leaderTitled = true,
): PlaceSeat => ({ seatId: nextId++, role, employerId, industries, leaderTitled });

const leader = seat('leader', 'org-a', ['metallurgy', 'nonferrous']);
const metalLeader = seat('leader', 'org-a', ['metallurgy']);
const member = (employerId: string, industries?: readonly string[]) =>
  seat('member', employerId, industries);

describe('hasPlaceFor: first come, first served within the panel constraints (第五条)', () => {
  it.each<[string, readonly PlaceSeat[], PlaceSeat, boolean]>([
    ['gives a member a place beside the leader', [leader], member('org-b'), true],
    ['gives the last place beside the leader', [leader, member('org-b')], member('org-c'), true],
    [
      'refuses a fourth expert on a panel of three',
      [leader, member('org-b'), member('org-c')],
      member('org-d'),
      false,
    ],
    [
      'refuses a second expert from one employer (the employer limit)',
      [leader],
      member('org-a'),
      false,
    ],
    [
      'keeps the leader’s place from a member while the leader has not accepted',
      [member('org-b'), member('org-c')],
      member('org-d'),
      false,
    ],
    [
      'gives the leader their place when the members are in',
      [member('org-b'), member('org-c')],
      leader,
      true,
    ],
    [
      'refuses a member that leaves an industry no place can cover any more',
      [metalLeader, member('org-b', ['metallurgy'])],
      member('org-c', ['metallurgy']),
      false,
    ],
    [
      'gives the last place to a member covering the missing industry',
      [metalLeader, member('org-b')],
      member('org-c', ['nonferrous']),
      true,
    ],
  ])('%s', (_name, placed, candidate, expected) => {
    expect(hasPlaceFor(needs, placed, candidate)).toBe(expected);
  });

  it('keeps the last member place for the industry still uncovered when the leader covers one', () => {
    expect(hasPlaceFor(needs, [metalLeader], member('org-b', ['metallurgy']))).toBe(true);
    expect(
      hasPlaceFor(needs, [metalLeader, member('org-b', ['metallurgy'])], member('org-c')),
    ).toBe(false);
    expect(
      hasPlaceFor(
        needs,
        [metalLeader, member('org-b', ['metallurgy'])],
        member('org-c', ['nonferrous']),
      ),
    ).toBe(true);
  });
});

describe('canFill: whether the open invitations can still fill the panel', () => {
  it.each<[string, readonly PlaceSeat[], readonly PlaceSeat[], boolean]>([
    [
      'fills with the leader and two members still invited',
      [],
      [leader, member('org-b'), member('org-c')],
      true,
    ],
    ['does not fill one invitation short', [leader], [member('org-b')], false],
    [
      'fills with a spare invitation after a decline',
      [leader],
      [member('org-b'), member('org-c'), member('org-d')],
      true,
    ],
    [
      'does not fill with no leader left',
      [member('org-b')],
      [member('org-c'), member('org-d')],
      false,
    ],
    [
      'does not fill when the open ones share one employer',
      [leader],
      [member('org-b'), member('org-b')],
      false,
    ],
  ])('%s', (_name, accepted, open, expected) => {
    expect(canFill(needs, accepted, open)).toBe(expected);
  });
});

describe('leaderSuccessor', () => {
  it('takes the first leader-titled member, in the order given', () => {
    const untitled = seat('member', 'org-b', ['metallurgy'], false);
    const titled = seat('member', 'org-c');
    expect(leaderSuccessor([untitled, titled, member('org-d')])).toBe(titled);
  });

  it('finds nobody when no member may lead', () => {
    expect(leaderSuccessor([seat('member', 'org-b', ['metallurgy'], false)])).toBeNull();
  });
});
