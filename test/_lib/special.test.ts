import betalnLib from '@stdlib/math-base-special-betaln';
import digammaLib from '@stdlib/math-base-special-digamma';
import gammalnLib from '@stdlib/math-base-special-gammaln';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { betaln, digamma, gammaln } from '../../src/_lib/special';

/** |ours − ref| / max(1, |ref|): relative away from zeros, absolute near them. */
const err = (ours: number, ref: number): number => Math.abs(ours - ref) / Math.max(1, Math.abs(ref));

describe('gammaln, digamma, betaln against mpmath', () => {
  // Values computed with mpmath 1.3.0 at mp.dps = 30 (rounded to the nearest double): loggamma, digamma, log(beta).
  const lg: [number, number, number][] = [
    [1e-10, 23.025850929882736, -10000000000.577215],
    [1e-3, 6.907178885383853, -1000.5755719318103],
    [0.5, 0.5723649429247001, -1.9635100260214235],
    [1, 0, -0.5772156649015329],
    [1.5, -0.12078223763524522, 0.03648997397857652],
    [2, 0, 0.42278433509846713],
    [2.5, 0.2846828704729192, 0.7031566406452432],
    [3.7, 1.4280723266653879, 1.1671535393615113],
    [10, 12.801827480081469, 2.251752589066721],
    [12.3, 18.238983407092242, 2.468398400301138],
    [100.5, 361.4355404677776, 4.605174352581845],
    [1e5, 1051287.7089736569, 11.512920464961896],
    [1e10, 220258509288.81058, 23.025850929890456],
  ];
  it.each(lg)('ln Γ(%d) and ψ to 2e-14', (x, lnGamma, psi) => {
    expect(err(gammaln(x), lnGamma)).toBeLessThan(2e-14);
    expect(err(digamma(x), psi)).toBeLessThan(2e-14);
  });

  const lb: [number, number, number][] = [
    [0.5, 0.5, 1.1447298858494002], // ln π
    [1, 2, -Math.LN2], // ln ½
    [0.1, 1e4, 1.331683114596587],
    [20, 30, -33.968820791977386],
    [1e3, 1e5, -5612.683482757347],
    [2.5, 1e8, -45.767019008157995],
    [1e-5, 3, 11.512910465032729],
  ];
  it.each(lb)('ln B(%d, %d) to 2e-14, in either argument order', (a, b, v) => {
    expect(err(betaln(a, b), v)).toBeLessThan(2e-14);
    expect(err(betaln(b, a), v)).toBeLessThan(2e-14);
  });

  it('handles the edges: poles, reflection, NaN, non-positive beta arguments', () => {
    expect(gammaln(0)).toBe(Number.POSITIVE_INFINITY);
    expect(gammaln(-3)).toBe(Number.POSITIVE_INFINITY);
    // Γ(−½) = −2√π, so ln|Γ(−½)| = ln(2√π) = 1.2655121234846454
    expect(gammaln(-0.5)).toBeCloseTo(Math.log(2 * Math.sqrt(Math.PI)), 13);
    // ψ(−½) = ψ(3/2) + π·cot(−π/2)… = 0.03648997397857652 (mpmath)
    expect(digamma(-0.5)).toBeCloseTo(0.03648997397857652, 13);
    expect(Number.isNaN(digamma(0))).toBe(true);
    expect(Number.isNaN(gammaln(Number.NaN))).toBe(true);
    expect(Number.isNaN(betaln(0, 1))).toBe(true);
    expect(Number.isNaN(betaln(-1, 1))).toBe(true);
  });
});

describe('cross-check against @stdlib (dev dependency only)', () => {
  const pos = fc.double({ min: -25, max: 25, noNaN: true }).map(Math.exp);
  it('gammaln and digamma agree to 2e-14 over 1e-11 … 7e10', () => {
    fc.assert(
      fc.property(pos, (x) => {
        expect(err(gammaln(x), gammalnLib(x))).toBeLessThan(2e-14);
        expect(err(digamma(x), digammaLib(x))).toBeLessThan(2e-14);
      }),
      { numRuns: 3000, seed: 7 },
    );
  });
  it('betaln agrees to 3e-14 over the same range in both arguments', () => {
    fc.assert(
      fc.property(pos, pos, (a, b) => {
        expect(err(betaln(a, b), betalnLib(a, b))).toBeLessThan(3e-14);
      }),
      { numRuns: 3000, seed: 11 },
    );
  });
});
