import { describe, expect, it } from 'vitest';
import { formulaClv } from '../../src/clv/formulaClv';

describe('formulaClv', () => {
  it('is ARPA × margin / churn without discounting', () => {
    // 100 × 0.8 / 0.02 = 4000
    const r = formulaClv({ arpa: 100, margin: 0.8, churnRate: 0.02 });
    expect(r.value).toBeCloseTo(4000, 9);
    expect(r.expectedLifetime).toBeCloseTo(50, 12);
    expect(r.explanation).toBe('100 per period × 80.00% margin / 2.00% churn = 4000');
  });

  it('discounts and truncates to a horizon', () => {
    // Σ_{k=0}^{2} (0.9/1.1)^k × 50 = 50 × (1 + 0.81818 + 0.66942) = 124.38
    const r = formulaClv({ arpa: 50, churnRate: 0.1, discountRate: 0.1, horizon: 3 });
    expect(r.value).toBeCloseTo(50 * (1 + 0.9 / 1.1 + (0.9 / 1.1) ** 2), 10);
    // infinite horizon: ARPA·(1+d)/(c+d) = 50 × 1.1/0.2 = 275
    expect(formulaClv({ arpa: 50, churnRate: 0.1, discountRate: 0.1 }).value).toBeCloseTo(275, 10);
  });

  it('returns null with a reason instead of Infinity when churn is 0', () => {
    const r = formulaClv({ arpa: 100, churnRate: 0 });
    expect(r.value).toBeNull();
    expect(r.reason).toMatch(/unbounded/);
    expect(formulaClv({ arpa: Number.NaN, churnRate: 0.1 }).value).toBeNull();
  });
});
