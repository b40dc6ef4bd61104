import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { createRng } from '../../src/_lib/random';
import { ces, csat, nps, periodSeries, surveyScores } from '../../src/metrics/index';
import { at, ev } from '../helpers/events';

describe('nps', () => {
  it('counts promoters, passives and detractors and gives a Wald interval', () => {
    // P = {10,10,9,10} = 4, passives {8,7} = 2, D = {6,5,0,3} = 4 → NPS = 100·(0.4 − 0.4) = 0.
    // Var = (0.4 + 0.4 − 0²)/10 = 0.08; half-width = 1.95996 · 100 · √0.08 = 55.436.
    const r = nps([10, 10, 9, 8, 7, 6, 5, 0, 10, 3]);
    expect(r).toMatchObject({ n: 10, promoters: 4, passives: 2, detractors: 4 });
    expect(r.value).toBeCloseTo(0, 10);
    expect(r.promoterShare).toBeCloseTo(0.4);
    expect(r.ci?.lower).toBeCloseTo(-55.436, 2);
    expect(r.ci?.upper).toBeCloseTo(55.436, 2);
    expect(r.ci?.method).toBe('wald-multinomial');
  });

  it('clamps the interval to [-100, 100] for small samples', () => {
    // pP = 0.6, pD = 0.2 → 40; Var = (0.8 − 0.16)/5 = 0.128; half = 1.95996·100·0.35777 = 70.12.
    const r = nps([10, 9, 9, 8, 2]);
    expect(r.value).toBeCloseTo(40);
    expect(r.ci?.lower).toBeCloseTo(40 - 70.12, 1);
    expect(r.ci?.upper).toBe(100);
  });

  it('returns null with a reason for no answers and rejects out-of-range answers', () => {
    expect(nps([])).toMatchObject({ n: 0, value: null, reason: 'no answers', ci: null });
    expect(() => nps([10, 11, 4.5])).toThrow(ValidationError);
    expect(() => nps([10, 11])).toThrow(/^nps: invalid scores: row 1/);
  });
});

describe('csat', () => {
  it('takes the top-two-box share with a Wilson interval and the mean with a t interval', () => {
    // satisfied = {5,4,5} = 3 of 5 → 0.6. Wilson: centre (0.6 + 3.8415/10)/(1 + 3.8415/5) = 0.55655,
    // half 1.96·√(0.048 + 0.038415)/1.76829 = 0.32584 → [0.2307, 0.8824].
    // mean 18/5 = 3.6, s² = 11.2/4 = 2.8, se = √0.56 = 0.74833, t(4) = 2.77645 → ±2.0777.
    const r = csat([5, 4, 3, 5, 1]);
    expect(r).toMatchObject({ n: 5, satisfied: 3, satisfiedFrom: 4 });
    expect(r.value).toBeCloseTo(0.6);
    expect(r.ci?.lower).toBeCloseTo(0.2307, 3);
    expect(r.ci?.upper).toBeCloseTo(0.8824, 3);
    expect(r.mean).toBeCloseTo(3.6);
    expect(r.meanCi?.lower).toBeCloseTo(1.5223, 3);
    expect(r.meanCi?.upper).toBeCloseTo(5.6777, 3);
  });

  it('supports another scale and top-box count', () => {
    // 0–10 scale, top 3 boxes = 8..10: {8, 10} = 2 of 4.
    const r = csat([8, 10, 7, 0], { scale: { min: 0, max: 10 }, topBoxes: 3 });
    expect(r.satisfiedFrom).toBe(8);
    expect(r.value).toBeCloseTo(0.5);
    expect(csat([4]).meanCi).toBeNull();
    expect(csat([])).toMatchObject({ value: null, n: 0, reason: 'no answers' });
    expect(() => csat([6])).toThrow(/^csat: /);
  });
});

describe('ces', () => {
  it('gives the mean effort with a t interval and the low-effort share', () => {
    // mean 17/5 = 3.4; s² = 25.2/4 = 6.3; se = √1.26 = 1.12250; t(4)·se = 3.11656.
    // Low effort on 1–7 = below the midpoint 4 = {1, 2, 2} → 3/5.
    const r = ces([1, 2, 2, 5, 7]);
    expect(r.value).toBeCloseTo(3.4);
    expect(r.ci?.lower).toBeCloseTo(0.28344, 3);
    expect(r.ci?.upper).toBeCloseTo(6.51656, 3);
    expect(r.lowEffortMax).toBe(3);
    expect(r.lowEffortShare).toBeCloseTo(0.6);
    expect(ces([])).toMatchObject({ value: null, n: 0, lowEffortShare: null });
    expect(ces([1, 5], { scale: { min: 1, max: 5 } }).lowEffortMax).toBe(2);
  });
});

describe('csat and ces mean intervals', () => {
  it('are the same to the bit in any order of the answers (answers at one timestamp keep input order)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 40 }),
        fc.integer(),
        (xs, seed) => {
          const rng = createRng(seed);
          const ys = [...xs];
          for (let i = ys.length - 1; i > 0; i--) {
            const j = Math.floor(rng.next() * (i + 1));
            [ys[i], ys[j]] = [ys[j] as number, ys[i] as number];
          }
          expect(csat(ys).meanCi).toEqual(csat(xs).meanCi);
          expect(ces(ys, { scale: { min: 1, max: 5 } }).ci).toEqual(
            ces(xs, { scale: { min: 1, max: 5 } }).ci,
          );
        },
      ),
      { numRuns: 300, seed: 20261130 },
    );
  });
});

describe('surveyScores and periodSeries', () => {
  const events = [
    ev('a', 'nps_response', '2024-01-05', 10),
    ev('b', 'nps_response', '2024-01-20', 3),
    ev('a', 'nps_response', '2024-03-02', 9),
    ev('a', 'csat_response', '2024-01-06', 5),
    ev('c', 'login', '2024-01-07'),
  ];

  it('pulls scores of one type within [from, to)', () => {
    expect(surveyScores(events, 'nps_response')).toEqual([10, 3, 9]);
    expect(surveyScores(events, 'nps_response', { from: '2024-01-20', to: '2024-03-02' })).toEqual([3]);
    expect(surveyScores(events, 'csat_response')).toEqual([5]);
  });

  it('computes NPS per month, with a null month and its reason', () => {
    const s = periodSeries(events, (evs) => nps(surveyScores(evs, 'nps_response')), {
      from: '2024-01-01',
      to: '2024-04-01',
    });
    // Jan: one promoter, one detractor → 0; Feb: no answers; Mar: one promoter → 100.
    expect(s.map((p) => [p.periodStart, p.value, p.n])).toEqual([
      [at('2024-01-01'), 0, 2],
      [at('2024-02-01'), null, 0],
      [at('2024-03-01'), 100, 1],
    ]);
    expect(s[1]?.reason).toBe('no answers');
    const lower = periodSeries(events, (evs) => nps(surveyScores(evs, 'nps_response')), {
      from: '2024-01-01',
      to: '2024-02-01',
      select: (r) => r.ci?.lower ?? null,
    });
    // n = 2, pP = pD = 0.5 → Var = 1/2 → half = 1.96·100·0.7071 = 138.6 → clamped to −100.
    expect(lower[0]?.value).toBe(-100);
  });

  it('names the function and field of a bad option', () => {
    expect(() =>
      periodSeries(events, (evs) => nps(surveyScores(evs, 'nps_response')), { from: 'x', to: '2024-01-01' }),
    ).toThrow(/^periodSeries: option "from" /);
  });
});
