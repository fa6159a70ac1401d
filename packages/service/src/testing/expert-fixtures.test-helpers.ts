/**
 * A valid new expert (ExpertInput) for the suites; override any field.
 *
 * @example
 * makeExpert({ id: 'e-1', tier: 'city' });
 */
export function makeExpert(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'e-0001',
    name: '张明华',
    birthDate: '1975-06-15',
    phone: '13812345678',
    idNumber: '53010219750615123X',
    title: 'senior_associate',
    safetyEngineer: 'intermediate',
    practiceYears: 20,
    employer: { id: 'org-kgjt', name: '昆明钢铁集团有限公司', kind: 'enterprise' },
    region: '530102',
    tier: 'province',
    group: 'metallurgy_nonferrous_machinery',
    industries: ['metallurgy', 'machinery'],
    specialties: ['molten_metal', 'gas'],
    ...overrides,
  };
}

/** An active expert with a sealed 3-year term covering 2026. */
export function makeActiveExpert(overrides: Record<string, unknown> = {}) {
  return makeExpert({
    status: 'active',
    appointment: { from: '2025-01-01', to: '2027-12-31', sealed: true },
    ...overrides,
  });
}
