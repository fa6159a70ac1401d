import {
  addDays,
  addYears,
  type EmployerKind,
  type Expert,
  type ExpertState,
  type Group,
  type Industry,
  industriesOfGroup,
  type SafetyEngineerLevel,
  type Tier,
  type Title,
  toShanghaiDate,
} from '@expert-dispatch/rules';
import { COMMON_SPECIALTIES, syntheticRandom, YUNNAN_REGIONS } from './synthetic-random.js';

/** What {@link generatePool} builds. */
export interface GeneratePoolOptions {
  readonly size: number;
  readonly seed: string;
  /** The date-time the pool is "as of": ages, terms and profile dates are set around it. */
  readonly now: string | Date;
}

const EMPLOYER_KINDS: readonly (readonly [EmployerKind, number])[] = [
  ['enterprise', 45],
  ['design_institute', 10],
  ['evaluation_agency', 10],
  ['standardization_agency', 5],
  ['university', 12],
  ['government', 10],
  ['other', 8],
];

const STATES: readonly (readonly [ExpertState, number])[] = [
  ['active', 88],
  ['suspended', 3],
  ['expired', 3],
  ['withdrawn', 2],
  ['dismissed', 1],
  ['public_notice', 2],
  ['under_review', 1],
];

const TITLES: readonly (readonly [Title, number])[] = [
  ['senior_full', 25],
  ['senior_associate', 45],
  ['intermediate', 25],
  ['junior', 3],
  ['none', 2],
];

const GROUPS: readonly (readonly [Group, number])[] = [
  ['metallurgy_nonferrous_machinery', 40],
  ['building_light_textile_tobacco_commerce', 40],
  ['comprehensive', 20],
];

const TIERS: readonly (readonly [Tier, number])[] = [
  ['province', 60],
  ['city', 25],
  ['county', 15],
];

/**
 * A seeded, realistic synthetic pool: Yunnan county codes, about one employer per eight
 * experts across every employer kind, groups and industries of 第五条, glossary specialties,
 * ages 35–72, mostly active experts with sealed 3-year terms, and a few conflicts, declared
 * absences and warnings. The same options give the same pool on every machine.
 *
 * @example
 * const experts = generatePool({ size: 1000, seed: 'demo', now: '2026-03-01T09:00:00+08:00' });
 */
export function generatePool(options: GeneratePoolOptions): Expert[] {
  const random = syntheticRandom(`pool:${options.seed}`);
  const today = toShanghaiDate(options.now);
  const employerCount = Math.max(1, Math.ceil(options.size / 8));
  const employers = Array.from({ length: employerCount }, (_, n) => {
    const kind = random.weighted(EMPLOYER_KINDS);
    return {
      id: `emp-${String(n + 1).padStart(6, '0')}`,
      name: `示例${kind === 'enterprise' ? '企业' : '机构'}${n + 1}`,
      kind,
      region: random.pick(YUNNAN_REGIONS),
    };
  });
  const experts: Expert[] = [];
  for (let n = 0; n < options.size; n++) {
    const employer = random.pick(employers);
    const group = random.weighted(GROUPS);
    const own: readonly Industry[] = industriesOfGroup(group);
    const industries =
      group === 'comprehensive'
        ? random.some(own, random.int(0, 2))
        : random.some(own, random.int(1, Math.min(3, own.length)));
    const status = random.weighted(STATES);
    const termStart = addDays(today, -random.int(0, 3 * 365 + 200));
    const title = random.weighted(TITLES);
    const safetyEngineer: SafetyEngineerLevel | null = random.chance(0.4)
      ? random.weighted([
          ['senior', 1],
          ['intermediate', 3],
          ['assistant', 1],
        ] as const)
      : null;
    const id = `ex-${String(n + 1).padStart(6, '0')}`;
    const expert: Expert = {
      id,
      name: `专家${n + 1}`,
      birthDate: addDays(today, -random.int(35 * 365, 72 * 365)),
      phone: `+86 138${String(random.int(0, 99_999_999)).padStart(8, '0')}`,
      title,
      safetyEngineer,
      practiceYears: random.int(5, 40),
      employer: { id: employer.id, name: employer.name, kind: employer.kind },
      region: random.chance(0.8) ? employer.region : random.pick(YUNNAN_REGIONS),
      tier: random.weighted(TIERS),
      group,
      industries,
      specialties: random.some(COMMON_SPECIALTIES, random.int(1, 4)),
      status,
      appointment: random.chance(0.97)
        ? { from: termStart, to: addDays(addYears(termStart, 3), -1), sealed: random.chance(0.97) }
        : null,
      outstanding: random.chance(0.08),
      ageWaiver: random.chance(0.01),
      profileUpdatedAt: `${addDays(today, -random.int(0, 730))}T10:00:00+08:00`,
      conflicts: random.chance(0.05)
        ? [
            {
              organizationId: `ent-${String(random.int(1, 500)).padStart(4, '0')}`,
              reason: '曾任职',
            },
          ]
        : [],
      unavailable: random.chance(0.04)
        ? [unavailableNear(today, random.int(-10, 40), random.int(1, 10))]
        : [],
      ...(random.chance(0.005) ? { disqualifiedOn: addDays(today, -random.int(1, 900)) } : {}),
      ...(random.chance(0.01)
        ? {
            warnings: [
              {
                on: addDays(today, -random.int(1, 500)),
                article: '第二十三条（一）',
                reason: '无正当理由拒绝两次',
              },
            ],
          }
        : {}),
    };
    experts.push(expert);
  }
  return experts;
}

function unavailableNear(
  today: string,
  offset: number,
  days: number,
): { from: string; to: string } {
  const from = addDays(today, offset);
  return { from: `${from}T00:00:00+08:00`, to: `${addDays(from, days)}T00:00:00+08:00` };
}
