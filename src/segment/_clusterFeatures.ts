/**
 * clusterCustomers' feature preparation: median imputation, the skewness-based log rule, and the
 * standardisation of every feature (dropping the unusable ones), with readable labels.
 * @module
 */

import { ownGet } from '../_lib/safe';
import type { OriginalValues } from './_clusterDescribe';
import { medianInPlace } from './_util';
import type { ClusterFeatureInfo } from './CustomerClusterModel';
import type { ClusterCustomersOptions } from './clusterCustomers';

/** Median imputation, skewness, the log rule and the standardisation of every feature (dropping the unusable ones). */
export function prepareFeatures(
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
