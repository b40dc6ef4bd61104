/**
 * Quick start for segmentation: RFM segments from purchases, a JSON rule set on customer records,
 * behavioural clusters, and feedback sentiment — each answer with its reason.
 * Run: npx tsx examples/segment-quickstart.ts
 */
import { parseEvents } from '../src/events/index';
import { clusterCustomers, feedbackSentiment, rfmSegments, segmentByRules } from '../src/segment/index';

const { events } = parseEvents([
  { customerId: 'acme', type: 'purchase', timestamp: '2025-06-28', value: 420 },
  { customerId: 'acme', type: 'purchase', timestamp: '2025-05-02', value: 380 },
  { customerId: 'acme', type: 'purchase', timestamp: '2025-03-11', value: 510 },
  { customerId: 'globex', type: 'purchase', timestamp: '2024-11-20', value: 900 },
  { customerId: 'globex', type: 'purchase', timestamp: '2024-09-02', value: 750 },
  { customerId: 'initech', type: 'purchase', timestamp: '2025-06-25', value: 35 },
  { customerId: 'umbrella', type: 'purchase', timestamp: '2024-08-01', value: 20 },
  { customerId: 'hooli', type: 'purchase', timestamp: '2025-04-15', value: 120 },
]);

// 1. RFM: quantile scores (5 bins) and the 11 standard segments.
const rfm = rfmSegments(events, { asOf: '2025-07-01' });
for (const c of rfm.customers)
  console.log(`${c.customerId.padEnd(9)} ${c.code} ${c.segment.padEnd(18)} ${c.reason}`);

// 2. Rules as JSON (e.g. stored in a settings table), validated and evaluated without eval.
const records = [
  { customerId: 'acme', plan: 'enterprise', health: { score: 34 }, mrr: 1200 },
  { customerId: 'globex', plan: 'growth', health: { score: 81 }, mrr: 300 },
  { customerId: 'initech', plan: 'starter' },
];
const rules = JSON.parse(`{
  "mode": "first",
  "default": "Standard",
  "segments": [
    { "name": "Executive escalation", "when": { "all": ["health.score < 40", "mrr >= 1000"] } },
    { "name": "Advocates", "when": "health.score >= 80" },
    { "name": "Unknown health", "when": "health.score missing" }
  ]
}`);
for (const c of segmentByRules(records, rules).customers)
  console.log(`${c.customerId.padEnd(9)} ${c.reason}`);
try {
  segmentByRules(records, {
    segments: [{ name: 'Broken', when: { all: [{ field: 'mrr', op: '=>', value: 1 }] } }],
  });
} catch (e) {
  console.log((e as Error).message); // names the exact location: segments.0.when.all.0.op
}

// 3. Behavioural clusters on any numeric table (auto k by silhouette, seeded).
const usage = Array.from({ length: 60 }, (_, i) => ({
  customerId: `u${i}`,
  logins: i % 3 === 0 ? 80 + (i % 7) : 4 + (i % 5),
  tickets: i % 3 === 0 ? 0 + (i % 2) : 6 + (i % 4),
}));
const clusters = clusterCustomers(usage, { seed: 1, labels: { logins: 'usage', tickets: 'support load' } });
for (const c of clusters.clusters) console.log(`cluster ${c.index}: ${c.name} (${c.size} customers)`);
console.log(clusters.customers[0]?.reason);

// 4. Feedback sentiment (VADER lexicon + customer-feedback rules), comparative in (-1, 1).
for (const text of ['Love the new reports, great job', 'Support was not helpful at all', 'Das ist gut']) {
  const s = feedbackSentiment(text);
  console.log(`${text.padEnd(36)} ${s.label.padEnd(8)} ${s.comparative.toFixed(3)} ${s.flag ?? ''}`);
}
