import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { kaplanMeier } from '../../src/churn/kaplanMeier';

// Freireich et al. (1963) leukemia trial, weeks of remission (Kleinbaum & Klein, Survival Analysis, ch. 2).
// 6-MP arm: 6,6,6,6+,7,9+,10,10+,11+,13,16,17+,19+,20+,22,23,25+,32+,32+,34+,35+ (+ = censored).
const mpTimes = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35];
const mpEvents = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0];
// Placebo arm: all relapsed.
const plTimes = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23];

describe('kaplanMeier', () => {
  it('reproduces the textbook 6-MP curve, Greenwood errors, log-log band and median', () => {
    const km = kaplanMeier(mpTimes, mpEvents);
    expect(km.times).toEqual([6, 7, 10, 13, 16, 22, 23]);
    expect(km.atRisk).toEqual([21, 17, 15, 12, 11, 7, 6]);
    expect(km.died).toEqual([3, 1, 1, 1, 1, 1, 1]);
    // Ŝ: 18/21; ·16/17; ·14/15; ·11/12; ·10/11; ·6/7; ·5/6
    const s = [18 / 21];
    for (const f of [16 / 17, 14 / 15, 11 / 12, 10 / 11, 6 / 7, 5 / 6])
      s.push((s[s.length - 1] as number) * f);
    km.survival.forEach((v, i) => {
      expect(v).toBeCloseTo(s[i] as number, 12);
    });
    expect(km.survival.map((v) => Number(v.toFixed(3)))).toEqual([
      0.857, 0.807, 0.753, 0.69, 0.627, 0.538, 0.448,
    ]);
    // Greenwood at t = 6: Ŝ·√(3/(21·18)) = 0.857·0.0891 = 0.0764; at 7 adds 1/(17·16).
    expect(km.standardError[0]).toBeCloseTo((18 / 21) * Math.sqrt(3 / (21 * 18)), 12);
    expect(km.standardError[1]).toBeCloseTo((s[1] as number) * Math.sqrt(3 / (21 * 18) + 1 / (17 * 16)), 12);
    // Log-log 95% band as printed by R's survfit(conf.type = "log-log") for these data.
    expect(km.lower.map((v) => Number(v.toFixed(3)))).toEqual([
      0.62, 0.563, 0.503, 0.432, 0.368, 0.268, 0.188,
    ]);
    expect(km.upper.map((v) => Number(v.toFixed(3)))).toEqual([
      0.952, 0.923, 0.889, 0.849, 0.805, 0.747, 0.68,
    ]);
    expect(km.median).toBe(23);
    expect(km.n).toBe(21);
    expect(km.events).toBe(9);
  });

  it('gives a plain band S ± 1.96·SE clipped to [0, 1]', () => {
    const km = kaplanMeier(mpTimes, mpEvents, { ci: 'plain' });
    const se = km.standardError[0] as number;
    expect(km.lower[0]).toBeCloseTo(18 / 21 - 1.959963985 * se, 6);
    expect(km.upper[0]).toBe(1); // 0.857 + 0.150 > 1
  });

  it('draws one curve per group (placebo median 8 weeks, 6-MP 23)', () => {
    const km = kaplanMeier([...mpTimes, ...plTimes], [...mpEvents, ...plTimes.map(() => 1)], {
      groups: [...mpTimes.map(() => '6-MP'), ...plTimes.map(() => 'placebo')],
    });
    expect(Array.from(km.groups.keys())).toEqual(['6-MP', 'placebo']);
    expect(km.groups.get('6-MP')?.median).toBe(23);
    // Placebo: Ŝ(5) = 12/21 = 0.571, Ŝ(8) = 8/21 = 0.381 → median 8.
    expect(km.groups.get('placebo')?.survival[4]).toBeCloseTo(12 / 21, 12);
    expect(km.groups.get('placebo')?.median).toBe(8);
    expect(km.n).toBe(42);
  });

  it('has no median when the curve stays above one half, and an empty curve for no subjects', () => {
    expect(kaplanMeier([1, 2, 3, 4], [1, 0, 0, 0]).median).toBeNull();
    const empty = kaplanMeier([], []);
    expect(empty.times).toEqual([]);
    expect(empty.median).toBeNull();
  });

  it('rejects negative durations and bad flags with the row', () => {
    expect(() => kaplanMeier([1, -2], [1, 1])).toThrow(ValidationError);
    try {
      kaplanMeier([1, 2], [1, 3]);
    } catch (e) {
      expect((e as ValidationError).issues[0]?.index).toBe(1);
    }
  });

  it('property: survival is non-increasing and inside its band', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.boolean()), { minLength: 1, maxLength: 80 }),
        (data) => {
          const km = kaplanMeier(
            data.map((d) => d[0]),
            data.map((d) => d[1]),
          );
          for (let i = 0; i < km.survival.length; i++) {
            const s = km.survival[i] as number;
            if (i > 0) expect(s).toBeLessThanOrEqual(km.survival[i - 1] as number);
            expect(km.lower[i] as number).toBeLessThanOrEqual(s + 1e-12);
            expect(km.upper[i] as number).toBeGreaterThanOrEqual(s - 1e-12);
            expect(Number.isFinite(km.lower[i] as number)).toBe(true);
          }
        },
      ),
    );
  });

  it('property: equals the product-limit definition counted subject by subject, in any input order', () => {
    // Reference straight from the definition: for each distinct time with a death, n = subjects with
    // duration >= t, d = deaths at t; S = running product of (1 - d/n); censored = censorings in
    // [t, next event time). Half-days, ties, -0 and groups included.
    const reference = (times: number[], ev: boolean[]) => {
      const deathTimes = [...new Set(times.filter((_, i) => ev[i]).map((t) => t + 0))].sort((a, b) => a - b);
      let s = 1;
      const survival: number[] = [];
      const atRisk: number[] = [];
      const died: number[] = [];
      const censored: number[] = [];
      deathTimes.forEach((t, k) => {
        const next = deathTimes[k + 1] ?? Number.POSITIVE_INFINITY;
        const n = times.filter((u) => u >= t).length;
        const d = times.filter((u, i) => ev[i] && u === t).length;
        s *= 1 - d / n;
        survival.push(s);
        atRisk.push(n);
        died.push(d);
        censored.push(times.filter((u, i) => !ev[i] && u >= t && u < next).length);
      });
      return { times: deathTimes, survival, atRisk, died, censored };
    };
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.integer({ min: 0, max: 40 }).map((h) => h / 2),
              fc.constant(-0),
            ),
            fc.boolean(),
            fc.constantFrom('a', 'b'),
          ),
          { maxLength: 120 },
        ),
        (data) => {
          const times = data.map((d) => d[0]);
          const ev = data.map((d) => d[1]);
          const km = kaplanMeier(times, ev, { groups: data.map((d) => d[2]) });
          const ref = reference(times, ev);
          expect({
            times: km.times,
            survival: km.survival,
            atRisk: km.atRisk,
            died: km.died,
            censored: km.censored,
          }).toEqual(ref);
          expect(km.events).toBe(ev.filter(Boolean).length);
          for (const g of ['a', 'b']) {
            const pick = data.map((d) => d[2] === g);
            const curve = km.groups.get(g);
            if (!pick.includes(true)) {
              expect(curve).toBeUndefined();
              continue;
            }
            const r = reference(
              times.filter((_, i) => pick[i]),
              ev.filter((_, i) => pick[i]),
            );
            expect(curve?.survival).toEqual(r.survival);
            expect(curve?.atRisk).toEqual(r.atRisk);
          }
          // Input order does not matter: reversed input, identical curve.
          const back = kaplanMeier([...times].reverse(), [...ev].reverse());
          expect(back.survival).toEqual(km.survival);
          expect(back.times).toEqual(km.times);
        },
      ),
    );
  });
});
