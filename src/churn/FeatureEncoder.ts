import { InsufficientDataError } from '../_lib/errors';
import type { DesignArena } from './_design';
import {
  type EncodingFit,
  type EncodingNotes,
  encodingOfCells,
  fitEncoding,
  MAX_CATEGORIES,
  type MatrixAlloc,
  MISSING_VALUE,
  OTHER_CATEGORY,
  plainMatrix,
} from './_fitEncoder';
import { cellCategory, cellNumber, RowReader } from './_rowReader';
import { readTable, type TableView } from './_tableCheck';
import { encoderTable, readTableCells } from './_tableInput';
import type { ChurnFeatureTable } from './churnFeatures';
import type { ChurnColumns, FeatureRecord } from './types';

export { MISSING_VALUE, OTHER_CATEGORY };

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

/**
 * Largest |encoded value| in linear mode (tree mode keeps raw values): a scored cell beyond 1e150 standard deviations from the training mean
 * (hostile or broken input, e.g. 1e308 where training saw ~1) is encoded as ±1e150, so encoded
 * values, log-odds and contributions stay finite (an Infinity times a zero coefficient is NaN).
 * Training cells are never near it (a cell is at most √n deviations from its column's mean).
 */
const MAX_ENCODED = 1e150;

/**
 * Standardises the encoded row at `off` in place: `(x − shift) · inv` (no shift: `x · inv`; identity:
 * as it is), clamped to ±{@link MAX_ENCODED} in linear mode (`clamp`).
 */
function scaleRow(
  out: Float64Array,
  off: number,
  d: number,
  shift: Float64Array | null,
  inv: Float64Array,
  identity: boolean,
  clamp: boolean,
): void {
  if (identity && !clamp) return;
  for (let j = 0; j < d; j++) {
    let v = out[off + j] as number;
    if (!identity) v = (v - (shift === null ? 0 : (shift[j] as number))) * (inv[j] as number);
    if (clamp) v = v > MAX_ENCODED ? MAX_ENCODED : v < -MAX_ENCODED ? -MAX_ENCODED : v;
    out[off + j] = v;
  }
}

/** Options of {@link FeatureEncoder.fit}. */
export interface FeatureEncoderOptions {
  /** Most categories kept per string feature; the rest share an `(other)` column. @default 30 */
  maxCategories?: number;
  /** Encoding for a linear model or for trees. @default 'linear' */
  mode?: EncoderMode;
}

