import { InsufficientDataError } from '../_lib/errors';
import type { ChurnFeatureTable } from './churnFeatures';
import type { FeatureRecord, FeatureValue } from './types';

/** How one input feature is encoded. */
export interface EncodedFeature {
  name: string;
  /** `numeric` (numbers and booleans) or `categorical` (any string seen in training). */
  type: 'numeric' | 'categorical';
  /** Numeric: value used for missing cells (training mean). */
  impute: number;
  /** Categorical: one column per category, most frequent first; rarer ones share `(other)`. */
  categories: string[];
  /** Whether a missing-value indicator column exists (missing cells were seen in training). */
  missingIndicator: boolean;
}

/** One column of the encoded design matrix. */
export interface EncodedColumn {
  /** Index into `features`. */
  feature: number;
  kind: 'value' | 'category' | 'missing';
  /** For `category` columns. */
  category?: string;
  /** Standardisation: z = (x − center) / scale. */
  center: number;
  scale: number;
}

/**
 * `linear`: mean imputation + missing indicators, standardised columns (for logistic regression).
 * `tree`: raw values, missing numbers encoded as {@link MISSING_VALUE} (below every real value, so
 * a split sends them with the lowest values), no indicators, no standardisation.
 */
export type EncoderMode = 'linear' | 'tree';

/** Serialisable state of a {@link FeatureEncoder}. */
export interface FeatureEncoderSpec {
  mode: EncoderMode;
  features: EncodedFeature[];
  columns: EncodedColumn[];
}

/** Options of {@link FeatureEncoder.fit}. */
export interface FeatureEncoderOptions {
  /** Most categories kept per string feature; the rest share an `(other)` column. @default 30 */
  maxCategories?: number;
  /** Encoding for a linear model or for trees. @default 'linear' */
  mode?: EncoderMode;
}

interface TablePlan {
  numeric: Uint8Array;
  first: Int32Array;
  indicator: Int32Array;
  impute: Float64Array;
  index: Map<string, number>[];
  other: Int32Array;
  shift: Float64Array;
  inv: Float64Array;
  identity: boolean;
}

/** Code of a missing number in `tree` mode (finite, below any real feature value). */
export const MISSING_VALUE = -1e300;

/** Name of the shared one-hot column of rare categories (`plan=(other)`). */
export const OTHER_CATEGORY = '(other)';

/**
 * Reads a record's values into `values` (indexed like `names`) by keyed lookup, the fastest way for
 * both fast-mode and dictionary-mode objects. Only own properties are read: for plain and
 * null-prototype records (the prototype holds no primitive values) a value that is not a primitive
 * (`constructor`, the `__proto__` object) is simply treated as missing by the caller; records with any
 * other prototype are read with `Object.hasOwn` on every cell.
 */
class RowReader {
  readonly values: unknown[];
  private readonly names: readonly string[];
  constructor(names: readonly string[]) {
    this.names = names;
    this.values = new Array(names.length).fill(undefined);
  }
  read(rec: FeatureRecord): void {
    const names = this.names;
    const values = this.values;
    const proto = Object.getPrototypeOf(rec);
    if (proto === Object.prototype || proto === null) {
      for (let fi = 0; fi < names.length; fi++) values[fi] = rec[names[fi] as string];
    } else {
      for (let fi = 0; fi < names.length; fi++) {
        const name = names[fi] as string;
        values[fi] = Object.hasOwn(rec, name) ? rec[name] : undefined;
      }
    }
  }
}

/** @internal Reads one feature value: own properties only, primitives only (anything else is `undefined`). */
export function readFeature(rec: FeatureRecord, name: string): FeatureValue | undefined {
  if (!Object.hasOwn(rec, name)) return undefined;
  const v = rec[name];
  const t = typeof v;
  if (t === 'number' || t === 'string' || t === 'boolean' || v === null) return v as FeatureValue;
  return undefined;
}

/**
 * Turns feature records into a standardised numeric design matrix: strings are one-hot encoded
 * (top `maxCategories` by frequency, the rest as `(other)`; unseen categories at prediction time
 * encode as all zeros), booleans become 0/1, missing numbers are imputed with the training mean and
 * flagged by a missing-indicator column, and every column is standardised with the training mean and
 * (population) standard deviation (scale 1 for constant columns). Feature names are sorted, so the
 * encoding does not depend on key order.
 *
 * Missing-data policy: `null`, `undefined`, NaN and ±Infinity are missing; see above.
 *
 * @example
 * ```ts
 * const enc = FeatureEncoder.fit([{ plan: 'pro', seats: 3 }, { plan: 'free', seats: null }]);
 * enc.columnNames(); // => ['plan=free', 'plan=pro', 'seats', 'seats (missing)']
 * ```
 */
