import { checkOptions, InsufficientDataError, optionError, ValidationError } from '../_lib/errors';
import { createRng } from '../_lib/random';
import { nullProtoObject, ownGet } from '../_lib/safe';
import { type FeatureTable, toMatrix } from './_featureTable';
import {
  type KmeansRun,
  KmeansScratch,
  kmeansHamerly,
  kmeansPlusPlus,
  sampleDistances,
  silhouette,
} from './_kmeans';
import { medianInPlace } from './_util';
import {
  type ClusterAssignment,
  type ClusterFeatureInfo,
  CustomerClusterModel,
} from './CustomerClusterModel';

/** Options of {@link clusterCustomers}. */
export interface ClusterCustomersOptions {
  /** Fixed number of clusters. When set, `kRange` is ignored. */
  k?: number;
  /** Range of k tried when `k` is not set; the k with the best silhouette wins. @default [2, 8] */
  kRange?: readonly [number, number];
  /** Seed for k-means++ and the silhouette sample. @default 1 */
  seed?: number | string;
  /** Features to use. @default every numeric field found */
  features?: readonly string[];
  /**
   * Which features get `log1p`: `'auto'` (non-negative features with sample skewness > 1), `'none'`,
   * or an explicit list. @default 'auto'
   */
  logTransform?: 'auto' | 'none' | readonly string[];
  /** Human labels for cluster names, e.g. `{ sessions: 'usage', tickets: 'support load' }`. @default {} */
  labels?: Readonly<Record<string, string>>;
  /**
   * k-means++ starts per k; the lowest inertia is kept. Above 20,000 customers the starts run on a
   * seeded sample of 5,000 and the best one is refined on every customer. @default 3
   */
  restarts?: number;
  /** Rows sampled (seeded) to compute the silhouette. @default 2000 */
  silhouetteSample?: number;
  /** Lloyd iterations per run. @default 300 */
  maxIterations?: number;
  /**
   * Convergence: a run stops one assignment pass after its centres moved by at most this much in
   * total squared distance (on the standardised features, whose mean variance is 1: scikit-learn's
   * `tol`, same default); `0` runs until no customer changes cluster.
   * @default 1e-4
   */
  tolerance?: number;
  /** |z| from which a feature distinguishes a cluster and enters its name. @default 0.5 */
  minZ?: number;
}

/** One feature of a cluster profile. */
export interface ClusterFeatureProfile {
  feature: string;
  label: string;
  /** Cluster centre against the population, in standard deviations of the (transformed) feature. */
  z: number;
  /** Cluster centre in original units. */
  centroid: number;
  /** Arithmetic mean of the members' original values. */
  mean: number;
  /** Population mean in original units. */
  populationMean: number;
}

/** One cluster. */
export interface CustomerCluster {
  index: number;
  /** Generated from the distinguishing features, e.g. `High usage · Low support load`; `Typical` when none. */
  name: string;
  size: number;
  share: number;
  /** Centre in original units (log-transformed features back-transformed with expm1). Null-prototype. */
  centroid: Record<string, number>;
  /** Every feature, by |z| descending. */
  features: ClusterFeatureProfile[];
  /** Features with |z| ≥ minZ, by |z| descending. */
  distinguishing: ClusterFeatureProfile[];
}

/** Silhouette and inertia of each k tried. */
export interface KSelection {
  k: number;
  /** Mean silhouette on the sample, or null when k could not be reached (too few distinct rows). */
  silhouette: number | null;
  inertia: number | null;
}

/** Result of {@link clusterCustomers}. */
export interface ClusterResult {
  k: number;
  clusters: CustomerCluster[];
  /**
   * One assignment per customer (input order, excluded rows left out), with its distance and reason.
   * Built on first read (an enumerable getter, so spreads and `JSON.stringify` include it).
   */
  customers: ClusterAssignment[];
  /**
   * The cluster index of each clustered customer, in the order of `customerIds` (input order,
   * excluded rows left out): what `customers[i].cluster` says, without building the assignments'
   * explanations (the cheap form for callers that only need the partition, like scikit-learn's `labels_`).
   */
  labels: Int32Array;
  /** The ids of the clustered customers, aligned with `labels` and `customers`. */
  customerIds: string[];
  /** Mean silhouette of the chosen clustering on the sample (null when k = 1 or no customers). */
  silhouette: number | null;
  /** One entry per k tried (a single entry for a fixed k). */
  kSelection: KSelection[];
  features: ClusterFeatureInfo[];
  /** Features that were not used, with why. */
  dropped: { feature: string; reason: string }[];
  /** Rows excluded because every feature was missing. */
  excluded: string[];
  n: number;
  iterations: number;
  converged: boolean;
  /** The fitted model: assigns new customers to these clusters; `toJSON()` / `fromJSON()`. */
  model: CustomerClusterModel;
  reason: string | null;
}

