/**
 * `npm run demo`: generates a seeded SaaS sample (and a retail sample), injects a few bad rows on
 * purpose, parses everything, and prints what each module says about it.
 */
import { groupByCustomer, parseEvents, parseProfiles } from '../src/events/index';
import { generateRetailTransactions, generateSaasEvents } from '../src/sample/index';
import * as actions from './demo/actions';
import * as churn from './demo/churn';
import * as clv from './demo/clv';
import type { DemoContext } from './demo/context';
import { heading } from './demo/context';
import * as fairness from './demo/fairness';
import * as health from './demo/health';
import * as metrics from './demo/metrics';
import * as onboarding from './demo/onboarding';
import * as segment from './demo/segment';

const t0 = performance.now();
const saas = generateSaasEvents({ customers: 300, seed: 42, start: '2024-01-01', end: '2026-01-01' });
const badRows: unknown[] = [
  { customerId: '', type: 'login', timestamp: '2025-06-01T10:00:00Z' },
  { customerId: 'acct_0001', type: 'nps_response', timestamp: '2025-06-01', value: 11 },
  { customerId: 'acct_0002', type: 'purchase', timestamp: 'last tuesday', value: 20 },
  { customerId: 'acct_0003', type: 'purchase', timestamp: '2025-06-02', value: -15 },
  { ...(saas.events[10] as object) }, // an exact re-delivery of an earlier event (same eventId)
];
const rows = [...saas.events, ...badRows];
const parsed = parseEvents(rows);
const profiles = parseProfiles(saas.profiles).profiles;
const timelines = groupByCustomer(parsed.events);
const retail = generateRetailTransactions({ customers: 2000, seed: 7 });
const retailParsed = parseEvents(retail.events);

const lines: string[] = [];
const ctx: DemoContext = {
  saas,
  parsed,
  profiles,
  timelines,
  asOf: saas.end,
  retail,
  retailParsed,
  print: (line = '') => {
    lines.push(line);
    console.log(line);
  },
};

heading(ctx, 'events');
const { stats } = parsed;
ctx.print(
  `Parsed ${stats.received.toLocaleString('en-US')} rows: ${stats.accepted.toLocaleString('en-US')} accepted, ` +
    `${stats.rejected} rejected (${stats.duplicates} duplicate), ${timelines.size} customers, ` +
    `${new Date(saas.start).toISOString().slice(0, 10)} .. ${new Date(saas.end - 1).toISOString().slice(0, 10)}.`,
);
const byType = [...stats.byType].sort((a, b) => b[1] - a[1]);
ctx.print('Events by type:');
for (let i = 0; i < byType.length; i += 3) {
  ctx.print(
    byType
      .slice(i, i + 3)
      .map(([t, n]) => `  ${t.padEnd(24)}${String(n).padStart(8)}`)
      .join(''),
  );
}
ctx.print('Rejected rows (injected on purpose):');
for (const r of parsed.rejected) {
  ctx.print(
    `  row ${r.index}: ${r.issues.map((i) => `${i.path.join('.') || '(row)'}: ${i.message}`).join('; ')}`,
  );
}

let failed = 0;
for (const [name, section] of [
  ['metrics', metrics],
  ['health', health],
  ['clv', clv],
  ['churn', churn],
  ['segment', segment],
  ['actions', actions],
  ['onboarding', onboarding],
  ['fairness', fairness],
] as const) {
  try {
    section.run(ctx);
  } catch (e) {
    failed++;
    ctx.print(`!! ${name} section failed: ${e instanceof Error ? e.stack : String(e)}`);
  }
}
ctx.print('');
ctx.print(`(demo finished in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
if (failed > 0) process.exitCode = 1;
