/**
 * parseEvents throughput on 1M valid generated events, and groupByCustomer on the result.
 * Targets on a 2-core machine: parse >= 1M events/s, group >= 3M events/s.
 */
import { groupByCustomer, parseEvents } from '../src/events/index';
import { generateSaasEvents } from '../src/sample/index';
import { fmt, lastCpuMs, measure } from './_util';

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

// ---------------------------------------------------------------------------------------------
// CSV-like rows (every value a string, as a CSV parser gives them): the plain path (canonical
// columns, ISO timestamps) against an export read with derived fields and a date format.
// Goal (issue #10): derived fields + a date format cost at most 1.5x the plain path.
const N = 1_000_000;
const pad = (n: number) => String(n).padStart(2, '0');
const plainRows: Record<string, string>[] = new Array(N);
const exportRows: Record<string, string>[] = new Array(N);
const t0 = Date.UTC(2011, 0, 1);
for (let i = 0; i < N; i++) {
  const t = new Date(t0 + i * 29_000);
  const customer = String(12_000 + (i % 4000));
  const qty = i % 53 === 0 ? -2 : (i % 12) + 1;
  const price = ((i % 97) + 1) * 0.25;
  plainRows[i] = {
    customerId: customer,
    type: qty < 0 ? 'refund' : 'purchase',
    timestamp: t.toISOString(),
    value: String(Math.abs(qty * price)),
    eventId: qty < 0 ? `C${500_000 + i}` : String(500_000 + i),
  };
  exportRows[i] = {
    InvoiceNo: qty < 0 ? `C${500_000 + i}` : String(500_000 + i),
    StockCode: '85123A',
    Quantity: String(qty),
    InvoiceDate: `${t.getUTCMonth() + 1}/${t.getUTCDate()}/${t.getUTCFullYear()} ${t.getUTCHours()}:${pad(t.getUTCMinutes())}`,
    UnitPrice: String(price),
    CustomerID: customer,
    Country: i % 5 === 0 ? 'France' : 'United Kingdom',
  };
}
const exportMapping = JSON.parse(`{
  "fields": { "customerId": "CustomerID", "timestamp": "InvoiceDate", "eventId": "InvoiceNo" },
  "derive": {
    "value": { "abs": { "product": ["Quantity", "UnitPrice"] } },
    "type": { "cases": [
      { "when": { "field": "InvoiceNo", "op": "starts_with", "value": "C" }, "then": { "const": "refund" } },
      { "when": "Quantity < 0", "then": { "const": "refund" } } ], "else": { "const": "purchase" } },
    "properties.country": "Country"
  },
  "timestamp": { "format": "M/d/yyyy H:mm" }
}`);
parseEvents(plainRows.slice(0, 50_000));
parseEvents(exportRows.slice(0, 50_000), { mapping: exportMapping });
// The machine may be shared: run each path three times, alternating, and compare the smallest CPU times.
let plainCpu = Number.POSITIVE_INFINITY;
let derivedCpu = Number.POSITIVE_INFINITY;
let plainAccepted = 0;
let derivedAccepted = 0;
const roundRatios: number[] = [];
for (let round = 1; round <= 3; round++) {
  const plain = measure(
    `parseEvents: 1M CSV-like rows, plain ISO (${round}/3)`,
    () => parseEvents(plainRows),
    {
      count: N,
      unit: 'rows',
    },
  );
  const lastPlain = lastCpuMs();
  plainCpu = Math.min(plainCpu, lastPlain);
  plainAccepted = plain.stats.accepted;
  const derived = measure(
    `parseEvents: 1M CSV-like rows, derive + format (${round}/3)`,
    () => parseEvents(exportRows, { mapping: exportMapping }),
    { count: N, unit: 'rows' },
  );
  roundRatios.push(lastCpuMs() / lastPlain);
  derivedCpu = Math.min(derivedCpu, lastCpuMs());
  derivedAccepted = derived.stats.accepted;
}
const sortedRatios = [...roundRatios].sort((a, b) => a - b);
console.log(
  `  per-round derived/plain CPU ratios ${roundRatios.map((r) => r.toFixed(2)).join(', ')} (median ${(sortedRatios[1] as number).toFixed(2)})`,
);
console.log(
  `  accepted ${plainAccepted} / ${derivedAccepted}; best CPU plain ${plainCpu.toFixed(0)} ms, derived ${derivedCpu.toFixed(0)} ms: ratio ${(derivedCpu / plainCpu).toFixed(2)} (goal <= 1.5)`,
);
