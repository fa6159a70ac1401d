import { describe, expect, it } from 'vitest';
import { makeExpert, makeTask } from '../fixtures.test-helpers.js';
import { expertSchema } from './expert.js';
import { historySchema } from './history.js';
import { taskSchema } from './task.js';

const pathsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((issue) => issue.path.map(String).join('.')) ?? [];

describe('expertSchema', () => {
  it('accepts a complete expert', () => {
    expect(expertSchema.safeParse(makeExpert()).success).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a birth date that does not exist', { birthDate: '1970-02-30' }, 'birthDate'],
    ['a birth date in another format', { birthDate: '1970/01/01' }, 'birthDate'],
    ['an unknown industry', { industries: ['metallurgy', 'mining'] }, 'industries.1'],
    ['an unknown title', { title: 'professor' }, 'title'],
    [
      'an unknown employer kind',
      { employer: { id: 'o', name: '单位', kind: 'bank' } },
      'employer.kind',
    ],
    ['a region that is not a 6-digit code', { region: '5301' }, 'region'],
    [
      'a term ending before it starts',
      { appointment: { from: '2026-01-01', to: '2025-01-01', sealed: true } },
      'appointment.to',
    ],
    [
      'an unavailable period ending before it starts',
      { unavailable: [{ from: '2026-03-02T10:00:00+08:00', to: '2026-03-02T09:00:00+08:00' }] },
      'unavailable.0.to',
    ],
    [
      'a date-time without an offset',
      { profileUpdatedAt: '2026-06-01T10:00:00' },
      'profileUpdatedAt',
    ],
    ['negative practice years', { practiceYears: -1 }, 'practiceYears'],
    ['a malformed ID number', { idNumber: '53010219700101123' }, 'idNumber'],
  ])('rejects %s at its path', (_name, patch, path) => {
    expect(pathsOf(expertSchema.safeParse({ ...makeExpert(), ...patch }))).toContain(path);
  });

  it('reports a missing field by name', () => {
    const { phone: _phone, ...withoutPhone } = makeExpert();
    expect(pathsOf(expertSchema.safeParse(withoutPhone))).toContain('phone');
  });

  it('accepts names outside the Basic Multilingual Plane and with middle dots', () => {
    for (const name of ['𠀀𠀁', '阿依古丽·买买提', '李 明']) {
      expect(expertSchema.safeParse(makeExpert({ name })).success).toBe(true);
    }
  });
});

describe('taskSchema', () => {
  it('accepts a complete task', () => {
    expect(taskSchema.safeParse(makeTask()).success).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a window ending before it starts',
      { window: { from: '2026-03-03T00:00:00+08:00', to: '2026-03-02T00:00:00+08:00' } },
      'window.to',
    ],
    ['an unknown task type', { type: 'party' }, 'type'],
    ['no industry', { industries: [] }, 'industries'],
    ['a repeated industry', { industries: ['metallurgy', 'metallurgy'] }, 'industries'],
    ['a panel of zero', { panelSize: 0 }, 'panelSize'],
    [
      'more industries than members',
      { industries: ['metallurgy', 'tobacco'], panelSize: 1 },
      'panelSize',
    ],
    [
      'an unknown related-organisation role',
      { relatedOrganizations: [{ id: 'o', role: 'friend' }] },
      'relatedOrganizations.0.role',
    ],
    [
      'an unknown requesting tier',
      { requestedBy: { authorityId: 'a', tier: 'nation', region: '530000' } },
      'requestedBy.tier',
    ],
  ])('rejects %s at its path', (_name, patch, path) => {
    expect(pathsOf(taskSchema.safeParse({ ...makeTask(), ...patch }))).toContain(path);
  });
});

describe('historySchema', () => {
  const record = { expertId: 'e-1', taskId: 't-1', at: '2026-03-01T10:00:00+08:00' };

  it('accepts a decline with a reason', () => {
    const history = {
      invitations: [{ ...record, outcome: 'declined', reason: 'illness' }],
      ratings: [],
      busy: [],
    };
    expect(historySchema.safeParse(history).success).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a reason on an accepted invitation',
      {
        invitations: [{ ...record, outcome: 'accepted', reason: 'illness' }],
        ratings: [],
        busy: [],
      },
      'invitations.0.reason',
    ],
    [
      'an unknown outcome',
      { invitations: [{ ...record, outcome: 'maybe' }], ratings: [], busy: [] },
      'invitations.0.outcome',
    ],
    [
      'a rating of 6',
      { invitations: [], ratings: [{ ...record, score: 6 }], busy: [] },
      'ratings.0.score',
    ],
    [
      'a rating of 3.5',
      { invitations: [], ratings: [{ ...record, score: 3.5 }], busy: [] },
      'ratings.0.score',
    ],
  ])('rejects %s at its path', (_name, history, path) => {
    expect(pathsOf(historySchema.safeParse(history))).toContain(path);
  });
});
