import { describe, expect, it } from 'vitest';
import { cohortRetention, logoRetention, revenueRetention } from '../../src/metrics/index';
import { at } from '../helpers/events';
import { scenario } from './_fixtures';

describe('revenueRetention', () => {
  const r = revenueRetention(scenario, { from: '2024-01-01', to: '2024-05-01' });

  it('gives GRR and NRR from the customers with MRR at period start', () => {
    // Jan: start 50 (B), B churns → GRR = NRR = 0.
    // Feb: start 100 (A), +20 expansion → GRR 1, NRR 1.2 (C's new 30.33 is not counted).
    // Mar: start 150.33, A churns 120, C +9.77 → GRR = 30.33/150.33 = 0.201756, NRR = 40.10/150.33 = 0.266746.
    // Apr: start 65.10, no losses, no expansion (A's 80 is reactivation) → 1, 1.
    expect(r.map((p) => [p.grr, p.nrr, p.n])).toEqual([
      [0, 0, 1],
      [1, 1.2, 1],
      [expect.closeTo(30.33 / 150.33, 12), expect.closeTo(40.1 / 150.33, 12), 2],
      [1, 1, 2],
    ]);
    expect(r[2]?.value).toBeCloseTo(0.266746, 6);
    expect(r[2]?.grossRetainedMrr).toBeCloseTo(30.33, 10);
  });

  it('returns null with a reason for a month with no MRR at its start', () => {
    const early = revenueRetention(scenario, { from: '2023-11-01', to: '2023-12-01' });
    expect(early[0]).toMatchObject({
      value: null,
      grr: null,
      nrr: null,
      n: 0,
      reason: 'no MRR at period start',
    });
  });
});

describe('logoRetention', () => {
  const r = logoRetention(scenario, { from: '2024-01-01', to: '2024-05-01' });

  it('uses the customers active at period start as the denominator', () => {
    // Jan: {B}, B churns → churn 1/1; A (new) does not dilute. Feb: {A} retained; C new.
    // Mar: {A, C}, A churns → 1/2; E reactivates (not in the rate). Apr: {C, E} both stay; A back, D new.
    expect(
      r.map((p) => [
        p.startCustomers,
        p.churned,
        p.churnRate,
        p.retentionRate,
        p.newCustomers,
        p.reactivated,
        p.endCustomers,
      ]),
    ).toEqual([
      [1, 1, 1, 0, 1, 0, 1],
      [1, 0, 0, 1, 1, 0, 2],
      [2, 1, 0.5, 0.5, 0, 1, 2],
      [2, 0, 0, 1, 1, 1, 4],
    ]);
  });

  it('returns null rates with a reason when nobody is active at period start', () => {
    const early = logoRetention(scenario, { from: '2023-11-01', to: '2024-01-01' });
    expect(early[0]).toMatchObject({
      n: 0,
      value: null,
      churnRate: null,
      reason: 'no customers active at period start',
    });
    expect(early[1]).toMatchObject({ n: 0, value: null, newCustomers: 1, endCustomers: 1 });
  });
});

describe('cohortRetention', () => {
  it('builds the signup-cohort × offset matrix by logo and by revenue', () => {
    const c = cohortRetention(scenario, { from: '2024-01-01', to: '2024-05-01' });
    expect(c.by).toBe('logo');
    expect(c.cohorts.map((r) => [r.periodStart, r.size, r.initialMrr])).toEqual([
      // Jan: A (100) and E (20; first start 01-05). B's first MRR predates the range → no cohort.
      [at('2024-01-01'), 2, 120],
      [at('2024-02-01'), 1, 30.33],
      [at('2024-03-01'), 0, 0],
      [at('2024-04-01'), 1, 10],
    ]);
    const jan = c.cohorts[0]?.cells ?? [];
    // End of Jan: A 100, E 0 → 1/2, 100/120. Feb: A 120 → 1/2, 1. Mar: A 0, E 25 → 1/2, 25/120.
    // Apr: A 80, E 25 → 2/2, 105/120.
    expect(jan.map((x) => [x.offset, x.value, x.active, x.mrr])).toEqual([
      [0, 0.5, 1, 100],
      [1, 0.5, 1, 120],
      [2, 0.5, 1, 25],
      [3, 1, 2, 105],
    ]);
    expect(jan.map((x) => x.revenue)).toEqual([
      expect.closeTo(100 / 120, 12),
      1,
      expect.closeTo(25 / 120, 12),
      expect.closeTo(105 / 120, 12),
    ]);
    // Feb cohort (C): 30.33 → 40.10 → revenue retained 40.10/30.33 = 1.32212 (expansion above 1).
    const rev = cohortRetention(scenario, { from: '2024-01-01', to: '2024-05-01', by: 'revenue' });
    expect(rev.cohorts[1]?.cells.map((x) => x.value)).toEqual([
      1,
      expect.closeTo(40.1 / 30.33, 12),
      expect.closeTo(40.1 / 30.33, 12),
    ]);
    // The empty March cohort has null values.
    expect(rev.cohorts[2]?.cells.map((x) => [x.value, x.logo, x.n])).toEqual([
      [null, null, 0],
      [null, null, 0],
    ]);
    expect(() =>
      cohortRetention(scenario, { from: '2024-01-01', to: '2024-05-01', by: 'seats' as 'logo' }),
    ).toThrow(/^cohortRetention: option "by" /);
  });
});
