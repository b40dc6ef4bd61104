import { describe, expect, it } from 'vitest';
import { InsufficientDataError } from '../../src/_lib/errors';
import { describeFeature } from '../../src/churn/describeFeature';
import { FeatureEncoder, MISSING_VALUE } from '../../src/churn/FeatureEncoder';

describe('FeatureEncoder', () => {
  const rows = [
    { plan: 'pro', seats: 3, annual: true },
    { plan: 'free', seats: null, annual: false },
    { plan: 'pro', seats: 5, annual: false },
  ];

  it('one-hot encodes strings, maps booleans to 0/1 and adds missing indicators (sorted names)', () => {
    const enc = FeatureEncoder.fit(rows);
    expect(enc.columnNames()).toEqual(['annual', 'plan=free', 'plan=pro', 'seats', 'seats (missing)']);
    // seats: mean of observed 3 and 5 = 4 imputes the missing cell.
    expect(enc.features.find((f) => f.name === 'seats')?.impute).toBe(4);
  });

  it('standardises with the training mean and population standard deviation', () => {
    const enc = FeatureEncoder.fit(rows);
    const x = enc.encode(rows);
    const d = enc.width;
    // seats column after imputation: 3, 4, 5 → mean 4, sd √(2/3); z = −1.2247, 0, 1.2247
    const sd = Math.sqrt(2 / 3);
    expect(x[3]).toBeCloseTo(-1 / sd, 12);
    expect(x[d + 3]).toBeCloseTo(0, 12);
    expect(x[2 * d + 3]).toBeCloseTo(1 / sd, 12);
    // Every column has mean 0.
    for (let j = 0; j < d; j++)
      expect((x[j] as number) + (x[d + j] as number) + (x[2 * d + j] as number)).toBeCloseTo(0, 12);
    // center: false keeps zeros (x / scale only).
    const u = enc.encode(rows, { center: false });
    expect(u[1]).toBe(0); // plan=free of row 0
  });

  it('encodes unseen categories as all zeros and NaN/Infinity/absent as missing', () => {
    const enc = FeatureEncoder.fit(rows);
    const a = enc.encode([{ plan: 'enterprise', seats: Number.NaN }], { center: false });
    const b = enc.encode([{ seats: Number.POSITIVE_INFINITY }], { center: false });
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(a[1]).toBe(0);
    expect(a[2]).toBe(0);
    expect(a[4]).toBeGreaterThan(0); // missing indicator set
  });

  it('keeps the most frequent categories and pools the rest as (other)', () => {
    const many = ['a', 'a', 'a', 'b', 'b', 'c', 'd'].map((v) => ({ k: v }));
    const enc = FeatureEncoder.fit(many, { maxCategories: 2 });
    expect(enc.columnNames()).toEqual(['k=a', 'k=b', 'k=(other)']);
    const x = enc.encode([{ k: 'd' }], { center: false });
    expect(x[2]).toBeGreaterThan(0);
  });

  it('tree mode: raw values, missing below every value, no indicators', () => {
    const enc = FeatureEncoder.fit(rows, { mode: 'tree' });
    expect(enc.columnNames()).toEqual(['annual', 'plan=free', 'plan=pro', 'seats']);
    expect(Array.from(enc.encode(rows))).toEqual([1, 0, 1, 3, 0, 1, 0, MISSING_VALUE, 0, 0, 1, 5]);
  });

  it('ignores inherited properties and drops all-missing features', () => {
    const enc = FeatureEncoder.fit([
      { x: 1, empty: null },
      { x: 2, empty: null },
    ]);
    expect(enc.columnNames()).toEqual(['x']);
    const proto = Object.create({ x: 100 });
    const [z] = enc.encode([proto], { center: false });
    // x is not an own property: read as missing → imputed with the mean 1.5 (then / scale 0.5 = 3).
    expect(z).toBeCloseTo(1.5 / 0.5, 12);
    expect(() => FeatureEncoder.fit([])).toThrow(InsufficientDataError);
  });

  it('counts text as categories, blank text and absent keys as missing, numeric text and flags as numbers', () => {
    const recs = [
      { tier: 'gold', amount: '1.5', flag: true },
      { tier: ' ', amount: '2', flag: false, extra: 4 },
      { tier: 'blue', amount: '', flag: true },
      { amount: 3, flag: false },
    ];
    const { encoder, uncentred, notes } = FeatureEncoder.fitTransform(recs);
    // extra (only in row 2, a key the first row lacks) is a feature; row 1 and 3 and 4 miss it.
    expect(encoder.columnNames()).toEqual([
      'amount',
      'amount (missing)',
      'extra',
      'extra (missing)',
      'flag',
      'tier=blue',
      'tier=gold',
      'tier (missing)',
    ]);
    expect(notes.numericText).toEqual(['amount']);
    expect(notes.mixed).toEqual([]);
    // amount: 1.5, 2, (blank: missing), 3 → mean (1.5 + 2 + 3) / 3 = 13/6 imputed in row 3.
    const amount = encoder.features.find((f) => f.name === 'amount');
    expect(amount?.impute).toBeCloseTo(13 / 6, 12);
    // Uncentred matrix = value / scale; amount column: [1.5, 2, 13/6, 3], mean 13/6,
    // population variance ((2/3)² + (1/6)² + 0 + (5/6)²) / 4 = (16 + 1 + 25) / 144 = 7/24.
    const s = Math.sqrt(7 / 24);
    expect(encoder.columns[0]?.scale).toBeCloseTo(s, 12);
    expect(uncentred[2 * 8]).toBeCloseTo(13 / 6 / s, 12);
    // tier: ' ' and the absent key are missing (indicator 1); 'gold' and 'blue' one-hot.
    expect(Array.from({ length: 4 }, (_, i) => (uncentred[i * 8 + 7] as number) > 0)).toEqual([
      false,
      true,
      false,
      true,
    ]);
  });

  it('encodes a column mixing text, numbers, numeric text and flags as categories keyed by their text', () => {
    const recs = [
      { m: 'a' },
      { m: 2 },
      { m: true },
      { m: 'true' },
      { m: '7' },
      { m: 7 },
      { m: ' ' },
      { m: 'a' },
      {},
    ];
    const { encoder, uncentred, notes } = FeatureEncoder.fitTransform(recs);
    // Text cells: 'a', 'true', 'a' (3); number cells: 2, true (1), '7' (7), 7 (4); blank and absent: missing.
    expect(notes.mixed).toEqual([{ name: 'm', numbers: 4, texts: 3 }]);
    // Keys: 'a' ×2, '2' (String(2)), 'true' ×2 (the flag and the text), '7' ×2 (the numeric text and 7).
    expect(encoder.columnNames()).toEqual(['m=2', 'm=7', 'm=a', 'm=true', 'm (missing)']);
    const hot = Array.from({ length: recs.length }, (_, i) =>
      [0, 1, 2, 3, 4].findIndex((j) => (uncentred[i * 5 + j] as number) > 0),
    );
    expect(hot).toEqual([2, 0, 3, 3, 1, 1, 4, 2, 4]);
    // Capped at 2: counts a 2, true 2, 7 2, 2 1; ties by key ('7' < 'a' < 'true') keep 7 and a.
    const capped = FeatureEncoder.fitTransform(recs, { maxCategories: 2 });
    expect(capped.encoder.columnNames()).toEqual(['m=7', 'm=a', 'm=(other)', 'm (missing)']);
    expect(capped.notes.capped).toEqual([{ name: 'm', levels: 4 }]);
  });

  it('finds a key that first appears after the first 1,024 rows, and reads rows lacking keys as missing', () => {
    // Rows 0..1499 have x = i; row 1,400 also has "late" = 7; row 1,450 lacks x; key order varies.
    const recs = Array.from({ length: 1500 }, (_, i): Record<string, number> => {
      if (i === 1400) return { late: 7, x: i };
      if (i === 1450) return {};
      return i % 2 === 0 ? { x: i } : { x: i, zero: 0 };
    });
    const enc = FeatureEncoder.fit(recs, { mode: 'tree' });
    expect(enc.columnNames()).toEqual(['late', 'x', 'zero']);
    const z = enc.encode([recs[1400] as Record<string, number>, recs[1450] as Record<string, number>]);
    expect(Array.from(z)).toEqual([7, 1400, MISSING_VALUE, MISSING_VALUE, MISSING_VALUE, MISSING_VALUE]);
    // Linear mode: x's mean over the 1,499 rows that have it is (Σ 0..1499 − 1450) / 1499.
    const lin = FeatureEncoder.fit(recs);
    const x = lin.features.find((f) => f.name === 'x');
    expect(x?.impute).toBeCloseTo((1499 * 1500) / 2 / 1499 - 1450 / 1499, 9);
    expect(x?.missingIndicator).toBe(true);
  });

  it('standardises columns holding values near the largest double without overflow', () => {
    const enc = FeatureEncoder.fit([{ v: 1e308 }, { v: -1e308 }, { v: 1e308 }, { v: -1e308 }]);
    // mean 0, population sd 1e308 (Σ (x − 0)² would overflow without rescaling).
    expect(enc.columns[0]?.center).toBe(0);
    expect(enc.columns[0]?.scale).toBeCloseTo(1e308, -295);
    expect(Number.isFinite(enc.columns[0]?.scale)).toBe(true);
  });
});

describe('describeFeature', () => {
  it('phrases known churn features and falls back to name = value', () => {
    expect(describeFeature('highPriorityTickets30d', 3)).toBe('3 high-priority tickets in the last 30 days');
    expect(describeFeature('highPriorityTickets30d', 1)).toBe('1 high-priority ticket in the last 30 days');
    expect(describeFeature('npsLatest', null)).toBe('no NPS response');
    expect(describeFeature('plan', 'pro')).toBe('plan = pro');
    expect(describeFeature('custom', undefined)).toBe('custom missing');
  });
});
