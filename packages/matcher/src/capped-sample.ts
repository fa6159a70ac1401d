/**
 * Inclusion probabilities for a sample of `k` with none above `cap`: `πᵢ = min(cap, c·wᵢ)` with
 * `c` chosen so that they sum to `k` — the weight an expert cannot use is spread over the
 * others, as in the randomized assignment of Jecmen et al. (2020). Needs `cap × n ≥ k`.
 *
 * @example
 * inclusionProbabilities(Float64Array.of(8, 1, 1), 2, 0.9); // [0.9, 0.55, 0.55]
 */
export function inclusionProbabilities(
  weights: Float64Array,
  k: number,
  cap: number,
): Float64Array {
  const n = weights.length;
  const capped = new Uint8Array(n);
  const probabilities = new Float64Array(n);
  if (k <= 0) return probabilities;
  let cappedCount = 0;
  for (;;) {
    let free = 0;
    for (let i = 0; i < n; i++) if (capped[i] === 0) free += weights[i] as number;
    const scale = free > 0 ? (k - cap * cappedCount) / free : 0;
    let changed = false;
    for (let i = 0; i < n; i++) {
      if (capped[i] === 0 && scale * (weights[i] as number) >= cap) {
        capped[i] = 1;
        cappedCount++;
        changed = true;
      }
    }
    if (!changed || cappedCount === n) {
      for (let i = 0; i < n; i++) {
        probabilities[i] = capped[i] === 1 ? cap : Math.min(cap, scale * (weights[i] as number));
      }
      return probabilities;
    }
  }
}

/**
 * Systematic sampling (Madow): one uniform start `u`, and position `i` is taken when the running
 * sum of probabilities passes `u + j` for the next whole `j`. Each position is taken with
 * probability exactly `πᵢ`; the sample has `round(Σπ)` positions.
 *
 * @example
 * systematicSample(Float64Array.of(0.5, 0.5, 1), 0.3); // [0, 2]
 */
export function systematicSample(probabilities: Float64Array, start: number): number[] {
  const sample: number[] = [];
  let sum = 0;
  let next = start;
  for (let i = 0; i < probabilities.length; i++) {
    sum += probabilities[i] as number;
    if (sum > next) {
      sample.push(i);
      next += 1;
    }
  }
  return sample;
}
