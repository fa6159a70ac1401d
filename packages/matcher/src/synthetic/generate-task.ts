import {
  addDays,
  type Expert,
  industries,
  type Task,
  taskTypes,
  toShanghaiDate,
} from '@expert-dispatch/rules';
import { COMMON_SPECIALTIES, syntheticRandom, YUNNAN_REGIONS } from './synthetic-random.js';

/** What {@link generateTask} builds; defaults are the benchmark's task. */
export interface GenerateTaskOptions {
  readonly seed: string;
  readonly now: string | Date;
  /** When given, one of its employers is named as the designer of the work (recusal applies). */
  readonly experts?: readonly Expert[];
  readonly industries?: number;
  readonly specialties?: number;
  readonly panelSize?: number;
  readonly alternates?: number;
  readonly shadows?: number;
}

/**
 * A seeded synthetic task a week after `now`, two days long (09:00 to 18:00 the next day,
 * Asia/Shanghai), with distinct industries and specialties.
 *
 * @example
 * generateTask({ seed: 't', now: '2026-03-01T09:00:00+08:00' }).panelSize; // 5
 */
export function generateTask(options: GenerateTaskOptions): Task {
  const random = syntheticRandom(`task:${options.seed}`);
  const start = addDays(toShanghaiDate(options.now), 7);
  const designer =
    options.experts !== undefined && options.experts.length > 0
      ? random.pick(options.experts).employer.id
      : 'org-designer';
  const region = random.pick(YUNNAN_REGIONS);
  return {
    id: `task-${options.seed}`,
    type: random.pick(taskTypes.values),
    industries: random.some(industries.values, options.industries ?? 2),
    specialties: random.some(COMMON_SPECIALTIES, options.specialties ?? 2),
    enterprise: {
      id: `ent-${String(random.int(1, 500)).padStart(4, '0')}`,
      name: '示例生产经营单位',
      region,
    },
    relatedOrganizations: [{ id: designer, role: 'designer' }],
    window: { from: `${start}T09:00:00+08:00`, to: `${addDays(start, 1)}T18:00:00+08:00` },
    panelSize: options.panelSize ?? 5,
    alternates: options.alternates ?? 5,
    requestedBy: { authorityId: `auth-${region}`, tier: 'county', region },
    shadows: options.shadows ?? 0,
  };
}
