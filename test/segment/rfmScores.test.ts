import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { groupByCustomer } from '../../src/events/groupByCustomer';
import { rfmScores } from '../../src/segment/rfmScores';
import { DAY, ev } from '../helpers/events';

// asOf 2025-01-31, n = 5, bins = 5: score = 1 + floor(5 · (worse + tied / 2) / 5) = 1 + floor(worse + tied / 2),
// worse = customers with a strictly worse value, tied = customers with the same value (itself included):
//   a: last 01-30 (1 day), 2 purchases, 150  → R: worse c,d,e = 3, tied 1 → 1 + 3 = 4; F: worse b,d,e = 3 → 4; M: worse b,d = 2 → 3 → "443"
//   b: last 01-30 18:00 (0 days), 1 purchase, 20 → R: worse 4 → 5; F: worse 0, tied 3 (b,d,e) → 1 + floor(1.5) = 2;
//      M: worse 0, tied 2 (b,d) → 1 + 1 = 2                                                                  → "522"
//   c: last 01-21 (10 days), 3 purchases, 350 → R: worse d = 1, tied 2 (c,e) → 1 + 2 = 3; F 5; M 5          → "355"
//   d: last 2024-12-01 (61 days), 1, 20      → R: worse 0, tied 1 → 1 + floor(0.5) = 1; F 2; M 2            → "122"
//   e: last 01-21 (10 days), 1, 200          → R 3 (tied with c); F 2; M: worse a,b,d = 3 → 4              → "324"
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
  it('says when top recency scores go to customers silent for over a year (stale_top_recency)', () => {
    // 10 customers, last purchases 400, 410, ..., 490 days before asOf: all silent for over a year.
    // R (5 bins, no ties): 1 + floor(worse / 2) → 400 and 410 days score 5, 420 and 430 score 4.
    const t0 = Date.parse('2025-01-31');
    const dormant = Array.from({ length: 10 }, (_, i) =>
      ev(`c${i}`, 'purchase', new Date(t0 - (400 + 10 * i) * DAY).toISOString(), 10),
    );
    const res = rfmScores(dormant, { asOf });
    expect(res.customers.filter((c) => c.r >= 4).map((c) => c.recencyDays)).toEqual([400, 410, 420, 430]);
    // (Same frequency and spend for all: no_spread for F and M, beside it.)
    expect(res.warnings.filter((w) => w.code === 'stale_top_recency')).toEqual([
      {
        code: 'stale_top_recency',
        message:
          'R scores rank customers against each other: 4 of the 4 customers scored R 4-5 last bought more than 365 days before asOf (up to 430 days), so at least half of the customers have not bought for a year, and a high R (and segments such as Champions) is relative, not recent',
      },
    ]);
    // One recent buyer among them: a top R score still goes to customers 400 days silent (R 4).
    const res2 = rfmScores([...dormant, ev('fresh', 'purchase', '2025-01-30', 10)], { asOf });
    expect(res2.warnings.find((w) => w.code === 'stale_top_recency')?.message).toContain(
      '3 of the 4 customers scored R 4-5',
    );
    // The hand-computed example (last purchases within 61 days): no warning.
    expect(rfmScores(events, { asOf }).warnings).toEqual([]);
  });

  it('scores a hand-computed example with ties: equal values get equal scores', () => {
    const res = rfmScores(events, { asOf });
    const byId = Object.fromEntries(res.customers.map((c) => [c.customerId, c]));
    expect(res.n).toBe(5);
    expect(byId.a).toMatchObject({ recencyDays: 1, frequency: 2, monetary: 150, code: '443' });
    expect(byId.b).toMatchObject({ recencyDays: 0, frequency: 1, monetary: 20, code: '522' });
    expect(byId.c?.code).toBe('355');
    expect(byId.d).toMatchObject({ recencyDays: 61, code: '122' });
    expect(byId.e?.code).toBe('324');
    expect(res.warnings).toEqual([]);
  });

  it('uses whole days for recency so same-day purchases tie', () => {
    // b bought at 18:00 on 01-30, i.e. 6 h before asOf: floor(0.25) = 0 days, more recent than a (1 day).
    const res = rfmScores(events, { asOf });
    const b = res.customers.find((c) => c.customerId === 'b');
    const a = res.customers.find((c) => c.customerId === 'a');
    expect(b?.r).toBe(5); // worse recency: a, c, d, e = 4 → 1 + floor(4 + 1/2)
    expect(a?.r).toBe(4);
  });

  it('reports cutoffs: the worst value that earns each score or more, null when no customer does', () => {
    const res = rfmScores(events, { asOf });
    // F scores: 1 → 2 (b, d, e), 2 → 4, 3 → 5: F≥2 needs 1, F≥3 and F≥4 need 2, F≥5 needs 3.
    expect(res.cutoffs.frequency).toEqual([1, 2, 2, 3]);
    // R scores: 61 days → 1, 10 → 3, 1 → 4, 0 → 5: R≥2 and R≥3 need ≤ 10, R≥4 ≤ 1, R≥5 ≤ 0.
    expect(res.cutoffs.recency).toEqual([10, 10, 1, 0]);
    const two = rfmScores([ev('x', 'purchase', '2025-01-01', 5), ev('y', 'purchase', '2025-01-01', 9)], {
      asOf,
    });
    // M: x worse 0 → 1 + floor(5 · 0.5 / 2) = 2; y worse 1 → 1 + floor(5 · 1.5 / 2) = 4; nobody has 5
    expect(two.cutoffs.monetary).toEqual([5, 9, 9, null]);
  });

  it('ties never push a whole group to the worst score: ten buyers of yesterday are "333", not Lost (#18)', () => {
    const ten = Array.from({ length: 10 }, (_, i) => ev(`c${i}`, 'purchase', '2025-01-30', 50));
    const res = rfmScores(ten, { asOf });
    // every column tied: worse 0, tied 10 → 1 + floor(5 · 5 / 10) = 3
    expect(new Set(res.customers.map((c) => c.code))).toEqual(new Set(['333']));
    expect(res.warnings.map((w) => w.code)).toEqual(['no_spread', 'no_spread', 'no_spread']);
    expect(res.warnings[0]?.message).toBe(
      'all 10 customers have the same recency (1 day since the last purchase), so R is 3 (the middle score) for everyone and tells them apart by nothing',
    );
    // a single customer is not Lost either
    const one = rfmScores([ev('solo', 'purchase', '2025-01-30', 50)], { asOf });
    expect(one.customers[0]?.code).toBe('333');
    expect(one.warnings).toEqual([
      {
        code: 'few_customers',
        message:
          'only 1 customer for 5 bins: scores are ranks among one customer (every score is the middle one)',
      },
    ]);
  });

  it('orders customers by id whatever the input order (#18)', () => {
    const shuffled = [
      events[4],
      events[2],
      events[8],
      events[0],
      events[6],
      events[3],
      events[1],
      events[7],
      events[5],
    ];
    const a = rfmScores(events, { asOf });
    const b = rfmScores(shuffled as typeof events, { asOf });
    expect(a.customers.map((c) => c.customerId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(b.customers).toEqual(a.customers);
    const ids = rfmScores(
      [
        ev('b', 'purchase', '2025-01-01', 1),
        ev('B', 'purchase', '2025-01-01', 1),
        ev('a10', 'purchase', '2025-01-01', 1),
        ev('a9', 'purchase', '2025-01-01', 1),
      ],
      { asOf },
    );
    expect(ids.customers.map((c) => c.customerId)).toEqual(['B', 'a10', 'a9', 'b']); // UTF-16 code units
  });

  it('uses the shared net-revenue definition: refunds beyond purchases make monetary negative (#11)', () => {
    const res = rfmScores(
      [
        ev('x', 'purchase', '2025-01-01', 100),
        ev('x', 'refund', '2025-01-05', -130), // a negative refund value is read as its amount
        ev('y', 'purchase', '2025-01-01', 10),
      ],
      { asOf },
    );
    // x: 100 − |−130| = −30 (no longer floored at 0): the lowest M
    expect(res.customers.map((c) => [c.customerId, c.monetary, c.m])).toEqual([
      ['x', -30, 2], // worse 0, tied 1 → 1 + floor(5 · 0.5 / 2) = 2
      ['y', 10, 4], // worse 1 → 1 + floor(5 · 1.5 / 2) = 4
    ]);
  });

  it('rejects unknown options with the closest name', () => {
    expect(() => rfmScores(events, { asOf, bin: 4 } as never)).toThrow(
      /rfmScores: .*unknown option "bin"; did you mean "bins"\?/,
    );
    expect(() => rfmScores(events, undefined as never)).toThrow(/rfmScores: option "asOf" is required/);
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
          // Scores by the documented definition, brute force: min(bins, 1 + floor(bins · (worse + tied / 2) / n)).
          const n = res.n;
          const score = (worse: number, tied: number) =>
            Math.min(bins, 1 + Math.floor((bins * (worse + tied / 2)) / n));
          for (const x of res.customers) {
            // Monetary sums that differ only by rounding (relative gap <= 1e-9) are ties (_lib/nearTies).
            const near = (a: number, b: number) =>
              Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
            const worseM = res.customers.filter(
              (y) => y.monetary < x.monetary && !near(y.monetary, x.monetary),
            ).length;
            const tiedM = res.customers.filter((y) => near(y.monetary, x.monetary)).length;
            const worseF = res.customers.filter((y) => y.frequency < x.frequency).length;
            const tiedF = res.customers.filter((y) => y.frequency === x.frequency).length;
            const worseR = res.customers.filter((y) => y.recencyDays > x.recencyDays).length;
            const tiedR = res.customers.filter((y) => y.recencyDays === x.recencyDays).length;
            expect(x.m).toBe(score(worseM, tiedM));
            expect(x.f).toBe(score(worseF, tiedF));
            expect(x.r).toBe(score(worseR, tiedR));
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
