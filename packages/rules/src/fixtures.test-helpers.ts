import type { Expert } from './schemas/expert.js';
import type { Task } from './schemas/task.js';

/** A dispatchable metallurgy expert, 50 on the default task date; override what a case needs. */
export function makeExpert(overrides: Partial<Expert> = {}): Expert {
  return {
    id: 'e-1',
    name: '张伟',
    birthDate: '1976-05-20',
    phone: '13800000001',
    title: 'senior_associate',
    safetyEngineer: null,
    practiceYears: 20,
    employer: { id: 'org-univ', name: '昆明理工大学', kind: 'university' },
    region: '530102',
    tier: 'province',
    group: 'metallurgy_nonferrous_machinery',
    industries: ['metallurgy'],
    specialties: ['molten_metal', 'gas'],
    status: 'active',
    appointment: { from: '2026-01-01', to: '2028-12-31', sealed: true },
    outstanding: false,
    ageWaiver: false,
    profileUpdatedAt: '2026-06-01T10:00:00+08:00',
    conflicts: [],
    unavailable: [],
    ...overrides,
  };
}

/** A two-day metallurgy inspection on 2026-03-02–03 (Asia/Shanghai). */
export function makeTask(overrides: Partial<Task> = {}): Task {
  return {
    id: 't-1',
    type: 'enforcement_inspection',
    industries: ['metallurgy'],
    specialties: ['molten_metal'],
    enterprise: { id: 'org-steel', name: '昆明钢铁有限公司', region: '530111' },
    relatedOrganizations: [{ id: 'org-design', role: 'designer' }],
    window: { from: '2026-03-02T08:30:00+08:00', to: '2026-03-03T18:00:00+08:00' },
    panelSize: 3,
    alternates: 2,
    requestedBy: { authorityId: 'yn-yjt', tier: 'province', region: '530000' },
    shadows: 0,
    ...overrides,
  };
}
