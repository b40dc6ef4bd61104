/**
 * Events benchmarks (`npm run bench -- events`). Sections (all by default; `EVENTS_BENCH=loop,derived`
 * runs some):
 * - `base`: parseEvents on 1M generated events and groupByCustomer (targets on a 2-core machine:
 *   parse >= 1M events/s, group >= 3M events/s);
 * - `loop`: parseEvents against a minimal validating loop over the same rows (#14, goal <= 2.5x);
 * - `derived`: the derived-mapping path against the plain path (#10, goal <= 1.5x).
 * `EVENTS_BENCH_ROUNDS` paired rounds (default 5). Every ratio is the median of the per-round ratios
 * of process CPU time, which stays meaningful on a loaded machine where wall time does not (the load
 * average is printed next to it).
 */
import { loadavg } from 'node:os';
import { groupByCustomer, parseEvents } from '../src/events/index';
import { EVENT_TYPES } from '../src/events/vocabulary';
import { generateSaasEvents } from '../src/sample/index';
import { fmt, lastCpuMs, measure } from './_util';

const sections = new Set((process.env.EVENTS_BENCH ?? 'base,loop,derived').split(','));
const ROUNDS = Math.max(3, Number(process.env.EVENTS_BENCH_ROUNDS ?? 5));
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
};
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const pad = (n: number) => String(n).padStart(2, '0');

// ---------------------------------------------------------------------------------------------
function base(): void {
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
}

// ---------------------------------------------------------------------------------------------
// #14: parseEvents against the least any hand-written importer must do per row. The loop, defined
// here once for both kinds of rows: the row is an object; customerId a non-empty string; type a
// string in the vocabulary (Set lookup); timestamp an ISO string read with Date.parse, or a number,
// and finite; value, when present (not undefined/null/''), a finite number (numeric text via
// Number()); properties, when present, an object copied into a null-prototype object; then one
// { customerId, type, timestamp, value, properties } pushed to an array; rejects counted.
// It does less than parseEvents (no trimming, no calendar-strict dates, no plausibility window, no
// placeholder ids, no per-type rules, no issue list per rejected row, no stats): the ratio is what
// those cost. parseEvents passes `properties` through by reference after checking them (depth,
// cycles, BigInt) instead of copying; the loop's copy is printed separately (`no copy` ratio).
const VOCABULARY: ReadonlySet<string> = new Set(Object.values(EVENT_TYPES));

interface LoopEvent {
  customerId: string;
  type: string;
  timestamp: number;
  value: number | undefined;
  properties: Record<string, unknown> | undefined;
}

function minimalLoop(rows: readonly unknown[], copy: boolean): { events: LoopEvent[]; rejected: number } {
  const events: LoopEvent[] = [];
  let rejected = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      rejected++;
      continue;
    }
    const row = r as Record<string, unknown>;
    const customerId = row.customerId;
    if (typeof customerId !== 'string' || customerId.length === 0) {
      rejected++;
      continue;
    }
    const type = row.type;
    if (typeof type !== 'string' || !VOCABULARY.has(type)) {
      rejected++;
      continue;
    }
    const ts = row.timestamp;
    const timestamp = typeof ts === 'string' ? Date.parse(ts) : typeof ts === 'number' ? ts : Number.NaN;
    if (!Number.isFinite(timestamp)) {
      rejected++;
      continue;
    }
    const v = row.value;
    let value: number | undefined;
    if (v !== undefined && v !== null && v !== '') {
      value = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
      if (!Number.isFinite(value)) {
        rejected++;
        continue;
      }
    }
    const p = row.properties;
    let properties: Record<string, unknown> | undefined;
    if (p !== undefined && p !== null) {
      if (typeof p !== 'object' || Array.isArray(p)) {
        rejected++;
        continue;
      }
      if (copy) {
        properties = Object.create(null) as Record<string, unknown>;
        for (const k of Object.keys(p)) properties[k] = (p as Record<string, unknown>)[k];
      } else properties = p as Record<string, unknown>;
    }
    events.push({ customerId, type, timestamp, value, properties });
  }
  return { events, rejected };
}