const FN = 'clusterCustomers';
/** Largest |feature value| accepted (sums of cubes in the skewness stay finite far beyond it). */
export const MAX_FEATURE_MAGNITUDE = 1e15;
const OPTION_KEYS = [
  'k',
  'kRange',
  'seed',
  'features',
  'logTransform',
  'labels',
  'restarts',
  'silhouetteSample',
  'maxIterations',
  'tolerance',
  'minZ',
] as const;

/**
 * Behavioural segments by k-means.
 *
 * Preparation: missing values are imputed with the feature's median; a feature is log-transformed
 * (`log1p`) when all its values are ≥ 0 and its sample skewness g1 = m₃ / m₂^1.5 exceeds 1 (the usual
 * "highly skewed" cut-off; counts, revenue and durations typically are); every feature is then
 * standardised to mean 0, sd 1. Constant and all-missing features are dropped (see `dropped`).
 *
 * Clustering: Lloyd's k-means (computed with Elkan's or Hamerly's bounds, same result) from greedy
 * k-means++ seeds, best of `restarts` by inertia. Seeds are nested: each restart draws one seeded
 * k-means++ sequence and k starts from its first k centres, so a fixed k reproduces the auto run. Without `k`, every k
 * in `kRange` is fitted on all rows and scored by the mean silhouette on a seeded sample of
 * `silhouetteSample` rows; the best wins (ties → smaller k).
 *
 * Explanation: a cluster's z-score on a feature is its centre on the standardised scale (population
 * mean 0, sd 1); features with |z| ≥ `minZ` distinguish it and the top two name it ("High usage · Low
 * support load"; "Very" from |z| ≥ 1.5). Each customer gets its cluster, distance, and a reason.
 *
 * Missing data: rows with every feature missing are excluded (`excluded`); no customers gives k = 0
 * and a `reason`; fewer than two distinct rows gives a single `Typical` cluster.
 *
 * @param features rows, a Map of records, a dense matrix, or columns (e.g. `churnFeatures` output).
 * @param options see {@link ClusterCustomersOptions}.
 * @returns clusters (size, centroid, distinguishing features, name) and per-customer assignments.
 * @throws ValidationError for invalid options, a table that is not rows/Map/matrix/columns (rows must be
 * objects with a string customerId), a |value| above 1e15, or no usable numeric feature; InsufficientDataError
 *   when a fixed `k` exceeds the number of distinct rows.
 * @example
 * ```ts
 * const res = clusterCustomers(rows, { kRange: [2, 6], seed: 7, labels: { sessions: 'usage' } });
 * res.k; // => 3
 * res.clusters[0].name; // => 'High usage · Low support load'
 * res.customers[0].reason; // => 'nearest centre "High usage · Low support load" (distance 0.71; next 2.90); usage 140 (z +1.8), ...'
 * ```
 */
