import seedrandom from 'seedrandom';
import { bestOrder, type CandidateOrder, concatOrders, lotteryOrder } from './candidate-order.js';
import { inclusionProbabilities, systematicSample } from './capped-sample.js';
import type { Policy } from './select-panel-types.js';

/** A policy's order over the candidates, and how far the specialty stage may reach into it. */
export type PolicyOrder =
  | { readonly ok: true; readonly order: CandidateOrder; readonly specialtyReach: number }
  | { readonly ok: false; readonly needed: number; readonly available: number };

export interface PolicyOrderRequest {
  readonly policy: Policy;
  readonly seed: string;
  /** A label that separates the random streams of members, shadows…; part of the seed. */
  readonly stream: string;
  readonly candidates: Int32Array;
  readonly scores: Float64Array;
  readonly idHash: Uint32Array;
  /** Seats the policy draws (panel size minus fixed members); used by `capped`. */
  readonly seats: number;
  readonly cap: number;
  /** Candidates that are fixed already: the capped sample is drawn among the others. */
  readonly fixed: ReadonlySet<number>;
}

/**
 * - `best`: highest score first; equal scores in a seeded order.
 * - `lottery`: a weighted random order, weight = score (floored at a small positive share).
 * - `capped`: a sample of `seats` with inclusion probabilities `min(cap, c × weight)` drawn by
 *   systematic sampling, in weighted random order, then the others in weighted random order.
 * All randomness comes from `seedrandom(seed + '#' + stream)`.
 *
 * @example
 * policyOrder({ policy: 'best', … }).order.at(0); // the top-scoring candidate
 */
export function policyOrder(request: PolicyOrderRequest): PolicyOrder {
  const { candidates, scores, policy } = request;
  const random = seedrandom(`${request.seed}#${request.stream}`);
  if (policy === 'best') {
    const salt = random.int32() >>> 0;
    const tieKey = new Uint32Array(candidates.length);
    for (let k = 0; k < candidates.length; k++) {
      tieKey[k] = mix32(((request.idHash[candidates[k] as number] as number) ^ salt) >>> 0);
    }
    return { ok: true, order: bestOrder(candidates, scores, tieKey), specialtyReach: Infinity };
  }
  const weights = lotteryWeights(scores);
  if (policy === 'lottery') {
    return { ok: true, order: lotteryOrder(candidates, weights, random), specialtyReach: Infinity };
  }
  const free = new Int32Array(candidates.length);
  let freeCount = 0;
  for (let k = 0; k < candidates.length; k++) {
    free[freeCount] = k;
    freeCount += request.fixed.has(candidates[k] as number) ? 0 : 1;
  }
  if (request.cap * freeCount < request.seats - 1e-9) {
    return { ok: false, needed: request.seats, available: freeCount };
  }
  const freeWeights = new Float64Array(freeCount);
  for (let j = 0; j < freeCount; j++) freeWeights[j] = weights[free[j] as number] as number;
  const probabilities = inclusionProbabilities(freeWeights, request.seats, request.cap);
  const sample = systematicSample(probabilities, random());
  const sampleCandidates = new Int32Array(sample.length);
  const sampleWeights = new Float64Array(sample.length);
  sample.forEach((j, s) => {
    const k = free[j] as number;
    sampleCandidates[s] = candidates[k] as number;
    sampleWeights[s] = weights[k] as number;
  });
  const sampled = lotteryOrder(sampleCandidates, sampleWeights, random);
  const rest = lotteryOrder(candidates, weights, random);
  return { ok: true, order: concatOrders(sampled, rest), specialtyReach: sample.length };
}

/** Lottery weights: the score, floored at 1% of the largest so that no one has no chance. */
export function lotteryWeights(scores: Float64Array): Float64Array {
  let top = 0;
  for (let k = 0; k < scores.length; k++) top = Math.max(top, scores[k] as number);
  const floor = top > 0 ? top / 100 : 1;
  const weights = new Float64Array(scores.length);
  for (let k = 0; k < scores.length; k++) weights[k] = Math.max(scores[k] as number, floor);
  return weights;
}

/** A 32-bit avalanche (the murmur3 finaliser): a seeded, order-independent tie-break key. */
export function mix32(value: number): number {
  let h = value;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