/** @internal Per-feature layout of an encoded row (see `FeatureEncoder.tablePlan`). */
export interface TablePlan {
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
  ): { encoder: FeatureEncoder; uncentred: Float64Array; notes: EncodingNotes } {
    const { encoder, uncentred, notes, altered } = fitTransformInto(rows, options);
    // The fit's own matrix centres far-from-zero columns and zeroes constant ones; this method
    // promises plain `x / scale` (a second pass only then).
    return { encoder, uncentred: altered ? encoder.encode(rows, { center: false }) : uncentred, notes };
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
   * column, or `x / scale` with `center: false` (keeps one-hot zeros sparse; used for fitting);
   * values beyond ±1e150 are clamped there (hostile cells; never a training cell), so every value
   * is finite.
   */
  encode(rows: readonly FeatureRecord[], options: { center?: boolean } = {}): Float64Array {
    const center = options.center ?? true;
    const d = this.columns.length;
    const out = new Float64Array(rows.length * d);
    const nf = this.features.length;
    const { numeric, first, indicator, impute, index, other, shift, inv } = this.tablePlan();
    const identity = this.columns.every((c) => c.scale === 1 && (!center || c.center === 0));
    const linear = this.mode === 'linear';
    const reader = new RowReader(this.features.map((f) => f.name));
    const vals = reader.values;
    for (let i = 0, off = 0; i < rows.length; i++, off += d) {
      reader.read(rows[i] as FeatureRecord);
      for (let fi = 0; fi < nf; fi++) {
        const v = vals[fi];
        const j0 = off + (first[fi] as number);
        const ind = indicator[fi] as number;
        if (numeric[fi] === 1) {
          const x = cellNumber(v);
          const m = Number.isNaN(x);
          out[j0] = m ? (impute[fi] as number) : x;
          if (ind >= 0 && m) out[off + ind] = 1;
        } else {
          const key = cellCategory(v);
          if (key === null) {
            if (ind >= 0) out[off + ind] = 1;
          } else {
            const k = (index[fi] as Map<string, number>).get(key) ?? (other[fi] as number);
            if (k >= 0) out[j0 + k] = 1;
          }
        }
      }
      scaleRow(out, off, d, center ? shift : null, inv, identity, linear);
    }
    return out;
  }

  /**
   * Encodes rows `[start, end)` of a columnar feature table (as returned by `churnFeatures`, or any
   * {@link ChurnColumns}): the fast path, with no per-cell property lookups. Same result as
   * encoding the rows the table stands for (`encode(featureRows(table))` for a `churnFeatures`
   * table): each cell means what it means in a row; a feature absent from the table is missing.
   * @throws ValidationError when the table is malformed (located, as `trainChurnModel` reports it).
   */
  encodeTable(table: ChurnColumns, start = 0, end?: number): Float64Array {
    const view = readTable(
      'FeatureEncoder.encodeTable',
      table,
      false,
      new Set(this.features.map((f) => f.name)),
    );
    const last = Math.min(view.n, end ?? view.n);
    return this.encodeColumns(encoderTable(this.features, view), Math.max(0, start), last);
  }

  /**
   * @internal Rows `[start, end)` of a table already in the encoder's terms (`encoderTable`: each
   * feature under its name, typed for its kind).
   */
  encodeColumns(table: ChurnFeatureTable, start: number, end: number): Float64Array {
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
    const linear = this.mode === 'linear';
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
          const v = c === undefined ? null : cellCategory(c[r]);
          const m = v === null;
          if (!m) {
            const k = (index[fi] as Map<string, number>).get(v) ?? (other[fi] as number);
            if (k >= 0) out[j0 + k] = 1;
          }
          if (ind >= 0) out[off + ind] = m ? 1 : 0;
        }
      }
      scaleRow(out, off, d, shift, inv, plan.identity, linear);
    }
    return out;
  }

  private plan: TablePlan | undefined;

  /** @internal Per-feature layout of the encoded row, computed once. */
  tablePlan(): TablePlan {
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

/**
 * `FeatureEncoder.fitTransform` with the training matrix allocated by `alloc` (internal:
 * `trainChurnModel` builds it in the logistic kernels' memory) and its count of non-zero cells
 * (linear mode; -1 in tree mode).
 */
export function fitTransformInto(
  rows: readonly FeatureRecord[],
  options: FeatureEncoderOptions = {},
  alloc?: MatrixAlloc,
): {
  encoder: FeatureEncoder;
  uncentred: Float64Array;
  notes: EncodingNotes;
  nnz: number;
  arena: DesignArena | null;
  /** What was subtracted from each column of `uncentred` before scaling (see `EncodingFit.shift`). */
  shift: Float64Array | null;
  /** Some column of `uncentred` is centred or zeroed (see `EncodingFit.altered`). */
  altered: boolean;
} {
  const maxCategories = Math.min(MAX_CATEGORIES, options.maxCategories ?? 30);
  const mode = options.mode ?? 'linear';
  const fit = fitEncoding(rows, maxCategories, mode, undefined, alloc);
  return fitResult(mode, fit);
}

/** What {@link fitTransformInto} and {@link fitTableInto} return for an encoding fit. */
function fitResult(mode: EncoderMode, fit: EncodingFit): ReturnType<typeof fitTransformInto> {
  return {
    encoder: new FeatureEncoder({ mode, features: fit.features, columns: fit.columns }),
    uncentred: fit.matrix,
    notes: fit.notes,
    nnz: fit.nnz,
    arena: fit.arena,
    shift: fit.shift,
    altered: fit.altered,
  };
}

/**
 * {@link fitTransformInto} for a checked table (internal: `trainChurnModel`): its columns `names`
 * (sorted) read column by column into the cell cache, then encoded as the equivalent rows would be.
 */
export function fitTableInto(
  view: TableView,
  names: readonly string[],
  options: { maxCategories: number; mode: EncoderMode },
  alloc?: MatrixAlloc,
): ReturnType<typeof fitTransformInto> {
  if (view.n === 0)
    throw new InsufficientDataError('trainChurnModel', 'no training rows', { available: 0, required: 1 });
  const maxCategories = Math.min(MAX_CATEGORIES, options.maxCategories);
  const { mode } = options;
  const cells = readTableCells(view, names, mode === 'linear' && alloc !== undefined ? alloc : plainMatrix);
  const fit = encodingOfCells(names, cells, view.n, maxCategories, mode, alloc);
  return fitResult(mode, fit);
}
