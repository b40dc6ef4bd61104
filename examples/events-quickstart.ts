/**
 * Quick start for the event model: validate a raw export with its own field and type names,
 * look at what was rejected and why, and walk a customer's timeline.
 * Run: npx tsx examples/events-quickstart.ts
 */
import { groupByCustomer, parseEvents } from '../src/index';

const rows = [
  { user_id: 'acme', event: 'Signed In', ts: '2025-03-01T09:12:00Z', props: { userId: 'ana' } },
  { user_id: 'acme', event: 'Order Completed', ts: '2025-03-01T09:30:00Z', amount: '49.90' },
  { user_id: 'acme', event: 'NPS Answered', ts: '2025-03-02', amount: 9 },
  { user_id: 'globex', event: 'Signed In', ts: 1740990000000 },
  { user_id: 'globex', event: 'NPS Answered', ts: '2025-03-02', amount: 12 }, // out of range
  { user_id: '', event: 'Signed In', ts: '2025-03-03' }, // no customer
];

const { events, rejected, stats } = parseEvents(rows, {
  mapping: {
    fields: { customerId: 'user_id', type: 'event', timestamp: 'ts', value: 'amount', properties: 'props' },
    types: { 'Signed In': 'login', 'Order Completed': 'purchase', 'NPS Answered': 'nps_response' },
  },
});

console.log(`received ${stats.received}, accepted ${stats.accepted}, rejected ${stats.rejected}`);
for (const r of rejected) {
  console.log(`  row ${r.index}: ${r.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
}
const timelines = groupByCustomer(events);
for (const [id, t] of timelines) {
  const types = t.events.map((e) => e.type).join(', ');
  console.log(
    `${id}: ${t.events.length} events (${types}), last seen ${new Date(t.lastTimestamp).toISOString()}`,
  );
}
