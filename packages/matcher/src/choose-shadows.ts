import { type RequestingAuthority, tiers } from '@expert-dispatch/rules';
import { policyOrder } from './policy-order.js';
import type { PreparedPool } from './prepare-pool.js';
import type { ResolvedDraw } from './resolve-draw.js';
import { totalScore } from './score-expert.js';
import type { ScoringContext } from './scoring-context.js';

/**
 * The experts who may shadow the panel to learn (跟班学习, 第二十一条（三）): eligible under the
 * same dispatch rules (so recusal applies), in the requesting authority's own pool — the same
 * tier, based within its area (same county for a county, same city or prefecture for a city,
 * the province for a provincial request) — and neither members nor alternates.
 *
 * @example
 * shadowCandidates(pool, eligible, { authorityId: 'a', tier: 'county', region: '530102' }, taken);
 */
export function shadowCandidates(
  pool: PreparedPool,
  eligible: Int32Array,
  authority: RequestingAuthority,
  taken: ReadonlySet<number>,
): Int32Array {
  const tier = tiers.values.indexOf(authority.tier);
  const inArea = areaTest(pool, authority);
  const result: number[] = [];
  for (const index of eligible) {
    if (pool.tier[index] === tier && !taken.has(index) && inArea(index)) result.push(index);
  }
  return Int32Array.from(result);
}

/**
 * Whether a record is in the requesting authority's own pool: its tier, based in its area.
 *
 * @example
 * const own = ownPoolTest(pool, task.requestedBy);
 * own(pool.indexOf.get('e-km-1') as number); // true for a Kunming record in a Kunming request
 */
export function ownPoolTest(
  pool: PreparedPool,
  authority: RequestingAuthority,
): (index: number) => boolean {
  const tier = tiers.values.indexOf(authority.tier);
  const inArea = areaTest(pool, authority);
  return (index) => pool.tier[index] === tier && inArea(index);
}

function areaTest(pool: PreparedPool, authority: RequestingAuthority): (index: number) => boolean {
  if (authority.tier === 'county') {
    const region = pool.regionIndex.get(authority.region) ?? -1;
    return (index) => pool.region[index] === region;
  }
  if (authority.tier === 'city') {
    const city = pool.cityIndex.get(`${authority.region.slice(0, 4)}00`) ?? -1;
    return (index) => pool.city[index] === city;
  }
  const province = authority.region.slice(0, 2);
  return (index) => (pool.experts[index]?.region ?? '').startsWith(province);
}

/**
 * Draws up to `task.shadows` shadows (第二十一条（三）) among the eligible local experts not
 * already taken, in the draw's policy order (lottery for `capped`), on their own random stream.
 *
 * @example
 * chooseShadows(draw, scoring, eligible, new Set(members)); // e.g. [812, 97]
 */
export function chooseShadows(
  draw: ResolvedDraw,
  scoring: ScoringContext,
  candidates: Int32Array,
  taken: ReadonlySet<number>,
): number[] {
  if (draw.task.shadows === 0) return [];
  const pool = draw.pool;
  const local = shadowCandidates(pool, candidates, draw.task.requestedBy, taken);
  const ordered = policyOrder({
    policy: draw.policy === 'best' ? 'best' : 'lottery',
    seed: draw.seed,
    stream: 'shadows',
    candidates: local,
    scores: Float64Array.from(local, (index) => totalScore(scoring, index)),
    idHash: pool.idHash,
    seats: draw.task.shadows,
    cap: 1,
    fixed: new Set(),
  });
  const chosen: number[] = [];
  if (!ordered.ok) return chosen;
  for (let k = 0; chosen.length < draw.task.shadows; k++) {
    const index = ordered.order.at(k);
    if (index < 0) break;
    chosen.push(index);
  }
  return chosen;
}
