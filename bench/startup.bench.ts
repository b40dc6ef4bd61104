/**
 * Start-up cost (#14, cold start): what a fresh process pays before and around its work. Each case runs
 * in fresh processes (STARTUP_RUNS, default 11; the cases take turns, so a change of the machine's
 * load hits all of them alike) and prints the median and the minimum of wall time (spawn to exit,
 * measured by this process) and process CPU time (user + system, all threads, reported by the child
 * at exit through a one-line preload). Cases:
 * - `node -e 0`: the floor, node itself;
 * - `customer-vitals --version`, `--help`: the CLI's own start;
 * - `health`, `churn`, `segment` on the online-retail sample of ../shared with
 *   examples/data/online-retail.mapping.json, `--out /dev/null` (skipped visibly when absent);
 * - the package root imported as ESM (`import()` of dist/index.js) and required as CJS (dist/index.cjs).
 *
 * It measures the BUILT package: run `npm run build` first (it warns when a file in src/ is newer
 * than the build). STARTUP_DIST=/path/to/dist measures another build (e.g. an older version's, for
 * a before/after). Run: npm run bench -- startup
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = process.env.STARTUP_DIST ?? join(root, 'dist');
const RUNS = Number(process.env.STARTUP_RUNS ?? 11);
const data = join(root, '../shared/datasets/online-retail/online_retail_sample_20k.csv');
const mapping = join(root, 'examples/data/online-retail.mapping.json');

/** The child writes its own CPU time (process.cpuUsage at exit, microseconds) to fd 3. */
const PRELOAD = `process.on('exit', () => {
  const c = process.cpuUsage();
  require('node:fs').writeSync(3, String(c.user + c.system));
});\n`;

interface Case {
  label: string;
  args: string[];
}

function cases(): Case[] {
  const cli = join(dist, 'cli/index.js');
  const list: Case[] = [
    { label: 'node -e 0 (floor)', args: ['-e', '0'] },
    { label: 'customer-vitals --version', args: [cli, '--version'] },
    { label: 'customer-vitals --help', args: [cli, '--help'] },
    {
      label: 'import() of the package root (ESM)',
      args: ['-e', `import(${JSON.stringify(join(dist, 'index.js'))})`],
    },
    {
      label: 'require() of the package root (CJS)',
      args: ['-e', `require(${JSON.stringify(join(dist, 'index.cjs'))})`],
    },
  ];
  if (!existsSync(data)) {
    console.log(`health / churn / segment: SKIPPED (${data} not found)`);
    return list;
  }
  for (const command of ['health', 'churn', 'segment']) {
    list.push({
      label: `customer-vitals ${command} (online-retail 20k rows)`,
      args: [cli, command, data, '--mapping', mapping, '--out', '/dev/null', '-q'],
    });
  }
  return list;
}

/** Warns when the build is older than a source file (the figures would be those of an old build). */
function staleness(): string {
  const built = statSync(join(dist, 'cli/index.js')).mtimeMs;
  const newer: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (statSync(p).mtimeMs > built) newer.push(p.slice(root.length));
    }
  };
  walk(join(root, 'src'));
  return newer.length === 0
    ? 'build is newer than every file in src/'
    : `WARNING: ${newer.length} file(s) in src/ are newer than the build (e.g. ${newer[0]}): run npm run build`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function main(): void {
  if (!existsSync(join(dist, 'cli/index.js'))) {
    console.log(`startup: SKIPPED (${dist}/cli/index.js not found: run npm run build)`);
    return;
  }
  if (dist === join(root, 'dist')) console.log(staleness());
  const dir = mkdtempSync(join(tmpdir(), 'cv-startup-'));
  const preload = join(dir, 'cpu.cjs');
  writeFileSync(preload, PRELOAD);
  const list = cases();
  const wall = list.map((): number[] => []);
  const cpu = list.map((): number[] => []);
  const load0 = loadavg()[0] ?? 0;
  try {
    for (let k = 0; k < RUNS; k++) {
      list.forEach((c, i) => {
        const t0 = performance.now();
        const r = spawnSync(process.execPath, ['-r', preload, ...c.args], {
          cwd: root,
          stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
          encoding: 'utf8',
        });
        const ms = performance.now() - t0;
        const us = Number(r.output[3]);
        if (r.status !== 0 || !Number.isFinite(us)) {
          throw new Error(`${c.label} failed (exit ${r.status}): ${String(r.stderr).slice(0, 500)}`);
        }
        wall[i]?.push(ms);
        cpu[i]?.push(us / 1000);
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `${dist}, ${RUNS} fresh processes per case, median (min); load ${load0.toFixed(1)} at the start`,
  );
  list.forEach((c, i) => {
    const w = wall[i] as number[];
    const u = cpu[i] as number[];
    console.log(
      `${c.label.padEnd(48)} wall ${median(w).toFixed(0).padStart(5)} ms (${Math.min(...w).toFixed(0)})` +
        `  cpu ${median(u).toFixed(0).padStart(5)} ms (${Math.min(...u).toFixed(0)})`,
    );
  });
  console.log(`load ${loadavg()[0]?.toFixed(1)} at the end`);
}

main();
