/**
 * Churn models on 100,000 customers × 40 features (36 numeric with 5% missing, 4 categorical).
 * Goals: logistic regression trains in < 2 s; the tree ensemble (100 trees) in < 30 s; prediction
 * >= 200k rows/s; the first (cold) logistic fit of a process within 2× the warm one. The ratios against
 * scikit-learn come from the side-by-side harness (../shared/peers, task scale). Run: npm run bench -- churn
 */
import { createRng } from '../src/_lib/random';
import type { ChurnFeatureTable } from '../src/churn/churnFeatures';
import { rocAuc } from '../src/churn/rocAuc';
import { trainChurnModel } from '../src/churn/trainChurnModel';
import type { ChurnRow } from '../src/churn/types';
import { lastCpuMs, measure } from './_util';

const N = Number(process.env.CHURN_BENCH_ROWS ?? 100_000);
const NUMERIC = 36;
const CATS = ['plan', 'region', 'industry', 'channel'];
const rng = createRng('churn-bench');
const beta = Array.from({ length: NUMERIC }, (_, j) => (j < 12 ? rng.normal() * 0.5 : 0));

function makeRows(n: number): ChurnRow[] {
  const rows: ChurnRow[] = [];
  for (let i = 0; i < n; i++) {
    const f: Record<string, number | string | null> = {};
    let logit = -1.5;
    for (let j = 0; j < NUMERIC; j++) {
      const v = j % 3 === 0 ? rng.poisson(3) : rng.normal();
      logit += (beta[j] as number) * (j % 3 === 0 ? (v - 3) / 1.7 : v);
      f[`f${j}`] = rng.next() < 0.05 ? null : v;
    }
    // A non-linear effect the trees can find: high risk when f1 and f2 are both high.
    if ((f.f1 as number) > 0.8 && (f.f2 as number) > 0.8) logit += 2;
    for (let c = 0; c < CATS.length; c++) {
      const k = rng.int(3 + c * 2);
      f[CATS[c] as string] = `v${k}`;
      if (c === 0) logit += k === 0 ? 0.7 : 0;
    }
    rows.push({ features: f, churned: rng.next() < 1 / (1 + Math.exp(-logit)) });
  }
  return rows;
}

/** The same rows as a columnar table (the shape `churnFeatures` returns). */
function toTable(rows: ChurnRow[]): ChurnFeatureTable {
  const n = rows.length;
  const t: ChurnFeatureTable = {
    asOf: 0,
    customerIds: rows.map((_, i) => `c${i}`),
    names: [],
    columns: Object.create(null),
    missing: Object.create(null),
    categorical: Object.create(null),
  };
  for (let j = 0; j < NUMERIC; j++) {
    const name = `f${j}`;
    const col = new Float64Array(n);
    const miss = new Uint8Array(n);
    rows.forEach((r, i) => {
      const v = r.features[name];
      if (typeof v === 'number') col[i] = v;
      else miss[i] = 1;
    });
    t.names.push(name);
    t.columns[name] = col;
    t.missing[name] = miss;
  }
  for (const c of CATS) t.categorical[c] = rows.map((r) => r.features[c] as string);
  return t;
}

const rows = measure(`generate ${N.toLocaleString('en')} rows × 40 features`, () => makeRows(N));
// The first fit of the process (cold: code not yet compiled, as in a CLI run), then the same fit warm.
const logistic = measure('train logistic (Newton, l2 = 10), first fit (cold)', () => trainChurnModel(rows), {
  count: N,
  unit: 'rows',
});
const coldCpu = lastCpuMs();
measure('train logistic (Newton, l2 = 10), warm', () => trainChurnModel(rows), { count: N, unit: 'rows' });
console.log(`  cold / warm CPU: ${(coldCpu / lastCpuMs()).toFixed(2)} (goal <= 2)`);
console.log(`  encoded columns: ${logistic.encoder.width}`);
const table = toTable(rows);
// Prediction figures are for warm code: score 2,000 rows once first (JIT), as a service would.
logistic.predictProbabilities(rows.slice(0, 2000));
logistic.predictProbabilities(toTable(rows.slice(0, 2000)));
measure('predictProbabilities, logistic (row objects)', () => logistic.predictProbabilities(rows), {
  count: N,
  unit: 'rows',
});
measure('predictProbabilities, logistic (columnar table)', () => logistic.predictProbabilities(table), {
  count: N,
  unit: 'rows',
});
measure('predict with reasons, logistic', () => logistic.predict(rows), { count: N, unit: 'rows' });
measure(
  'train trees (100 × 15 leaves, no calibration)',
  () => trainChurnModel(rows, { model: 'trees', calibration: 'none' }),
  {
    count: N,
    unit: 'rows',
  },
);
const trees = measure(
  'train trees (100 × 15 leaves on 80%, Platt on 20%)',
  () => trainChurnModel(rows, { model: 'trees' }),
  {
    count: N,
    unit: 'rows',
  },
);
trees.predictProbabilities(rows.slice(0, 2000));
trees.predictProbabilities(toTable(rows.slice(0, 2000)));
measure('predictProbabilities, trees (row objects)', () => trees.predictProbabilities(rows), {
  count: N,
  unit: 'rows',
});
measure('predictProbabilities, trees (columnar table)', () => trees.predictProbabilities(table), {
  count: N,
  unit: 'rows',
});
measure('predict with reasons, trees', () => trees.predict(rows), { count: N, unit: 'rows' });

// Sanity check that speed did not come from a broken model: AUC on fresh rows.
const fresh = makeRows(20_000);
// ... and that the binned fast path scores exactly like the raw-value path (`predict` uses it).
const fast = trees.predictProbabilities(fresh);
const reference = trees.probabilitiesOfEncoded(trees.encoder.encode(fresh.map((r) => r.features)));
console.log(`  trees fast path identical to the raw-value path: ${fast.every((p, i) => p === reference[i])}`);
const y = fresh.map((r) => r.churned);
console.log(
  `  held-out AUC (20,000 fresh rows): logistic ${rocAuc(logistic.predictProbabilities(fresh), y)?.toFixed(4)}, ` +
    `trees ${rocAuc(trees.predictProbabilities(fresh), y)?.toFixed(4)}`,
);
