/**
 * Training from columns (#14): the side-by-side harness's scale task (100,000 × 40, scale.csv, first
 * 80,000 rows train) timed three ways, each the first fit of a fresh process (median of
 * CHURN_TABLE_PROCESSES, default 5):
 *   (a) trainChurnModel on row objects built as the harness builds them (sidebyside_scale.mjs:
 *       `features[header[j]] = Number(cells[j])`, so each row is a dictionary-mode object);
 *   (b) trainChurnModel on the same data as a table of Float64Array columns;
 *   (d) no library: the least any reader of those rows must do to honour trainChurnModel's contract
 *       (the features are the union of every row's keys, so each row's keys are listed) — per row
 *       `Object.keys` and the 40 reads into a Float64Array — the floor under (a), whatever the fit;
 *   (c) scikit-learn's StandardScaler + LogisticRegression(C=0.1, newton-cholesky, tol 1e-8), timed
 *       as sidebyside_scale.py times it (bench/_scaleLogistic.py; one BLAS/OpenMP thread).
 * Data preparation (CSV reading, building the rows or columns) is outside the timing, as in the
 * harness. Prints wall and CPU (process CPU, all threads) of each, the ratios (b)/peer and (a)/peer,
 * and checks the models: (a) and (b) bit-identical (toJSON), and the coefficients within 1e-6 of
 * scikit-learn's. Then the tree model (100 trees, Platt) from rows and from the table (median of 3
 * processes; same check; CHURN_TABLE_TREES=0 skips them). The library is loaded from src (tsx), as the other benches do.
 *
 * Needs /tmp/customer-vitals-peers/data/scale.csv (CHURN_TABLE_CSV to change), written by the
 * harness (`python3 ../shared/peers/sidebyside_gen.py DIR`), and python3 with scikit-learn for (c);
 * it says so and skips what it cannot run. Run: npm run bench -- churnTable
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trainChurnModel } from '../src/churn/trainChurnModel';
import type { ChurnRow, ChurnTrainingTable } from '../src/churn/types';

const CSV = process.env.CHURN_TABLE_CSV ?? '/tmp/customer-vitals-peers/data/scale.csv';
const NTR = 80_000;
const PROCESSES = Number(process.env.CHURN_TABLE_PROCESSES ?? 5);
const here = dirname(fileURLToPath(import.meta.url));

interface ChildResult {
  wall: number;
  cpu: number;
  sha1: string;
  coef: number[];
  intercept: number;
  /** The coefficients' column names (ours: the encoder's; the peer: the CSV's). */
  names: string[];
}

/** The CSV as the harness reads it (sidebyside_common.mjs readCsv). */
function readCsv(path: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(path, 'utf8')
    .replace(/\r/g, '')
    .split('\n')
    .filter((l) => l.length > 0);
  const header = (lines[0] as string).split(',');
  const rows = new Array<string[]>(lines.length - 1);
  for (let i = 1; i < lines.length; i++) rows[i - 1] = (lines[i] as string).split(',');
  return { header, rows };
}

/** Child: builds its input (untimed), times this process's first trainChurnModel call, prints JSON. */
function child(form: string): void {
  const { header, rows: raw } = readCsv(CSV);
  const iy = header.indexOf('y');
  const train = raw.slice(0, NTR);
  let input: readonly ChurnRow[] | ChurnTrainingTable;
  if (form.endsWith('rows') || form === 'floor') {
    // Exactly sidebyside_scale.mjs's rows.
    input = train.map((cells) => {
      const features: Record<string, number> = {};
      for (let j = 0; j < header.length; j++) if (j !== iy) features[header[j] as string] = Number(cells[j]);
      return { features, churned: cells[iy] === '1' };
    });
  } else {
    const columns: Record<string, Float64Array> = {};
    header.forEach((h, j) => {
      if (j !== iy) columns[h] = Float64Array.from(train, (cells) => Number(cells[j]));
    });
    input = { columns, churned: Uint8Array.from(train, (cells) => (cells[iy] === '1' ? 1 : 0)) };
  }
  if (form === 'floor') {
    floor(input as readonly ChurnRow[]);
    return;
  }
  const options = form.startsWith('trees') ? { model: 'trees' as const, trees: { trees: 100 } } : { l2: 10 };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const model = trainChurnModel(input, options);
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const json = model.toJSON();
  const out: ChildResult = {
    wall,
    cpu: (c.user + c.system) / 1000,
    sha1: createHash('sha1').update(JSON.stringify(json)).digest('hex'),
    coef: json.logistic?.coefficients ?? [],
    intercept: json.logistic?.intercept ?? 0,
    names: model.encoder.columnNames(),
  };
  console.log(JSON.stringify(out));
}

/** Form (d): lists each row's keys and reads its values into a row-major matrix, timed; prints JSON. */
function floor(rows: readonly ChurnRow[]): void {
  const names = Object.keys((rows[0] as ChurnRow).features).sort();
  const d = names.length;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const x = new Float64Array(rows.length * d);
  let keys = 0;
  for (let i = 0; i < rows.length; i++) {
    const f = (rows[i] as ChurnRow).features as Record<string, number>;
    keys += Object.keys(f).length;
    for (let j = 0; j < d; j++) x[i * d + j] = f[names[j] as string] as number;
  }
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const out: ChildResult = {
    wall,
    cpu: (c.user + c.system) / 1000,
    sha1: String(keys + (x[x.length - 1] as number)),
    coef: [],
    intercept: 0,
    names,
  };
  console.log(JSON.stringify(out));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
const load = () => loadavg()[0]?.toFixed(1);

/** `processes` fresh child processes of one form; their results. */
function runForm(form: string, processes: number): ChildResult[] {
  const out: ChildResult[] = [];
  for (let k = 0; k < processes; k++) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      env: { ...process.env, CHURN_TABLE_CHILD: form },
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    if (r.status !== 0 || !line.startsWith('{')) throw new Error(`child ${form} failed: ${r.stderr}`);
    out.push(JSON.parse(line));
  }
  return out;
}

