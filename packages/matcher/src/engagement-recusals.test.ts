import { describe, expect, it } from 'vitest';
import { explainExclusion } from './explain-exclusion.js';
import { makeExpert, makeExperts, makeTask, NOW } from './fixtures.test-helpers.js';
import { selectPanel } from './select-panel.js';
import { verifyDraw } from './verify-draw.js';

const evaluator = makeExpert('eval-1', {
  employer: { id: 'org-eval', name: '某安全评价公司', kind: 'evaluation_agency' },
});
const engagement = {
  id: 'eg-1',
  kind: 'safety_evaluation' as const,
  from: '2025-01-01',
  to: '2025-03-31',
};

describe('engagement recusal in a draw (第十六条（一）)', () => {
  it('excludes the expert of an agency that evaluated the enterprise and names the engagement', () => {
    const task = makeTask({
      relatedOrganizations: [{ id: 'org-eval', role: 'evaluator', engagement }],
    });
    const input = { task, experts: [evaluator, ...makeExperts(6)], now: NOW, seed: 's-1' };
    const result = selectPanel(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.members.map((m) => m.expertId)).not.toContain('eval-1');
    expect(result.excluded).toContainEqual({
      reasons: ['employer-recusal.related'],
      expertIds: ['eval-1'],
    });
    expect(result.engagementRecusals).toEqual([
      { organizationId: 'org-eval', article: '第十六条（一）', engagement, expertIds: ['eval-1'] },
    ]);
    expect(explainExclusion(input, 'eval-1').evaluation?.reasons[0]?.message.zh).toContain(
      '往来记录 eg-1',
    );
    expect(verifyDraw(input, result).ok).toBe(true);
  });

  it('a dispatcher-named agency still excludes, and the record carries no engagement', () => {
    const task = makeTask({ relatedOrganizations: [{ id: 'org-eval', role: 'evaluator' }] });
    const result = selectPanel({
      task,
      experts: [evaluator, ...makeExperts(6)],
      now: NOW,
      seed: 's-1',
    });
    expect(result.ok && result.members.some((m) => m.expertId === 'eval-1')).toBe(false);
    expect(result.ok && 'engagementRecusals' in result).toBe(false);
  });
});
