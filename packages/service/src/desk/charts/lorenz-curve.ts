/** One point of a Lorenz curve: the share of experts (x) and the share of tasks they carry (y). */
export interface LorenzPoint {
  readonly x: number;
  readonly y: number;
}

/**
 * The Lorenz curve of a workload: experts sorted from the least to the most loaded, and after
 * each one the cumulative share of experts and of tasks. It starts at (0, 0) and ends at (1, 1);
 * the further it sags below the diagonal, the more the tasks sit with a few experts. Empty
 * input, or nobody dispatched, gives the diagonal (perfect equality: nobody carries more).
 *
 * @example
 * lorenzCurve([0, 0, 0, 4]); // (0,0) (0.25,0) (0.5,0) (0.75,0) (1,1)
 */
export function lorenzCurve(values: readonly number[]): LorenzPoint[] {
  const sorted = values
    .filter((value) => Number.isFinite(value) && value >= 0)
    .sort((a, b) => a - b);
  const n = sorted.length;
  const total = sorted.reduce((sum, value) => sum + value, 0);
  if (n === 0 || total === 0)
    return [
      { x: 0, y: 0 },
      { x: 1, y: 1 },
    ];
  const points: LorenzPoint[] = [{ x: 0, y: 0 }];
  let running = 0;
  sorted.forEach((value, index) => {
    running += value;
    points.push({ x: (index + 1) / n, y: running / total });
  });
  return points;
}

/**
 * The Gini coefficient read off a Lorenz curve: one minus twice the area under it (trapezoids),
 * `G = 1 − Σ (xₖ − xₖ₋₁)(yₖ + yₖ₋₁)`. Equals the pair-difference Gini the reports print
 * (matcher's `giniCoefficient`), so the chart and the table never disagree.
 *
 * @example
 * giniOfLorenz(lorenzCurve([0, 0, 0, 4])); // 0.75
 */
export function giniOfLorenz(points: readonly LorenzPoint[]): number {
  let area = 0;
  for (let k = 1; k < points.length; k++) {
    const previous = points[k - 1] as LorenzPoint;
    const point = points[k] as LorenzPoint;
    area += ((point.x - previous.x) * (point.y + previous.y)) / 2;
  }
  return Math.max(0, 1 - 2 * area);
}