export class FeatureEncoder {
  readonly mode: EncoderMode;
  readonly features: readonly EncodedFeature[];
  readonly columns: readonly EncodedColumn[];

  constructor(spec: FeatureEncoderSpec) {
    this.mode = spec.mode;
    this.features = spec.features;
    this.columns = spec.columns;
  }

  /**
   * Learns the encoding from training records.
   * @throws InsufficientDataError when there are no rows.
   */
  static fit(rows: readonly FeatureRecord[], options: FeatureEncoderOptions = {}): FeatureEncoder {
    return FeatureEncoder.fitTransform(rows, options).encoder;
  }

  /**
   * Like {@link FeatureEncoder.fit}, also returning the training matrix encoded with
   * `center: false` (what the logistic fit uses), saving a second pass over the rows.
   */
  static fitTransform(
    rows: readonly FeatureRecord[],
    options: FeatureEncoderOptions = {},
  ): { encoder: FeatureEncoder; uncentred: Float64Array } {
    if (rows.length === 0)
      throw new InsufficientDataError('trainChurnModel', 'no training rows', { available: 0, required: 1 });
    const maxCategories = options.maxCategories ?? 30;
    const mode = options.mode ?? 'linear';
    const names = new Set<string>();
    for (const r of rows) for (const k in r) if (Object.hasOwn(r, k)) names.add(k);
    const sorted = Array.from(names).sort();
    const nf0 = sorted.length;
    const sum = new Float64Array(nf0);
    const cnt = new Float64Array(nf0);
    const missingCount = new Float64Array(nf0);
    const stringCount = new Float64Array(nf0);
    const reader = new RowReader(sorted);
    const vals = reader.values;
    for (const r of rows) {
      reader.read(r);
      for (let fi = 0; fi < nf0; fi++) {
        const v = vals[fi];
        if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v)))
          missingCount[fi] = (missingCount[fi] as number) + 1;
        else if (typeof v === 'string') stringCount[fi] = (stringCount[fi] as number) + 1;
        else {
          sum[fi] = (sum[fi] as number) + (v === true ? 1 : v === false ? 0 : (v as number));
          cnt[fi] = (cnt[fi] as number) + 1;
        }
      }
    }
    // Category counts only for features holding strings (numbers there count as their text).
    const freqs = sorted.map(() => new Map<string, number>());
    const stringFeatures: number[] = [];
    for (let fi = 0; fi < nf0; fi++) if ((stringCount[fi] as number) > 0) stringFeatures.push(fi);
    for (const r of rows) {
      const proto = Object.getPrototypeOf(r);
      const plain = proto === Object.prototype || proto === null;
      for (const fi of stringFeatures) {
        const name = sorted[fi] as string;
        const v = plain || Object.hasOwn(r, name) ? r[name] : undefined;
        if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) continue;
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
        const key = typeof v === 'string' ? v : String(v);
        const m = freqs[fi] as Map<string, number>;
        m.set(key, (m.get(key) ?? 0) + 1);
      }
    }
    const features: EncodedFeature[] = [];
    for (let fi = 0; fi < nf0; fi++) {
      const name = sorted[fi] as string;
      const missing = missingCount[fi] as number;
      const strings = stringCount[fi] as number;
      const freq = freqs[fi] as Map<string, number>;
      if (missing === rows.length) continue; // carries no information
      if (strings > 0) {
        const cats = Array.from(freq.entries())
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
          .map((e) => e[0]);
        const kept = cats.slice(0, maxCategories).sort();
        if (cats.length > maxCategories) kept.push(OTHER_CATEGORY);
        features.push({
          name,
          type: 'categorical',
          impute: 0,
          categories: kept,
          missingIndicator: mode === 'linear' && missing > 0,
        });
      } else {
        features.push({
          name,
          type: 'numeric',
          impute: mode === 'linear' ? (sum[fi] as number) / (cnt[fi] as number) : MISSING_VALUE,
          categories: [],
          missingIndicator: mode === 'linear' && missing > 0,
        });
      }
    }
    const columns: EncodedColumn[] = [];
    features.forEach((f, fi) => {
      if (f.type === 'numeric') columns.push({ feature: fi, kind: 'value', center: 0, scale: 1 });
      else
        for (const c of f.categories)
          columns.push({ feature: fi, kind: 'category', category: c, center: 0, scale: 1 });
      if (f.missingIndicator) columns.push({ feature: fi, kind: 'missing', center: 0, scale: 1 });
    });
    const raw = new FeatureEncoder({ mode, features, columns });
    const x = raw.encode(rows);
    if (mode === 'tree') return { encoder: raw, uncentred: x };
    const d = columns.length;
    const n = rows.length;
    const mean = new Float64Array(d);
    const sq = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const off = i * d;
      for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (x[off + j] as number);
    }
    for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) / n;
    for (let i = 0; i < n; i++) {
      const off = i * d;
      for (let j = 0; j < d; j++) {
        const dv = (x[off + j] as number) - (mean[j] as number);
        sq[j] = (sq[j] as number) + dv * dv;
      }
    }
    const scaled = columns.map((c, j) => {
      const sd = Math.sqrt((sq[j] as number) / n);
      return { ...c, center: mean[j] as number, scale: sd > 1e-12 ? sd : 1 };
    });
    for (let i = 0; i < n; i++) {
      const off = i * d;
      for (let j = 0; j < d; j++) x[off + j] = (x[off + j] as number) / (scaled[j] as EncodedColumn).scale;
    }
    return { encoder: new FeatureEncoder({ mode, features, columns: scaled }), uncentred: x };
  }

  /** Number of encoded columns. */
  get width(): number {
    return this.columns.length;
  }

  /** Readable names of the encoded columns (`plan=pro`, `seats (missing)`). */
  columnNames(): string[] {
    return this.columns.map((c) => {
      const f = this.features[c.feature] as EncodedFeature;
      if (c.kind === 'category') return `${f.name}=${c.category}`;
      if (c.kind === 'missing') return `${f.name} (missing)`;
      return f.name;
    });
  }

  /**
   * Encodes records into a row-major matrix (`rows.length × width`): `(x − center) / scale` per
   * column, or `x / scale` with `center: false` (keeps one-hot zeros sparse; used for fitting).
   */
  encode(rows: readonly FeatureRecord[], options: { center?: boolean } = {}): Float64Array {
    const center = options.center ?? true;
    const d = this.columns.length;
    const out = new Float64Array(rows.length * d);
    const feats = this.features;
    const cols = this.columns;
    const nf = feats.length;
    // Column offset of each feature's first column, for fast one-hot placement.
    const first = new Int32Array(nf).fill(-1);
    for (let j = 0; j < d; j++) {
      const f = (cols[j] as EncodedColumn).feature;
      if ((first[f] as number) < 0) first[f] = j;
    }
    const reader = new RowReader(feats.map((f) => f.name));
    const vals = reader.values;
    const numeric = Uint8Array.from(feats, (f) => (f.type === 'numeric' ? 1 : 0));
    const indicator = Uint8Array.from(feats, (f) => (f.missingIndicator ? 1 : 0));
    const impute = Float64Array.from(feats, (f) => f.impute);
    const nCats = Int32Array.from(feats, (f) => f.categories.length);
    const catIndex = feats.map((f) => new Map(f.categories.map((c, k) => [c, k])));
    const other = Int32Array.from(catIndex, (m) => m.get(OTHER_CATEGORY) ?? -1);
    const shift = Float64Array.from(cols, (c) => (center ? c.center : 0));
    const inv = Float64Array.from(cols, (c) => 1 / c.scale);
    const identity = cols.every((c) => c.scale === 1 && (!center || c.center === 0));
    for (let i = 0; i < rows.length; i++) {
      reader.read(rows[i] as FeatureRecord);
      const off = i * d;
      for (let fi = 0; fi < nf; fi++) {
        const v = vals[fi];
        const miss =
          v === null ||
          (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') ||
          (typeof v === 'number' && !Number.isFinite(v));
        const j0 = off + (first[fi] as number);
        if (numeric[fi] === 1) {
          let num: number;
          let m = miss;
          if (miss) num = impute[fi] as number;
          else if (typeof v === 'number') num = v;
          else if (typeof v === 'boolean') num = v ? 1 : 0;
          else {
            // A string in a numeric feature: its number, or missing when it is not one.
            num = Number(v);
            if (!Number.isFinite(num)) {
              num = impute[fi] as number;
              m = true;
            }
          }
          out[j0] = num;
          if (indicator[fi] === 1) out[j0 + 1] = m ? 1 : 0;
        } else {
          if (!miss) {
            const k = (catIndex[fi] as Map<string, number>).get(
              typeof v === 'string' ? v : String(v as number | boolean),
            );
            if (k !== undefined) out[j0 + k] = 1;
            else if ((other[fi] as number) >= 0) out[j0 + (other[fi] as number)] = 1;
          }
          if (indicator[fi] === 1) out[j0 + (nCats[fi] as number)] = miss ? 1 : 0;
        }
      }
      if (!identity) {
        for (let j = 0; j < d; j++)
          out[off + j] = ((out[off + j] as number) - (shift[j] as number)) * (inv[j] as number);
      }
    }
    return out;
  }

  /**
   * Encodes rows `[start, end)` of a columnar feature table (as returned by `churnFeatures`): the
   * fast path, with no per-cell property lookups. Same result as `encode(featureRows(table))`.
   * Numeric features are read from `columns` (+ `missing`), categorical ones from `categorical`;
   * a feature absent from the table is missing.
   */
  encodeTable(table: ChurnFeatureTable, start = 0, end = table.customerIds.length): Float64Array {
    const d = this.columns.length;
    const n = Math.max(0, end - start);
    const out = new Float64Array(n * d);
    const plan = this.tablePlan();
    const nf = this.features.length;
    // Per-feature sources, looked up once per call.
    const num: (Float64Array | undefined)[] = new Array(nf);
    const miss: (Uint8Array | undefined)[] = new Array(nf);
    const cat: ((string | null)[] | undefined)[] = new Array(nf);
    for (let fi = 0; fi < nf; fi++) {
      const name = (this.features[fi] as EncodedFeature).name;
      num[fi] = Object.hasOwn(table.columns, name) ? table.columns[name] : undefined;
      miss[fi] = Object.hasOwn(table.missing, name) ? table.missing[name] : undefined;
      cat[fi] = Object.hasOwn(table.categorical, name) ? table.categorical[name] : undefined;
    }
    const { numeric, first, indicator, impute, index, other, shift, inv } = plan;
    for (let i = 0; i < n; i++) {
      const r = start + i;
      const off = i * d;
      for (let fi = 0; fi < nf; fi++) {
        const j0 = off + (first[fi] as number);
        const ind = indicator[fi] as number;
        if (numeric[fi] === 1) {
          const col = num[fi];
          const v = col === undefined ? Number.NaN : (col[r] as number);
          const mm = miss[fi];
          const m = (mm !== undefined && mm[r] === 1) || !Number.isFinite(v);
          out[j0] = m ? (impute[fi] as number) : v;
          if (ind >= 0) out[off + ind] = m ? 1 : 0;
        } else {
          const c = cat[fi];
          const v = c === undefined ? null : c[r];
          const m = v === null || v === undefined;
          if (!m) {
            const k = (index[fi] as Map<string, number>).get(v) ?? (other[fi] as number);
            if (k >= 0) out[j0 + k] = 1;
          }
          if (ind >= 0) out[off + ind] = m ? 1 : 0;
        }
      }
      if (!plan.identity) {
        for (let j = 0; j < d; j++)
          out[off + j] = ((out[off + j] as number) - (shift[j] as number)) * (inv[j] as number);
      }
    }
    return out;
  }

  private plan: TablePlan | undefined;

  /** Per-feature layout of the encoded row, computed once. */
  private tablePlan(): TablePlan {
    if (this.plan !== undefined) return this.plan;
    const cols = this.columns;
    const feats = this.features;
    const first = new Int32Array(feats.length).fill(-1);
    for (let j = 0; j < cols.length; j++) {
      const f = (cols[j] as EncodedColumn).feature;
      if ((first[f] as number) < 0) first[f] = j;
    }
    const index = feats.map((f) => new Map(f.categories.map((c, k) => [c, k])));
    this.plan = {
      numeric: Uint8Array.from(feats, (f) => (f.type === 'numeric' ? 1 : 0)),
      first,
      indicator: Int32Array.from(feats, (f, fi) =>
        f.missingIndicator ? (first[fi] as number) + (f.type === 'numeric' ? 1 : f.categories.length) : -1,
      ),
      impute: Float64Array.from(feats, (f) => f.impute),
      index,
      other: Int32Array.from(index, (m) => m.get(OTHER_CATEGORY) ?? -1),
      shift: Float64Array.from(cols, (c) => c.center),
      inv: Float64Array.from(cols, (c) => 1 / c.scale),
      identity: cols.every((c) => c.scale === 1 && c.center === 0),
    };
    return this.plan;
  }

  /** Serialisable state. */
  toJSON(): FeatureEncoderSpec {
    return {
      mode: this.mode,
      features: this.features.map((f) => ({ ...f, categories: [...f.categories] })),
      columns: this.columns.map((c) => ({ ...c })),
    };
  }
}
