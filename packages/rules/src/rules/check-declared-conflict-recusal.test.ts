import { describe, expect, it } from 'vitest';
import { makeExpert, makeTask } from '../fixtures.test-helpers.js';
import type { Conflict } from '../schemas/expert.js';
import { checkDeclaredConflictRecusal } from './check-declared-conflict-recusal.js';

const conflict = (organizationId: string): Conflict => ({ organizationId, reason: '近亲属任职' });

describe('checkDeclaredConflictRecusal (第八条（四）)', () => {
  it.each<[string, Conflict[], boolean]>([
    [
      'excludes an expert with a declared conflict with the enterprise',
      [conflict('org-steel')],
      false,
    ],
    [
      'excludes an expert with a declared conflict with the designer of the work',
      [conflict('org-design')],
      false,
    ],
    ['passes an expert whose conflicts concern other organisations', [conflict('org-other')], true],
    ['passes an expert with no declared conflicts', [], true],
  ])('%s', (_name, conflicts, ok) => {
    const outcome = checkDeclaredConflictRecusal(makeExpert({ conflicts }), makeTask());
    expect(outcome).toMatchObject({
      ruleId: 'declared-conflict-recusal',
      article: '第八条（四）',
      ok,
    });
  });

  it('quotes the declared reason', () => {
    const outcome = checkDeclaredConflictRecusal(
      makeExpert({ conflicts: [conflict('org-steel')] }),
      makeTask(),
    );
    expect(outcome.message.zh).toContain('近亲属任职');
  });
});
