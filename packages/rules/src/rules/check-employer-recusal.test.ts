import { describe, expect, it } from 'vitest';
import { makeExpert, makeTask } from '../fixtures.test-helpers.js';
import type { Employer } from '../schemas/expert.js';
import type { RelatedOrganization } from '../schemas/task.js';
import { checkEmployerRecusal } from './check-employer-recusal.js';

const employer = (id: string, kind: Employer['kind'] = 'design_institute'): Employer => ({
  id,
  name: `单位 ${id}`,
  kind,
});
const related = (id: string, role: RelatedOrganization['role']) => [{ id, role }];

describe('checkEmployerRecusal', () => {
  it.each<[string, Employer, RelatedOrganization[], boolean, string]>([
    [
      'excludes an expert employed by the enterprise served',
      employer('org-steel', 'enterprise'),
      [],
      false,
      '第八条（四）',
    ],
    [
      'excludes an expert whose design institute designed the work',
      employer('org-d'),
      related('org-d', 'designer'),
      false,
      '第十六条（一）',
    ],
    [
      'excludes an expert whose agency evaluated the work',
      employer('org-e', 'evaluation_agency'),
      related('org-e', 'evaluator'),
      false,
      '第十六条（一）',
    ],
    [
      'excludes an expert whose agency reviewed the standardisation',
      employer('org-s', 'standardization_agency'),
      related('org-s', 'standardization_reviewer'),
      false,
      '第十六条（一）',
    ],
    [
      'excludes an expert whose employer is a business partner of the enterprise',
      employer('org-p', 'enterprise'),
      related('org-p', 'business_partner'),
      false,
      '第十六条（一）',
    ],
    [
      'passes an expert from an unrelated design institute',
      employer('org-x'),
      related('org-d', 'designer'),
      true,
      '第十六条（一）',
    ],
  ])('%s', (_name, expertEmployer, relatedOrganizations, ok, article) => {
    const outcome = checkEmployerRecusal(
      makeExpert({ employer: expertEmployer }),
      makeTask({ relatedOrganizations }),
    );
    expect(outcome).toMatchObject({ ruleId: 'employer-recusal', ok, article });
  });

  it('names the role of the linked organisation', () => {
    const outcome = checkEmployerRecusal(
      makeExpert({ employer: employer('org-d') }),
      makeTask({ relatedOrganizations: related('org-d', 'designer') }),
    );
    expect(outcome.message.zh).toContain('设计单位');
  });
});
