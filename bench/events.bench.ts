/**
 * parseEvents throughput on 1M valid generated events, and groupByCustomer on the result.
 * Targets on a 2-core machine: parse >= 1M events/s, group >= 3M events/s.
 */
import { groupByCustomer, parseEvents } from '../src/events/index';
import { generateSaasEvents } from '../src/sample/index';
import { fmt, measure } from './_util';

const target = 1_000_000;
const sample = generateSaasEvents({ customers: 1600, seed: 1, start: '2024-01-01', end: '2025-01-01' });
if (sample.events.length < target) throw new Error(`generator gave only ${sample.events.length} events`);
const rows = sample.events.slice(0, target);
console.log(`input: ${fmt(rows.length)} generated events, ${sample.profiles.length} accounts`);

// Warm-up on a slice so the JIT has seen the code once, as in a long-running process.
parseEvents(rows.slice(0, 50_000));
const parsed = measure('parseEvents (1M valid rows)', () => parseEvents(rows), {
  count: rows.length,
  unit: 'events',
});
console.log(
  `  accepted ${parsed.stats.accepted}, rejected ${parsed.stats.rejected} (duplicate eventIds: ${parsed.stats.duplicates})`,
);
const isoRows = rows
  .slice(0, 200_000)
  .map((r) => ({ ...r, timestamp: new Date(r.timestamp as number).toISOString() }));
measure('parseEvents (200k rows, ISO-string timestamps)', () => parseEvents(isoRows), {
  count: isoRows.length,
  unit: 'events',
});
groupByCustomer(parsed.events.slice(0, 50_000));
const timelines = measure('groupByCustomer', () => groupByCustomer(parsed.events), {
  count: parsed.events.length,
  unit: 'events',
});
console.log(`  ${timelines.size} timelines`);