export function clusterCustomers(
  features: FeatureTable,
  options: ClusterCustomersOptions = {},
): ClusterResult {
  checkOptions(FN, options, OPTION_KEYS);
  const minZ = options.minZ ?? 0.5;
  checkValues(options);

  const table = toMatrix(features, options.features, FN);
  const { ids, columns, raw } = table;
  const nAll = ids.length;
  let d = columns.length;
  // Sums of squares and cubes (scale, skewness, centroids) overflow beyond this: ±1e308 gave
  // Infinity/NaN centroids and skewness. No customer metric comes near it.
  const big = firstTooLarge(raw);
  if (big >= 0)
    throw new ValidationError(FN, [
      {
        index: Math.floor(big / d),
        path: ['features', columns[big % d] as string],
        code: 'out_of_range',
        message: `feature values must be within ±${MAX_FEATURE_MAGNITUDE}, got ${raw[big]}`,
      },
    ]);

  // Rows with every feature missing are excluded.
  const excluded: string[] = [];
  const keepRows = rowsWithAValue(raw, nAll, d);
  if (keepRows.length < nAll) {
    let r = 0;
    for (let i = 0; i < nAll; i++) {
      if (r < keepRows.length && keepRows[r] === i) r++;
      else excluded.push(ids[i] as string);
    }
  }
  const n = keepRows.length;
  const dropped = table.dropped;
  const empty = (reason: string): ClusterResult => ({
    k: 0,
    clusters: [],
    customers: [],
    labels: new Int32Array(0),
    customerIds: [],
    silhouette: null,
    kSelection: [],
    features: [],
    dropped,
    excluded,
    n: 0,
    iterations: 0,
    converged: true,
    model: new CustomerClusterModel([], []),
    reason,
  });
  if (n === 0) return empty(nAll === 0 ? 'no customers' : 'every feature is missing for every customer');

  // Per feature: median imputation, skewness, log rule, standardisation.
  const { infos, X, originals } = prepareFeatures(raw, keepRows, d, columns, options, dropped);
  d = infos.length;
  if (d === 0) {
    const out = empty('no feature varies across customers');
    out.n = n;
    return out;
  }

  const { chosen, chosenSil, kSelection } = selectClusters(X, n, d, options);
  return describe(chosen, chosenSil, X, n, d, infos, originals, keepRows, ids, minZ, {
    kSelection,
    dropped,
    excluded,
  });
}

