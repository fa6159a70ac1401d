import { describe, expect, it } from 'vitest';
import type { RuleSet } from '../rule-set/rule-set.js';
import { yunnanGmy2025 as ruleSet } from '../rule-set/yunnan-gmy-2025.js';
import type { InvitationRecord } from '../schemas/history.js';
import type { DeclineReason, ReviewDecision } from '../vocabulary/invitation-outcome.js';
import { classifyDecline, isCountedRefusal, isPendingDecline } from './classify-decline.js';

const { declineReasonsJustifiedOnWord: _onWord, ...storedBefore } = ruleSet;
const legacy: RuleSet = storedBefore;
const lenient: RuleSet = {
  ...ruleSet,
  declineReasonsJustifiedOnWord: ['conflict_of_interest', 'illness'],
};

describe('classifyDecline: 正当理由 is the department’s decision (第二十三条（一）, 第十五条)', () => {
  it.each<[string, RuleSet, DeclineReason | undefined, ReviewDecision | undefined, string]>([
    [
      'takes a conflict of interest on the word (第八条（四）)',
      ruleSet,
      'conflict_of_interest',
      undefined,
      'justified',
    ],
    [
      'keeps a conflict of interest justified whatever a review says',
      ruleSet,
      'conflict_of_interest',
      'unjustified',
      'justified',
    ],
    ['takes a claimed 无正当理由 as unjustified', ruleSet, 'unjustified', undefined, 'unjustified'],
    [
      'holds a self-declared approved reason for a decision (待认定)',
      ruleSet,
      'approved_other',
      undefined,
      'pending',
    ],
    ['holds illness for a decision', ruleSet, 'illness', undefined, 'pending'],
    [
      'holds a schedule conflict for a decision',
      ruleSet,
      'schedule_conflict',
      undefined,
      'pending',
    ],
    ['holds a decline without a reason for a decision', ruleSet, undefined, undefined, 'pending'],
    ['follows a decision of unjustified', ruleSet, 'approved_other', 'unjustified', 'unjustified'],
    ['follows a decision of justified', ruleSet, 'illness', 'justified', 'justified'],
    [
      'takes illness on the word where the rule set lists it',
      lenient,
      'illness',
      undefined,
      'justified',
    ],
    [
      'reads a stored rule set without the list as before: any claimed reason',
      legacy,
      'approved_other',
      undefined,
      'justified',
    ],
    [
      'reads a stored rule set without the list as before: no reason',
      legacy,
      undefined,
      undefined,
      'unjustified',
    ],
  ])('%s', (_name, set, reason, review, standing) => {
    expect(classifyDecline(set, reason === undefined ? {} : { reason }, review)).toBe(standing);
  });
});

describe('isCountedRefusal / isPendingDecline', () => {
  const record = (
    outcome: InvitationRecord['outcome'],
    extra: Partial<InvitationRecord> = {},
  ): InvitationRecord => ({
    expertId: 'e-1',
    taskId: 't-1',
    at: '2026-03-01T10:00:00+08:00',
    outcome,
    ...extra,
  });

  it.each<[string, InvitationRecord, RuleSet, boolean, boolean]>([
    ['counts silence after delivery', record('timed_out'), ruleSet, true, false],
    [
      'does not count silence when the rule set says so',
      record('timed_out'),
      { ...ruleSet, countsSilenceAfterDelivery: false },
      false,
      false,
    ],
    [
      'counts a decided-unjustified decline',
      record('declined', { reason: 'approved_other', review: 'unjustified' }),
      ruleSet,
      true,
      false,
    ],
    [
      'lists an undecided decline apart',
      record('declined', { reason: 'approved_other' }),
      ruleSet,
      false,
      true,
    ],
    ['never counts an acceptance', record('accepted'), ruleSet, false, false],
    [
      'never counts a no-show as a refusal (attendance data)',
      record('no_show'),
      ruleSet,
      false,
      false,
    ],
  ])('%s', (_name, given, set, counted, pending) => {
    expect(isCountedRefusal(given, set)).toBe(counted);
    expect(isPendingDecline(given, set)).toBe(pending);
  });
});
