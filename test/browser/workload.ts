/**
 * A workload run both in Node and in a real browser (Chromium): the results must be identical,
 * which shows the core runs without Node APIs and is deterministic across platforms.
 */
import { groupByCustomer, parseEvents } from '../../src/events/index';
import { generateRetailTransactions, generateSaasEvents } from '../../src/sample/index';

export function workload(): Record<string, unknown> {
  const saas = generateSaasEvents({ customers: 25, seed: 5, start: '2024-01-01', end: '2024-10-01' });
  const parsed = parseEvents([...saas.events, { customerId: '', type: 'login', timestamp: 'bad' }]);
  const timelines = groupByCustomer(parsed.events);
  const retail = generateRetailTransactions({ customers: 200, seed: 3 });
  return {
    events: parsed.stats.accepted,
    rejected: parsed.rejected.map((r) => r.issues.map((i) => i.message)),
    customers: timelines.size,
    firstOfEach: [...timelines.values()].map((t) => [t.customerId, t.firstTimestamp, t.lastTimestamp]),
    churned: saas.truth.filter((t) => t.churnedAt !== null).map((t) => t.customerId),
    retailSpend: retail.events.reduce((s, e) => s + (e.value ?? 0), 0),
    localTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}
