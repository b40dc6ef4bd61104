import { checkOptions, optionError, ValidationError } from '../_lib/errors';
import { describe } from './_clusterDescribe';
import { prepareFeatures } from './_clusterFeatures';
import { selectClusters } from './_clusterSelect';
import { type FeatureTable, toMatrix } from './_featureTable';
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