/**
 * 1M rows, 10% invalid in ways both parseEvents and the loop reject (missing or empty customerId,
 * missing type, a type that is not a string, text that is no date, an impossible month, an empty
 * timestamp, a value that is not a number, a row that is not an object). Valid rows use canonical
 * types and respect the per-type rules, so both accept exactly the same rows.
 */
function loopRows(kind: 'csv' | 'json', n: number): unknown[] {
  const rows: unknown[] = new Array(n);
  const t0 = Date.UTC(2024, 0, 1);
  const types = ['purchase', 'login', 'session', 'feature_used', 'refund'] as const;
  const features = ['export', 'dashboard', 'api', 'alerts'];
  for (let i = 0; i < n; i++) {
    const t = t0 + i * 29_000 + (i % 7) * 1_000;
    const customerId = `cus_${10_000 + ((i * 7919) % 5000)}`;
    // CSV rows carry no properties: feature_used (which needs properties.feature) becomes a visit.
    const type0 = types[i % 5] as (typeof types)[number];
    const type = kind === 'csv' && type0 === 'feature_used' ? 'visit' : type0;
    const amount = ((i % 97) + 1) * 0.25;
    let row: Record<string, unknown>;
    if (kind === 'csv') {
      row = {
        customerId,
        type,
        timestamp: new Date(t).toISOString(),
        value:
          type === 'purchase' || type === 'refund'
            ? String(amount)
            : type === 'session'
              ? String(i % 90)
              : '',
      };
    } else {
      row = { customerId, type, timestamp: t };
      if (type === 'purchase' || type === 'refund') row.value = amount;
      else if (type === 'session') row.value = i % 90;
      if (type === 'feature_used') row.properties = { feature: features[i % 4], userId: `u${i % 40}` };
      else if (type !== 'purchase')
        row.properties = { userId: `u${i % 40}`, plan: i % 3 === 0 ? 'pro' : 'basic' };
    }
    if (i % 10 === 9) {
      switch (((i / 10) % 9) | 0) {
        case 0:
          delete row.customerId;
          break;
        case 1:
          row.customerId = '';
          break;
        case 2:
          delete row.type;
          break;
        case 3:
          row.type = kind === 'csv' ? 'purchase' : 42;
          if (kind === 'csv') row.value = 'n/a';
          break;
        case 4:
          row.timestamp = 'yesterday';
          break;
        case 5:
          row.timestamp = kind === 'csv' ? '2024-13-45T00:00:00Z' : Number.NaN;
          break;
        case 6:
          row.timestamp = '';
          break;
        case 7:
          row.type = 'purchase';
          row.value = kind === 'csv' ? '12,5x' : true;
          break;
        default:
          rows[i] = kind === 'csv' ? 'a stray line' : null;
          continue;
      }
    }
    rows[i] = row;
  }
  return rows;
}

