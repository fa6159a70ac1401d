import { addDays, type Industry, industries } from '@expert-dispatch/rules';
import { DEMO_EMPLOYERS } from '../src/demo/yunnan-places.js';

/** Days the benchmark's task windows spread over: every day of 2026 and 2027. */
export const WINDOW_DAYS = 730;
const FIRST_DAY = '2026-01-01';
const TASK_TYPES = [
  'enforcement_inspection',
  'site_verification',
  'hazard_investigation',
  'standardization_review',
] as const;

/**
 * The body of the `n`-th `POST /v1/tasks` of the benchmark: its own task id and a one-day
 * window (08:30–18:00, Asia/Shanghai) on day `n mod 730` of 2026–2027, so that bookings rarely
 * compete and the pool does not run dry; panel 5 with 5 alternates; one industry, every third
 * request two; the enterprise is one of the demo employers (so its own experts are recused).
 *
 * @example
 * const body = taskBody(0); // { id: 'tb-000000', window: { from: '2026-01-01T08:30:00+08:00', … } }
 */
export function taskBody(n: number) {
  const day = addDays(FIRST_DAY, n % WINDOW_DAYS);
  const all = industries.values as readonly Industry[];
  const first = all[n % all.length] as Industry;
  const second = all[(n + 3) % all.length] as Industry;
  const employer = DEMO_EMPLOYERS[n % DEMO_EMPLOYERS.length];
  return {
    id: `tb-${String(n).padStart(6, '0')}`,
    type: TASK_TYPES[n % TASK_TYPES.length],
    industries: n % 3 === 0 ? [first, second] : [first],
    enterprise: {
      id: employer?.id ?? 'org-bench',
      name: employer?.name ?? '基准测试企业',
      region: employer?.city ?? '530100',
    },
    window: { from: `${day}T08:30:00+08:00`, to: `${day}T18:00:00+08:00` },
    panelSize: 5,
    alternates: 5,
    policy: 'lottery',
  };
}

/**
 * The Idempotency-Key of the `n`-th request: distinct for every request.
 *
 * @example
 * idempotencyKeyOf(42); // 'bench-00000042'
 */
export function idempotencyKeyOf(n: number): string {
  return `bench-${String(n).padStart(8, '0')}`;
}
