/**
 * Quick start for customer-vitals/clv: from purchase events to per-customer lifetime value, and
 * the individual models when you want control. Uses the seeded retail sample (no files needed).
 * Run: npx tsx examples/clv-quickstart.ts
 */
import {
  estimateClv,
  fitBGNBD,
  fitGammaGamma,
  fitMBGNBD,
  fitParetoNBD,
  fitShiftedBetaGeometric,
  formulaClv,
  rfmSummary,
} from '../src/clv/index';
import { parseEvents } from '../src/events/index';
import { generateRetailTransactions } from '../src/sample/index';

const sample = generateRetailTransactions({ customers: 3000, seed: 1 });
const { events } = parseEvents(sample.events);

// 1. One call: summary → Pareto/NBD + Gamma-Gamma → discounted 12-month CLV with explanations.
const res = estimateClv(events, { asOf: sample.end, margin: 0.3, horizonMonths: 12 });
console.log(`${res.method}: ${res.reason}`);
for (const c of res.customers.slice(0, 3)) console.log(`${c.customerId}: ${c.explanation}`);
console.log('median CLV', res.distribution.median?.toFixed(2), 'p90', res.distribution.p90?.toFixed(2));

// 2. The models one by one, on a calibration period, checked against the holdout.
const calibrationEnd = sample.start + 52 * 7 * 86_400_000;
const s = rfmSummary(events, { asOf: sample.end, calibrationEnd, timeUnit: 'weeks' });
const bg = fitBGNBD(s.columns);
const mbg = fitMBGNBD(s.columns);
const pn = fitParetoNBD(s.columns);
console.log('BG/NBD', bg.params, 'LL', bg.logLikelihood.toFixed(1), 'SE', bg.standardErrors);
console.log('Pareto/NBD', pn.params, 'LL', pn.logLikelihood.toFixed(1));
let actual = 0;
for (const c of s.customers) actual += c.holdoutFrequency ?? 0;
for (const [name, m] of [
  ['BG/NBD', bg],
  ['MBG/NBD', mbg],
  ['Pareto/NBD', pn],
] as const) {
  const pred = m.predictConditional(s.holdoutDuration, s.columns);
  let total = 0;
  for (const v of pred) total += v;
  console.log(`${name}: predicted ${total.toFixed(0)} holdout purchases, actual ${actual}`);
}

// 3. "Probability alive" of a one-time buyer seen 40 weeks ago: BG/NBD's known flaw.
const oneTimer = { frequency: 0, recency: 0, T: 40 };
console.log(
  `P(alive) one-time buyer: BG/NBD ${bg.probabilityAlive(oneTimer)} (always 1), ` +
    `MBG/NBD ${mbg.probabilityAlive(oneTimer).toFixed(2)}, Pareto/NBD ${pn.probabilityAlive(oneTimer).toFixed(2)}`,
);

// 4. Spend and CLV for one customer (continuous discounting, 10 %/year in weeks).
const gg = fitGammaGamma(
  s.customers.map((c) => ({ frequency: c.frequency, monetaryValue: c.monetaryValue })),
);
const who = { frequency: 4, recency: 30, T: 45 };
const spend = gg.conditionalExpectedAverageValue(4, 42) ?? 0;
const clv = pn.customerLifetimeValue(who, {
  valuePerTransaction: spend,
  margin: 0.3,
  discountRate: Math.log(1.1) / 52,
});
console.log(
  `spend/purchase $${spend.toFixed(2)}; lifetime DERT ${clv.discountedTransactions.toFixed(2)}; CLV $${clv.value.toFixed(2)}`,
);

// 5. Subscriptions: shifted-beta-geometric on a cohort's survival (Fader & Hardie 2007 "regular").
const sbg = fitShiftedBetaGeometric({ survivors: [1000, 631, 468, 382, 326, 289, 262, 241] });
console.log(
  'sBG',
  sbg.params,
  'survival years 8-12',
  sbg
    .projectSurvival(12)
    .slice(8)
    .map((v) => v.toFixed(3)),
);
console.log(
  'residual value of a $100/year customer after 4 renewals:',
  sbg.lifetimeValue(100, { discountRate: 0.1, renewals: 4 }).toFixed(0),
);
console.log(formulaClv({ arpa: 100, margin: 0.8, churnRate: 0.02 }).explanation);
