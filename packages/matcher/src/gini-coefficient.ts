/**
 * The Gini coefficient of a workload (tasks per expert): 0 when every expert carries the same
 * number of tasks, approaching 1 when a few popular experts carry them all. Computed as the mean
 * absolute difference over all ordered pairs divided by twice the mean,
 * `G = Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² x̄)`, in O(n log n) through the sorted form
 * `G = 2 Σᵢ i·x₍ᵢ₎ / (n Σ x) − (n + 1) / n` (i = 1…n, ascending). Experts with no task count,
 * as zeros: leaving them out would hide the very unevenness the report is for.
 *
 * Returns null when there is nobody to compare (an empty list) or a value is negative or not a
 * finite number; 0 when all values are 0 (nobody carries more than anyone else).
 *
 * @example
 * giniCoefficient([1, 1, 1, 1]); // 0
 * giniCoefficient([0, 0, 0, 4]); // 0.75
 * giniCoefficient([1, 2, 3]); // 0.2222… (2/9)
 */
export function giniCoefficient(values: readonly number[]): number | null {
  const n = values.length;
  if (n === 0) return null;
  if (values.some((value) => !Number.isFinite(value) || value < 0)) return null;
  const sorted = [...values].sort((a, b) => a - b);
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    const value = sorted[i] as number;
    total += value;
    weighted += (i + 1) * value;
  }
  if (total === 0) return 0;
  const gini = (2 * weighted) / (n * total) - (n + 1) / n;
  // Rounding can leave a hair below 0 for equal values.
  return Math.max(0, gini);
}
