/**
 * The CLI reads its input into the compact EventStore (#13). These tests show that every analysis
 * gives the output the pre-store path gave: the command's result computed from `parseEvents` event
 * objects (what the CLI did before), rendered by the same writer, equals the CLI's output.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { churnResult } from '../../src/cli/commands/churn';
import { clvResult } from '../../src/cli/commands/clv';
import { healthResult } from '../../src/cli/commands/health';
import { metricsResult } from '../../src/cli/commands/metrics';
import { segmentResult } from '../../src/cli/commands/segment';
import { metricsEvents } from '../../src/cli/commands/shared';
import { LineMap } from '../../src/cli/input';
import type { Io } from '../../src/cli/io';
import { memoryNotice, SizedStoreSink } from '../../src/cli/load';
import { type CommandResult, type Format, writeResult } from '../../src/cli/output';
import { groupByCustomer } from '../../src/events/groupByCustomer';
import { parseEventStream } from '../../src/events/parseEventStream';
import { parseEvents } from '../../src/events/parseEvents';
import { parseProfiles } from '../../src/events/parseProfiles';
import type { CustomerEvent } from '../../src/events/types';
import { scoreHealth } from '../../src/health/index';
import { chooseMetrics } from '../../src/metrics/index';
import { generateRetailTransactions, generateSaasEvents } from '../../src/sample/index';
import { storeEvents, toEventStore } from '../../src/store/index';
import { run } from './run';

const dir = mkdtempSync(join(tmpdir(), 'cv-cli-store-'));
const saas = generateSaasEvents({ customers: 40, seed: 9, end: '2025-06-01' });
const retail = generateRetailTransactions({ customers: 300, seed: 2 }).events;
// Duplicated eventIds (an identical copy: the first is kept; an earlier-timestamped copy: it
// replaces the first), an invalid row and an unknown type, as a real export may have.
const first = saas.events.slice(0, 4000) as unknown as Record<string, unknown>[];
const dups = [
  ...first,
  first[10],
  { ...first[30], timestamp: (first[30]?.timestamp as number) - 1000 },
  { ...first[40], value: 3 },
  { customerId: 'x', type: 'login' },
  { customerId: 'y', type: 'my_custom_event', timestamp: first[0]?.timestamp },
];
const r0 = retail as unknown as Record<string, unknown>[];
const retailDups = [
  ...r0,
  r0[5],
  { ...r0[50], timestamp: (r0[50]?.timestamp as number) - 60_000 },
  { ...r0[70], value: 1 },
  // Refunds (RFM and CLV net them out), one of a customer without a purchase.
  {
    ...r0[5],
    type: 'refund',
    eventId: 'rf1',
    value: 4.5,
    timestamp: (r0[5]?.timestamp as number) + 86_400_000,
  },
  { ...r0[90], type: 'refund', eventId: 'rf2', value: 2, timestamp: (r0[90]?.timestamp as number) + 1 },
  { customerId: 'no-purchase', type: 'refund', eventId: 'rf3', value: 1, timestamp: r0[0]?.timestamp },
];
const files = {
  saas: write('saas.ndjson', saas.events),
  retail: write('retail.ndjson', retail),
  dups: write('dups.ndjson', dups),
  retailDups: write('retail-dups.ndjson', retailDups),
};
const profilesFile = join(dir, 'profiles.json');
writeFileSync(profilesFile, JSON.stringify(saas.profiles));
const profiles = parseProfiles(saas.profiles).profiles;

function write(name: string, rows: readonly unknown[]): { file: string; rows: readonly unknown[] } {
  const file = join(dir, name);
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
  return { file, rows };
}

/** The pre-store result of a command: computed from every accepted event as an object. */
function before(
  command: string,
  events: CustomerEvent[],
  asOf: number,
  withProfiles: boolean,
): CommandResult<unknown> {
  const p = withProfiles ? profiles : [];
  if (command === 'health')
    return healthResult(scoreHealth(events, { asOf, profiles: p }), asOf) as CommandResult<unknown>;
  if (command === 'churn') return churnResult(groupByCustomer(events), p, asOf, 30) as CommandResult<unknown>;
  if (command === 'clv') return clvResult(events, asOf, undefined) as CommandResult<unknown>;
  if (command === 'segment') return segmentResult(events, asOf, undefined) as CommandResult<unknown>;
  return metricsResult(events, asOf, p) as CommandResult<unknown>;
}

