import { InsufficientDataError } from '../_lib/errors';
import type { ChurnFeatureTable } from './churnFeatures';
import { type BinnedEnsemble, binOf } from './fitGradientBoosting';
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

/** @internal Layout of {@link FeatureEncoder.encodeBins}, from {@link FeatureEncoder.binPlan}. */
export interface BinPlan {
  /** Bytes per row. */
  width: number;
  /** Features read (those with a binned column) and their names. */
  read: Int32Array;
  names: string[];
  /** Per feature: slot of its value column (-1: not binned), and that encoded column. */
  valueSlot: Int32Array;
  valueColumn: Int32Array;
  /** Per encoded column: 1 when it is not standardised, else its center and 1 / scale. */
  identity: Uint8Array;
  shift: Float64Array;
  inv: Float64Array;
  /** Per feature: slot of its missing indicator (-1: none) and the bins of 0 and 1. */
  indSlot: Int32Array;
  ind0: Uint8Array;
  ind1: Uint8Array;
  /** Binned one-hot columns of feature `fi`: entries `catStart[fi] .. catStart[fi + 1]` of `catSlot` (slot), `catK` (category index), `cat0`/`cat1` (bins of 0 and 1). */
  catStart: Int32Array;
  catSlot: Int32Array;
  catK: Int32Array;
  cat0: Uint8Array;
  cat1: Uint8Array;
  cuts: BinnedEnsemble;
}

/** Code of a missing number in `tree` mode (finite, below any real feature value). */
export const MISSING_VALUE = -1e300;

/** Name of the shared one-hot column of rare categories (`plan=(other)`). */
export const OTHER_CATEGORY = '(other)';

/**
 * Reads a record's values into `values` (indexed like `names`) by keyed lookup, the fastest way for
 * both fast-mode and dictionary-mode objects. Only own properties are read: for plain and
 * null-prototype records, names that `Object.prototype` also has (`constructor`, `toString`,
 * `__proto__`, ...) are checked with `Object.hasOwn`, so a row without its own `constructor` feature
 * reads as missing rather than as the inherited function; records with any other prototype are read
 * with `Object.hasOwn` on every cell.
 */
