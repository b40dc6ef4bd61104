import { parseEvents } from '../src/events/index';
import * as M from '../src/metrics/index';
import { generateSaasEvents } from '../src/sample/index';
const saas = generateSaasEvents({ customers: 780, seed: 1, start: '2024-01-01', end: '2026-01-01' });
const events = parseEvents(saas.events).events;
console.log(events.length);
const range = { from: '2024-01-01', to: '2026-01-01' };
const asOf = Date.parse('2026-01-01T00:00:00Z');
const fns: [string, () => unknown][] = [
  ['surveys', () => { M.nps(M.surveyScores(events, 'nps_response')); M.csat(M.surveyScores(events, 'csat_response')); M.ces(M.surveyScores(events, 'ces_response')); }],
  ['support', () => M.supportMetrics(events, { asOf })],
  ['mrr', () => M.mrrMovements(events, range)],
  ['cohort', () => M.cohortRetention(events, range)],
  ['active day', () => M.activeCustomers(events, { ...range, period: 'day' })],
  ['stickiness', () => M.stickiness(events, range)],
  ['license', () => M.licenseUtilization(events, range)],
  ['feature', () => M.featureAdoption(events)],
];
for (let rep = 0; rep < 3; rep++) {
  const row: string[] = [];
  let tot = 0;
  for (const [name, f] of fns) { const t = performance.now(); f(); const d = performance.now() - t; tot += d; row.push(`${name} ${d.toFixed(0)}`); }
  console.log(row.join(' | '), 'total', tot.toFixed(0));
}