/** k-means for the fixed `k`, or for every k in `kRange` with the best mean silhouette on a seeded sample. */
function selectClusters(
  X: Float64Array,
  n: number,
  d: number,
  options: ClusterCustomersOptions,
): { chosen: KmeansRun; chosenSil: number | null; kSelection: KSelection[] } {
  const seed = options.seed ?? 1;
  const maxIterations = options.maxIterations ?? 300;
  const tolerance = options.tolerance ?? 1e-4;
  const sampleSize = options.silhouetteSample ?? 2000;
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

  // Silhouette sample (seeded partial Fisher–Yates) and its distance matrix, shared by every k.
  const sample = seededSample(n, Math.max(2, sampleSize), `${String(seed)}:silhouette`);
  let dists: Float64Array | null = null;
  const sil = (run: KmeansRun): number => {
    if (dists === null) dists = sampleDistances(X, d, sample);
    return silhouette(dists, sample, run.labels, run.k);
  };

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

/** Index of the first value beyond ±{@link MAX_FEATURE_MAGNITUDE}, or −1. */
function firstTooLarge(raw: Float64Array): number {
  for (let k = 0; k < raw.length; k++) {
    const v = raw[k] as number;
    if (v > MAX_FEATURE_MAGNITUDE || v < -MAX_FEATURE_MAGNITUDE) return k;
  }
  return -1;
}

/** Indices of the rows (n × d, row-major) with at least one value that is not NaN, ascending. */
function rowsWithAValue(raw: Float64Array, n: number, d: number): number[] {
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    let any = false;
    for (let t = 0; t < d && !any; t++) if (!Number.isNaN(raw[i * d + t] as number)) any = true;
    if (any) keep.push(i);
  }
  return keep;
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

/** Median imputation, skewness, the log rule and the standardisation of every feature (dropping the unusable ones). */
function prepareFeatures(
  raw: Float64Array,
  keepRows: readonly number[],
  d: number,
  columns: readonly string[],
  options: ClusterCustomersOptions,
  dropped: { feature: string; reason: string }[],
): { infos: ClusterFeatureInfo[]; X: Float64Array; originals: OriginalValues } {
  const n = keepRows.length;
  const infos: ClusterFeatureInfo[] = [];
  const col = new Float64Array(n);
  const logSet =
    options.logTransform === undefined || options.logTransform === 'auto' || options.logTransform === 'none'
      ? null
      : new Set(options.logTransform);
  // Standardised values are written straight into the row-major matrix, feature `kept` in column
  // `kept` (a dropped feature's column is overwritten by the next one; the matrix is compacted at the
  // end when features were dropped).
  const work = new Float64Array(n * d);
  const source: number[] = [];
  const stats = new Float64Array(2);
  for (let t = 0; t < d; t++) {
    const name = columns[t] as string;
    // The loops over customers live in small helpers (called once per feature), so the JIT compiles
    // each of them once instead of re-entering a long function's loops unoptimised.
    const m = observedColumn(raw, keepRows, d, t, col, stats);
    if (m === 0) {
      if (!dropped.some((x) => x.feature === name))
        dropped.push({ feature: name, reason: 'all values missing' });
      continue;
    }
    const mean = (stats[0] as number) / m;
    const min = stats[1] as number;
    centralMoments(col, m, mean, stats);
    const m2 = (stats[0] as number) / m;
    const m3 = (stats[1] as number) / m;
    const skewness = m2 > 0 ? m3 / m2 ** 1.5 : 0;
    // Median by selection (O(n)); reorders `col`, which is not read again for this feature.
    const median = medianInPlace(col, m);
    const logged =
      logSet !== null
        ? logSet.has(name) && min > -1
        : options.logTransform !== 'none' && min >= 0 && skewness > 1;
    const kept = infos.length;
    transformColumn(raw, keepRows, d, t, median, logged, work, kept, stats);
    const popMean = (stats[0] as number) / n;
    const center = (stats[1] as number) / n;
    const scale = Math.sqrt(sumSquares(work, n, d, kept, center) / n);
    if (!(scale > 1e-12)) {
      dropped.push({ feature: name, reason: 'no variation (constant)' });
      continue;
    }
    standardiseColumn(work, n, d, kept, center, scale);
    source.push(t);
    infos.push({
      name,
      label: labelOf(name, options.labels),
      skewness,
      logTransformed: logged,
      missing: n - m,
      median,
      center,
      scale,
      mean: popMean,
    });
  }
  const dk = infos.length;
  let X = work;
  if (dk < d) {
    X = new Float64Array(n * dk);
    for (let i = 0; i < n; i++) X.set(work.subarray(i * d, i * d + dk), i * dk);
  }
  const medians = Float64Array.from(infos, (f) => f.median);
  return {
    infos,
    X,
    originals: { raw, stride: d, rows: keepRows, source: Int32Array.from(source), medians },
  };
}

/** Observed (non-missing) values of column `t` into `col`; returns their count, with [sum, min] in `out`. */
function observedColumn(
  raw: Float64Array,
  rows: readonly number[],
  d: number,
  t: number,
  col: Float64Array,
  out: Float64Array,
): number {
  let m = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rows.length; i++) {
    const v = raw[(rows[i] as number) * d + t] as number;
    if (!Number.isNaN(v)) {
      col[m++] = v;
      sum += v;
      if (v < min) min = v;
    }
  }
  out[0] = sum;
  out[1] = min;
  return m;
}

/** Σ (x − mean)² and Σ (x − mean)³ of `col[0..m)`, into `out`. */
function centralMoments(col: Float64Array, m: number, mean: number, out: Float64Array): void {
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < m; i++) {
    const dv = (col[i] as number) - mean;
    const dv2 = dv * dv;
    m2 += dv2;
    m3 += dv2 * dv;
  }
  out[0] = m2;
  out[1] = m3;
}

/**
 * Column `t` with missing values imputed (`median`) and `log1p` when `logged`, written to column
 * `kept` of `work` (d columns); [Σ original values, Σ transformed values] into `out`.
 */
function transformColumn(
  raw: Float64Array,
  rows: readonly number[],
  d: number,
  t: number,
  median: number,
  logged: boolean,
  work: Float64Array,
  kept: number,
  out: Float64Array,
): void {
  let sumOrig = 0;
  let sumTr = 0;
  for (let i = 0; i < rows.length; i++) {
    const v0 = raw[(rows[i] as number) * d + t] as number;
    const v = Number.isNaN(v0) ? median : v0;
    sumOrig += v;
    const x = logged ? Math.log1p(v) : v;
    work[i * d + kept] = x;
    sumTr += x;
  }
  out[0] = sumOrig;
  out[1] = sumTr;
}

