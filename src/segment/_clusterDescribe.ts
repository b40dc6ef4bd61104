/**
 * clusterCustomers' description of a k-means run: clusters in size order with their profiles and
 * names, the model, and the per-customer assignments (built on first read).
 * @module
 */

import { nullProtoObject } from '../_lib/safe';
import type { KmeansRun } from './_kmeans';
import {
  type ClusterAssignment,
  type ClusterFeatureInfo,
  CustomerClusterModel,
} from './CustomerClusterModel';
import type { ClusterFeatureProfile, ClusterResult, CustomerCluster } from './clusterCustomers';

/**
 * The kept features' values in original units, read from the raw table on demand (missing values →
 * the feature's median) instead of copied: row `i`, feature `t` is `raw[rows[i] * stride + source[t]]`.
 */
export interface OriginalValues {
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

/** The result: clusters in size order (profiles, names), the model, and the assignments built on first read. */
export function describe(
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
  const { sizes, sums } = clusterSums(run, originals, keepRows, n, d);
  // Order clusters by size (largest first) so indices are stable and readable.
  const order = Array.from({ length: k }, (_, c) => c).sort(
    (a, b) => (sizes[b] as number) - (sizes[a] as number) || a - b,
  );
  const newIndex = new Int32Array(k);
  order.forEach((c, i) => {
    newIndex[c] = i;
  });
  const clusters = clusterProfiles(run, order, newIndex, sizes, sums, infos, n, d, minZ);
  // The model holds the centres in cluster-index order; training rows keep their k-means labels.
  const model = clusterModel(run, order, clusters, infos, d);
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

/** Per cluster (k-means label): its size and the sums of its rows' original values (n × d → k × d). */
function clusterSums(
  run: KmeansRun,
  originals: OriginalValues,
  keepRows: number[],
  n: number,
  d: number,
): { sizes: Float64Array; sums: Float64Array } {
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
  return { sizes, sums };
}

/** The clusters in `order` (largest first): centroid, feature profiles by |z|, distinguishing features, name. */
function clusterProfiles(
  run: KmeansRun,
  order: number[],
  newIndex: Int32Array,
  sizes: Float64Array,
  sums: Float64Array,
  infos: ClusterFeatureInfo[],
  n: number,
  d: number,
  minZ: number,
): CustomerCluster[] {
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
  return clusters;
}

/** The model: the centres in cluster-index order, each with its name and the features its reasons cite. */
function clusterModel(
  run: KmeansRun,
  order: number[],
  clusters: CustomerCluster[],
  infos: ClusterFeatureInfo[],
  d: number,
): CustomerClusterModel {
  return new CustomerClusterModel(
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
