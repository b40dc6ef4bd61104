import hyp2f1 from '@stdlib/math-base-special-hyp2f1';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expm1Ratio,
  log2F1,
  logAddExp,
  logHyp2F1Tied,
  logSubExp,
  logUpperGamma,
  scaledUpperGamma,
  tanhSinh,
} from '../../src/clv/_special';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('log2F1', () => {
  it('matches closed forms to 1e-12', () => {
    // 2F1(1,1;2;z) = -ln(1-z)/z
    for (const z of [0.01, 0.3, 0.7, 0.95]) {
      expect(rel(Math.exp(log2F1(1, 1, 2, z)), -Math.log1p(-z) / z)).toBeLessThan(1e-12);
    }
    // 2F1(1/2,1/2;3/2;z^2) = asin(z)/z
    expect(rel(Math.exp(log2F1(0.5, 0.5, 1.5, 0.25)), Math.asin(0.5) / 0.5)).toBeLessThan(1e-13);
    // 2F1(a,b;b;z) = (1-z)^-a
    expect(rel(Math.exp(log2F1(3.7, 2.2, 2.2, 0.6)), 0.4 ** -3.7)).toBeLessThan(1e-12);
  });

  it('matches mpmath (30 digits) to 1e-12 in log, including parameters in the hundreds', () => {
    // [a, b, c, z, ln 2F1(a,b;c;z)] computed with mpmath.hyp2f1 at mp.dps = 30.
    const cases: [number, number, number, number, number][] = [
      [1.7, 2.3, 4.1, 0.5, 0.6137716241746828],
      [0.243, 2.426, 2.219, 0.47, 0.17205294876193214],
      [16.3, 0.1, 8.85, 0.8, 1.6814742238378404],
      [50.5, 3.2, 55.1, 0.9, 5.793318476018111],
      [120.0, 0.6, 121.0, 0.3, 0.21188942033305172],
      [0.553, 12.27, 1.16, 0.093, 0.6454727395653722],
      [200.6, 201.6, 201.2, 0.6, 184.17372012036068],
      [2.5, -3.7, 4.0, 0.7, -1.7996017816638745],
      [0.9, 1.1, 0.3, 0.85, 4.103814508877007],
      [300.25, 2.0, 1.5, 0.4, 155.90626911505595],
    ];
    for (const [a, b, c, z, expected] of cases) {
      expect(Math.abs(log2F1(a, b, c, z) - expected)).toBeLessThan(1e-12 * Math.max(1, Math.abs(expected)));
    }
  });

  it('agrees with stdlib hyp2f1 on moderate arguments (stdlib 0.1.1 itself is only good to ~1e-9 here)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 20, noNaN: true }),
        fc.double({ min: 0.1, max: 20, noNaN: true }),
        fc.double({ min: 0.5, max: 30, noNaN: true }),
        fc.double({ min: 0, max: 0.8, noNaN: true }),
        (a, b, c, z) => {
          const ref = hyp2f1(a, b, c, z);
          fc.pre(Number.isFinite(ref) && ref > 0 && ref < 1e200);
          return rel(Math.exp(log2F1(a, b, c, z)), ref) < 1e-8;
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it('stays finite where the plain series overflows (x in the hundreds)', () => {
    // 2F1(a,b;b;z) = (1-z)^-a with a = 600: ln = 600·ln 20 = 1797.4 (e^1797 overflows doubles)
    expect(log2F1(600, 5, 5, 0.95)).toBeCloseTo(600 * Math.log(20), 6);
  });

  it('returns NaN (not garbage) when the series cannot converge', () => {
    expect(Number.isNaN(log2F1(2, 3, 4, 0.99999, 100))).toBe(true);
  });
});

describe('logHyp2F1Tied (c = a + 1, any z < 1)', () => {
  it('matches mpmath near z = 1 through the connection formula to 1e-11', () => {
    // [a, b, z, ln 2F1(a, b; a+1; z)] from mpmath at mp.dps = 40.
    const cases: [number, number, number, number][] = [
      [2.4, 1.3, 0.97, 2.4702042064438063],
      [50.6, 40.6, 0.99, 182.60701710258522],
      [1.2, 0.5, 0.999, 0.7303724772409586],
      [0.9, 1.6, 0.9999, 5.928584874477948],
      [200.3, 1.6, 0.96, 4.989387465851197],
      [3.55, 2.55, 0.999999, 22.242730407262663],
      [0.8, 0.2, 0.93, 0.14758963333592431],
    ];
    for (const [a, b, z, expected] of cases) {
      expect(Math.abs(logHyp2F1Tied(a, b, z) - expected)).toBeLessThan(
        1e-11 * Math.max(1, Math.abs(expected)),
      );
    }
  });

  it('is continuous where it switches from the series to the connection formula (z = 0.9)', () => {
    const below = logHyp2F1Tied(3.3, 1.7, 0.9);
    const above = logHyp2F1Tied(3.3, 1.7, 0.9 + 1e-12);
    expect(Math.abs(below - above)).toBeLessThan(1e-10);
    expect(Number.isNaN(logHyp2F1Tied(3.3, 2, 0.99))).toBe(true); // integer b: caller uses quadrature
  });
});

describe('scaledUpperGamma / logUpperGamma', () => {
  it('matches known values of Γ(a, z)', () => {
    // Γ(1, z) = e^-z ; Γ(2, z) = (1+z)e^-z
    expect(Math.exp(logUpperGamma(1, 0.3))).toBeCloseTo(Math.exp(-0.3), 14);
    expect(rel(Math.exp(logUpperGamma(2, 2.5)), 3.5 * Math.exp(-2.5))).toBeLessThan(1e-13);
    // Γ(0, z) = E1(z): E1(1) = 0.21938393439552026, E1(0.1) = 1.8229239584193906
    expect(rel(Math.exp(logUpperGamma(0, 1)), 0.21938393439552026)).toBeLessThan(1e-12);
    expect(rel(Math.exp(logUpperGamma(0, 0.1)), 1.8229239584193906)).toBeLessThan(1e-12);
    // Γ(1/2, 1) = √π erfc(1) = 0.27880558528066196
    expect(rel(Math.exp(logUpperGamma(0.5, 1)), 0.27880558528066196)).toBeLessThan(1e-12);
    // Γ(1/2, 0.25) = √π erfc(0.5) = 1.772453850905516 · 0.4795001221869535
    expect(rel(Math.exp(logUpperGamma(0.5, 0.25)), 1.772453850905516 * 0.4795001221869535)).toBeLessThan(
      1e-12,
    );
    // Γ(-1/2, z) = 2(z^-1/2 e^-z − √π erfc(√z)); z = 1: 2(e^-1 − 0.27880558528066196)
    expect(rel(Math.exp(logUpperGamma(-0.5, 1)), 2 * (Math.exp(-1) - 0.27880558528066196))).toBeLessThan(
      1e-12,
    );
    // z = 0.25: 2(2 e^-0.25 − 0.8498918...) with √π erfc(0.5) = 0.84989...
    const g = 1.772453850905516 * 0.4795001221869535;
    expect(rel(Math.exp(logUpperGamma(-0.5, 0.25)), 2 * (2 * Math.exp(-0.25) - g))).toBeLessThan(1e-12);
  });

  it('satisfies the recurrence Γ(a+1,z) = aΓ(a,z) + z^a e^-z across both regimes', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -30, max: 0.9, noNaN: true }),
        fc.double({ min: 0.001, max: 20, noNaN: true }),
        (a, z) => {
          fc.pre(Math.abs(a) > 1e-6);
          const r0 = scaledUpperGamma(a, z);
          const r1 = scaledUpperGamma(a + 1, z);
          // R(a+1) = (a R(a) + 1)/z
          return rel(r1, (a * r0 + 1) / z) < 1e-9;
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });

  it('is continuous at a = 0 and at the z = 1 switch', () => {
    expect(rel(scaledUpperGamma(1e-9, 0.5), scaledUpperGamma(0, 0.5))).toBeLessThan(1e-8);
    expect(rel(scaledUpperGamma(-2.3, 0.999999), scaledUpperGamma(-2.3, 1))).toBeLessThan(1e-5);
  });
});

