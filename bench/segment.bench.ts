/**
 * Segment benchmarks. Goals: RFM for 1M customers < 1 s; clustering 100,000 customers × 10 features
 * with automatic k in 2..8 < 10 s. The RFM input's ids ("c0", "c1", ...) are not in code-unit order,
 * so the run includes sorting 1M ids (results are ordered by id whatever the input order); the
 * second RFM line feeds ids already in order, which skips the sort.
 */
import { createRng } from '../src/_lib/random';
import { MS_PER_DAY } from '../src/_lib/time';
import type { CustomerEvent } from '../src/events/types';
import { kmeansHamerly, kmeansPlusPlus, lloyd } from '../src/segment/_kmeans';
import { adjustedRandIndex, clusterCustomers, rfmScores, rfmSegments } from '../src/segment/index';
import { measure } from './_util';

const asOf = Date.UTC(2025, 0, 1);

// --- RFM: 1M customers, 1-5 purchases each over two years (~3M events). ---
{
  const rng = createRng('bench-rfm');
  const customers = 1_000_000;
  const events: CustomerEvent[] = [];
  for (let c = 0; c < customers; c++) {
    const id = `c${c}`;
    const k = 1 + Math.floor(rng.next() * rng.next() * 5);
    for (let j = 0; j < k; j++) {
      events.push({
        customerId: id,
        type: 'purchase',
        timestamp: asOf - Math.floor(rng.next() * 730) * MS_PER_DAY,
        value: Math.round(rng.exponential(1 / 60) * 100) / 100,
      });
    }
  }
  console.log(
    `RFM input: ${customers.toLocaleString('en')} customers, ${events.length.toLocaleString('en')} events`,
  );
  measure('rfmScores (1M customers), first run (cold JIT)', () => rfmScores(events, { asOf }), {
    count: customers,
    unit: 'customers',
  });
  const rfm = measure('rfmScores (1M customers), second run', () => rfmScores(events, { asOf }), {
    count: customers,
    unit: 'customers',
  });
  const ordered = events.map((e) => ({ ...e, customerId: `c${e.customerId.slice(1).padStart(7, '0')}` }));
  measure('rfmScores (1M customers, ids already in order)', () => rfmScores(ordered, { asOf }), {
    count: customers,
    unit: 'customers',
  });
  const seg = measure('rfmSegments on the scores (1M customers, with reasons)', () => rfmSegments(rfm), {
    count: customers,
    unit: 'customers',
  });
  console.log(
    `  segments: ${seg.segments.map((s) => `${s.name} ${(s.share * 100).toFixed(1)}%`).join(', ')}`,
  );
}

// --- Clustering: 100k × 10, five behavioural groups, some skewed (lognormal) features. ---
{
  const rng = createRng('bench-cluster');
  const n = 100_000;
  const d = 10;
  const K = 5;
  const centres = Array.from({ length: K }, () => Array.from({ length: d }, () => rng.normal() * 2.5));
  const values = new Float64Array(n * d);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(K);
    truth[i] = c;
    for (let t = 0; t < d; t++) {
      const x = ((centres[c] as number[])[t] as number) + rng.normal() * 0.6;
      // features 0-3 are counts/amounts: exp of a normal, strongly right-skewed
      values[i * d + t] = t < 4 ? Math.exp(x) : x;
    }
  }
  const customerIds = Array.from({ length: n }, (_, i) => `c${i}`);
  const columns = Array.from({ length: d }, (_, t) => `f${t}`);
  const res = measure('clusterCustomers 100k × 10, auto k in 2..8', () =>
    clusterCustomers({ customerIds, columns, values }, { kRange: [2, 8], seed: 1 }),
  );
  const ari = adjustedRandIndex(
    truth,
    res.customers.map((c) => c.cluster),
  );
  console.log(
    `  chosen k = ${res.k} (true 5), ARI ${ari.toFixed(4)}, log-transformed: ${res.features
      .filter((f) => f.logTransformed)
      .map((f) => f.name)
      .join(', ')}`,
  );
  console.log(
    `  silhouette by k: ${res.kSelection.map((s) => `${s.k}:${s.silhouette?.toFixed(3)}`).join(' ')}`,
  );
  // Until no customer changes cluster (tolerance 0), as before scikit-learn's stopping rule became the default.
  measure('clusterCustomers 100k × 10, auto k, tolerance 0 (exact Lloyd)', () =>
    clusterCustomers({ customerIds, columns, values }, { kRange: [2, 8], seed: 1, tolerance: 0 }),
  );
  // Hamerly bounds against plain Lloyd on the standardised matrix (same partition by construction).
  const X = new Float64Array(n * d);
  for (let t = 0; t < d; t++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += values[i * d + t] as number;
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += ((values[i * d + t] as number) - m) ** 2;
    const sd = Math.sqrt(v / n);
    for (let i = 0; i < n; i++) X[i * d + t] = ((values[i * d + t] as number) - m) / sd;
  }
  const seeds = kmeansPlusPlus(X, n, d, 8, createRng('k8'));
  const hamerly = measure('k-means k = 8, Hamerly bounds (tolerance 0)', () => kmeansHamerly(X, n, d, seeds));
  const plain = measure('k-means k = 8, plain Lloyd (tolerance 0)', () => lloyd(X, n, d, seeds));
  console.log(
    `  same partition: ${hamerly.labels.every((v, i) => v === plain.labels[i])}, iterations ${hamerly.iterations} / ${plain.iterations}`,
  );
}
