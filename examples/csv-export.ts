/**
 * A CSV export fed in unchanged: columns named the way a product-analytics tool names them,
 * read with the CLI's reader and validated with a mapping file. The same can be done from the
 * shell: npx tsx src/cli/index.ts validate examples/data/events.csv --mapping examples/data/mapping.json
 * Run: npx tsx examples/csv-export.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRows } from '../src/cli/readRows';
import { groupByCustomer, parseEvents } from '../src/index';

const dir = join(import.meta.dirname, 'data');
const rows = readRows(join(dir, 'events.csv'));
const mapping = JSON.parse(readFileSync(join(dir, 'mapping.json'), 'utf8'));
const { events, rejected, stats } = parseEvents(rows, { mapping });
console.log(`events.csv: ${stats.received} rows, ${stats.accepted} accepted, ${stats.rejected} rejected`);
for (const r of rejected)
  console.log(`  CSV line ${r.index + 2}: ${r.issues.map((i) => i.message).join('; ')}`);
for (const [id, t] of groupByCustomer(events)) {
  const spend = t.ofType('purchase').reduce((s, e) => s + (e.value ?? 0), 0);
  console.log(
    `  ${id}: ${t.ofType('login').length} logins, ${t.ofType('purchase').length} orders, $${spend.toFixed(2)}`,
  );
}