/** scikit-learn's fit in `processes` fresh processes (null when python3 with scikit-learn is absent). */
function runPeer(processes: number): ChildResult[] | null {
  const py =
    process.env.PY ??
    (spawnSync('/usr/bin/python3', ['-c', 'import sklearn']).status === 0 ? '/usr/bin/python3' : 'python3');
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const out: ChildResult[] = [];
  for (let k = 0; k < processes; k++) {
    const r = spawnSync(py, [join(here, '_scaleLogistic.py'), CSV], { env, encoding: 'utf8' });
    if (r.status !== 0) return null;
    const p = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
    out.push({
      wall: p.wall_s * 1000,
      cpu: p.cpu_s * 1000,
      sha1: '',
      coef: p.coef,
      intercept: p.intercept,
      names: p.names,
    });
  }
  return out;
}

function summary(label: string, runs: ChildResult[]): { wall: number; cpu: number } {
  const wall = median(runs.map((r) => r.wall));
  const cpu = median(runs.map((r) => r.cpu));
  console.log(
    `${label.padEnd(44)} wall ${wall.toFixed(1).padStart(7)} ms  cpu ${cpu.toFixed(1).padStart(7)} ms  ` +
      `(walls ${runs.map((r) => r.wall.toFixed(0)).join(' ')})  load ${load()}`,
  );
  return { wall, cpu };
}

function sameModel(a: ChildResult[], b: ChildResult[]): boolean {
  return [...a, ...b].every((r) => r.sha1 === (a[0] as ChildResult).sha1);
}

function main(): void {
  if (!existsSync(CSV)) {
    console.log(
      `SKIPPED: ${CSV} not found (run the harness once, or python3 ../shared/peers/sidebyside_gen.py DIR)`,
    );
    return;
  }
  console.log(`logistic 80,000 x 40 (scale.csv), first fit of a fresh process, median of ${PROCESSES}`);
  const rows = runForm('rows', PROCESSES);
  const table = runForm('table', PROCESSES);
  const a = summary('(a) trainChurnModel(rows as the harness)', rows);
  const b = summary('(b) trainChurnModel(table of Float64Array)', table);
  const d = summary('(d) no library: keys + values of the rows', runForm('floor', PROCESSES));
  console.log(`    (a) and (b) bit-identical (sha1 of toJSON): ${sameModel(rows, table)} (${rows[0]?.sha1})`);
  const peer = runPeer(PROCESSES);
  if (peer === null) console.log('(c) SKIPPED: python3 with scikit-learn not available');
  else {
    const c = summary('(c) scikit-learn newton-cholesky', peer);
    console.log(
      `    ratio (b)/peer: wall ${(b.wall / c.wall).toFixed(2)}, cpu ${(b.cpu / c.cpu).toFixed(2)}; ` +
        `(a)/peer: wall ${(a.wall / c.wall).toFixed(2)}, cpu ${(a.cpu / c.cpu).toFixed(2)}`,
    );
    console.log(
      `    floor (d)/peer: wall ${(d.wall / c.wall).toFixed(2)}, cpu ${(d.cpu / c.cpu).toFixed(2)}; ` +
        `(d)+(b), reading the rows then fitting at the table's speed, /peer: wall ${((d.wall + b.wall) / c.wall).toFixed(2)}`,
    );
    const ours = table[0] as ChildResult;
    const theirs = peer[0] as ChildResult;
    let diff = Math.abs(ours.intercept - theirs.intercept);
    // Our columns are sorted by name (f0, f1, f10, ...); the peer's are in the CSV's order.
    ours.coef.forEach((v, j) => {
      const k = theirs.names.indexOf(ours.names[j] as string);
      diff = Math.max(diff, k < 0 ? Number.POSITIVE_INFINITY : Math.abs(v - (theirs.coef[k] as number)));
    });
    console.log(
      `    coefficients vs scikit-learn: max |difference| ${diff.toExponential(2)} (${diff <= 1e-6 ? 'within' : 'NOT within'} 1e-6)`,
    );
  }
  if (process.env.CHURN_TABLE_TREES === '0') return;
  const treeProcesses = Math.min(PROCESSES, 3);
  console.log(`trees (100, Platt) 80,000 x 40, first fit of a fresh process, median of ${treeProcesses}`);
  const tr = runForm('trees-rows', treeProcesses);
  const tt = runForm('trees-table', treeProcesses);
  const ta = summary('trees from rows', tr);
  const tb = summary('trees from the table', tt);
  console.log(
    `    table/rows: wall ${(tb.wall / ta.wall).toFixed(2)}, cpu ${(tb.cpu / ta.cpu).toFixed(2)}; bit-identical: ${sameModel(tr, tt)}`,
  );
}

const form = process.env.CHURN_TABLE_CHILD;
if (form !== undefined) child(form);
else main();