function loop(): void {
  const N = 1_000_000;
  for (const kind of ['csv', 'json'] as const) {
    const rows = loopRows(kind, N);
    const what = kind === 'csv' ? 'CSV-like (strings, ISO)' : 'JSON-like (typed, epoch ms, properties)';
    // Warm-up: both paths see the code (and every rejection kind) once.
    parseEvents(rows.slice(0, 50_000));
    minimalLoop(rows.slice(0, 50_000), true);
    minimalLoop(rows.slice(0, 50_000), false);
    const ratios: number[] = [];
    const ratiosNoCopy: number[] = [];
    const ours: number[] = [];
    const theirs: number[] = [];
    let check = '';
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate which runs first, so a slow phase of the machine does not always hit the same side.
      let oursCpu = 0;
      let loopCpu = 0;
      let plainCpu = 0;
      const runOurs = () => {
        const r = measure(`parseEvents, 1M ${what} (${round}/${ROUNDS})`, () => parseEvents(rows), {
          count: N,
          unit: 'rows',
        });
        oursCpu = lastCpuMs();
        return r;
      };
      const runLoop = () => {
        const r = measure(`minimal loop, same rows (${round}/${ROUNDS})`, () => minimalLoop(rows, true), {
          count: N,
          unit: 'rows',
        });
        loopCpu = lastCpuMs();
        return r;
      };
      let a: ReturnType<typeof parseEvents>;
      let b: ReturnType<typeof minimalLoop>;
      if (round % 2 === 1) {
        a = runOurs();
        b = runLoop();
      } else {
        b = runLoop();
        a = runOurs();
      }
      measure(`minimal loop, no properties copy (${round}/${ROUNDS})`, () => minimalLoop(rows, false), {
        count: N,
        unit: 'rows',
      });
      plainCpu = lastCpuMs();
      if (a.stats.rejected !== b.rejected)
        throw new Error(`the two disagree: parseEvents rejected ${a.stats.rejected}, the loop ${b.rejected}`);
      check = `accepted ${a.stats.accepted} / ${b.events.length}, rejected ${a.stats.rejected} / ${b.rejected}`;
      ours.push(oursCpu);
      theirs.push(loopCpu);
      ratios.push(oursCpu / loopCpu);
      ratiosNoCopy.push(oursCpu / plainCpu);
    }
    console.log(`  ${check} (parseEvents / loop)`);
    console.log(
      `  ${kind}: parseEvents median CPU ${median(ours).toFixed(0)} ms, loop ${median(theirs).toFixed(0)} ms; per-round ratios ${ratios.map((r) => r.toFixed(2)).join(', ')}: median ${median(ratios).toFixed(2)} (goal <= 2.5); vs the loop without the properties copy: median ${median(ratiosNoCopy).toFixed(2)} (load ${load()})`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// CSV-like rows (every value a string, as a CSV parser gives them): the plain path (canonical
// columns, ISO timestamps) against an export read with derived fields and a date format.
// Goal (issue #10): derived fields + a date format cost at most 1.5x the plain path.
function derived(): void {
  const N = 1_000_000;
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
  let plainAccepted = 0;
  let derivedAccepted = 0;
  const plainCpu: number[] = [];
  const derivedCpu: number[] = [];
  const ratios: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    let p = 0;
    let d = 0;
    const runPlain = () => {
      const r = measure(
        `parseEvents: 1M CSV-like rows, plain ISO (${round}/${ROUNDS})`,
        () => parseEvents(plainRows),
        {
          count: N,
          unit: 'rows',
        },
      );
      p = lastCpuMs();
      plainAccepted = r.stats.accepted;
    };
    const runDerived = () => {
      const r = measure(
        `parseEvents: 1M CSV-like rows, derive + format (${round}/${ROUNDS})`,
        () => parseEvents(exportRows, { mapping: exportMapping }),
        { count: N, unit: 'rows' },
      );
      d = lastCpuMs();
      derivedAccepted = r.stats.accepted;
    };
    if (round % 2 === 1) {
      runPlain();
      runDerived();
    } else {
      runDerived();
      runPlain();
    }
    plainCpu.push(p);
    derivedCpu.push(d);
    ratios.push(d / p);
  }
  console.log(
    `  accepted ${plainAccepted} / ${derivedAccepted}; median CPU plain ${median(plainCpu).toFixed(0)} ms, derived ${median(derivedCpu).toFixed(0)} ms; per-round derived/plain ratios ${ratios.map((r) => r.toFixed(2)).join(', ')}: median ${median(ratios).toFixed(2)} (goal <= 1.5; best-of ratio ${(Math.min(...derivedCpu) / Math.min(...plainCpu)).toFixed(2)}) (load ${load()})`,
  );
}

// Run last: every constant above is initialised by now.
if (sections.has('base')) base();
if (sections.has('loop')) loop();
if (sections.has('derived')) derived();
