import { type Industry, industries, rankTitle, type Title } from '@expert-dispatch/rules';
import type { CandidateTraits } from './assemble-panel.js';
import type { ResolvedDraw } from './resolve-draw.js';
import { specialtyMaskOf } from './score-expert.js';
import type { ScoringContext } from './scoring-context.js';

/**
 * What the panel constraints read about a candidate, from the prepared pool's columns:
 * employer, task-local industry coverage (a comprehensive-group expert covers every industry,
 * 第五条), leader title (the rule set's `panel.leaderTitles`) and task specialties held.
 *
 * @example
 * traitsOf(draw, scoring).coverOf(index); // 0b11 for an expert serving both task industries
 */
export function traitsOf(draw: ResolvedDraw, scoring: ScoringContext): CandidateTraits {
  const { pool, task, ruleSet } = draw;
  const full = (1 << task.industries.length) - 1;
  const localCover = localCoverTable(task.industries);
  const leaderRank = leaderRankTable(ruleSet.panel.leaderTitles);
  return {
    employerCount: pool.employerIndex.size,
    employerOf: (index) => pool.employer[index] as number,
    coverOf: (index) =>
      pool.comprehensive[index] === 1
        ? full
        : (localCover[pool.industryMask[index] as number] as number),
    isLeaderTitled: (index) => leaderRank[pool.titleRank[index] as number] === 1,
    specialtiesOf: (index) => specialtyMaskOf(scoring, index),
  };
}

/**
 * How many candidates there are of each kind — `coverage × 2 + (leader title ? 1 : 0)` — read
 * once per draw straight from the pool's columns for the feasibility checks.
 *
 * @example
 * countKinds(draw, eligible)[0b11 * 2 + 1]; // candidates covering both industries, leader-titled
 */
export function countKinds(draw: ResolvedDraw, candidates: Int32Array): Int32Array {
  const { pool, task, ruleSet } = draw;
  const full = (1 << task.industries.length) - 1;
  const localCover = localCoverTable(task.industries);
  const leaderRank = leaderRankTable(ruleSet.panel.leaderTitles);
  const counts = new Int32Array(1 << (task.industries.length + 1));
  const { comprehensive, industryMask, titleRank } = pool;
  for (let k = 0; k < candidates.length; k++) {
    const index = candidates[k] as number;
    const cover =
      comprehensive[index] === 1 ? full : (localCover[industryMask[index] as number] as number);
    const kind = cover * 2 + (leaderRank[titleRank[index] as number] as number);
    counts[kind] = (counts[kind] as number) + 1;
  }
  return counts;
}

/** Per vocabulary industry mask, the task-local coverage (bit j = the task's j-th industry). */
function localCoverTable(taskIndustries: readonly Industry[]): Uint8Array {
  const table = new Uint8Array(256);
  for (let mask = 0; mask < 256; mask++) {
    taskIndustries.forEach((industry, j) => {
      if (mask & (1 << industries.values.indexOf(industry))) {
        table[mask] = (table[mask] as number) | (1 << j);
      }
    });
  }
  return table;
}

/** Per title rank, 1 when the title may lead a panel (第五条). */
function leaderRankTable(leaderTitles: readonly Title[]): Uint8Array {
  const table = new Uint8Array(8);
  for (const title of leaderTitles) table[rankTitle(title)] = 1;
  return table;
}