describe('helpers', () => {
  it('logAddExp / logSubExp / expm1Ratio are exact in easy cases', () => {
    expect(logAddExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 15);
    expect(logAddExp(-1000, -1000)).toBeCloseTo(-1000 + Math.log(2), 12);
    expect(logSubExp(Math.log(5), Math.log(3))).toBeCloseTo(Math.log(2), 15);
    expect(logSubExp(1, 1)).toBe(Number.NEGATIVE_INFINITY);
    expect(expm1Ratio(0, 2.5)).toBe(2.5);
    expect(expm1Ratio(0.5, 2)).toBeCloseTo((1 - Math.exp(-1)) / 0.5, 15);
  });

  it('tanh-sinh integrates endpoint singularities: ∫₀¹ x^-0.7 (1-x)^-0.4 dx = B(0.3, 0.6)', () => {
    // B(0.3, 0.6) = Γ(0.3)Γ(0.6)/Γ(0.9) = 2.99156898768759 · 1.489192248812817 / 1.068628702119319
    const expected = (2.99156898768759 * 1.489192248812817) / 1.068628702119319;
    const v = tanhSinh((_x, p, q) => p ** -0.7 * q ** -0.4, 0, 1);
    expect(rel(v, expected)).toBeLessThan(1e-9);
  });
});
