import { describe, expect, it } from 'vitest';
import { InsufficientDataError, ValidationError } from '../../src/_lib/errors';
import { createRng } from '../../src/_lib/random';
import type { FeatureRow } from '../../src/segment/_featureTable';
import { adjustedRandIndex } from '../../src/segment/adjustedRandIndex';
import { CustomerClusterModel } from '../../src/segment/CustomerClusterModel';
import { clusterCustomers } from '../../src/segment/clusterCustomers';

/** `k` well-separated Gaussian blobs in `d` dimensions (centres ~N(0, 5²), unit noise), seeded. */
function blobs(k: number, perCluster: number, d: number, seed: number) {
  const rng = createRng(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.normal() * 5));
  const rows: FeatureRow[] = [];
  const truth: number[] = [];
  for (let i = 0; i < k * perCluster; i++) {
    const c = i % k;
    const row: FeatureRow = { customerId: `c${i}` };
    for (let t = 0; t < d; t++) row[`f${t}`] = ((centres[c] as number[])[t] as number) + rng.normal();
    rows.push(row);
    truth.push(c);
  }
  return { rows, truth };
}

describe('clusterCustomers', () => {
  it('recovers well-separated generated clusters (ARI ≥ 0.9) and picks k by silhouette', () => {
    for (const [k, seed] of [
      [3, 11],
      [4, 12],
      [6, 13],
    ] as const) {
      const { rows, truth } = blobs(k, 120, 5, seed);
      const res = clusterCustomers(rows, { seed: 1 });
      expect(res.k, `k = ${k}`).toBe(k);
      expect(res.kSelection.map((s) => s.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
      const best = Math.max(...res.kSelection.map((s) => s.silhouette ?? -1));
      expect(res.silhouette).toBe(best);
      const ari = adjustedRandIndex(
        truth,
        res.customers.map((c) => c.cluster),
      );
      expect(ari).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('is deterministic for a seed, and a fixed k reproduces the auto run', () => {
    const { rows } = blobs(4, 80, 4, 5);
    const a = clusterCustomers(rows, { seed: 'abc' });
    const b = clusterCustomers(rows, { seed: 'abc' });
    expect(b.customers.map((c) => c.cluster)).toEqual(a.customers.map((c) => c.cluster));
    const fixed = clusterCustomers(rows, { seed: 'abc', k: a.k });
    expect(fixed.customers.map((c) => c.cluster)).toEqual(a.customers.map((c) => c.cluster));
    expect(fixed.kSelection).toHaveLength(1);
  });

  it('log-transforms skewed non-negative features (skewness > 1) and names clusters from z-scores', () => {
    // Two groups: heavy users (many sessions, few tickets) and light users (few sessions, many tickets).
    const rng = createRng(9);
    const rows: FeatureRow[] = [];
    for (let i = 0; i < 400; i++) {
      const heavy = i % 4 === 0; // 25% heavy users: sessions are right-skewed overall
      rows.push({
        customerId: `c${i}`,
        features: {
          sessions: heavy ? 200 * Math.exp(0.3 * rng.normal()) : 5 * Math.exp(0.3 * rng.normal()),
          tickets: heavy ? rng.poisson(0.5) : 6 + rng.poisson(2),
          plan: 'pro', // not numeric: dropped
        },
      });
    }
    const res = clusterCustomers(rows, { seed: 2, labels: { sessions: 'usage', tickets: 'support load' } });
    expect(res.k).toBe(2);
    const sessions = res.features.find((f) => f.name === 'sessions');
    expect(sessions?.skewness).toBeGreaterThan(1);
    expect(sessions?.logTransformed).toBe(true);
    expect(res.dropped).toContainEqual({ feature: 'plan', reason: 'not numeric' });
    const heavy = res.clusters.find((c) => c.size === 100);
    expect(heavy?.name).toBe('Very high usage · Very low support load');
    // Centroid in original units: back-transformed log mean ≈ 200 (geometric centre of 200·e^{0.3Z}).
    expect(heavy?.centroid.sessions).toBeGreaterThan(150);
    expect(heavy?.centroid.sessions).toBeLessThan(260);
    const c0 = res.customers[0];
    expect(c0?.clusterName).toBe(heavy?.name);
    expect(c0?.reason).toMatch(
      /^nearest centre "Very high usage · Very low support load" \(distance \d+\.\d\d; next \d+\.\d\d\); usage \d+ \(z \+\d\.\d\), support load \d+ \(z −\d\.\d\)$/,
    );
  });

  it('imputes missing values with the median, drops constant features and excludes all-missing rows', () => {
    const rows = [
      { customerId: 'a', x: 0, y: 0, z: 0 },
      { customerId: 'b', x: 0, y: null, z: 0 },
      { customerId: 'g', x: 0, y: 1, z: 0 },
      { customerId: 'c', x: 10, y: 10, z: 0 },
      { customerId: 'd', x: 10, y: 10, z: 0 },
      { customerId: 'e', x: null, y: undefined, z: null },
    ];
    const res = clusterCustomers(rows, { k: 2, seed: 1, logTransform: 'none' });
    expect(res.excluded).toEqual(['e']);
    expect(res.dropped).toContainEqual({ feature: 'z', reason: 'no variation (constant)' });
    expect(res.features.find((f) => f.name === 'y')?.missing).toBe(1);
    expect(res.n).toBe(5);
    const cl = Object.fromEntries(res.customers.map((c) => [c.customerId, c.cluster]));
    expect(cl.a).toBe(cl.b);
    expect(cl.a).toBe(cl.g);
    expect(cl.c).toBe(cl.d);
    // b's y is imputed with median(0, 1, 10, 10) = 5.5, so the {a, b, g} cluster's mean y is (0 + 5.5 + 1) / 3.
    const low = res.clusters[cl.a as number];
    expect(low?.features.find((f) => f.feature === 'y')?.mean).toBeCloseTo(6.5 / 3);
    expect(cl.a).not.toBe(cl.c);
    // labels / customerIds: the partition without the explanations, excluded 'e' left out, input order.
    expect(res.customerIds).toEqual(['a', 'b', 'g', 'c', 'd']);
    expect(Array.from(res.labels)).toEqual([cl.a, cl.a, cl.a, cl.c, cl.c]);
  });

  it('accepts a columnar table with missing masks (the shape of churnFeatures output)', () => {
    const table = {
      customerIds: ['a', 'b', 'e', 'f', 'c', 'd'],
      names: ['u', 'v'],
      columns: Object.assign(Object.create(null), {
        u: Float64Array.of(0, 0.2, 0.1, 0.3, 9, 9.2),
        v: Float64Array.of(1, 0, 1.1, 0.9, 9, 9.2),
      }),
      // b's v is missing: imputed with median(1, 1.1, 0.9, 9, 9.2) = 1.1
      missing: Object.assign(Object.create(null), {
        u: new Uint8Array(6),
        v: Uint8Array.of(0, 1, 0, 0, 0, 0),
      }),
      categorical: { plan: ['a', 'b', 'c', 'd', 'e', 'f'] },
    };
    const res = clusterCustomers(table, { k: 2, features: ['u', 'v', 'w'] });
    expect(res.features.find((f) => f.name === 'v')?.missing).toBe(1);
    expect(res.dropped).toEqual([{ feature: 'w', reason: 'not in the table' }]);
    expect(res.customers.map((c) => c.cluster)).toEqual([0, 0, 0, 0, 1, 1]); // clusters are numbered largest first
  });

  it('accepts a dense matrix and a Map', () => {
    const m = {
      customerIds: ['a', 'b', 'c', 'd'],
      columns: ['u', 'v'],
      values: [0, 0, 0.1, 0, 9, 9, 9.1, 9],
    };
    const res = clusterCustomers(m, { k: 2 });
    expect(res.customers[0]?.cluster).toBe(res.customers[1]?.cluster);
    expect(res.customers[2]?.cluster).toBe(res.customers[3]?.cluster);
    const map = new Map([
      ['a', { u: 0 }],
      ['b', { u: 10 }],
    ]);
    expect(clusterCustomers(map, { k: 2 }).clusters.map((c) => c.size)).toEqual([1, 1]);
  });

  it('handles empty and degenerate input without NaN', () => {
    expect(clusterCustomers([], {})).toMatchObject({ k: 0, n: 0, reason: 'no customers', customerIds: [] });
    expect(clusterCustomers([], {}).labels).toHaveLength(0);
    const same = [1, 2, 3].map((i) => ({ customerId: `c${i}`, x: 5, y: 1 + (i === 3 ? 0 : 0) }));
    expect(clusterCustomers(same, {})).toMatchObject({ k: 0, reason: 'no feature varies across customers' });
    const two = [
      { customerId: 'a', x: 1 },
      { customerId: 'b', x: 1 },
      { customerId: 'c', x: 2 },
    ];
    expect(() => clusterCustomers(two, { k: 3 })).toThrow(InsufficientDataError);
    const auto = clusterCustomers(two, { kRange: [2, 5] });
    expect(auto.k).toBe(2);
    expect(auto.kSelection.find((s) => s.k === 3)).toEqual({ k: 3, silhouette: null, inertia: null });
    expect(Number.isFinite(auto.silhouette)).toBe(true);
  });

  it('returns a model that assigns new customers to the same clusters and round-trips through JSON', () => {
    const { rows } = blobs(3, 60, 4, 21);
    const res = clusterCustomers(rows, { seed: 4 });
    const model = CustomerClusterModel.fromJSON(JSON.parse(JSON.stringify(res.model)));
    // Re-assigning the training rows reproduces the clustering, distances and reasons.
    const again = model.assign(rows);
    expect(again.customers.map((c) => c.cluster)).toEqual(res.customers.map((c) => c.cluster));
    expect(again.customers[5]?.distance).toBeCloseTo(res.customers[5]?.distance as number);
    expect(again.customers[5]?.reason).toBe(res.customers[5]?.reason);
    // A new row with one feature missing is imputed with the training median; an all-missing row is excluded.
    const fresh = { ...(rows[0] as FeatureRow), customerId: 'new', f3: null };
    const out = model.assign([fresh, { customerId: 'blank' }]);
    expect(out.customers.map((c) => [c.customerId, c.cluster])).toEqual([['new', res.customers[0]?.cluster]]);
    expect(out.excluded).toEqual(['blank']);
    const bad = { ...res.model.toJSON(), clusters: [{ name: 'x', center: [1], cite: [] }] };
    expect(() => CustomerClusterModel.fromJSON(bad)).toThrow(/field "clusters\.0\.center": needs 4 values/);
  });

  it('rejects invalid options with the option named', () => {
    expect(() => clusterCustomers([{ customerId: 'a', x: 1 }], { kRange: [5, 2] })).toThrow(ValidationError);
    expect(() => clusterCustomers([{ customerId: 'a', x: 1 }], { k: 0 })).toThrow(
      /clusterCustomers: option "k" must be an integer from 1 to 1000/,
    );
    expect(() => clusterCustomers([{ customerId: 'a', s: 'x' }], {})).toThrow(/no usable numeric feature/);
  });
});

describe('adjustedRandIndex', () => {
  it('is 1 for identical partitions under relabelling and −0.5 for the hand-computed crossing', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2], ['b', 'b', 'a', 'a', 'z'])).toBe(1);
    // table all ones: index 0, Σa = Σb = 2, expected 2·2/6 = 2/3, max 2 → (0 − 2/3)/(2 − 2/3) = −0.5
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5);
    expect(() => adjustedRandIndex([0], [0, 1])).toThrow(ValidationError);
  });
});

