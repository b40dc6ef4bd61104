import * as z from 'zod';
import { ValidationError, zodIssues } from '../_lib/errors';
import { lazy } from '../_lib/lazy';
import { readEnvelope } from '../_lib/modelJson';
import { isPlainObject } from '../_lib/safe';
import { type FeatureTable, toMatrix } from './_featureTable';
import { fmtNum, fmtZ } from './_util';

/** How one input feature was prepared. */
export interface ClusterFeatureInfo {
  name: string;
  label: string;
  /** Sample skewness (Fisher–Pearson g1) of the observed values. */
  skewness: number;
  logTransformed: boolean;
  /** Missing values in the training data, imputed with the median. */
  missing: number;
  /** Median of the observed values (original units), used to impute missing values. */
  median: number;
  /** Mean and standard deviation on the transformed scale (used to standardise). */
  center: number;
  scale: number;
  /** Population mean in original units. */
  mean: number;
}

/** One customer's cluster. */
export interface ClusterAssignment {
  customerId: string;
  cluster: number;
  clusterName: string;
  /** Euclidean distance to the cluster centre in standardised units. */
  distance: number;
  /** Distance to the next nearest centre (null when k = 1). */
  nextDistance: number | null;
  reason: string;
}

/** A cluster as stored in the model: its name, centre (standardised units) and the features its reasons cite. */
export interface ClusterModelCluster {
  name: string;
  /** Centre in standardised units, one value per feature (model feature order). */
  center: number[];
  /** Features quoted in each member's reason (the top distinguishing ones). */
  cite: string[];
}

/** JSON form of a {@link CustomerClusterModel}. */
/** The JSON form of a cluster model: the envelope `{ model: 'customer-clusters', version: 1 }` and its fields. */
export interface ClusterModelJSON {
  model: 'customer-clusters';
  version: 1;
  features: ClusterFeatureInfo[];
  clusters: ClusterModelCluster[];
}

/** The envelope name of cluster models. */
export const CLUSTER_MODEL = 'customer-clusters';

/** Smallest feature scale a model may hold (below it standardised values overflow to Infinity). */
const MIN_SCALE = 1e-12;
/** Standardised values are clamped to ±this, so squared distances stay finite for any input. */
const MAX_Z = 1e150;

const modelSchema = lazy(() => {
  const finite = z.number().refine(Number.isFinite, 'must be a finite number');
  return z
    .strictObject({
      model: z.literal(CLUSTER_MODEL),
      version: z.literal(1),
      features: z
        .array(
          z.strictObject({
            name: z.string().min(1).max(500),
            label: z.string().max(500),
            skewness: finite,
            logTransformed: z.boolean(),
            missing: z.number().int().min(0),
            median: finite,
            center: finite,
            scale: finite.refine((v) => v >= MIN_SCALE, `must be >= ${MIN_SCALE}`),
            mean: finite,
          }),
        )
        .min(1)
        .max(10_000),
      clusters: z
        .array(
          z.strictObject({
            name: z.string().min(1).max(500),
            center: z.array(finite),
            cite: z.array(z.string()),
          }),
        )
        .min(1)
        .max(1000),
    })
    .superRefine((m, ctx) => {
      const names = new Set(m.features.map((f) => f.name));
      m.clusters.forEach((c, i) => {
        if (c.center.length !== m.features.length) {
          ctx.addIssue({
            code: 'custom',
            path: ['clusters', i, 'center'],
            message: `needs ${m.features.length} values`,
          });
        }
        c.cite.forEach((f, j) => {
          if (!names.has(f))
            ctx.addIssue({
              code: 'custom',
              path: ['clusters', i, 'cite', j],
              message: `unknown feature "${f}"`,
            });
        });
      });
    });
});

/**
 * A fitted behavioural clustering, returned by `clusterCustomers` as `model`: the feature
 * preparation (median imputation, log1p, standardisation) and the cluster centres, so new customers
 * or later snapshots can be assigned to the same clusters, and the model stored as JSON.
 *
 * @example
 * ```ts
 * const { model } = clusterCustomers(rows, { seed: 1 });
 * const json = JSON.stringify(model);
 * CustomerClusterModel.fromJSON(JSON.parse(json)).assign(newRows).customers[0];
 * // => { customerId: 'n1', cluster: 0, clusterName: 'High usage · Low support load', distance: 0.7, ... }
 * ```
 */
export class CustomerClusterModel {
  readonly features: readonly ClusterFeatureInfo[];
  readonly clusters: readonly ClusterModelCluster[];

  constructor(features: readonly ClusterFeatureInfo[], clusters: readonly ClusterModelCluster[]) {
    this.features = features;
    this.clusters = clusters;
  }

