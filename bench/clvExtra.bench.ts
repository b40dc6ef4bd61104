/**
 * CLV extras (issue #16): covariate fits and 200 bootstrap refits on the CDNOW master file
 * (23,570 customers, 39-week calibration), and the coverage of the nominal 90% intervals for
 * E[X(t)] over 200 simulated data sets (too slow for CI, so it lives here; figures in the notes).
 */
import { createRng } from '../src/_lib/random';
import { BGNBDModel } from '../src/clv/BGNBDModel';
import { clvIntervals } from '../src/clv/clvIntervals';
import { fitBGNBD } from '../src/clv/fitBGNBD';
import { fitBGNBDCovariates } from '../src/clv/fitBGNBDCovariates';
import { fitParetoNBD } from '../src/clv/fitParetoNBD';
import { fitParetoNBDCovariates } from '../src/clv/fitParetoNBDCovariates';
import { ParetoNBDModel } from '../src/clv/ParetoNBDModel';
import { rfmSummary } from '../src/clv/rfmSummary';
import type { CustomerEvent } from '../src/events/types';
import { simulateBetaGeo, simulatePareto } from '../test/clv/_simulate';
import { cdnowAvailable, loadCdnowMaster } from '../test/helpers/sharedData';
import { measure } from './_util';

const fmt = (v: number | null | undefined, d = 4) => (v === null || v === undefined ? 'null' : v.toFixed(d));

if (cdnowAvailable) {
  const events: CustomerEvent[] = loadCdnowMaster().map((t) => ({
    customerId: t.customerId,
    type: 'purchase',
    timestamp: t.date,
    value: t.dollars,
  }));
  const s = rfmSummary(events, { asOf: Date.UTC(1997, 8, 30), timeUnit: 'weeks' });
  const rows = s.columns;
  const n = s.customers.length;
  // Covariates: acquisition month (categorical, reference "1997-01") and log first-purchase spend (numeric).
  const month = s.customers.map((c) => new Date(c.firstPurchaseAt).toISOString().slice(0, 7));
  const logSpend = s.customers.map((c) => Math.log1p(c.firstValue));
  const rng = createRng('noise');
  const noise = s.customers.map(() => rng.normal());
  const bg0 = fitBGNBD(rows);
  const pn0 = fitParetoNBD(rows);
  console.log(`CDNOW master calibration: ${n} customers`);
  for (const [label, covariates] of [
    ['month (3 levels, 3 groups)', { month }],
    ['log first spend (numeric, ~n groups)', { logSpend }],
    ['pure noise (numeric, n groups)', { noise }],
  ] as const) {
    const pc = measure(`fitParetoNBDCovariates master: ${label}`, () =>
      fitParetoNBDCovariates(rows, { covariates }),
    );
    const bc = measure(`fitBGNBDCovariates master: ${label}`, () => fitBGNBDCovariates(rows, { covariates }));
    for (const [name, m, base] of [
      ['Pareto/NBD', pc, pn0],
      ['BG/NBD', bc, bg0],
    ] as const) {
      const coef = Object.keys(m.coefficients.transaction)
        .map(
          (c) =>
            `${c}: trans ${fmt(m.coefficients.transaction[c])} (${fmt(m.standardErrors[`transaction.${c}`])}), life ${fmt(m.coefficients.lifetime[c])} (${fmt(m.standardErrors[`lifetime.${c}`])})`,
        )
        .join('; ');
      const lr = m.likelihoodRatioTest(base);
      console.log(
        `  ${name}: ${coef}; LR ${lr.statistic.toFixed(2)} df ${lr.df} p ${lr.pValue.toPrecision(3)}`,
      );
    }
  }
  for (const [name, m] of [
    ['BG/NBD', bg0],
    ['Pareto/NBD', pn0],
  ] as const) {
    const who = [{ frequency: 2, recency: 30.43, T: 38.86 }];
    const par = measure(`clvIntervals ${name} master: 200 parametric draws`, () =>
      clvIntervals(m, rows, { t: 39, customers: who, draws: 200, seed: 1 }),
    );
    const boot = measure(`clvIntervals ${name} master: 200 bootstrap refits`, () =>
      clvIntervals(m, rows, { t: 39, customers: who, draws: 200, method: 'bootstrap', seed: 1 }),
    );
    for (const iv of [par, boot]) {
      const e = iv.expectedPurchases;
      const c = iv.customers[0]?.expectedPurchases;
      console.log(
        `  ${name} ${iv.method}: E[X(39)] ${fmt(e.estimate)} [${fmt(e.lower)}, ${fmt(e.upper)}]; CET(x=2) ${fmt(c?.estimate)} [${fmt(c?.lower)}, ${fmt(c?.upper)}]; used ${iv.usedDraws}/${iv.draws}`,
      );
    }
  }
} else {
  console.log('CDNOW data not found: CDNOW benchmarks skipped');
}

// Coverage of nominal 90% parametric intervals for E[X(39)] over 200 simulated data sets.
function coverage(
  label: string,
  sets: number,
  simulate: (seed: number) => { rows: object[]; truth: number },
  fitModel: (rows: object[]) => Parameters<typeof clvIntervals>[0],
): void {
  let covered = 0;
  let failed = 0;
  measure(`coverage ${label}: ${sets} data sets`, () => {
    for (let k = 0; k < sets; k++) {
      const { rows, truth } = simulate(k + 1);
      try {
        const m = fitModel(rows);
        const iv = clvIntervals(m, rows as never, { t: 39, draws: 200, seed: k + 1 });
        if (iv.expectedPurchases.lower <= truth && truth <= iv.expectedPurchases.upper) covered++;
      } catch {
        failed++;
      }
    }
  });
  console.log(
    `  ${label}: nominal 90% interval covered the true E[X(39)] in ${covered}/${sets - failed} sets (${((100 * covered) / (sets - failed)).toFixed(1)}%), ${failed} fits failed`,
  );
}
const bgTruth = { r: 0.6, alpha: 5, a: 0.9, b: 2.5 };
const noDiag = { logLikelihood: 0, standardErrors: {}, iterations: 0, customers: 0 };
const bgTrueModel = new BGNBDModel(bgTruth, noDiag);
coverage(
  'BG/NBD (2,000 customers, 52 weeks)',
  200,
  (seed) => ({ rows: simulateBetaGeo(bgTruth, 2000, 1000 + seed), truth: bgTrueModel.expectedPurchases(39) }),
  (rows) => fitBGNBD(rows as never, { standardErrors: false }),
);
const pnTruth = { r: 0.55, alpha: 10.6, s: 0.61, beta: 11.7 };
const pnTrueModel = new ParetoNBDModel(pnTruth, noDiag);
coverage(
  'Pareto/NBD (2,000 customers, 52 weeks)',
  200,
  (seed) => ({ rows: simulatePareto(pnTruth, 2000, 2000 + seed), truth: pnTrueModel.expectedPurchases(39) }),
  (rows) => fitParetoNBD(rows as never, { standardErrors: false }),
);
