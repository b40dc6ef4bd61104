import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * The fuzzing suite (#18): every public function gets seeded, generated hostile input (wrong types,
 * null/undefined, huge/tiny numbers, NaN/±Infinity/-0, BigInt, impossible and extreme dates, deep and
 * circular objects, prototype keys, control and bidi characters, very long strings, empty and one-row
 * data, ties) and must: return a result without NaN/Infinity, or throw a VitalsError whose message
 * names the function; and finish within 2 s a call. The calls run in a worker thread so that a hang
 * is stopped by a watchdog and reported with the input that caused it.
 *
 * FUZZ_CASES (default 20 per function) and FUZZ_SEED (default 20261130) tune a run; `npm run fuzz`
 * runs 500 per function.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const CASES = Number(process.env.FUZZ_CASES ?? 20);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const HANG_MS = 10_000;

interface Failure {
  name: string;
  desc: string;
  problem: string;
}

async function bundle(): Promise<string> {
  const dir = join(ROOT, '.tmp', 'fuzz');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `lib-${process.pid}.mjs`);
  await build({
    entryPoints: [join(ROOT, 'src', 'index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    outfile: out,
    logLevel: 'silent',
  });
  return out;
}

function runWorker(
  bundlePath: string,
  only: string[] | undefined,
): Promise<{ targets: string[]; counts: Map<string, number>; failures: Failure[]; hung?: Failure }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./_fuzzWorker.mjs', import.meta.url), {
      workerData: { bundlePath, seed: SEED, casesPerFunction: CASES, only },
      resourceLimits: { maxOldGenerationSizeMb: 2048 },
    });
    const counts = new Map<string, number>();
    const failures: Failure[] = [];
    let targets: string[] = [];
    let current: { name: string; desc: string } | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const hung = current && { ...current, problem: `did not finish within ${HANG_MS} ms (stopped)` };
        void worker.terminate().then(() => resolve({ targets, counts, failures, hung }));
      }, HANG_MS);
    };
    worker.on('message', (m) => {
      if (m.type === 'targets') targets = m.names;
      else if (m.type === 'case') current = { name: m.name, desc: m.desc };
      else if (m.type === 'failure') failures.push({ name: m.name, desc: m.desc, problem: m.problem });
      else if (m.type === 'done') counts.set(m.name, m.cases);
      else if (m.type === 'finished') {
        clearTimeout(timer);
        void worker.terminate().then(() => resolve({ targets, counts, failures }));
        return;
      }
      arm();
    });
    worker.on('error', (e) => {
      clearTimeout(timer);
      const crash = current && { ...current, problem: `crashed the worker: ${String(e).slice(0, 300)}` };
      if (crash) resolve({ targets, counts, failures, hung: crash });
      else reject(e);
    });
    arm();
  });
}

describe('fuzzing every public function with hostile input', () => {
  it('returns finite results or throws VitalsErrors, and never hangs', async () => {
    const path = await bundle();
    const counts = new Map<string, number>();
    const failures: Failure[] = [];
    let only: string[] | undefined;
    for (let round = 0; round < 50; round++) {
      const r = await runWorker(path, only);
      for (const [k, v] of r.counts) counts.set(k, v);
      failures.push(...r.failures);
      if (!r.hung) break;
      failures.push(r.hung);
      counts.set(r.hung.name, counts.get(r.hung.name) ?? 0);
      only = r.targets.filter((t) => !counts.has(t));
      if (only.length === 0) break;
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    console.log(
      `fuzz: ${total} cases over ${counts.size} functions (${CASES} per function, seed ${SEED}):\n` +
        [...counts].map(([k, v]) => `  ${k}: ${v}`).join('\n'),
    );
    const byFn = new Map<string, Failure>();
    for (const f of failures)
      if (!byFn.has(`${f.name}|${f.problem.slice(0, 40)}`))
        byFn.set(`${f.name}|${f.problem.slice(0, 40)}`, f);
    const report = [...byFn.values()].map((f) => `${f.name}: ${f.problem}\n    input: ${f.desc}`);
    if (report.length > 0) console.log(`fuzz failures (${report.length}):\n${report.join('\n')}`);
    expect(counts.size).toBeGreaterThan(50);
    expect(report).toEqual([]);
  }, 600_000);
});
