import betalnLib from '@stdlib/math-base-special-betaln';
import digammaLib from '@stdlib/math-base-special-digamma';
import gammalnLib from '@stdlib/math-base-special-gammaln';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { betaln, digamma, gammaln } from '../../src/_lib/special';

/** |ours − ref| / max(1, |ref|): relative away from zeros, absolute near them. */
const err = (ours: number, ref: number): number => Math.abs(ours - ref) / Math.max(1, Math.abs(ref));

describe('gammaln, digamma, betaln against mpmath', () => {
  // Values computed with mpmath 1.3.0 at mp.dps = 30: loggamma, digamma, log(beta).
  const lg: [number, number, number][] = [
    [1e-10, 23.025850929882735274, -10000000000.577215665],
    [1e-3, 6.9071788853838536825, -1000.5755719318103005],
    [0.5, 0.57236494292470008707, -1.9635100260214234794],
    [1, 0, -0.57721566490153286061],
    [1.5, -0.12078223763524522235, 0.036489973978576520559],
    [2, 0, 0.42278433509846713939],
    [2.5, 0.28468287047291915963, 0.70315664064524318723],
    [3.7, 1.4280723266653879219, 1.1671535393615113859],
    [10, 12.801827480081469611, 2.2517525890667211076],
    [12.3, 18.238983407092241942, 2.4683984003011382302],
    [100.5, 361.43554046777762156, 4.6051743525818452119],
    [1e5, 1051287.7089736568949, 11.512920464961895087],
    [1e10, 220258509288.81058147, 23.02585092989045684],
  ];
  it.each(lg)('ln Γ(%d) and ψ to 2e-14', (x, lnGamma, psi) => {
    expect(err(gammaln(x), lnGamma)).toBeLessThan(2e-14);
    expect(err(digamma(x), psi)).toBeLessThan(2e-14);
  });

  const lb: [number, number, number][] = [
    [0.5, 0.5, 1.1447298858494001741], // ln π
    [1, 2, -0.69314718055994530942], // ln ½
    [0.1, 1e4, 1.3316831145965870112],
    [20, 30, -33.968820791977382963],
    [1e3, 1e5, -5612.6834827573461668],
    [2.5, 1e8, -45.767019008157994396],
    [1e-5, 3, 11.512910465032728045],
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
