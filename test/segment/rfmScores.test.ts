import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { groupByCustomer } from '../../src/events/groupByCustomer';
import { rfmScores } from '../../src/segment/rfmScores';
import { DAY, ev } from '../helpers/events';

// asOf 2025-01-31. Hand-computed with score = 1 + floor(5 · worse / 5) = 1 + (number of customers with a strictly worse value):
//   a: last 01-30 (1 day), 2 purchases, 150  → R: worse recency c,d,e = 3 → 4; F: below 2 = b,d,e = 3 → 4; M: below 150 = b,d = 2 → 3  → "443"
//   b: last 01-30 18:00 (0 days), 1 purchase, 20 → R: worse = a,c,d,e = 4 → 5; F 1; M 1 (tie with d)                            → "511"
//   c: last 01-21 (10 days), 3 purchases, 350 → R: worse = d → 2; F: below 3 = 4 → 5; M 5                                         → "255"
//   d: last 2024-12-01 (61 days), 1, 20      → R 1; F 1; M 1                                                                     → "111"
//   e: last 01-21 (10 days), 1, 200          → R 2 (tie with c); F 1; M: below 200 = a,b,d = 3 → 4                               → "214"
const events = [
  ev('a', 'purchase', '2025-01-30', 100),
  ev('a', 'purchase', '2025-01-20', 50),
  ev('b', 'purchase', '2025-01-30T18:00:00Z', 20),
  ev('c', 'purchase', '2025-01-01', 300),
  ev('c', 'purchase', '2025-01-10', 10),
  ev('c', 'purchase', '2025-01-21', 40),
  ev('d', 'purchase', '2024-12-01', 20),
  ev('e', 'purchase', '2025-01-21', 200),
  ev('e', 'login', '2025-01-30'),
];
const asOf = '2025-01-31';