  /**
   * Assigns customers to the nearest cluster centre. Missing features (and values ≤ −1 of
   * log-transformed features) are imputed with the training median; rows with every feature
   * missing are listed in `excluded`.
   *
   * @param table rows, a Map of records, or a dense matrix holding (at least) the model's features.
   * @returns assignments with distance and reason, and the excluded ids.
   * @throws ValidationError when a dense matrix has the wrong number of values.
   */
  assign(table: FeatureTable): { customers: ClusterAssignment[]; excluded: string[] } {
    const names = this.features.map((f) => f.name);
    const { ids, raw } = toMatrix(table, names, 'CustomerClusterModel.assign');
    const d = names.length;
    const n = ids.length;
    const X = new Float64Array(n * d);
    const orig = new Float64Array(n * d);
    const keep: string[] = [];
    const excluded: string[] = [];
    let row = 0;
    for (let i = 0; i < n; i++) {
      let any = false;
      for (let t = 0; t < d; t++) {
        const f = this.features[t] as ClusterFeatureInfo;
        let v = raw[i * d + t] as number;
        if (Number.isNaN(v) || (f.logTransformed && v <= -1)) v = f.median;
        else any = true;
        orig[row * d + t] = v;
        const z = ((f.logTransformed ? Math.log1p(v) : v) - f.center) / f.scale;
        // ±1e308 inputs: clamp (z is then far from every centre either way), never Infinity or NaN.
        X[row * d + t] = z > MAX_Z ? MAX_Z : z < -MAX_Z ? -MAX_Z : Number.isNaN(z) ? 0 : z;
      }
      if (any) {
        keep.push(ids[i] as string);
        row++;
      } else excluded.push(ids[i] as string);
    }
    return { customers: this.explain(X, orig, keep, null), excluded };
  }

  /**
   * Assignments with reasons for prepared rows. `labels` fixes each row's cluster (training labels);
   * otherwise the nearest centre wins. @internal
   */
  explain(
    X: Float64Array,
    orig: Float64Array,
    ids: readonly string[],
    labels: Int32Array | null,
  ): ClusterAssignment[] {
    const d = this.features.length;
    const k = this.clusters.length;
    const n = ids.length;
    const centres = new Float64Array(k * d);
    this.clusters.forEach((c, j) => {
      centres.set(c.center, j * d);
    });
    const citeIdx = this.clusters.map((c) => c.cite.map((f) => this.features.findIndex((x) => x.name === f)));
    const dist = new Float64Array(k);
    const out: ClusterAssignment[] = new Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) {
          const diff = (X[i * d + t] as number) - (centres[j * d + t] as number);
          s += diff * diff;
        }
        dist[j] = s;
        if (s < (dist[best] as number)) best = j;
      }
      const c = labels === null ? best : (labels[i] as number);
      let next = Number.POSITIVE_INFINITY;
      for (let j = 0; j < k; j++) if (j !== c && (dist[j] as number) < next) next = dist[j] as number;
      const cl = this.clusters[c] as ClusterModelCluster;
      const distance = Math.sqrt(dist[c] as number);
      const nextDistance = Number.isFinite(next) ? Math.sqrt(next) : null;
      let facts = '';
      for (const t of citeIdx[c] as number[]) {
        const f = this.features[t] as ClusterFeatureInfo;
        facts += `${facts ? ', ' : ''}${f.label} ${fmtNum(orig[i * d + t] as number)} (z ${fmtZ(X[i * d + t] as number)})`;
      }
      out[i] = {
        customerId: ids[i] as string,
        cluster: c,
        clusterName: cl.name,
        distance,
        nextDistance,
        reason:
          `nearest centre "${cl.name}" (distance ${distance.toFixed(2)}` +
          `${nextDistance === null ? '' : `; next ${nextDistance.toFixed(2)}`})` +
          (facts ? `; ${facts}` : ''),
      };
    }
    return out;
  }

  /** Plain JSON (feature preparation and centres); restore with {@link CustomerClusterModel.fromJSON}. */
  toJSON(): ClusterModelJSON {
    return {
      model: CLUSTER_MODEL,
      version: 1,
      features: this.features.map((f) => ({ ...f })),
      clusters: this.clusters.map((c) => ({ name: c.name, center: [...c.center], cite: [...c.cite] })),
    };
  }

  /**
   * Restores a model from {@link CustomerClusterModel.toJSON} output (also the earlier
   * `{ type: 'CustomerClusterModel' }` files), validated with zod: the same as {@link loadClusterModel}.
   * @throws ValidationError with located issues (e.g. `field "clusters.1.center"`).
   */
  static fromJSON(json: unknown): CustomerClusterModel {
    return readClusterModel(json, 'CustomerClusterModel.fromJSON');
  }
}

/**
 * Loads a saved cluster model: the envelope `{ model: 'customer-clusters', version: 1 }` (files from
 * before it, `{ type: 'CustomerClusterModel', version: 1 }`, load too), validated with zod: finite
 * numbers, feature scales >= 1e-12, one centre value per feature, cited features that exist.
 * @param json parsed JSON.
 * @returns the model.
 * @throws ValidationError with located issues.
 * @example
 * ```ts no-run
 * const model = loadClusterModel(JSON.parse(text));
 * model.assign(rows).customers[0].clusterName; // => 'High usage · Low support load'
 * ```
 */
export function loadClusterModel(json: unknown): CustomerClusterModel {
  return readClusterModel(json, 'loadClusterModel');
}

/** @internal {@link loadClusterModel} with the public function named in errors. */
export function readClusterModel(json: unknown, fn: string): CustomerClusterModel {
  let obj = json;
  if (isPlainObject(json) && json.type === 'CustomerClusterModel' && !Object.hasOwn(json, 'model')) {
    const { type: _legacy, ...rest } = json;
    obj = { model: CLUSTER_MODEL, ...rest };
  }
  readEnvelope(fn, obj, CLUSTER_MODEL, [1]);
  const parsed = modelSchema().safeParse(obj);
  if (!parsed.success) throw new ValidationError(fn, zodIssues(parsed.error), 'model JSON');
  return new CustomerClusterModel(parsed.data.features, parsed.data.clusters);
}
