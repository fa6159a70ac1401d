import {
  addDays,
  addYears,
  type Expert,
  type Group,
  INDUSTRY_GROUP,
  type Industry,
  toShanghaiDate,
} from '@expert-dispatch/rules';
import { DEMO_EMPLOYERS, GIVEN_NAME_CHARACTERS, SURNAMES, YUNNAN_CITIES } from './yunnan-places.js';

/** A small deterministic PRNG (mulberry32), so that one seed always gives one demo pool. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  return { next, int, pick };
}

const SPECIALTIES_OF: Readonly<Record<Industry, readonly string[]>> = {
  metallurgy: ['molten_metal', 'gas', 'confined_space', 'special_equipment', 'electrical'],
  nonferrous: ['molten_metal', 'deep_well_casting', 'hazardous_chemicals', 'confined_space'],
  machinery: ['special_equipment', 'electrical', 'dust_explosion', 'fire'],
  building_materials: ['dust_explosion', 'confined_space', 'special_equipment'],
  light_industry: ['dust_explosion', 'ammonia_refrigeration', 'fire', 'hazardous_chemicals'],
  textiles: ['dust_explosion', 'fire', 'electrical'],
  tobacco: ['dust_explosion', 'fire', 'occupational_health'],
  commerce: ['fire', 'ammonia_refrigeration', 'hazardous_chemicals', 'electrical'],
};

const ALL_INDUSTRIES = Object.keys(SPECIALTIES_OF) as Industry[];

/**
 * A realistic, reproducible provincial pool of Yunnan experts for demos: names, employers and
 * places from the province, mostly active with sealed terms, a few in other states. Personal
 * data is made up (phone numbers in the 139 0000 range, ID numbers with valid check digits).
 *
 * @example
 * const pool = generateDemoPool({ size: 300, seed: 1, now: new Date('2026-03-02T00:00:00Z') });
 * pool.length; // 300
 */
export function generateDemoPool(options: {
  readonly size: number;
  readonly seed: number;
  readonly now: Date;
}): Expert[] {
  const random = createRandom(options.seed);
  const today = toShanghaiDate(options.now);
  const cityBag = YUNNAN_CITIES.flatMap((city) => Array.from({ length: city.weight }, () => city));
  return Array.from({ length: options.size }, (_, index): Expert => {
    const employer = random.pick(DEMO_EMPLOYERS);
    const city = YUNNAN_CITIES.find((c) => c.code === employer.city) ?? random.pick(cityBag);
    const region = random.pick(city.counties);
    const birthYear = random.int(1962, 1988);
    const birthDate = `${birthYear}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`;
    const comprehensive = employer.industry === null || random.next() < 0.12;
    const main = employer.industry ?? random.pick(ALL_INDUSTRIES);
    const group: Group = comprehensive ? 'comprehensive' : INDUSTRY_GROUP[main];
    const industries = comprehensive
      ? pickSome(random, ALL_INDUSTRIES, random.int(2, 4))
      : [
          main,
          ...pickSome(
            random,
            ALL_INDUSTRIES.filter((i) => i !== main && INDUSTRY_GROUP[i] === group),
            random.int(0, 1),
          ),
        ];
    const specialties = [
      ...new Set(industries.flatMap((i) => pickSome(random, SPECIALTIES_OF[i], 1))),
    ].slice(0, 3);
    const roll = random.next();
    const title = roll < 0.25 ? 'senior_full' : roll < 0.82 ? 'senior_associate' : 'intermediate';
    const practiceYears = Math.max(
      5,
      Math.min(40, Number(today.slice(0, 4)) - birthYear - 24 + random.int(-2, 3)),
    );
    const { status, appointment } = demoStatus(random.next(), random.int(0, 2), today);
    return {
      id: `yn-e-${pad(index + 1, 4)}`,
      name:
        random.pick(SURNAMES) +
        random.pick(GIVEN_NAME_CHARACTERS) +
        (random.next() < 0.7 ? random.pick(GIVEN_NAME_CHARACTERS) : ''),
      birthDate,
      phone: `1390000${pad(index % 10_000, 4)}`,
      idNumber: withCheckDigit(
        `${region}${birthDate.replaceAll('-', '')}${pad(random.int(0, 999), 3)}`,
      ),
      title,
      safetyEngineer:
        title === 'intermediate' ? 'intermediate' : random.next() < 0.4 ? 'senior' : null,
      practiceYears,
      employer: { id: employer.id, name: employer.name, kind: employer.kind },
      region,
      tier: 'province',
      group,
      industries,
      specialties,
      status,
      appointment,
      outstanding: random.next() < 0.05,
      ageWaiver: false,
      profileUpdatedAt: new Date(
        options.now.getTime() - random.int(1, 700) * 86_400_000,
      ).toISOString(),
      conflicts: demoConflicts(random, employer.id),
      unavailable: [],
    };
  });
}

const CONFLICT_REASONS = ['曾在该单位任职', '直系亲属在该单位任职', '近三年与该单位有业务往来'];

// About one expert in fifteen declares a conflict (利害关系, 第八条（四）) with another unit.
function demoConflicts(random: ReturnType<typeof createRandom>, employerId: string) {
  if (random.next() >= 0.07) return [];
  const others = DEMO_EMPLOYERS.filter((e) => e.id !== employerId);
  return [{ organizationId: random.pick(others).id, reason: random.pick(CONFLICT_REASONS) }];
}

function demoStatus(
  roll: number,
  termOffsetYears: number,
  today: string,
): Pick<Expert, 'status' | 'appointment'> {
  const from = addYears(`${today.slice(0, 4)}-01-01`, -termOffsetYears);
  const term = { from, to: addDays(addYears(from, 3), -1), sealed: true };
  if (roll < 0.86) return { status: 'active', appointment: term };
  if (roll < 0.9) return { status: 'suspended', appointment: term };
  if (roll < 0.93) {
    const to = addDays(today, -30);
    return {
      status: 'expired',
      appointment: { from: addDays(addYears(to, -3), 1), to, sealed: true },
    };
  }
  if (roll < 0.96) return { status: 'under_review', appointment: null };
  return { status: 'applied', appointment: null };
}

function pickSome<T>(
  random: ReturnType<typeof createRandom>,
  list: readonly T[],
  count: number,
): T[] {
  const pool = [...list];
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0) {
    chosen.push(pool.splice(Math.floor(random.next() * pool.length), 1)[0] as T);
  }
  return chosen;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

// GB 11643: ISO 7064 MOD 11-2 check digit of the first 17 digits.
function withCheckDigit(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = first17
    .split('')
    .reduce((acc, digit, i) => acc + Number(digit) * (weights[i] ?? 0), 0);
  return first17 + '10X98765432'[sum % 11];
}
