import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { compressRfm } from '../../src/clv/compressRfm';

describe('compressRfm', () => {
  it('merges identical rows with counts, in first-seen order', () => {
    const c = compressRfm([
      { frequency: 0, recency: 0, T: 10 },
      { frequency: 2, recency: 4, T: 10, count: 3 },
      { frequency: 0, recency: 0, T: 10 },
    ]);
    expect(c.rows).toBe(2);
    expect(c.customers).toBe(5);
    expect(Array.from(c.count)).toEqual([2, 3]);
    expect(Array.from(c.x)).toEqual([0, 2]);
  });

  it('accepts columns and returns compressed input unchanged', () => {
    const c = compressRfm({ frequency: new Float64Array([1, 1]), recency: [2, 2], T: [3, 3] });
    expect(c.rows).toBe(1);
    expect(compressRfm(c)).toBe(c);
  });

  it('preserves the customer count and per-row totals (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })), {
          maxLength: 300,
        }),
        (pairs) => {
          const rows = pairs.map(([x, t]) => ({ frequency: x, recency: x === 0 ? 0 : t, T: 3 }));
          const c = compressRfm(rows);
          let total = 0;
          for (let i = 0; i < c.rows; i++) total += c.count[i] as number;
          const distinct = new Set(rows.map((r) => `${r.frequency},${r.recency}`)).size;
          return total === rows.length && c.customers === rows.length && c.rows === distinct;
        },
      ),
      { numRuns: 100, seed: 4 },
    );
  });

  it('reports every invalid row with its index and field', () => {
    try {
      compressRfm([
        { frequency: 1, recency: 1, T: 2 },
        { frequency: 0, recency: 1, T: 2 },
        { frequency: 1, recency: Number.NaN, T: 2 },
        { frequency: 1, recency: 1, T: 2, count: 0 },
      ]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      const issues = (e as ValidationError).issues;
      expect(issues.map((i) => [i.index, i.path[0]])).toEqual([
        [1, 'recency'],
        [2, 'recency'],
        [3, 'count'],
      ]);
    }
    expect(() => compressRfm({ frequency: [1], recency: [], T: [1] })).toThrow(ValidationError);
  });

  it('handles an empty input', () => {
    expect(compressRfm([])).toMatchObject({ rows: 0, customers: 0 });
  });
});
