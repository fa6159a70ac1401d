/**
 * The smallest count c such that a Binomial(n, p) count reaches c with probability at most
 * `alpha`: an empirical frequency of c/n or more over n independent runs is evidence (at level
 * alpha) that the true probability exceeds p. Exact tail, summed in log space.
 *
 * @example
 * binomialCeiling(1000, 0.5, 1e-6); // 578: 578 or more heads in 1000 fair tosses has P ≤ 1e-6
 */
export function binomialCeiling(n: number, p: number, alpha: number): number {
  if (p >= 1) return n + 1;
  if (p <= 0) return 1;
  const logPmf = new Float64Array(n + 1);
  logPmf[0] = n * Math.log1p(-p);
  const ratio = Math.log(p) - Math.log1p(-p);
  for (let k = 0; k < n; k++) {
    logPmf[k + 1] = (logPmf[k] as number) + Math.log((n - k) / (k + 1)) + ratio;
  }
  // Tail P(X ≥ c) from the top down, until it exceeds alpha.
  let tail = 0;
  for (let c = n; c >= 0; c--) {
    tail += Math.exp(logPmf[c] as number);
    if (tail > alpha) return c + 1;
  }
  return 0;
}
