import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/_lib/random';
import { applyCalibrator, fitCalibrator, sigmoid } from '../../src/churn/fitCalibrator';

describe('fitCalibrator', () => {
  it('pools adjacent violators (isotonic) and interpolates between block centres', () => {
    // Sorted labels 0 0 1 0 1: blocks {−2,−1} → 0 (centre −1.5), {0,1} → 1/2 (centre 0.5), {2} → 1.
    const cal = fitCalibrator([-2, -1, 0, 1, 2], [0, 0, 1, 0, 1], 'isotonic');
    expect(cal).toEqual({ kind: 'isotonic', x: [-1.5, 0.5, 2], y: [0, 0.5, 1] });
    expect(applyCalibrator(cal, -3)).toBe(0);
    expect(applyCalibrator(cal, 0.5)).toBe(0.5);
    // 1.25 is halfway from 0.5 to 2: 0.5 + 0.5·0.5
    expect(applyCalibrator(cal, 1.25)).toBeCloseTo(0.75, 12);
  });

  it('recovers the slope and offset of a Platt-shaped truth', () => {
    const rng = createRng(3);
    const s: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const score = rng.normal() * 2;
      s.push(score);
      y.push(rng.next() < sigmoid(0.5 * score - 1) ? 1 : 0);
    }
    const cal = fitCalibrator(s, y, 'platt');
    if (cal.kind !== 'platt') throw new Error('expected platt');
    expect(cal.a).toBeCloseTo(0.5, 1);
    expect(cal.b).toBeCloseTo(-1, 1);
  });

  it('falls back to the identity sigmoid with one class', () => {
    const cal = fitCalibrator([1, 2], [0, 0], 'platt');
    expect(cal).toEqual({ kind: 'none' });
    expect(applyCalibrator(cal, 0)).toBe(0.5);
  });

  it('property: both calibrators are monotone non-decreasing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.boolean()), {
          minLength: 3,
          maxLength: 50,
        }),
        (data) => {
          for (const m of ['platt', 'isotonic'] as const) {
            const cal = fitCalibrator(
              data.map((d) => d[0]),
              data.map((d) => (d[1] ? 1 : 0)),
              m,
            );
            let prev = -1;
            for (let t = -6; t <= 6; t += 0.25) {
              const p = applyCalibrator(cal, t);
              expect(p).toBeGreaterThanOrEqual(prev - 1e-12);
              expect(p >= 0 && p <= 1).toBe(true);
              prev = p;
            }
          }
        },
      ),
    );
  });
});
