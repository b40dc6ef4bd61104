import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { applyCurve } from '../../src/health/applyCurve';
import { healthAlerts } from '../../src/health/healthAlerts';
import type { HealthScore } from '../../src/health/healthTypes';
import { rollupHealth } from '../../src/health/rollupHealth';

// Findings of the fuzz suite (#18, test/robustness): each call below threw a raw TypeError or gave a
// non-finite number before; now a located ValidationError naming the function, or a finite result.

describe('applyCurve on hostile input', () => {
  it('names itself and the argument instead of "reading \'type\'" on a missing curve', () => {
    expect(() => applyCurve(undefined as never, 1)).toThrow(
      /^applyCurve: .*curve must be an object, got undefined/,
    );
    expect(() => applyCurve(null as never, 1)).toThrow(ValidationError);
  });

  it('rejects a non-number value, an unknown type and non-finite linear ends', () => {
    expect(() => applyCurve({ type: 'linear', worst: 0, best: 10 }, '5' as never)).toThrow(
      /value must be a number/,
    );
    expect(() => applyCurve({ type: 'bogus' } as never, 1)).toThrow(/unknown curve type "bogus"/);
    // Before: worst undefined gave Math.min(100, Math.max(0, NaN)) = NaN.
    expect(() => applyCurve({ type: 'linear', best: 10 } as never, 1)).toThrow(
      /curve.worst must be a finite number/,
    );
    expect(() => applyCurve({ type: 'step', thresholds: [1], points: [] } as never, 1)).toThrow(
      ValidationError,
    );
  });

  it('gives null, not NaN, when an infinite value meets an infinite span (∞/∞)', () => {
    // (∞ − (−1e308)) / (1e308 − (−1e308)) = ∞/∞ = NaN before.
    expect(applyCurve({ type: 'linear', worst: -1e308, best: 1e308 }, Number.POSITIVE_INFINITY)).toBeNull();
    // Still: 25 = 100 · (5 − 0) / (20 − 0); percentile curves need the others: null.
    expect(applyCurve({ type: 'linear', worst: 0, best: 20 }, 5)).toBe(25);
    expect(applyCurve({ type: 'percentile' } as never, 5)).toBeNull();
  });
});

describe('healthAlerts on hostile input', () => {
  it('locates a history without points instead of "reading \'length\'"', () => {
    // The fuzz input: events (no `points`) passed as a history.
    const events = [{ customerId: 'c2', type: 'refund', timestamp: 1703508971325, value: 9 }];
    expect(() => healthAlerts(events as never, {})).toThrow(
      /^healthAlerts: .*points must be an array, got undefined/,
    );
    expect(() => healthAlerts([undefined] as never, {})).toThrow(/history must be an object/);
    expect(() =>
      healthAlerts(
        [{ customerId: 'a', points: [{ asOf: Number.NaN, score: 1, band: null, result: {} }] }] as never,
        {},
      ),
    ).toThrow(/asOf must be a finite number/);
  });

  it('rejects malformed rules with the option named', () => {
    expect(() => healthAlerts([], { drop: { points: Number.POSITIVE_INFINITY, withinDays: 3 } })).toThrow(
      /option "drop"/,
    );
    expect(() => healthAlerts([], { bandChange: 'yes' as never })).toThrow(/option "bandChange"/);
    expect(() => healthAlerts([], { measures: [null] as never })).toThrow(/a measure rule needs/);
    expect(healthAlerts([], { drop: { points: 10, withinDays: 30 } })).toEqual([]);
  });
});

describe('rollupHealth on hostile input', () => {
  const profiles = [
    { customerId: 'a', parentId: 'p', mrr: 1e308 },
    { customerId: 'b', parentId: 'p', mrr: 1e308 },
  ];
  const score = (customerId: string, s: number | null) =>
    ({ customerId, score: s }) as unknown as HealthScore;

  it('locates an undefined or id-less score instead of "reading \'customerId\'"', () => {
    expect(() => rollupHealth([1733647397519, undefined] as never, [])).toThrow(
      /^rollupHealth: .*each score must be an object .* got 1733647397519/,
    );
    expect(() => rollupHealth([{ score: 3 }] as never, [])).toThrow(
      /customerId must be a string, got undefined/,
    );
    expect(() => rollupHealth([score('a', Number.NaN)], [])).toThrow(/score must be a finite number or null/);
  });

  it('refuses an MRR total that overflows instead of returning Infinity and zero weights', () => {
    // 1e308 + 1e308 = Infinity: totalMrr was Infinity and every weight 1e308/∞ = 0.
    expect(() => rollupHealth([score('a', 60), score('b', 80)], profiles)).toThrow(
      /adds up beyond the largest number/,
    );
    // With finite MRR: (1 · 60 + 3 · 80) / 4 = 75.
    const ok = rollupHealth(
      [score('a', 60), score('b', 80)],
      [
        { customerId: 'a', parentId: 'p', mrr: 1 },
        { customerId: 'b', parentId: 'p', mrr: 3 },
      ],
    );
    expect(ok[0]?.score).toBeCloseTo(75, 10);
  });
});
