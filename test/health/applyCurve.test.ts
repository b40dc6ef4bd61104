import { describe, expect, it } from 'vitest';
import { applyCurve } from '../../src/health/applyCurve';

describe('applyCurve', () => {
  it('maps a step curve to the points of the band the value falls in (lower bound inclusive)', () => {
    const curve = { type: 'step' as const, thresholds: [1, 3], points: [100, 70, 30] };
    expect(applyCurve(curve, 0)).toBe(100);
    expect(applyCurve(curve, 1)).toBe(70); // 1 >= thresholds[0]
    expect(applyCurve(curve, 2.9)).toBe(70);
    expect(applyCurve(curve, 3)).toBe(30);
    expect(applyCurve(curve, 99)).toBe(30);
  });

  it('interpolates a linear curve between worst and best and clamps outside', () => {
    const curve = { type: 'linear' as const, worst: 0, best: 20 };
    expect(applyCurve(curve, 5)).toBeCloseTo(25, 12); // 5 / 20 × 100
    expect(applyCurve(curve, -3)).toBe(0);
    expect(applyCurve(curve, 40)).toBe(100);
  });

  it('supports lower-is-better linear curves (worst > best)', () => {
    const curve = { type: 'linear' as const, worst: 120, best: 8 };
    // (64 − 120) / (8 − 120) × 100 = 50
    expect(applyCurve(curve, 64)).toBeCloseTo(50, 12);
    expect(applyCurve(curve, 4)).toBe(100);
  });

  it('scores a baseline curve on the percent change against the earlier reading', () => {
    const curve = { type: 'baseline' as const, worst: -80, best: 0 };
    // 16 vs 40: −60% → (−60 + 80) / 80 × 100 = 25
    expect(applyCurve(curve, 16, 40)).toBeCloseTo(25, 12);
    expect(applyCurve(curve, 50, 40)).toBe(100); // +25% clamps
    expect(applyCurve(curve, 5, 0)).toBe(100); // from 0 to 5: +∞
    expect(applyCurve(curve, 0, 0)).toBeNull(); // no data in either window
  });

  it('returns null for a missing value (NaN)', () => {
    expect(applyCurve({ type: 'linear', worst: 0, best: 1 }, Number.NaN)).toBeNull();
    expect(applyCurve({ type: 'baseline', worst: -50, best: 0 }, 3, Number.NaN)).toBeNull();
  });
});