async function rendered(
  command: string,
  rows: readonly unknown[],
  file: string,
  format: Format,
  asOfArg: string | undefined,
  withProfiles: boolean,
): Promise<string> {
  const parsed = parseEvents(rows);
  let max = Number.NEGATIVE_INFINITY;
  for (const e of parsed.events) if (e.timestamp > max) max = e.timestamp;
  const asOf = asOfArg === undefined ? max + 1 : Date.parse(`${asOfArg}T00:00:00Z`);
  const result = before(command, parsed.events, asOf, withProfiles);
  let out = '';
  const sink = {
    write: (t: string) => {
      out += t;
    },
  };
  const io: Io = { stdout: sink, stderr: sink, stdin: undefined, env: {} };
  const s = parsed.stats;
  await writeResult(result, format, sink, io, {
    command,
    top: undefined,
    input: {
      source: file,
      format: 'ndjson',
      received: s.received,
      accepted: s.accepted,
      rejected: s.rejected,
      duplicates: s.duplicates,
      unknownTypes: s.unknownTypes,
      byType: Object.fromEntries([...s.byType].sort((a, b) => b[1] - a[1])),
    },
  });
  return out;
}

const CASES: [string, keyof typeof files, string | undefined][] = [
  ['health', 'saas', '2025-05-01'],
  ['health', 'dups', undefined],
  ['health', 'retail', undefined],
  ['churn', 'saas', '2025-05-01'],
  ['churn', 'saas', undefined],
  ['clv', 'retail', '2025-03-01'],
  ['clv', 'retailDups', undefined],
  ['segment', 'retail', '2025-03-01'],
  ['segment', 'retailDups', undefined],
  ['metrics', 'saas', '2025-05-01'],
  ['metrics', 'dups', undefined],
  ['metrics', 'retail', undefined],
];

