/**
 * customer-vitals/metrics in a few lines: `npx tsx examples/metrics-quickstart.ts`.
 * Hand-written events (as `parseEvents` would return them), then the weekly KPIs.
 */
import { parseEvents } from '../src/events/index';
import {
  indexEvents,
  logoRetention,
  mrrMovements,
  nps,
  revenueRetention,
  supportMetrics,
  surveyScores,
} from '../src/metrics/index';

const { events } = parseEvents([
  { customerId: 'acme', type: 'subscription_started', timestamp: '2025-01-10', value: 100 },
  { customerId: 'acme', type: 'subscription_changed', timestamp: '2025-02-05', value: 150 },
  { customerId: 'beta', type: 'subscription_started', timestamp: '2025-01-20', value: 50 },
  { customerId: 'beta', type: 'subscription_cancelled', timestamp: '2025-02-14' },
  { customerId: 'beta', type: 'subscription_started', timestamp: '2025-03-03', value: 60 },
  { customerId: 'acme', type: 'nps_response', timestamp: '2025-02-20', value: 9 },
  { customerId: 'beta', type: 'nps_response', timestamp: '2025-02-21', value: 4 },
  {
    customerId: 'acme',
    type: 'ticket_opened',
    timestamp: '2025-02-01T09:00:00Z',
    properties: { ticketId: 't1' },
  },
  {
    customerId: 'acme',
    type: 'ticket_first_response',
    timestamp: '2025-02-01T11:30:00Z',
    properties: { ticketId: 't1' },
  },
  {
    customerId: 'acme',
    type: 'ticket_resolved',
    timestamp: '2025-02-02T09:00:00Z',
    properties: { ticketId: 't1' },
  },
]);

const ix = indexEvents(events); // optional: shares work between the calls below
const range = { from: '2025-01-01', to: '2025-04-01', period: 'month' as const };

const score = nps(surveyScores(ix, 'nps_response'));
console.log(
  `NPS ${score.value} (n=${score.n}, 95% CI ${score.ci?.lower.toFixed(0)}..${score.ci?.upper.toFixed(0)})`,
);

const support = supportMetrics(ix, { asOf: '2025-04-01' });
console.log(
  `first response median ${support.firstResponse.medianHours} h, resolved ${support.resolvedShare}`,
);

const nrr = revenueRetention(ix, range);
const logos = logoRetention(ix, range);
for (const [i, m] of mrrMovements(ix, range).entries()) {
  console.log(
    `${new Date(m.periodStart).toISOString().slice(0, 7)}  start ${m.startMrr}  +new ${m.new}  +exp ${m.expansion}` +
      `  -churn ${m.churned}  +react ${m.reactivation}  = ${m.endMrr}   NRR ${nrr[i]?.nrr ?? 'n/a'}` +
      `  logo churn ${logos[i]?.churnRate ?? 'n/a'}`,
  );
}
