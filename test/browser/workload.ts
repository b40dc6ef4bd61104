/**
 * A workload run both in Node and in a real browser (Chromium): the results must be identical,
 * which shows the core (every module) runs without Node APIs and is deterministic across platforms
 * and time zones.
 */
import { backtest } from '../../src/churn/index';
import { estimateClv } from '../../src/clv/index';
import { groupByCustomer, parseEvents } from '../../src/events/index';
import { scoreHealth } from '../../src/health/index';
import { mrrMovements, nps, surveyScores } from '../../src/metrics/index';
import { generateRetailTransactions, generateSaasEvents } from '../../src/sample/index';
import { feedbackSentiment, rfmScores, rfmSegments } from '../../src/segment/index';

const round = (x: number | null | undefined) => (typeof x === 'number' ? Math.round(x * 1e9) / 1e9 : x);

export function workload(): Record<string, unknown> {
  const saas = generateSaasEvents({ customers: 40, seed: 5, start: '2024-01-01', end: '2025-01-01' });
  const parsed = parseEvents([...saas.events, { customerId: '', type: 'login', timestamp: 'bad' }]);
  const timelines = groupByCustomer(parsed.events);
  const retail = generateRetailTransactions({ customers: 300, seed: 3 });
  const retailEvents = parseEvents(retail.events).events;
  const asOf = '2024-12-01';

  const health = scoreHealth(parsed.events, { asOf }).map((h) => [h.customerId, round(h.score), h.band]);
  const movements = mrrMovements(parsed.events, {
    from: '2024-06-01',
    to: '2024-12-01',
    period: 'month',
  }).map((p) => [p.periodStart, round(p.value)]);
  const clv = estimateClv(retailEvents, { asOf: retail.end, horizonMonths: 12 });
  const bt = backtest(parsed.events, { asOf: '2024-11-01', horizon: { days: 30 } });
  const rfm = rfmSegments(rfmScores(retailEvents, { asOf: retail.end }));
  return {
    events: parsed.stats.accepted,
    rejected: parsed.rejected.map((r) => r.issues.map((i) => i.message)),
    customers: timelines.size,
    firstOfEach: [...timelines.values()].map((t) => [t.customerId, t.firstTimestamp, t.lastTimestamp]),
    churned: saas.truth.filter((t) => t.churnedAt !== null).map((t) => t.customerId),
    nps: round(nps(surveyScores(parsed.events, 'nps_response')).value),
    movements,
    health,
    clv: [clv.method, clv.customers.slice(0, 20).map((c) => [c.customerId, round(c.value)])],
    backtest: round(bt.evaluation.rocAuc),
    rfm: rfm.customers.slice(0, 50).map((c) => [c.customerId, c.segment]),
    sentiment: feedbackSentiment('Support took days to answer, very disappointing.').comparative,
    localTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}
