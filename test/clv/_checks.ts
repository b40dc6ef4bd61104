import { expect } from 'vitest';

/**
 * Checks that P(X(t) = n) summed over n < nMax is 1 (to `sumDigits`) and that its mean
 * Σ n·P(X(t) = n) equals E[X(t)] (to `meanDigits`).
 */
export function expectPurchaseDistribution(
  m: { probabilityOfPurchases(n: number, t: number): number; expectedPurchases(t: number): number },
  t: number,
  nMax: number,
  sumDigits: number,
  meanDigits: number,
): void {
  let s = 0;
  let mean = 0;
  for (let n = 0; n < nMax; n++) {
    const p = m.probabilityOfPurchases(n, t);
    s += p;
    mean += n * p;
  }
  expect(s).toBeCloseTo(1, sumDigits);
  expect(mean).toBeCloseTo(m.expectedPurchases(t), meanDigits);
}

/** Checks that every fitted parameter is within 4 standard errors of the simulated truth. */
export function expectRecovered<K extends string>(
  m: { params: Readonly<Record<K, number>>; standardErrors: Record<string, number | null> },
  truth: Record<K, number>,
): void {
  for (const k of Object.keys(truth) as K[]) {
    expect(Math.abs(m.params[k] - truth[k])).toBeLessThan(4 * (m.standardErrors[k] as number));
  }
}
