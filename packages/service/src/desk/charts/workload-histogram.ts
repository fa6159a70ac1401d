/** One bar of a histogram: its label and how many it counts. */
export interface Bar {
  readonly label: string;
  readonly value: number;
}

/**
 * The workload distribution: how many experts served 0, 1, 2, … tasks. Every count from 0 to
 * the largest has its bar, empty ones included, so the shape is not distorted; loads from
 * `openFrom` up share one last bar (`≥ openFrom`) so that one very busy expert does not stretch
 * the axis into dozens of empty bars.
 *
 * @example
 * workloadHistogram([0, 0, 1, 3]); // 0:2, 1:1, 2:0, 3:1
 */
export function workloadHistogram(values: readonly number[], openFrom = 10): Bar[] {
  const counts = values.filter((value) => Number.isInteger(value) && value >= 0);
  const largest = counts.reduce((most, value) => Math.max(most, value), 0);
  const last = Math.min(largest, openFrom);
  const bars = Array.from({ length: last + 1 }, (_, index) => ({
    label: index === openFrom ? `≥${openFrom}` : String(index),
    value: 0,
  }));
  for (const value of counts) {
    const bar = bars[Math.min(value, openFrom)];
    if (bar !== undefined) bar.value += 1;
  }
  return bars;
}
