import { describe, expect, it } from 'vitest';
import { binomialCeiling } from './binomial-bound.test-helpers.js';

describe('binomialCeiling (the tolerance of the empirical probability-cap tests)', () => {
  it.each([
    // n, p, alpha, ceiling — checked against the exact tail in integer arithmetic
    [10, 0.5, 0.0005, 11], // P(X = 10) = 1/1024 > 0.0005: no count is rare enough
    [10, 0.5, 0.001, 10], // P(X ≥ 10) = 0.00098
    [10, 0.5, 0.05, 9], // P(X ≥ 9) = 11/1024 = 0.0107, P(X ≥ 8) = 0.0547
    [1000, 0.5, 1e-6, 576],
  ])('n = %i, p = %f, alpha = %f → %i', (n, p, alpha, ceiling) => {
    expect(binomialCeiling(n, p, alpha)).toBe(ceiling);
  });
});
