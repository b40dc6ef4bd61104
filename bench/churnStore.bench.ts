/**
 * Churn on the compact event store (#13). Not run in CI. Each variant runs in its own fresh child
 * process, CHURN_REPS times (default 3); the figures are the medians of CPU time (user + system,
 * `process.cpuUsage`) and of peak RSS (`process.resourceUsage().maxRSS`), with the load average.
 *
 * Input: an NDJSON export of the SaaS sample generator (CHURN_ACCOUNTS accounts, default 1,000:
 * ~1.3M events, every event with an eventId), written once to BENCH_DIR (default the OS temp dir).
 *
 * (cli) `customer-vitals churn FILE --format ndjson --out /dev/null --as-of 2026-01-01` through
 *       main() of the source tree CHURN_TREE (default this repository; point it at an unpacked
 *       `git archive` of an older commit to time that commit's CLI on the same file). The `objects`
 *       variant is the pre-#13 CLI path: streamed rows -> every event an object ->
 *       `churnResult(groupByCustomer(events))` -> the same writer.
 * (result) in-process: the CLI's churn result alone (`churnResult`: training rows of the three
 *       windows, labels, features, model, predictions), timed after the input is built: from the
 *       store (columns), from `storeTimelines(store)` (the CLI before this change), and from
 *       parseEvents objects (`groupByCustomer` inside the timed call, as the pre-#13 CLI did).
 * (api) in-process `churnFeatures` at asOf on the same events, timing the call only (the input is
 *       built before): on parseEvents objects (grouping included), on their timelines
 *       (`groupByCustomer` done before: the feature loop alone), on a store (`toEventStore`, built before), and on
 *       `storeTimelines(store)` (the per-customer views the CLI read before the columns). Peak RSS
 *       of this part is the whole process's, mostly the file read whole and parsed as JSON rows.
 *
 * Run: npm run bench -- churnStore   (PARTS=cli, result or api: the parts to run; CHURN_VARIANTS=a,b
 * runs only the named variants)
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ASOF = '2026-01-01T00:00:00Z';
const accounts = Number(process.env.CHURN_ACCOUNTS ?? 1000);
const reps = Number(process.env.CHURN_REPS ?? 3);
const parts = process.env.PARTS ?? 'cli result api';
const tree = resolve(process.env.CHURN_TREE ?? join(fileURLToPath(import.meta.url), '..', '..'));
const file = join(process.env.BENCH_DIR ?? tmpdir(), `cv-churn-saas-${accounts}.ndjson`);

interface Figures {
  variant: string;
  code: number;
  cpuMs: number;
  wallMs: number;
  peakMb: number;
  items: number;
}

async function writeSample(): Promise<number> {
  const { generateSaasEvents } = await import('../src/sample/index');
  const { events } = generateSaasEvents({ customers: accounts, seed: 1 });
  const out = createWriteStream(file);
  for (let i = 0; i < events.length; i += 10_000) {
    const chunk = events.slice(i, i + 10_000).map((e) => JSON.stringify(e));
    if (!out.write(`${chunk.join('\n')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return events.length;
}

const quiet = { write: async (): Promise<void> => {} };

/** One variant, in this (child) process. */
async function child(variant: string): Promise<void> {
  const asOf = Date.parse(ASOF);
  let items = 0;
  let code = 0;
  let c0 = process.cpuUsage();
  let t0 = performance.now();
  if (variant === 'cli') {
    const { main } = await import(join(tree, 'src/cli/main.ts'));
    code = await main(
      ['churn', file, '--format', 'ndjson', '--out', '/dev/null', '--as-of', ASOF, '--quiet'],
      {
        stdout: quiet,
        stderr: { write: async (t: string) => void process.stderr.write(t) },
        stdin: undefined,
        env: {},
      },
    );
  } else if (variant === 'objects') {
    const { openInput } = await import('../src/cli/input');
    const { parseEventStream } = await import('../src/events/parseEventStream');
    const { writeResult } = await import('../src/cli/output');
    const { churnResult } = await import('../src/cli/commands/churn');
    const { groupByCustomer } = await import('../src/events/groupByCustomer');
    const io = { stdout: quiet, stderr: quiet, stdin: undefined, env: {} };
    const input = await openInput(file, io as never);
    const events = (await parseEventStream(input.chunks, { maxRejected: 0 })).events;
    const result = churnResult(groupByCustomer(events), [], asOf, 30);
    items = result.items.length;
    await writeResult(result as never, 'ndjson', quiet as never, io as never, {
      command: 'churn',
      top: undefined,
    });
  } else if (variant.startsWith('result-')) {
    // result-*: the CLI's churn result (training rows of 3 windows, labels, features, model,
    // predictions) from input built before (store as the CLI builds it, or event objects).
    const { openInput } = await import('../src/cli/input');
    const { parseEventStream } = await import('../src/events/parseEventStream');
    const { EventStoreBuilder, storeTimelines } = await import('../src/store/index');
    const { churnResult } = await import('../src/cli/commands/churn');
    const io = { stdout: quiet, stderr: quiet, stdin: undefined, env: {} };
    const input = await openInput(file, io as never);
    let source: Parameters<typeof churnResult>[0];
    if (variant === 'result-objects') {
      source = (await parseEventStream(input.chunks, { maxRejected: 0 })).events;
    } else {
      const b = new EventStoreBuilder();
      await parseEventStream(input.chunks, { maxRejected: 0, into: b });
      const store = b.finish();
      source = variant === 'result-store' ? store : storeTimelines(store);
    }
    (globalThis as { gc?: () => void }).gc?.();
    c0 = process.cpuUsage();
    t0 = performance.now();
    items = churnResult(source, [], asOf, 30).items.length;
  } else {
    // api-*: the input is built first; only the churnFeatures call is timed.
    const { readFileSync } = await import('node:fs');
    const { parseEvents } = await import('../src/events/parseEvents');
    const { churnFeatures } = await import('../src/churn/churnFeatures');
    const { toEventStore, storeTimelines } = await import('../src/store/index');
    const rows = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l));
    const events = parseEvents(rows).events;
    rows.length = 0;
    const { groupByCustomer } = await import('../src/events/groupByCustomer');
    const objects = variant === 'api-events' || variant === 'api-grouped';
    const store = objects ? undefined : toEventStore(events);
    const input =
      store === undefined
        ? variant === 'api-grouped'
          ? groupByCustomer(events)
          : events
        : variant === 'api-store'
          ? store
          : storeTimelines(store);
    if (store !== undefined) events.length = 0;
    (globalThis as { gc?: () => void }).gc?.();
    c0 = process.cpuUsage();
    t0 = performance.now();
    items = churnFeatures(input, { asOf }).customerIds.length;
  }
  const cpu = process.cpuUsage(c0);
  const f: Figures = {
    variant,
    code,
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs: performance.now() - t0,
    peakMb: process.resourceUsage().maxRSS / 1024,
    items,
  };
  console.log(`CHILD ${JSON.stringify(f)}`);
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] as number;
}

