/**
 * clusterCustomers' choice of clusters: seeded k-means++ restarts (on a sample above 20,000 rows),
 * Hamerly k-means, and k chosen by the mean silhouette on a seeded sample.
 * @module
 */

import { InsufficientDataError } from '../_lib/errors';
import { createRng } from '../_lib/random';
import {
  type KmeansRun,
  KmeansScratch,
  kmeansHamerly,
  kmeansPlusPlus,
  sampleDistances,
  silhouette,
} from './_kmeans';
import type { ClusterCustomersOptions, KSelection } from './clusterCustomers';

const FN = 'clusterCustomers';

/** k-means for the fixed `k`, or for every k in `kRange` with the best mean silhouette on a seeded sample. */
export function selectClusters(
  X: Float64Array,
  n: number,
  d: number,
  options: ClusterCustomersOptions,
): { chosen: KmeansRun; chosenSil: number | null; kSelection: KSelection[] } {
  const seed = options.seed ?? 1;
  const fitK = kmeansFitter(X, n, d, options);
  const sil = silhouetteScorer(X, n, d, options.silhouetteSample ?? 2000, seed);

  let chosen: KmeansRun;
  let chosenSil: number | null = null;
  const kSelection: KSelection[] = [];
  if (options.k !== undefined) {
    chosen = fitK(options.k);
    if (chosen.k < options.k) {
      throw new InsufficientDataError(FN, `k = ${options.k} needs at least ${options.k} distinct customers`, {
        available: chosen.k,
        required: options.k,
      });
    }
    chosenSil = chosen.k > 1 ? sil(chosen) : null;
    kSelection.push({ k: chosen.k, silhouette: chosenSil, inertia: chosen.inertia });
  } else {
    const [lo, hi] = options.kRange ?? [2, 8];
    let best: KmeansRun | null = null;
    for (let k = lo; k <= Math.min(hi, n); k++) {
      const run = fitK(k);
      if (run.k < k) {
        kSelection.push({ k, silhouette: null, inertia: null });
        continue;
      }
      const s = sil(run);
      kSelection.push({ k, silhouette: s, inertia: run.inertia });
      if (best === null || s > (chosenSil as number) + 1e-12) {
        best = run;
        chosenSil = s;
      }
    }
    if (best === null) {
      // Fewer than two distinct rows (or n < lo): one cluster.
      best = fitK(1);
      chosenSil = null;
    }
    chosen = best;
  }
  return { chosen, chosenSil, kSelection };
}

/**
 * k-means for one k: the best of the restarts' k-means++ starts (nested sequences drawn once for the
 * largest k), refined on every row when the restarts ran on a sample.
 */
function kmeansFitter(
  X: Float64Array,
  n: number,
  d: number,
  options: ClusterCustomersOptions,
): (k: number) => KmeansRun {
  const seed = options.seed ?? 1;
  const maxIterations = options.maxIterations ?? 300;
  const tolerance = options.tolerance ?? 1e-4;
  const restarts = options.restarts ?? 3;
  const kMax = Math.max(1, options.k ?? Math.min((options.kRange ?? [2, 8])[1], n));
  // Above 4 × INIT_SAMPLE rows the restarts run on a seeded sample of INIT_SAMPLE rows, and only the
  // best start (by the sample's inertia) is refined on every row: it starts next to a local optimum,
  // so the full data set takes a few passes instead of tens.
  const onSample = n > 4 * INIT_SAMPLE;
  const init = onSample ? gatherRows(X, d, seededSample(n, INIT_SAMPLE, `${String(seed)}:init`)) : X;
  const nInit = onSample ? INIT_SAMPLE : n;
  // k-means++ seeds are nested (the first k of a sequence seed k), so each restart draws one sequence
  // for the largest k and every k starts from its prefix: a fixed k reproduces the auto run.
  const sequences: Float64Array[] = [];
  for (let r = 0; r < restarts; r++)
    sequences.push(kmeansPlusPlus(init, nInit, d, kMax, createRng(`${String(seed)}:kmeans++:${r}`)));
  const scratch = new KmeansScratch();
  // The previous full-data run: its labels, mapped to the nearest new centre, start the next run's
  // first pass (speed only; the result does not depend on it).
  let previous: KmeansRun | null = null;
  const fitK = (k: number): KmeansRun => {
    let best: KmeansRun | null = null;
    for (const seq of sequences) {
      const seeds = seq.subarray(0, Math.min(k * d, seq.length));
      const run = kmeansHamerly(init, nInit, d, seeds, maxIterations, tolerance, scratch);
      if (best === null || run.k > best.k || (run.k === best.k && run.inertia < best.inertia)) best = run;
    }
    const start = best as KmeansRun;
    if (!onSample) return start;
    // The sample may hold fewer distinct rows than k while the full data has enough: seed on all rows.
    const seeds =
      start.k < k
        ? kmeansPlusPlus(X, n, d, k, createRng(`${String(seed)}:kmeans++:all:${k}`))
        : start.centroids;
    const guess =
      previous === null ? null : { labels: previous.labels, map: nearestCentres(previous, seeds, d) };
    const run = kmeansHamerly(X, n, d, seeds, maxIterations, tolerance, scratch, guess);
    previous = run;
    return run;
  };
  return fitK;
}

/** Mean silhouette of a run on a seeded sample of rows (its distance matrix computed once, on first use). */
function silhouetteScorer(
  X: Float64Array,
  n: number,
  d: number,
  sampleSize: number,
  seed: number | string,
): (run: KmeansRun) => number {
  // Silhouette sample (seeded partial Fisher–Yates) and its distance matrix, shared by every k.
  const sample = seededSample(n, Math.max(2, sampleSize), `${String(seed)}:silhouette`);
  let dists: Float64Array | null = null;
  const sil = (run: KmeansRun): number => {
    if (dists === null) dists = sampleDistances(X, d, sample);
    return silhouette(dists, sample, run.labels, run.k);
  };
  return sil;
}

/** For each centre of `run`, the index of the nearest of `centres` (k' × d). */
function nearestCentres(run: KmeansRun, centres: Float64Array, d: number): Int32Array {
  const k = centres.length / d;
  const map = new Int32Array(run.k);
  for (let a = 0; a < run.k; a++) {
    let best = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = (run.centroids[a * d + t] as number) - (centres[c * d + t] as number);
        s += diff * diff;
      }
      if (s < best) {
        best = s;
        map[a] = c;
      }
    }
  }
  return map;
}

/** Rows of the k-means starts above 4 × this many customers (see `restarts`). */
const INIT_SAMPLE = 5000;

/** A seeded sample of min(n, m) row indices, ascending (partial Fisher–Yates). */
function seededSample(n: number, m: number, stream: string): Int32Array {
  const rng = createRng(stream);
  const size = Math.min(n, m);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  if (size < n) {
    for (let i = 0; i < size; i++) {
      const j = i + rng.int(n - i);
      const tmp = perm[i] as number;
      perm[i] = perm[j] as number;
      perm[j] = tmp;
    }
  }
  return perm.slice(0, size).sort();
}

/** The rows `idx` of the row-major `X` (d columns), as a new row-major matrix. */
function gatherRows(X: Float64Array, d: number, idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length * d);
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r] as number;
    out.set(X.subarray(i * d, i * d + d), r * d);
  }
  return out;
}
