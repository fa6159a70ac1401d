import { loadavg } from 'node:os';

/**
 * The p-th percentile (nearest rank) of the samples; NaN when there are none.
 *
 * @example
 * percentile([5, 1, 3], 50); // 3
 */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * The median of the samples (the mean of the two middle ones for an even count, so that two
 * passes do not report the faster one); NaN when there are none.
 *
 * @example
 * median([6.6, 13.6]); // 10.1
 */
export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * The load averages (1, 5 and 15 min) as `a/b/c`, printed beside each figure so that a reader
 * sees what the shared machine was doing when it was taken.
 *
 * @example
 * loadText(); // '7.9/6.2/4.0'
 */
export function loadText(): string {
  return loadavg()
    .map((value) => value.toFixed(1))
    .join('/');
}

/**
 * How much a figure moved from pass to pass: min / median / max and the max over the min, so
 * that a reader can see whether the baseline itself was stable.
 *
 * @example
 * spread([2.1, 1.9, 2.0], 1); // '1.9 / 2.0 / 2.1 (max/min 1.11)'
 */
export function spread(values: readonly number[], digits = 1): string {
  if (values.length === 0) return 'n/a';
  const sorted = [...values].sort((a, b) => a - b);
  const low = sorted[0] as number;
  const high = sorted[sorted.length - 1] as number;
  const ratio = low > 0 ? (high / low).toFixed(2) : 'n/a';
  return `${low.toFixed(digits)} / ${median(sorted).toFixed(digits)} / ${high.toFixed(digits)} (max/min ${ratio})`;
}