describe('the CLI on the event store gives the pre-store output', () => {
  for (const [command, name, asOf] of CASES) {
    it(`${command} on ${name}${asOf ? ` as of ${asOf}` : ''}: json and csv equal the result from event objects`, async () => {
      const { file, rows } = files[name];
      const withProfiles = name === 'saas' || name === 'dups';
      const args = [command, file, '--max-rejected', '10%', '--quiet'];
      if (withProfiles) args.push('--profiles', profilesFile);
      if (asOf) args.push('--as-of', asOf);
      const json = await run([...args, '--format', 'json']);
      expect(json.code).toBe(0);
      // Parsed: byType ties may list their types in another order (same counts).
      expect(JSON.parse(json.stdout)).toEqual(
        JSON.parse(await rendered(command, rows, file, 'json', asOf, withProfiles)),
      );
      const csv = await run([...args, '--format', 'csv']);
      expect(csv.stdout).toBe(await rendered(command, rows, file, 'csv', asOf, withProfiles));
    });
  }

  it('counts exactly with duplicates and invalid rows: received = accepted + rejected, as parseEvents', async () => {
    const r = await run(['validate', files.dups.file, '--format', 'json', '--max-rejected', '10%']);
    const s = parseEvents(dups).stats;
    const out = JSON.parse(r.stdout);
    // 4,005 rows: the identical copy of line 11 (line 4001) and the changed-value copy of line 41
    // (line 4003; its value sorts after the kept row's) are dropped, the earlier-timestamped copy of
    // line 31 (line 4002) replaces it, so line 31 is reported; line 4004 has no timestamp.
    expect(out.stats.received).toBe(4005);
    expect(out.stats.accepted + out.stats.rejected).toBe(4005);
    expect(out.stats.duplicates).toBe(3);
    expect(out.stats.rejected).toBe(4);
    expect({ ...out.stats, byType: undefined }).toMatchObject({
      received: s.received,
      accepted: s.accepted,
      rejected: s.rejected,
      duplicates: s.duplicates,
      unknownTypes: s.unknownTypes,
    });
    // The replaced row is reported at its file line (31), the other duplicates at theirs.
    const lines = out.results.map((x: { line: number }) => x.line).sort((a: number, b: number) => a - b);
    expect(lines).toEqual([31, 4001, 4003, 4004]);
  });

  it('materialises only the rows a command reads (metrics: all but activity, plus first, span and type rows)', () => {
    const day = 86_400_000;
    const ev = (customerId: string, type: string, d: number, value?: number): CustomerEvent => ({
      customerId,
      type,
      timestamp: Date.UTC(2025, 0, 1) + d * day,
      ...(value === undefined ? {} : { value }),
    });
    const store = toEventStore([
      ev('a', 'login', 1), // a's first event (first-seen time)
      ev('a', 'login', 2),
      ev('a', 'ticket_opened', 3),
      ev('b', 'purchase', 4, 10),
      ev('b', 'session', 5), // the only session (the type must stay present)
      ev('b', 'refund', 6, 2),
      ev('c', 'nps_response', 0, 9), // the earliest event
      ev('c', 'feature_used', 9), // the latest event
      ev('c', 'login', 7),
      ev('d', 'login', 5), // d's first event, of a type already seen
      ev('d', 'ticket_opened', 6),
    ]);
    const at = (es: CustomerEvent[]) =>
      es.map((e) => `${e.customerId}:${e.type}:${(e.timestamp - Date.UTC(2025, 0, 1)) / day}`);
    // a: first login kept, second dropped; b: session kept as the first of its type; c: the first
    // login is c's third event (dropped), feature_used kept as the latest.
    expect(at(metricsEvents(store))).toEqual([
      'a:login:1',
      'a:ticket_opened:3',
      'b:purchase:4',
      'b:session:5',
      'b:refund:6',
      'c:nps_response:0',
      'c:feature_used:9',
      'd:login:5',
      'd:ticket_opened:6',
    ]);
    const all = storeEvents(store);
    expect(chooseMetrics(metricsEvents(store))).toEqual(chooseMetrics(all));
  });

  it('warns before results outgrow the JavaScript heap (Node gives no chance to explain after)', () => {
    const heap = 4144 * 2 ** 20; // V8's default limit on this 24 GB machine
    // 2,000,000 health states x 2,000 B = 3.73 GiB > 60% of 4.05 GiB = 2.43 GiB; 1.5 x 3.73 = 5.6 -> 6 GiB.
    const text = memoryNotice('health', 2_000_000, heap);
    expect(text).toContain('2000000 customers: their health results need about 3.7 GB');
    expect(text).toContain('NODE_OPTIONS=--max-old-space-size=6144');
    // 1,000,000 x 2,000 B = 1.86 GiB < 2.43 GiB: fine (the 20M-event / 1M-customer run completed with
    // the default heap at 2.25 GB peak RSS); segment rows are small whatever the count.
    expect(memoryNotice('health', 1_000_000, heap)).toBeNull();
    expect(memoryNotice('segment', 10_000_000, heap)).toBeNull();
  });

  it('sizes the store from the file (buffering the first rows) and resolves duplicates across the switch', async () => {
    // 1,000 rows "read" at 50 bytes each; the sink buffers until 12,000 bytes (row 250), then
    // builds with room for 1000 * 1.08 + 1024 rows. Rows 150..170 repeat eventIds of rows 0..20
    // (before the switch, in the buffer), rows 600..620 repeat eventIds of rows 300..320 (after),
    // some with an earlier timestamp (they replace the kept row).
    const rows = Array.from({ length: 1000 }, (_, i) => {
      const id = i >= 150 && i < 170 ? i - 150 : i >= 600 && i < 620 ? i - 300 : i;
      return {
        customerId: `c${id % 13}`,
        type: 'login',
        timestamp: Date.UTC(2025, 0, 1) + id * 1000 - (i % 2 === 1 && id !== i ? 500 : 0),
        eventId: `e${id}`,
      };
    });
    const lines = new LineMap();
    const input = { size: 50_000, bytesRead: 0, lines };
    async function* chunks() {
      for (let i = 0; i < rows.length; i += 50) {
        for (let k = i; k < i + 50; k++) lines.push(k + 1);
        input.bytesRead += 50 * 50;
        yield rows.slice(i, i + 50);
      }
    }
    const sink = new SizedStoreSink(input, 12_000);
    const r = await parseEventStream(chunks(), { into: sink, maxRejected: 100 });
    const whole = parseEvents(rows);
    expect(r.stats.duplicates).toBe(40);
    expect(r.stats.accepted).toBe(whole.stats.accepted);
    expect(r.rejected.map((x) => x.index)).toEqual(whole.rejected.map((x) => x.index));
    expect(storeEvents(sink.finish())).toEqual(storeEvents(toEventStore(whole.events)));
  });
});
