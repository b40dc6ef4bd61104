/**
 * Health benchmark (#14, #13): scoreHealth end to end (grouping into timelines, one signal pass per
 * timeline, percentiles, weights, contributions and explanation sentences) on events shaped exactly
 * as `parseEvents` builds them: epoch-ms timestamps and a DISTINCT null-prototype `properties`
 * object per event (no sharing), allocated in input order (`bench/_healthEvents.ts`). Measured in
 * the three orders real exports come in: by time (a log), by customer (then time), and shuffled
 * (seeded). Goal: >= 2M events/s in every order.
 *
 * Then the same events from an EventStore (#13): `toEventStore` once per order (timed, not part
 * of the scoring figure), the event objects dropped, and `scoreHealthFromStore` 3 times; the
 * results of both paths are compared by a sha1 of every score's JSON plus the warnings (must match).
 *
 * Sizes: 1,000,000 events over 10,000 customers and 3,000,000 over 30,000 (100 events per customer);
 * HEALTH_BENCH_EVENTS (and HEALTH_BENCH_CUSTOMERS, default events / 100) run one size instead. With
 * one property object per event, 10M events need ~3 GB of heap (run node with
 * `--max-old-space-size=8192`); HEALTH_BENCH_ORDERS (e.g. `shuffled`) runs only some orders.
 * Each configuration runs 3 times; the summary gives the median wall time and events per second
 * of process CPU time (median of the 3, all threads incl. GC), which stays meaningful on a loaded
 * machine where wall time does not (the load average is printed with it), the CPU time of the
 * first run alone (a one-off call: it also compiles the hot code), and the full (mark-compact)
 * garbage collections that ran during each of the 3 runs (each marks every live event object:
 * ~0.2 s at 1M events). Each call allocates its own working memory (nothing is kept between
 * calls): for an event array ~8 bytes per event of typed arrays and ~32 on the JS heap, plus one
 * range of customers' columns; their growth is what brings a full collection forward.
 * Then, when ../shared holds it, the purchase scorecard on the UCI Online Retail sample: the AUC of
 * the score for "buys again within 90 days" (written in docs/health.md).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import type { CustomerEvent } from '../src/events/types';
import type { HealthScoreList } from '../src/health/index';
import { scoreHealth } from '../src/health/index';
import { scoreHealthFromStore, toEventStore } from '../src/store/index';
import { readRetailEvents, retailFile, returnAuc } from '../test/health/_onlineRetail';
import { asOf, generate, type Order } from './_healthEvents';
import { fmt, lastCpuMs, measure } from './_util';

const SIZES: readonly { events: number; customers: number }[] =
  process.env.HEALTH_BENCH_EVENTS === undefined
    ? [
        { events: 1_000_000, customers: 10_000 },
        { events: 3_000_000, customers: 30_000 },
      ]
    : [
        {
          events: Number(process.env.HEALTH_BENCH_EVENTS),
          customers: Number(
            process.env.HEALTH_BENCH_CUSTOMERS ?? Math.max(1, Number(process.env.HEALTH_BENCH_EVENTS) / 100),
          ),
        },
      ];

const ALL_ORDERS: readonly Order[] = ['by time', 'by customer', 'shuffled'];
/** HEALTH_BENCH_ORDERS (comma-separated, e.g. `shuffled`) runs only those orders (for 10M runs). */
const ORDERS: readonly Order[] =
  process.env.HEALTH_BENCH_ORDERS === undefined
    ? ALL_ORDERS
    : ALL_ORDERS.filter((o) => (process.env.HEALTH_BENCH_ORDERS as string).split(',').includes(o));

const median = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1] as number;

/** sha1 of every score's JSON (one at a time: no giant string) and of the run's warnings. */
function digest(list: HealthScoreList): string {
  const h = createHash('sha1');
  for (const s of list) h.update(JSON.stringify(s));
  return h.update(JSON.stringify(list.warnings)).update(list.scorecard).digest('hex').slice(0, 12);
}

