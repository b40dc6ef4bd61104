import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { clusterCustomers } from '../../src/segment/clusterCustomers';

// Findings of the fuzz suite (#18, test/robustness) in clusterCustomers: raw TypeErrors on a
// non-table and on null rows, and Infinity/NaN centroids and skewness from ±1e308 values.
describe('clusterCustomers on hostile input', () => {
  it('locates a non-table argument instead of "input is not iterable" / "\'in\' operator ... in null"', () => {
    expect(() => clusterCustomers(1 as never)).toThrow(/^clusterCustomers: .*features must be rows, a Map/);
    expect(() => clusterCustomers(null as never)).toThrow(/got null/);
    expect(() => clusterCustomers({ a: 1 } as never)).toThrow(ValidationError);
  });

  it('locates a null row or a row without a string customerId', () => {
    expect(() => clusterCustomers([null, 923] as never)).toThrow(
      /a row must be an object with a string customerId, got null/,
    );
    // Before: String(undefined) made a customer named "undefined".
    expect(() => clusterCustomers([{ x: 1 }] as never)).toThrow(/customerId must be a string, got undefined/);
    expect(() => clusterCustomers({ customerIds: [1], columns: ['x'], values: [1] } as never)).toThrow(
      /customerIds holds 1, not a string/,
    );
  });

  it('refuses values beyond ±1e15 instead of returning an Infinity centroid', () => {
    const rows = [
      { customerId: 'a', x: 1e308, y: 1 },
      { customerId: 'b', x: 1, y: 2 },
      { customerId: 'c', x: 2, y: 3 },
    ];
    expect(() => clusterCustomers(rows, { k: 2 })).toThrow(
      /^clusterCustomers: .*within ±1000000000000000, got 1e\+308/,
    );
    // Within the limit it clusters, with finite centroids.
    const ok = clusterCustomers(
      rows.map((r, i) => ({ ...r, x: i === 0 ? 1e15 : r.x })),
      { k: 2 },
    );
    for (const c of ok.clusters)
      for (const v of Object.values(c.centroid)) expect(Number.isFinite(v)).toBe(true);
  });
});