function runChild(variant: string): Figures {
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url)],
    { env: { ...process.env, CHURN_CHILD: variant }, encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  const line = r.stdout.split('\n').find((l) => l.startsWith('CHILD '));
  if (line === undefined) throw new Error(`child ${variant} failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(line.slice(6)) as Figures;
}

async function parent(): Promise<void> {
  if (!existsSync(file)) console.log(`wrote ${await writeSample()} events to ${file}`);
  console.log(`input ${file}; tree ${tree}; ${reps} fresh processes per variant (medians)`);
  const variants = [
    ...(parts.includes('cli') ? ['cli', 'objects'] : []),
    ...(parts.includes('result') ? ['result-objects', 'result-store', 'result-timelines'] : []),
    ...(parts.includes('api') ? ['api-events', 'api-grouped', 'api-store', 'api-timelines'] : []),
  ];
  const only = process.env.CHURN_VARIANTS?.split(/[ ,]+/);
  for (const v of variants) {
    if (only !== undefined && !only.includes(v)) continue;
    const load0 = loadavg()[0] as number;
    const runs: Figures[] = [];
    for (let k = 0; k < reps; k++) runs.push(runChild(v));
    const load1 = loadavg()[0] as number;
    console.log(
      `${v.padEnd(14)} cpu ${median(runs.map((r) => r.cpuMs))
        .toFixed(0)
        .padStart(6)} ms ` +
        `(runs ${runs.map((r) => r.cpuMs.toFixed(0)).join(', ')})  wall ${median(runs.map((r) => r.wallMs)).toFixed(0)} ms  ` +
        `peak RSS ${median(runs.map((r) => r.peakMb)).toFixed(0)} MB  exit ${runs.map((r) => r.code).join(',')}  ` +
        `items ${runs[0]?.items}  load ${load0.toFixed(1)} -> ${load1.toFixed(1)}`,
    );
  }
}

if (process.env.CHURN_CHILD !== undefined) await child(process.env.CHURN_CHILD);
else await parent();