class RowReader {
  readonly values: unknown[];
  private readonly names: readonly string[];
  /** 1 where the name also exists on Object.prototype, so a plain record could inherit it. */
  private readonly inherited: Uint8Array;
  constructor(names: readonly string[]) {
    this.names = names;
    this.values = new Array(names.length).fill(undefined);
    this.inherited = Uint8Array.from(names, (name) => (name in Object.prototype ? 1 : 0));
  }
  read(rec: FeatureRecord): void {
    const names = this.names;
    const values = this.values;
    const proto = Object.getPrototypeOf(rec);
    if (proto === Object.prototype || proto === null) {
      const inherited = this.inherited;
      for (let fi = 0; fi < names.length; fi++) {
        const name = names[fi] as string;
        values[fi] = inherited[fi] === 0 || Object.hasOwn(rec, name) ? rec[name] : undefined;
      }
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

  /**
   * @internal Plans {@link FeatureEncoder.encodeBins} for the split columns and cuts of a binned tree
   * ensemble (one output byte per slot, slot `s` binning encoded column `cuts.columns[s]`). Built
   * once per model. `null` when the columns are not laid out as `fit` lays them out.
   */
  binPlan(cuts: BinnedEnsemble): BinPlan | null {
    const slots = cuts.columns;
    const feats = this.features;
    const cols = this.columns;
    const nf = feats.length;
    // Only the column layout `fit` produces (each feature's columns in a row: value or categories,
    // then its indicator); a hand-edited model file with another layout is scored by `encode`.
    let at = 0;
    const expect = (fi: number, kind: EncodedColumn['kind'], category?: string): boolean => {
      const c = cols[at++];
      return c !== undefined && c.feature === fi && c.kind === kind && c.category === category;
    };
    for (let fi = 0; fi < nf; fi++) {
      const f = feats[fi] as EncodedFeature;
      if (f.type === 'numeric' ? !expect(fi, 'value') : !f.categories.every((c) => expect(fi, 'category', c)))
        return null;
      if (f.missingIndicator && !expect(fi, 'missing')) return null;
    }
    if (at !== cols.length) return null;
    const slotOfColumn = new Int32Array(cols.length).fill(-1);
    slots.forEach((j, s) => {
      slotOfColumn[j] = s;
    });
    const { first, indicator, shift, inv } = this.tablePlan();
    const identity = Uint8Array.from(cols, (c) => (c.scale === 1 && c.center === 0 ? 1 : 0));
    const enc = (j: number, v: number): number =>
      identity[j] === 1 ? v : (v - (shift[j] as number)) * (inv[j] as number);
    const bin = (s: number, v: number): number => binOf(cuts, s, enc(slots[s] as number, v));
    const read: number[] = [];
    const valueSlot = new Int32Array(nf).fill(-1);
    const indSlot = new Int32Array(nf).fill(-1);
    const ind0 = new Uint8Array(nf);
    const ind1 = new Uint8Array(nf);
    const catStart = new Int32Array(nf + 1);
    const catSlot: number[] = [];
    const catK: number[] = [];
    const cat0: number[] = [];
    const cat1: number[] = [];
    for (let fi = 0; fi < nf; fi++) {
      const f = feats[fi] as EncodedFeature;
      const j0 = first[fi] as number;
      let used = false;
      const ij = indicator[fi] as number;
      if (ij >= 0 && (slotOfColumn[ij] as number) >= 0) {
        const s = slotOfColumn[ij] as number;
        indSlot[fi] = s;
        ind0[fi] = bin(s, 0);
        ind1[fi] = bin(s, 1);
        used = true;
      }
      if (f.type === 'numeric') {
        if (j0 >= 0 && (slotOfColumn[j0] as number) >= 0) {
          valueSlot[fi] = slotOfColumn[j0] as number;
          used = true;
        }
      } else {
        for (let k = 0; k < f.categories.length; k++) {
          const s = slotOfColumn[j0 + k] as number;
          if (s < 0) continue;
          catSlot.push(s);
          catK.push(k);
          cat0.push(bin(s, 0));
          cat1.push(bin(s, 1));
          used = true;
        }
      }
      catStart[fi + 1] = catSlot.length;
      if (used) read.push(fi);
    }
    return {
      width: slots.length,
      read: Int32Array.from(read),
      names: read.map((fi) => (feats[fi] as EncodedFeature).name),
      valueSlot,
      valueColumn: first,
      identity,
      shift,
      inv,
      indSlot,
      ind0,
      ind1,
      catStart,
      catSlot: Int32Array.from(catSlot),
      catK: Int32Array.from(catK),
      cat0: Uint8Array.from(cat0),
      cat1: Uint8Array.from(cat1),
      cuts,
    };
  }

  /**
   * @internal Encodes records straight into bins (`out`: `rows.length × plan.width` bytes): each
   * binned column gets the number of its cuts below the value `encode` would give it, without
   * building the encoded matrix. Reads only the features that have a binned column.
   */
  encodeBins(rows: readonly FeatureRecord[], plan: BinPlan, out: Uint8Array): void {
    const { read, valueSlot, indSlot, ind0, ind1 } = plan;
    const { numeric, impute, index, other } = this.tablePlan();
    const reader = new RowReader(plan.names);
    const vals = reader.values;
    const w = plan.width;
    const nr = read.length;
    for (let i = 0, off = 0; i < rows.length; i++, off += w) {
      reader.read(rows[i] as FeatureRecord);
      for (let r = 0; r < nr; r++) {
        const fi = read[r] as number;
        const v = vals[r];
        // Same missing-data rules as `encode` (`typeof v === ...` kept inline: V8 optimises that form).
        let miss =
          v === null ||
          (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') ||
          (typeof v === 'number' && !Number.isFinite(v));
        if (numeric[fi] === 1) {
          let num = impute[fi] as number;
          if (!miss) {
            const x = typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
            if (Number.isFinite(x)) num = x;
            else miss = true;
          }
          if ((valueSlot[fi] as number) >= 0) writeValue(plan, fi, num, off, out);
        } else {
          const k = miss
            ? -1
            : ((index[fi] as Map<string, number>).get(typeof v === 'string' ? v : String(v)) ??
              (other[fi] as number));
          writeCategory(plan, fi, k, off, out);
        }
        const is = indSlot[fi] as number;
        if (is >= 0) out[off + is] = miss ? (ind1[fi] as number) : (ind0[fi] as number);
      }
    }
  }

  /**
   * @internal Like {@link FeatureEncoder.encodeBins} for rows `[start, end)` of a columnar table
   * (the values of `encodeTable`, binned).
   */
  encodeTableBins(
    table: ChurnFeatureTable,
    start: number,
    end: number,
    plan: BinPlan,
    out: Uint8Array,
  ): void {
    const { read, valueSlot, indSlot } = plan;
    const w = plan.width;
    const index = this.tablePlan().index;
    for (let r = 0; r < read.length; r++) {
      const fi = read[r] as number;
      const f = this.features[fi] as EncodedFeature;
      const name = f.name;
      const is = indSlot[fi] as number;
      if (f.type === 'numeric') {
        const col = Object.hasOwn(table.columns, name) ? table.columns[name] : undefined;
        const mm = Object.hasOwn(table.missing, name) ? table.missing[name] : undefined;
        const vs = valueSlot[fi] as number;
        for (let i = start, off = 0; i < end; i++, off += w) {
          const v = col === undefined ? Number.NaN : (col[i] as number);
          const m = (mm !== undefined && mm[i] === 1) || !Number.isFinite(v);
          if (vs >= 0) writeValue(plan, fi, m ? f.impute : v, off, out);
          if (is >= 0) out[off + is] = m ? (plan.ind1[fi] as number) : (plan.ind0[fi] as number);
        }
      } else {
        const c = Object.hasOwn(table.categorical, name) ? table.categorical[name] : undefined;
        const map = index[fi] as Map<string, number>;
        const other = this.tablePlan().other[fi] as number;
        for (let i = start, off = 0; i < end; i++, off += w) {
          const v = c === undefined ? null : c[i];
          const m = v === null || v === undefined;
          writeCategory(plan, fi, m ? -1 : (map.get(v) ?? other), off, out);
          if (is >= 0) out[off + is] = m ? (plan.ind1[fi] as number) : (plan.ind0[fi] as number);
        }
      }
    }
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

/** Bins numeric feature `fi`'s encoded value (`v` before standardisation) into its slot. */
function writeValue(plan: BinPlan, fi: number, v: number, off: number, out: Uint8Array): void {
  const s = plan.valueSlot[fi] as number;
  const j = plan.valueColumn[fi] as number;
  // Same arithmetic as `encode`: (x − center) · (1 / scale), an identity for unstandardised columns.
  const x = plan.identity[j] === 1 ? v : (v - (plan.shift[j] as number)) * (plan.inv[j] as number);
  out[off + s] = binOf(plan.cuts, s, x);
}

/** Bins the one-hot columns of feature `fi` for category index `k` (-1: none). */
function writeCategory(plan: BinPlan, fi: number, k: number, off: number, out: Uint8Array): void {
  const end = plan.catStart[fi + 1] as number;
  for (let e = plan.catStart[fi] as number; e < end; e++)
    out[off + (plan.catSlot[e] as number)] =
      plan.catK[e] === k ? (plan.cat1[e] as number) : (plan.cat0[e] as number);
}
