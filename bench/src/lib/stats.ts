// The few statistics the benchmark reports, in one place.

/** The middle value (the upper one of the two middles for an even count). */
export function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
}

/**
 * The mean and the half-width of its 95% confidence interval (Student's t, so that a few dozen
 * rounds are not read as more certain than they are).
 */
export function meanInterval(values: number[]): { mean: number; half: number } {
  const n = values.length;
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  if (n < 2) return { mean, half: Number.NaN };
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  return { mean, half: tQuantile975(n - 1) * Math.sqrt(variance / n) };
}

/** Student's t 97.5% quantile: exact to three decimals from 3 degrees of freedom on. */
function tQuantile975(df: number): number {
  return 1.96 + 2.37 / df + 2.8 / df ** 2;
}
