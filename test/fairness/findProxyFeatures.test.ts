import { describe, expect, it } from 'vitest';
import { type ValidationError, VitalsError } from '../../src/_lib/errors';
import { createRng } from '../../src/_lib/random';
import { findProxyFeatures, splitSensitive } from '../../src/fairness/index';

describe('findProxyFeatures', () => {
  it('computes the correlation ratio and Cramér’s V by hand', () => {
    const rows = [
      { g: 'a', x: 1, c: 'p' },
      { g: 'a', x: 2, c: 'p' },
      { g: 'b', x: 3, c: 'p' },
      { g: 'b', x: 4, c: 'q' },
    ];
    const r = findProxyFeatures(rows, 'g', { minRows: 2 });
    // η: mean 2.5, SS_total = 5, SS_between = 2·1² + 2·1² = 4 → √0.8.
    // V: table p:(a 2, b 1), q:(a 0, b 1); χ² = 0.25/1.5·2 + 0.25/0.5·2 = 4/3; V = √(4/3 / 4).
    expect(r.map((f) => f.feature)).toEqual(['x', 'c']);
    expect(r[0]?.association).toBeCloseTo(Math.sqrt(0.8), 12);
    expect(r[0]?.measure).toBe('correlation_ratio');
    expect(r[1]?.association).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(r[1]?.proxy).toBe(true);
  });
  it('finds a proxy in churn rows and not an unrelated feature; labels may be given as an array', () => {
    const rng = createRng(5);
    const rows = Array.from({ length: 500 }, () => {
      const region = rng.next() < 0.5 ? 'eu' : 'us';
      return {
        churned: rng.next() < 0.2,
        features: {
          region,
          currency: rng.next() < 0.9 ? (region === 'eu' ? 'EUR' : 'USD') : 'GBP',
          seats: 5 + Math.floor(rng.next() * 20),
          weekendShare: (region === 'eu' ? 0.2 : 0.4) + 0.1 * rng.next(),
          missingSometimes: rng.next() < 0.3 ? null : rng.next(),
        },
      };
    });
    const r = findProxyFeatures(rows, 'region');
    const by = new Map(r.map((f) => [f.feature, f]));
    expect(by.get('currency')?.proxy).toBe(true);
    expect(by.get('weekendShare')?.proxy).toBe(true);
    expect(by.get('seats')?.proxy).toBe(false);
    expect(by.has('region')).toBe(false);
    expect(by.get('missingSometimes')?.n).toBeLessThan(500);
    const { rows: without, groups } = splitSensitive(rows, 'region');
    expect(Object.keys(without[0]?.features ?? {})).not.toContain('region');
    expect(groups[0]).toBe(rows[0]?.features.region);
    expect(findProxyFeatures(without, groups).map((f) => f.feature)).toEqual(r.map((f) => f.feature));
  });
  it('rejects bad input', () => {
    expect(() => findProxyFeatures([{ a: 1 }], ['x', 'y'])).toThrow(/one label per row/);
    expect(() => findProxyFeatures([3] as never, 'a')).toThrow(/record/);
    expect(() => findProxyFeatures([], 'a', { treshold: 1 } as never)).toThrow(/did you mean "threshold"/);
    expect(() => splitSensitive([{ features: 3 }] as never, 'a')).toThrow(/features record/);
  });
  it('rejects an attribute value that is an object, located by row, and skips feature values with no category', () => {
    const hostile = Object.create(null) as Record<string, unknown>;
    let err: unknown;
    try {
      findProxyFeatures([{ g: 'a' }, { g: hostile }], 'g');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(VitalsError);
    expect((err as ValidationError).issues[0]).toMatchObject({ index: 1, path: ['features', 'g'] });
    expect(() => findProxyFeatures([{ x: 1 }, { x: 2 }], ['a', hostile as never])).toThrow(
      /the attribute must be a string, number or boolean, got an object/,
    );
    // A null-prototype object (no primitive form) or an array as a feature value is left out, as
    // a missing value is: the same association as without those rows' values.
    const rows = [
      { g: 'a', c: 'p' },
      { g: 'a', c: 'p' },
      { g: 'b', c: 'p' },
      { g: 'b', c: 'q' },
    ];
    const withObjects = [...rows, { g: 'a', c: hostile }, { g: 'b', c: [1] }];
    const plain = findProxyFeatures(rows, 'g', { minRows: 2 });
    expect(findProxyFeatures(withObjects, 'g', { minRows: 2 })).toEqual(plain);
    expect(plain[0]?.n).toBe(4);
  });
});