describe('rfmScores', () => {
  it('scores a hand-computed example with ties: equal values get equal scores', () => {
    const res = rfmScores(events, { asOf });
    const byId = Object.fromEntries(res.customers.map((c) => [c.customerId, c]));
    expect(res.n).toBe(5);
    expect(byId.a).toMatchObject({ recencyDays: 1, frequency: 2, monetary: 150, code: '443' });
    expect(byId.b).toMatchObject({ recencyDays: 0, frequency: 1, monetary: 20, code: '511' });
    expect(byId.c?.code).toBe('255');
    expect(byId.d).toMatchObject({ recencyDays: 61, code: '111' });
    expect(byId.e?.code).toBe('214');
  });

  it('uses whole days for recency so same-day purchases tie', () => {
    // b bought at 18:00 on 01-30, i.e. 6 h before asOf: floor(0.25) = 0 days, more recent than a (1 day).
    const res = rfmScores(events, { asOf });
    const b = res.customers.find((c) => c.customerId === 'b');
    const a = res.customers.find((c) => c.customerId === 'a');
    expect(b?.r).toBe(5); // worse recency: a, c, d, e = 4 → 1 + 4
    expect(a?.r).toBe(4);
  });

  it('reports cutoffs: the smallest frequency that earns each score, null when ties skip it', () => {
    const res = rfmScores(events, { asOf });
    // sorted frequencies [1,1,1,2,3]: F≥2 needs 2 (positions 1-2 are ties of the 1s), F≥5 needs 3.
    expect(res.cutoffs.frequency).toEqual([2, 2, 2, 3]);
    // recency days sorted worst first [61,10,10,1,0]: R≥2 needs ≤10, R≥3 ≤1, R≥4 ≤1, R≥5 ≤0.
    expect(res.cutoffs.recency).toEqual([10, 1, 1, 0]);
  });

  it('subtracts refunds from monetary and ignores events after asOf', () => {
    const res = rfmScores(
      [
        ev('x', 'purchase', '2025-01-01', 100),
        ev('x', 'refund', '2025-01-02', 30),
        ev('x', 'purchase', '2025-03-01', 999),
      ],
      { asOf },
    );
    expect(res.customers[0]).toMatchObject({ frequency: 1, monetary: 70, recencyDays: 30 });
    const gross = rfmScores([ev('x', 'purchase', '2025-01-01', 100), ev('x', 'refund', '2025-01-02', 30)], {
      asOf,
      netOfRefunds: false,
    });
    expect(gross.customers[0]?.monetary).toBe(100);
  });

  it('supports the average monetary value and fewer bins', () => {
    const res = rfmScores(events, { asOf, monetary: 'average', bins: 3 });
    const c = res.customers.find((x) => x.customerId === 'c');
    expect(c?.monetary).toBeCloseTo(350 / 3);
    for (const x of res.customers) expect(x.r).toBeLessThanOrEqual(3);
  });

  it('gives the same result from timelines as from events', () => {
    const a = rfmScores(events, { asOf });
    const b = rfmScores(groupByCustomer(events), { asOf });
    const key = (r: typeof a) => r.customers.map((c) => `${c.customerId}:${c.code}`).sort();
    expect(key(b)).toEqual(key(a));
  });

  it('returns n = 0 with a reason when there are no purchases', () => {
    const res = rfmScores([ev('a', 'login', '2025-01-01')], { asOf });
    expect(res).toMatchObject({ n: 0, customers: [], reason: 'no purchases on or before asOf' });
  });

  it('rejects bins outside 2..9 and an invalid asOf', () => {
    expect(() => rfmScores(events, { asOf, bins: 10 })).toThrow(ValidationError);
    expect(() => rfmScores(events, { asOf, bins: 10 })).toThrow(
      /rfmScores: option "bins" must be an integer from 2 to 9, got 10/,
    );
    expect(() => rfmScores(events, { asOf: 'not a date' })).toThrow(/rfmScores: option "asOf"/);
  });

  it('property: scores are in 1..bins, ties share scores and better values never score lower', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            c: fc.integer({ min: 0, max: 30 }),
            d: fc.integer({ min: 0, max: 400 }),
            v: fc.integer({ min: 0, max: 50 }),
          }),
          {
            minLength: 1,
            maxLength: 120,
          },
        ),
        fc.integer({ min: 2, max: 9 }),
        (rows, bins) => {
          const asOfMs = Date.UTC(2025, 0, 1);
          const evs = rows.map((r) => ev(`c${r.c}`, 'purchase', asOfMs - r.d * DAY, r.v));
          const res = rfmScores(evs, { asOf: asOfMs, bins });
          for (const x of res.customers) {
            for (const s of [x.r, x.f, x.m]) expect(s >= 1 && s <= bins).toBe(true);
            for (const y of res.customers) {
              if (x.frequency === y.frequency) expect(x.f).toBe(y.f);
              if (x.frequency > y.frequency) expect(x.f).toBeGreaterThanOrEqual(y.f);
              if (x.recencyDays < y.recencyDays) expect(x.r).toBeGreaterThanOrEqual(y.r);
              if (x.monetary === y.monetary) expect(x.m).toBe(y.m);
            }
          }
          // The best value always gets the highest reachable score.
          const maxF = Math.max(...res.customers.map((x) => x.frequency));
          const topF = res.customers.find((x) => x.frequency === maxF)?.f ?? 0;
          expect(topF).toBe(Math.max(...res.customers.map((x) => x.f)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('property: scores follow the definition and cutoffs agree with them (integer and fractional values)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            c: fc.integer({ min: 0, max: 25 }),
            d: fc.integer({ min: 0, max: 60 }),
            v: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.double({ min: 0, max: 100, noNaN: true })),
          }),
          { minLength: 1, maxLength: 80 },
        ),
        fc.integer({ min: 2, max: 6 }),
        (rows, bins) => {
          const asOfMs = Date.UTC(2025, 0, 1);
          const res = rfmScores(
            rows.map((r) => ev(`c${r.c}`, 'purchase', asOfMs - r.d * DAY, r.v)),
            { asOf: asOfMs, bins },
          );
          // Scores by the documented definition, brute force: 1 + floor(bins · worse / n).
          const n = res.n;
          for (const x of res.customers) {
            const worseM = res.customers.filter((y) => y.monetary < x.monetary).length;
            const worseF = res.customers.filter((y) => y.frequency < x.frequency).length;
            const worseR = res.customers.filter((y) => y.recencyDays > x.recencyDays).length;
            expect(x.m).toBe(1 + Math.floor((bins * worseM) / n));
            expect(x.f).toBe(1 + Math.floor((bins * worseF) / n));
            expect(x.r).toBe(1 + Math.floor((bins * worseR) / n));
          }
          for (let s = 2; s <= bins; s++) {
            const fr = res.cutoffs.frequency[s - 2];
            const mo = res.cutoffs.monetary[s - 2];
            const re = res.cutoffs.recency[s - 2];
            for (const x of res.customers) {
              expect(x.f >= s).toBe(fr !== null && fr !== undefined && x.frequency >= fr);
              expect(x.m >= s).toBe(mo !== null && mo !== undefined && x.monetary >= mo);
              expect(x.r >= s).toBe(re !== null && re !== undefined && x.recencyDays <= re);
            }
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});