/** Σ (x − center)² over column `kept` of `work` (n rows, d columns). */
function sumSquares(work: Float64Array, n: number, d: number, kept: number, center: number): number {
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const dv = (work[i * d + kept] as number) - center;
    ss += dv * dv;
  }
  return ss;
}

/** Column `kept` of `work` ← (x − center) / scale. */
function standardiseColumn(
  work: Float64Array,
  n: number,
  d: number,
  kept: number,
  center: number,
  scale: number,
): void {
  for (let i = 0; i < n; i++) work[i * d + kept] = ((work[i * d + kept] as number) - center) / scale;
}

/**
 * The kept features' values in original units, read from the raw table on demand (missing values →
 * the feature's median) instead of copied: row `i`, feature `t` is `raw[rows[i] * stride + source[t]]`.
 */
interface OriginalValues {
  raw: Float64Array;
  stride: number;
  rows: readonly number[];
  source: Int32Array;
  medians: Float64Array;
}

/** Original-unit values of the kept features, n × d row-major (the imputed median where missing). */
function originalMatrix(o: OriginalValues, n: number, d: number): Float64Array {
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const base = (o.rows[i] as number) * o.stride;
    for (let t = 0; t < d; t++) {
      const v = o.raw[base + (o.source[t] as number)] as number;
      out[i * d + t] = Number.isNaN(v) ? (o.medians[t] as number) : v;
    }
  }
  return out;
}

function describe(
  run: KmeansRun,
  sil: number | null,
  X: Float64Array,
  n: number,
  d: number,
  infos: ClusterFeatureInfo[],
  originals: OriginalValues,
  keepRows: number[],
  ids: readonly string[],
  minZ: number,
  extra: Pick<ClusterResult, 'kSelection' | 'dropped' | 'excluded'>,
): ClusterResult {
  const k = run.k;
  const sizes = new Float64Array(k);
  const sums = new Float64Array(k * d);
  const { raw, stride, source, medians } = originals;
  for (let i = 0; i < n; i++) {
    const c = run.labels[i] as number;
    sizes[c] = (sizes[c] as number) + 1;
    const base = (keepRows[i] as number) * stride;
    for (let t = 0; t < d; t++) {
      const v0 = raw[base + (source[t] as number)] as number;
      const v = Number.isNaN(v0) ? (medians[t] as number) : v0;
      sums[c * d + t] = (sums[c * d + t] as number) + v;
    }
  }
  // Order clusters by size (largest first) so indices are stable and readable.
  const order = Array.from({ length: k }, (_, c) => c).sort(
    (a, b) => (sizes[b] as number) - (sizes[a] as number) || a - b,
  );
  const newIndex = new Int32Array(k);
  order.forEach((c, i) => {
    newIndex[c] = i;
  });
  const clusters: CustomerCluster[] = [];
  const usedNames = new Set<string>();
  for (const c of order) {
    const profiles: ClusterFeatureProfile[] = [];
    const centroid = nullProtoObject<number>();
    for (let t = 0; t < d; t++) {
      const info = infos[t] as ClusterFeatureInfo;
      const z = run.centroids[c * d + t] as number;
      const x = z * info.scale + info.center;
      const value = info.logTransformed ? Math.expm1(x) : x;
      centroid[info.name] = value;
      profiles.push({
        feature: info.name,
        label: info.label,
        z,
        centroid: value,
        mean: (sums[c * d + t] as number) / Math.max(1, sizes[c] as number),
        populationMean: info.mean,
      });
    }
    profiles.sort((a, b) => Math.abs(b.z) - Math.abs(a.z) || (a.feature < b.feature ? -1 : 1));
    const distinguishing = profiles.filter((p) => Math.abs(p.z) >= minZ);
    clusters.push({
      index: newIndex[c] as number,
      name: uniqueName(distinguishing, usedNames),
      size: sizes[c] as number,
      share: (sizes[c] as number) / n,
      centroid,
      features: profiles,
      distinguishing,
    });
  }
  // The model holds the centres in cluster-index order; training rows keep their k-means labels.
  const model = new CustomerClusterModel(
    infos,
    order.map((c, i) => {
      const cl = clusters[i] as CustomerCluster;
      return {
        name: cl.name,
        center: Array.from(run.centroids.subarray(c * d, c * d + d)),
        cite: (cl.distinguishing.length > 0 ? cl.distinguishing : cl.features)
          .slice(0, 2)
          .map((p) => p.feature),
      };
    }),
  );
  // Assignments (100,000 customers: 100,000 objects with a reason each) are built on first read of
  // `customers`: a caller that needs only the clusters or the model never pays for them.
  let customers: ClusterAssignment[] | null = null;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = newIndex[run.labels[i] as number] as number;
  const rowIds = keepRows.map((r) => ids[r] as string);
  const assignments = (): ClusterAssignment[] =>
    model.explain(X, originalMatrix(originals, n, d), rowIds, labels);
  return {
    k,
    clusters,
    get customers(): ClusterAssignment[] {
      if (customers === null) customers = assignments();
      return customers;
    },
    set customers(value: ClusterAssignment[]) {
      customers = value;
    },
    labels,
    customerIds: rowIds,
    silhouette: sil,
    kSelection: extra.kSelection,
    features: infos,
    dropped: extra.dropped,
    excluded: extra.excluded,
    n,
    iterations: run.iterations,
    converged: run.converged,
    model,
    reason: k === 1 ? 'fewer than two distinct customers: one cluster' : null,
  };
}

