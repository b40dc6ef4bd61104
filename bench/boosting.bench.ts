/**
 * Boosted trees at scikit-learn's speed (#14): `trainChurnModel(train, { model: 'trees', trees: { trees: 100 } })`
 * with the default Platt calibration and with `calibration: 'none'`, on the side-by-side harness's table
 * (100,000 × 40 numeric features; the first 80,000 rows train, the last 20,000 test), read from
 * `$BOOST_DATA` or `${TMPDIR:-/tmp}/customer-vitals-peers/data/scale.csv` (written by
 * `bash ../shared/peers/sidebyside.sh`; a synthetic table of the same shape when it is absent).
 * Rows are built as the harness builds them (one `features` object per row, key by key).
 *
 * Prints min wall and min process CPU over `BOOST_REPS` (default 3) fits (and the first call's, which is
 * what the harness times for the Platt row), test AUC, and, when python3
 * with scikit-learn is installed, `HistGradientBoostingClassifier(max_iter=100, early_stopping=False)` on
 * the same rows single-threaded (as the harness runs it) and the ratio ours / peer (below 1 = faster).
 * Goal: ratio <= 1.0 on a quiet machine, test AUC within 0.003 of the peer's. The load average is
 * printed: on a shared machine wall times are noisy; CPU times less so.
 * Run: npm run bench -- boosting
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../src/_lib/random';
import { rocAuc } from '../src/churn/rocAuc';
import { trainChurnModel } from '../src/churn/trainChurnModel';

const REPS = Number(process.env.BOOST_REPS ?? 3);
const csv =
  process.env.BOOST_DATA ?? join(process.env.TMPDIR ?? tmpdir(), 'customer-vitals-peers/data/scale.csv');
const NTRAIN = 80_000;

interface Row {
  features: Record<string, number>;
  churned: boolean;
}

/** The harness's rows (same construction as sidebyside_scale.mjs), or a synthetic table of the same shape. */
function readRows(): { rows: Row[]; source: string } {
  if (existsSync(csv)) {
    const lines = readFileSync(csv, 'utf8')
      .replace(/\r/g, '')
      .split('\n')
      .filter((l) => l.length > 0);
    const header = (lines[0] as string).split(',');
    const iy = header.indexOf('y');
    const rows = lines.slice(1).map((line) => {
      const cells = line.split(',');
      const features: Record<string, number> = {};
      for (let j = 0; j < header.length; j++) if (j !== iy) features[header[j] as string] = Number(cells[j]);
      return { features, churned: cells[iy] === '1' };
    });
    return { rows, source: csv };
  }
  const rng = createRng('boosting-bench');
  const rows = Array.from({ length: 100_000 }, () => {
    const features: Record<string, number> = {};
    let s = -1;
    for (let j = 0; j < 40; j++) {
      const v = j >= 35 ? rng.int(j - 33) : rng.normal();
      features[`f${j}`] = v;
      if (j < 10) s += v * (j % 2 === 0 ? 0.4 : -0.3);
    }
    s += (features.f1 as number) * (features.f2 as number) * 0.5;
    return { features, churned: rng.next() < 1 / (1 + Math.exp(-s)) };
  });
  return { rows, source: 'synthetic 100,000 x 40 (no harness data; no peer run)' };
}

const { rows, source } = readRows();
const train = rows.slice(0, NTRAIN);
const test = rows.slice(NTRAIN);
const yTest = test.map((r) => r.churned);
console.log(`data: ${source}; train ${train.length}, test ${test.length}; reps ${REPS}`);

const cases = [
  { name: 'trees(100, Platt)', opts: { model: 'trees', trees: { trees: 100 } } },
  { name: 'trees(100, no calib.)', opts: { model: 'trees', calibration: 'none', trees: { trees: 100 } } },
] as const;
const ours = new Map<string, { wall: number; cpu: number; auc: number }>();
// The harness times one call per process, after a logistic fit: its trees(Platt) row is the first
// boosting call (JIT warm-up included). The first call here is reported apart ("first").
trainChurnModel(train, { model: 'logistic', l2: 10 });
for (const c of cases) {
  let wall = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  let auc = Number.NaN;
  let first = '';
  for (let r = 0; r < REPS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const model = trainChurnModel(train, c.opts);
    const w = (performance.now() - t0) / 1000;
    const u = process.cpuUsage(c0);
    if (r === 0)
      first = `(first call: wall ${w.toFixed(3)} s, cpu ${((u.user + u.system) / 1e6).toFixed(3)} s)`;
    wall = Math.min(wall, w);
    cpu = Math.min(cpu, (u.user + u.system) / 1e6);
    auc = rocAuc(model.predictProbabilities(test), yTest) ?? Number.NaN;
  }
  ours.set(c.name, { wall, cpu, auc });
  console.log(
    `${c.name.padEnd(24)} min wall ${wall.toFixed(3)} s  min cpu ${cpu.toFixed(3)} s  test AUC ${auc.toFixed(4)}  load ${loadavg()[0]?.toFixed(1)}  ${first}`,
  );
}

// The peer, single-threaded, on the same CSV (only with the harness's data and scikit-learn installed).
const PEER = `
import sys, time, os, numpy as np, pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
df = pd.read_csv(sys.argv[1]); y = df.pop('y').values; X = df.values; n = 80000
best_w, best_c = 1e9, 1e9
for _ in range(int(sys.argv[2])):
    m = HistGradientBoostingClassifier(max_iter=100, early_stopping=False, random_state=0)
    c0 = time.process_time(); t0 = time.perf_counter(); m.fit(X[:n], y[:n])
    best_w = min(best_w, time.perf_counter() - t0); best_c = min(best_c, time.process_time() - c0)
print(best_w, best_c, roc_auc_score(y[n:], m.predict_proba(X[n:])[:, 1]))
`;
if (existsSync(csv)) {
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  // As the harness: /usr/bin/python3 when it has scikit-learn (Debian's python3-sklearn), else python3.
  const py =
    process.env.PY ??
    (spawnSync('/usr/bin/python3', ['-c', 'import sklearn']).status === 0 ? '/usr/bin/python3' : 'python3');
  const r = spawnSync(py, ['-c', PEER, csv, String(REPS)], { env, encoding: 'utf8' });
  if (r.status === 0) {
    const [pw, pc, pauc] = r.stdout.trim().split(/\s+/).map(Number) as [number, number, number];
    console.log(
      `${'sklearn HGB(100)'.padEnd(24)} min wall ${pw.toFixed(3)} s  min cpu ${pc.toFixed(3)} s  test AUC ${pauc.toFixed(4)}`,
    );
    for (const [name, o] of ours)
      console.log(
        `  ratio ours/peer ${name}: wall ${(o.wall / pw).toFixed(2)}, cpu ${(o.cpu / pc).toFixed(2)}; AUC difference ${(o.auc - pauc).toFixed(4)}`,
      );
  } else console.log('peer not run (python3 with scikit-learn not available)');
}
