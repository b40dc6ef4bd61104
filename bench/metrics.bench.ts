/**
 * Metrics over ~1M generated SaaS events (plus a retail sample for the transactional metrics).
 * Goal: every metric of customer-vitals/metrics, run once each over the whole range, in < 1 s total.
 * Run with `npm run bench -- metrics`.
 */
import { parseEvents } from '../src/events/index';
import {
  activeCustomers,
  ces,
  cohortRetention,
  csat,
  featureAdoption,
  licenseUtilization,
  logoRetention,
  mrrMovements,
  nps,
  periodSeries,
  revenueRetention,
  stickiness,
  supportMetrics,
  surveyScores,
  transactionalMetrics,
} from '../src/metrics/index';
import { generateRetailTransactions, generateSaasEvents } from '../src/sample/index';
import { measure } from './_util';

const TARGET = 1_000_000;
const start = '2024-01-01';
const end = '2026-01-01';

// Size the sample from a small pilot so the SaaS events reach ~1M.
const pilot = generateSaasEvents({ customers: 100, seed: 1, start, end }).events.length;
const customers = Math.ceil((TARGET * 100) / pilot);
const saas = measure(`generate ${customers} SaaS accounts`, () =>
  generateSaasEvents({ customers, seed: 1, start, end }),
);
const events = measure('parseEvents', () => parseEvents(saas.events).events, {
  count: saas.events.length,
  unit: 'rows',
});
const retail = parseEvents(generateRetailTransactions({ customers: 20_000, seed: 7 }).events).events;
console.log(
  `${events.length.toLocaleString('en-US')} SaaS events, ${retail.length.toLocaleString('en-US')} retail events`,
);

const range = { from: start, to: end };
const asOf = Date.parse(`${end}T00:00:00Z`);
const units = { count: events.length, unit: 'events' };
const t0 = performance.now();
measure(
  'nps + csat + ces (whole range)',
  () => {
    nps(surveyScores(events, 'nps_response'));
    csat(surveyScores(events, 'csat_response'));
    return ces(surveyScores(events, 'ces_response'));
  },
  units,
);
measure(
  'nps by month (periodSeries)',
  () => periodSeries(events, (e) => nps(surveyScores(e, 'nps_response')), range),
  units,
);
measure('supportMetrics', () => supportMetrics(events, { asOf }), units);
measure('mrrMovements by month', () => mrrMovements(events, range), units);
measure('mrrMovements by day', () => mrrMovements(events, { ...range, period: 'day' }), units);
measure('revenueRetention by month', () => revenueRetention(events, range), units);
measure('logoRetention by month', () => logoRetention(events, range), units);
measure('cohortRetention by month', () => cohortRetention(events, range), units);
measure('activeCustomers by day', () => activeCustomers(events, { ...range, period: 'day' }), units);
measure('stickiness (DAU/MAU) by month', () => stickiness(events, range), units);
measure('licenseUtilization by month', () => licenseUtilization(events, range), units);
measure('featureAdoption (whole range)', () => featureAdoption(events), units);
measure('transactionalMetrics (retail, whole range)', () => transactionalMetrics(retail), {
  count: retail.length,
  unit: 'events',
});
const total = performance.now() - t0;
console.log(
  `all metrics over ${events.length.toLocaleString('en-US')} events: ${total.toFixed(0)} ms (goal < 1000 ms)`,
);