describe('clusterCustomers: assignments built on first read', () => {
  it('builds customers once, and spreads, JSON and assignment see them like a plain field', () => {
    const { rows } = blobs(3, 30, 2, 21);
    const res = clusterCustomers(rows, { k: 3, seed: 1 });
    const first = res.customers;
    expect(first).toHaveLength(90);
    expect(res.customers).toBe(first); // cached, not rebuilt
    expect({ ...res }.customers).toBe(first);
    const json = JSON.parse(JSON.stringify({ ...res, model: null }));
    expect(json.customers[0].customerId).toBe('c0');
    expect(json.customers[0].reason).toBe(first[0]?.reason);
    res.customers = [];
    expect(res.customers).toEqual([]);
  });
});

describe('clusterCustomers above 20,000 customers (starts on a 5,000-row sample)', () => {
  it('recovers the blobs, and a fixed k reproduces the auto run', () => {
    const rng = createRng(31);
    const n = 24_000;
    const d = 3;
    const centres = [
      [0, 0, 0],
      [6, 0, 0],
      [0, 6, 0],
      [0, 0, 6],
    ];
    const values = new Float64Array(n * d);
    const truth: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = i % 4;
      truth.push(c);
      for (let t = 0; t < d; t++) values[i * d + t] = ((centres[c] as number[])[t] as number) + rng.normal();
    }
    const table = {
      customerIds: Array.from({ length: n }, (_, i) => `c${i}`),
      columns: ['x', 'y', 'z'],
      values,
    };
    const auto = clusterCustomers(table, { kRange: [2, 6], seed: 3 });
    expect(auto.k).toBe(4);
    const labels = auto.customers.map((c) => c.cluster);
    expect(adjustedRandIndex(truth, labels)).toBeGreaterThan(0.97);
    const fixed = clusterCustomers(table, { k: 4, seed: 3 });
    expect(fixed.customers.map((c) => c.cluster)).toEqual(labels);
    expect(fixed.iterations).toBe(auto.iterations);
  });
});
