/**
 * One contract across the CLV functions: unknown option keys rejected with the closest name, the
 * shared error path, one monthlyLifetimeValue behaviour, the rfmSummary object accepted by the
 * fitters, the model JSON envelope with validated magnitudes, and hostile inputs that used to hang.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError, VitalsError } from '../../src/_lib/errors';
import {
  BGNBDModel,
  compressRfm,
  estimateClv,
  fitBGBB,
  fitBGNBD,
  fitGammaGamma,
  fitMBGNBD,
  fitParetoNBD,
  fitShiftedBetaGeometric,
  formulaClv,
  GammaGammaModel,
  historicalClv,
  loadClvModel,
  ParetoNBDModel,
  rfmSummary,
  ShiftedBetaGeometricModel,
} from '../../src/clv/index';
import type { CustomerEvent } from '../../src/events/types';
import { simulateBetaGeo } from './_simulate';

const P = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const simulateBgnbd = (o: { n: number; seed: number }) => simulateBetaGeo(P, o.n, o.seed);

const DAY = 86_400_000;
const t0 = Date.UTC(2024, 0, 1);
const rows = [
  { frequency: 0, recency: 0, T: 10 },
  { frequency: 2, recency: 6, T: 10 },
  { frequency: 1, recency: 3, T: 8 },
  { frequency: 4, recency: 9, T: 12 },
  { frequency: 0, recency: 0, T: 12 },
];

describe('every public CLV function rejects unknown option keys with the closest valid key', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['rfmSummary', () => rfmSummary([], { asOf: t0, timeUnt: 'days' } as never), /did you mean "timeUnit"/],
    ['historicalClv', () => historicalClv([], { asOf: t0, margn: 1 } as never), /did you mean "margin"/],
    [
      'estimateClv',
      () => estimateClv([], { asOf: t0, horizonMonth: 3 } as never),
      /did you mean "horizonMonths"/,
    ],
    ['fitBGNBD', () => fitBGNBD(rows, { maxIteration: 5 } as never), /did you mean "maxIterations"/],
    ['fitMBGNBD', () => fitMBGNBD(rows, { standardError: true } as never), /did you mean "standardErrors"/],
    ['fitParetoNBD', () => fitParetoNBD(rows, { initialParam: {} } as never), /did you mean "initialParams"/],
    ['fitGammaGamma', () => fitGammaGamma([], { maxIteration: 5 } as never), /did you mean "maxIterations"/],
    ['fitBGBB', () => fitBGBB([], { standardError: false } as never), /did you mean "standardErrors"/],
    [
      'fitShiftedBetaGeometric',
      () => fitShiftedBetaGeometric({ survivors: [100, 50] }, { maxIteration: 5 } as never),
      /did you mean "maxIterations"/,
    ],
    [
      'formulaClv',
      () => formulaClv({ arpa: 1, churnRate: 0.1, horizn: 3 } as never),
      /did you mean "horizon"/,
    ],
    ['compressRfm', () => compressRfm(rows, { integerTime: true } as never), /did you mean "integerTimes"/],
  ];
  it.each(cases)('%s', (name, call, hint) => {
    let err: unknown;
    try {
      call();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).message).toMatch(new RegExp(`^${name}: unknown option`));
    expect((err as ValidationError).message).toMatch(hint);
    expect((err as ValidationError).issues[0]!.code).toBe('unknown_option');
  });

  it('also checks the starting-value names and the options of model methods', () => {
    expect(() => fitBGNBD(rows, { initialParams: { alfa: 1 } })).toThrow(
      /unknown parameter "alfa"; did you mean "alpha"/,
    );
    const m = fitBGNBD(simulateBgnbd({ n: 400, seed: 3 }));
    const h = { frequency: 1, recency: 2, T: 5 };
    expect(() => m.customerLifetimeValue(h, { valuePerTransaction: 1, discountRat: 0.1 } as never)).toThrow(
      /unknown option "discountRat"; did you mean "discountRate"/,
    );
  });
});

describe('monthlyLifetimeValue: one behaviour for BG/NBD and Pareto/NBD', () => {
  const bg = new BGNBDModel(
    { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
    { logLikelihood: -1, standardErrors: {}, iterations: 1, customers: 1 },
  );
  const pn = new ParetoNBDModel(
    { r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67 },
    { logLikelihood: -1, standardErrors: {}, iterations: 1, customers: 1 },
  );
  const h = { frequency: 2, recency: 30.43, T: 38.86 };
  it('rejects months: 2.5 in both, with the same located message', () => {
    const msgs = [bg, pn].map((m) => {
      try {
        m.monthlyLifetimeValue(h, { valuePerTransaction: 10, monthLength: 30 / 7, months: 2.5 });
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        expect((e as ValidationError).issues[0]!.path).toEqual(['months']);
        return (e as Error).message.replace(/^\w+Model/, 'Model');
      }
      return 'no error';
    });
    expect(msgs[0]).toMatch(/option "months" must be a whole number of months/);
    expect(msgs[1]).toBe(msgs[0]);
  });
  it('sums whole months the same way in both (3 months = sum of the first three monthly increments)', () => {
    for (const m of [bg, pn]) {
      const three = m.monthlyLifetimeValue(h, { valuePerTransaction: 10, monthLength: 30 / 7, months: 3 });
      // Σ_{i=1..3} (E[Y(i·m)] − E[Y((i−1)·m)]) · 10 / 1.01^i
      let expected = 0;
      let prev = 0;
      for (let i = 1; i <= 3; i++) {
        const cur = m.conditionalExpectedPurchases((i * 30) / 7, h);
        expected += ((cur - prev) * 10) / 1.01 ** i;
        prev = cur;
      }
      expect(three).toBeCloseTo(expected, 12);
    }
  });
});

describe('rfmSummary and the fitters', () => {
  const sim = simulateBgnbd({ n: 300, seed: 5 });
  const events: CustomerEvent[] = [];
  sim.forEach((c, i) => {
    const first = t0 + (i % 7) * DAY;
    events.push({ customerId: `c${i}`, type: 'purchase', timestamp: first, value: 10 });
    for (let k = 1; k <= c.frequency; k++)
      events.push({
        customerId: `c${i}`,
        type: 'purchase',
        timestamp: first + Math.round((c.recency * 7 * k) / c.frequency) * DAY,
        value: 10 + k,
      });
  });
  const asOf = t0 + 40 * 7 * DAY;
  const s = rfmSummary(events, { asOf });
  it('fitParetoNBD and fitBGNBD accept the object rfmSummary returns (same fit as its columns)', () => {
    expect(fitParetoNBD(s).params).toEqual(fitParetoNBD(s.columns).params);
    expect(fitBGNBD(s).params).toEqual(fitBGNBD(s.columns).params);
  });
  it("timeUnit defaults to 'weeks' as documented", () => {
    expect(s.timeUnit).toBe('weeks');
  });
  it('counts a purchase exactly at asOf and ignores one a millisecond later (asOf rule)', () => {
    const ev: CustomerEvent[] = [
      { customerId: 'a', type: 'purchase', timestamp: t0, value: 1 },
      { customerId: 'a', type: 'purchase', timestamp: t0 + 7 * DAY, value: 2 },
      { customerId: 'a', type: 'purchase', timestamp: t0 + 7 * DAY + 1, value: 4 },
    ];
    const at = rfmSummary(ev, { asOf: t0 + 7 * DAY, timeUnit: 'days' });
    expect(at.customers[0]).toMatchObject({ frequency: 1, recency: 7, T: 7, totalValue: 3 });
    expect(at.ignored.afterAsOf).toBe(1);
    // calibrationEnd: an event exactly at it belongs to the calibration period
    const cal = rfmSummary(ev, { asOf: t0 + 8 * DAY, calibrationEnd: t0 + 7 * DAY, timeUnit: 'days' });
    expect(cal.customers[0]).toMatchObject({
      frequency: 1,
      totalValue: 3,
      holdoutFrequency: 1,
      holdoutMonetaryValue: 4,
    });
  });
});

describe('model JSON: one envelope, validated magnitudes, standalone loader', () => {
  const bg = fitBGNBD(simulateBgnbd({ n: 500, seed: 7 }));
  it('round-trips every kind through loadClvModel and keeps old fromJSON working', () => {
    const json = JSON.parse(JSON.stringify(bg));
    expect(json).toMatchObject({ model: 'bgnbd', version: 1 });
    const back = loadClvModel(json);
    expect(back).toBeInstanceOf(BGNBDModel);
    expect(back.params).toEqual(bg.params);
    expect(BGNBDModel.fromJSON(json).params).toEqual(bg.params);
    const sbg = fitShiftedBetaGeometric({ survivors: [1000, 631, 468, 382, 326] });
    expect(loadClvModel(JSON.parse(JSON.stringify(sbg)))).toBeInstanceOf(ShiftedBetaGeometricModel);
  });
  it('reads a file written before standardErrorsReason and warnings existed', () => {
    const { standardErrorsReason: _r, warnings: _w, ...old } = JSON.parse(JSON.stringify(bg));
    expect(BGNBDModel.fromJSON(old).params).toEqual(bg.params);
  });
  it('rejects r = 1e308 (whose predictions were NaN), unknown keys and another model tag, with located issues', () => {
    const json = JSON.parse(JSON.stringify(bg));
    const huge = { ...json, params: { ...json.params, r: 1e308 } };
    expect(() => loadClvModel(huge)).toThrow(/"params.r" must be a number in \[1e-14, 100000000000000\]/);
    expect(() => loadClvModel({ ...json, parms: {} })).toThrow(/unknown key "parms"/);
    expect(() => loadClvModel({ ...json, model: 'nope' })).toThrow(/expected model "bgnbd" or/);
    expect(() => GammaGammaModel.fromJSON(json)).toThrow(/expected model "gammagamma", got "bgnbd"/);
    expect(() => loadClvModel(null)).toThrow(VitalsError);
  });
});

describe('hostile inputs finish fast with a located error or a flagged fit (#18)', () => {
  it('Pareto/NBD rows with frequency > 0 and recency 0: a located error, not 233 s', () => {
    const bad = [...rows, { frequency: 3, recency: 0, T: 10 }];
    const t = performance.now();
    expect(() => fitParetoNBD(bad)).toThrow(/row 5: "recency" is 0 with "frequency" 3/);
    expect(performance.now() - t).toBeLessThan(500);
  });
  it('100 identical rows: InsufficientDataError at once, not 10 s', () => {
    const same = Array.from({ length: 100 }, () => ({ frequency: 2, recency: 5, T: 10 }));
    const t = performance.now();
    expect(() => fitParetoNBD(same)).toThrow(/all 100 customers have the same history/);
    expect(performance.now() - t).toBeLessThan(500);
  });
  it('T = 1e9: finishes within seconds with finite parameters flagged as degenerate, not 23 s', () => {
    const far = [
      { frequency: 2, recency: 5, T: 1e9 },
      { frequency: 0, recency: 0, T: 1e9 },
      { frequency: 1, recency: 3, T: 20 },
    ];
    const t = performance.now();
    let out: ParetoNBDModel | VitalsError;
    try {
      out = fitParetoNBD(far);
    } catch (e) {
      out = e as VitalsError;
    }
    expect(performance.now() - t).toBeLessThan(5000);
    if (out instanceof ParetoNBDModel) {
      for (const v of Object.values(out.params)) expect(Number.isFinite(v)).toBe(true);
      expect(out.warnings.map((w) => w.code)).toContain('degenerate_fit');
      expect(Number.isFinite(out.probabilityAlive({ frequency: 2, recency: 5, T: 1e9 }))).toBe(true);
    } else expect(out).toBeInstanceOf(VitalsError);
  });

  it('model predictions on extreme histories: located errors beyond the caps, fast and finite within', () => {
    const m = new BGNBDModel(
      { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
      { logLikelihood: -1, standardErrors: {}, iterations: 1, customers: 1 },
    );
    expect(() => m.probabilityAlive({ frequency: 2, recency: 1e300, T: 1e300 })).toThrow(
      /"T" must be .* <= 1000000000000000/,
    );
    expect(() => m.probabilityAlive({ frequency: 1e6, recency: 5, T: 10 })).toThrow(
      /"frequency" must be an integer in \[0, 100000\]/,
    );
    const t = performance.now();
    for (const h of [
      { frequency: 1e5, recency: 5, T: 10 },
      { frequency: 5, recency: 1e15, T: 1e15 },
    ])
      for (const horizon of [1, 1e10, Number.POSITIVE_INFINITY]) {
        const v = m.customerLifetimeValue(h, { valuePerTransaction: 10, discountRate: 0.01, horizon });
        expect(Number.isFinite(v.value)).toBe(true);
      }
    expect(performance.now() - t).toBeLessThan(3000); // was 1–14 s per call
  });
});