/** Start times (performance.now()) of the full garbage collections so far. */
const majorGcs: number[] = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (isMajor(e)) majorGcs.push(e.startTime);
});
gcObserver.observe({ entryTypes: ['gc'] });
function isMajor(e: PerformanceEntry): boolean {
  return (e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR;
}
/** Full GCs that started in `[from, to]` (after a turn of the event loop, which queues the entries). */
async function majorGcsIn(from: number, to: number): Promise<number> {
  await new Promise((resolve) => setImmediate(resolve));
  for (const e of gcObserver.takeRecords()) if (isMajor(e)) majorGcs.push(e.startTime);
  return majorGcs.filter((t) => t >= from && t <= to).length;
}

/** Runs `fn` 3 times through `measure`; returns the last result, median wall ms and median CPU ms. */
async function threeRuns(
  label: string,
  n: number,
  fn: () => HealthScoreList,
): Promise<{ out: HealthScoreList; wall: number; cpu: number; first: number; gcs: number[] }> {
  const walls: number[] = [];
  const cpus: number[] = [];
  const gcs: number[] = [];
  let out = scoreHealth([], { asOf });
  for (let rep = 0; rep < 3; rep++) {
    let t0 = 0;
    out = measure(
      `${label} (run ${rep + 1})`,
      () => {
        t0 = performance.now();
        const r = fn();
        walls.push(performance.now() - t0);
        return r;
      },
      { count: n, unit: 'events' },
    );
    cpus.push(lastCpuMs());
    gcs.push(await majorGcsIn(t0, t0 + (walls[rep] as number)));
  }
  return { out, wall: median(walls), cpu: median(cpus), first: cpus[0] as number, gcs };
}

const rows: string[] = [];
for (const size of SIZES) {
  console.log(
    `${fmt(size.events)} events, ${fmt(size.customers)} customers, distinct property objects per event`,
  );
  for (const order of ORDERS) {
    let events: CustomerEvent[] | undefined = measure(`generate, ${order} (setup, not timed)`, () =>
      generate(order, size),
    );
    const n = events.length;
    const ev = await threeRuns(`scoreHealth, ${order}`, n, () =>
      scoreHealth(events as CustomerEvent[], { asOf }),
    );
    const bands = new Map<string, number>();
    for (const s of ev.out) bands.set(s.band ?? 'none', (bands.get(s.band ?? 'none') ?? 0) + 1);
    console.log(`  scored ${ev.out.length}; bands ${JSON.stringify(Object.fromEntries(bands))}`);
    const evDigest = digest(ev.out);
    let buildWall = 0;
    const store = measure(`toEventStore, ${order}`, () => {
      const t0 = performance.now();
      const s = toEventStore(events as CustomerEvent[]);
      buildWall = performance.now() - t0;
      return s;
    });
    const buildCpu = lastCpuMs();
    events = undefined; // the store path holds no event objects
    ev.out = scoreHealth([], { asOf });
    const st = await threeRuns(`scoreHealthFromStore, ${order}`, n, () =>
      scoreHealthFromStore(store, { asOf }),
    );
    const stDigest = digest(st.out);
    console.log(
      `  sha1 events ${evDigest}, store ${stDigest}: ${evDigest === stDigest ? 'identical' : 'DIFFERENT'}`,
    );
    const line = (what: string, r: { wall: number; cpu: number; first?: number; gcs?: number[] }): string =>
      `${fmt(n).padStart(6)} ${order.padEnd(12)} ${what.padEnd(24)} wall ${r.wall.toFixed(0).padStart(6)} ms  ` +
      `cpu ${r.cpu.toFixed(0).padStart(6)} ms  ${fmt(n / (r.cpu / 1000)).padStart(7)} events/CPU-s` +
      (r.first === undefined ? '' : `  (run 1: cpu ${r.first.toFixed(0)} ms)`) +
      (r.gcs === undefined ? '' : `  full GCs per run ${r.gcs.join('/')}`);
    rows.push(line('events -> health', ev));
    rows.push(line('store -> health', st));
    rows.push(line('toEventStore (setup)', { wall: buildWall, cpu: buildCpu }));
  }
}
const load = loadavg()
  .map((x) => x.toFixed(1))
  .join(' / ');
console.log(
  `health, median of 3 runs (wall; CPU of all threads incl. GC); load average ${load} on this machine:\n  ${rows.join('\n  ')}\n  (goal >= 2M events/s in every order)`,
);

gcObserver.disconnect();

if (existsSync(retailFile)) {
  const events = readRetailEvents();
  const DAY = 86_400_000;
  for (const iso of ['2011-03-01', '2011-06-01', '2011-09-10']) {
    const at = Date.parse(`${iso}T00:00:00Z`);
    const scores = scoreHealth(events, { asOf: at });
    const returned = new Set<string>();
    for (const e of events)
      if (e.type === 'purchase' && e.timestamp > at && e.timestamp <= at + 90 * DAY)
        returned.add(e.customerId);
    const scored = scores.filter((s) => s.score !== null);
    const auc = returnAuc(
      scored.map((s) => s.score as number),
      scored.map((s) => returned.has(s.customerId)),
    );
    console.log(
      `Online Retail as of ${iso}: scorecard "${scores.scorecard}", ${scored.length} customers, ` +
        `${scored.filter((s) => returned.has(s.customerId)).length} bought again within 90 days, AUC ${auc?.toFixed(3)}`,
    );
  }
} else console.log(`Online Retail sample not found at ${retailFile}: AUC section skipped`);