function level(z: number): string {
  if (z >= 1.5) return 'Very high';
  if (z > 0) return 'High';
  if (z <= -1.5) return 'Very low';
  return 'Low';
}

function uniqueName(distinguishing: ClusterFeatureProfile[], used: Set<string>): string {
  const parts = distinguishing.map((p) => `${level(p.z)} ${p.label}`);
  let name = parts.length === 0 ? 'Typical' : parts.slice(0, 2).join(' · ');
  for (let extra = 3; used.has(name) && extra <= parts.length; extra++)
    name = parts.slice(0, extra).join(' · ');
  if (used.has(name)) {
    let i = 2;
    while (used.has(`${name} (${i})`)) i++;
    name = `${name} (${i})`;
  }
  used.add(name);
  return name;
}

/** `supportTickets` / `support_tickets` → `support tickets`. */
function labelOf(name: string, labels: Readonly<Record<string, string>> | undefined): string {
  if (labels !== undefined) {
    const l = ownGet(labels as Record<string, unknown>, name);
    if (typeof l === 'string' && l.length > 0) return l;
  }
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\-.]+/g, ' ')
    .trim()
    .toLowerCase();
}

function checkValues(o: ClusterCustomersOptions): void {
  const int = (v: unknown, lo: number, hi: number): boolean =>
    typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
  if (o.k !== undefined && !int(o.k, 1, 1000))
    throw optionError(FN, 'k', `must be an integer from 1 to 1000`);
  if (o.kRange !== undefined) {
    const [lo, hi] = o.kRange;
    if (!int(lo, 2, 1000) || !int(hi, 2, 1000) || lo > hi) {
      throw optionError(FN, 'kRange', 'must be [min, max] integers with 2 <= min <= max <= 1000');
    }
  }
  if (o.restarts !== undefined && !int(o.restarts, 1, 100))
    throw optionError(FN, 'restarts', 'must be an integer from 1 to 100');
  if (o.silhouetteSample !== undefined && !int(o.silhouetteSample, 2, 20_000)) {
    throw optionError(FN, 'silhouetteSample', 'must be an integer from 2 to 20000');
  }
  if (o.maxIterations !== undefined && !int(o.maxIterations, 1, 100_000)) {
    throw optionError(FN, 'maxIterations', 'must be a positive integer');
  }
  if (
    o.tolerance !== undefined &&
    !(typeof o.tolerance === 'number' && o.tolerance >= 0 && Number.isFinite(o.tolerance))
  )
    throw optionError(FN, 'tolerance', 'must be a finite number >= 0');
  if (o.minZ !== undefined && !(typeof o.minZ === 'number' && o.minZ >= 0 && Number.isFinite(o.minZ))) {
    throw optionError(FN, 'minZ', 'must be a finite number >= 0');
  }
}
