import * as z from 'zod';
import { ValidationError, zodIssues } from '../_lib/errors';
import { nullProtoObject } from '../_lib/safe';
import { type BinPlan, binPlan, encodeBins, encodeTableBins } from './_binPlan';
import { readFeature } from './_rowReader';
import {
  type BinnedEnsemble,
  binEnsemble,
  ensembleBase,
  type PackedEnsemble,
  packEnsemble,
  scoreBinnedBlock,
  scorePacked,
  scorePackedBlock,
  scoreTrees,
} from './_treeScoring';
import type { ChurnFeatureTable } from './churnFeatures';
import { describeFeature, formatPoints } from './describeFeature';
import { type EncodedFeature, FeatureEncoder, type FeatureEncoderSpec } from './FeatureEncoder';
import { featureRows } from './featureRows';
import { applyCalibrator, type Calibrator, sigmoid } from './fitCalibrator';
import type { FlatTree, GradientBoostingFit } from './fitGradientBoosting';
import type {
  ChurnModelKind,
  ChurnPrediction,
  ChurnReason,
  FeatureRecord,
  RiskBand,
  RiskBands,
  ScoringRow,
} from './types';

/** Logistic part of a model: coefficients on the standardised encoded columns. */
export interface LogisticParams {
  coefficients: Float64Array;
  intercept: number;
  l2: number;
}

/** Tree part of a model: the boosted ensemble and its calibrator. */
export interface TreeParams {
  ensemble: GradientBoostingFit;
  calibrator: Calibrator;
}

/** Everything a {@link ChurnModel} is made of. */
export interface ChurnModelState {
  kind: ChurnModelKind;
  encoder: FeatureEncoder;
  bands: RiskBands;
  /** Churn rate of the training rows. */
  baseRate: number;
  /** Training rows. */
  nTrain: number;
  logistic: LogisticParams | null;
  trees: TreeParams | null;
}

/** Options of {@link ChurnModel.predict}. */
export interface PredictOptions {
  /** Most reasons listed per customer (largest absolute contributions). @default 3 */
  maxReasons?: number;
}

/** The JSON form of a model (`model.toJSON()`), validated by `ChurnModel.fromJSON`. */
export type ChurnModelJSON = z.infer<typeof modelSchema>;

const MAX_LOGIT = 36;

/**
 * A trained churn model: a feature encoder plus either an L2 logistic regression or a calibrated
 * boosted tree ensemble. Scores rows (`predictProbabilities`), explains them (`predict`: probability,
 * risk band, per-feature contributions and sentences), and round-trips through JSON.
 *
 * Missing-data policy: feature values that are `null`, absent or non-finite are missing; they are
 * imputed with the training mean (numbers) or encoded as no category, plus the missing indicator
 * the model learned. Unknown features are ignored; unseen categories encode as all zeros.
 *
 * @example
 * ```ts
 * const model = trainChurnModel(rows);
 * const [p] = model.predict([{ customerId: 'acme', features: { tickets30d: 3, npsLatest: 4 } }]);
 * p.probability; // => 0.31 (depends on the training rows)
 * p.reasons[0].sentence; // => '3 tickets in the last 30 days: +12 points'
 * ```
 */
export class ChurnModel {
  readonly kind: ChurnModelKind;
  readonly encoder: FeatureEncoder;
  readonly bands: RiskBands;
  readonly baseRate: number;
  readonly nTrain: number;
  readonly logistic: LogisticParams | null;
  readonly trees: TreeParams | null;
  /** Raw score before any split (trees) or the intercept (logistic). */
  private readonly rawBase: number;
  private readonly packed: PackedEnsemble | null;
  /** Trees routed on bins, and how the encoder bins rows for them (null: score `packed`). */
  private readonly binned: { ensemble: BinnedEnsemble; plan: BinPlan } | null;

  constructor(state: ChurnModelState) {
    this.kind = state.kind;
    this.encoder = state.encoder;
    this.bands = state.bands;
    this.baseRate = state.baseRate;
    this.nTrain = state.nTrain;
    this.logistic = state.logistic;
    this.trees = state.trees;
    this.packed = state.trees ? packEnsemble(state.trees.ensemble) : null;
    const be = this.packed !== null ? binEnsemble(this.packed) : null;
    const plan = be !== null ? binPlan(state.encoder, be) : null;
    this.binned = be !== null && plan !== null ? { ensemble: be, plan } : null;
    this.rawBase =
      state.logistic !== null
        ? state.logistic.intercept
        : state.trees
          ? ensembleBase(state.trees.ensemble)
          : 0;
  }

  /** Names of the original features the model reads. */
  get featureNames(): string[] {
    return this.encoder.features.map((f) => f.name);
  }

  /**
   * Churn probabilities only (no reasons), in input order. Accepts scoring rows or, faster, the
   * columnar table of `churnFeatures` (no per-cell property lookups). Tree models encode straight
   * into one byte per split column and walk the trees on those bins: exactly the probabilities of
   * scoring the encoded values (as `predict` does), several times faster.
   */
  predictProbabilities(input: readonly ScoringRow[] | ChurnFeatureTable): Float64Array {
    const d = this.encoder.width;
    const table = isTable(input) ? input : null;
    const rows = table === null ? (input as readonly ScoringRow[]) : null;
    const n = table !== null ? table.customerIds.length : (rows as readonly ScoringRow[]).length;
    const out = new Float64Array(n);
    // Encode and score in chunks: the encoded block stays in cache and memory stays small.
    const CHUNK = 1024;
    const records: FeatureRecord[] = [];
    const binned = this.binned;
    // Trees: rows go straight into one byte per split column (no encoded matrix).
    const bins = binned !== null ? new Uint8Array(CHUNK * binned.plan.width) : null;
    for (let start = 0; start < n; start += CHUNK) {
      const end = Math.min(n, start + CHUNK);
      if (table === null) {
        records.length = end - start;
        for (let i = start; i < end; i++)
          records[i - start] = ((rows as readonly ScoringRow[])[i] as ScoringRow).features;
      }
      if (binned !== null) {
        const raw = out.subarray(start, end);
        const b = bins as Uint8Array;
        if (table !== null) encodeTableBins(this.encoder, table, start, end, binned.plan, b);
        else encodeBins(this.encoder, records, binned.plan, b);
        scoreBinnedBlock(binned.ensemble, b, end - start, raw);
        this.calibrate(raw);
        continue;
      }
      const x = table !== null ? this.encoder.encodeTable(table, start, end) : this.encoder.encode(records);
      if (this.packed !== null) {
        const raw = out.subarray(start, end);
        scorePackedBlock(this.packed, x, end - start, d, raw);
        this.calibrate(raw);
      } else {
        for (let i = start; i < end; i++) out[i] = this.probabilityAt(x, (i - start) * d);
      }
    }
    return out;
  }

  /** Tree models: raw scores to calibrated probabilities, in place. */
  private calibrate(raw: Float64Array): void {
    const cal = (this.trees as TreeParams).calibrator;
    for (let i = 0; i < raw.length; i++) raw[i] = applyCalibrator(cal, raw[i] as number);
  }

  /** Churn probabilities of a row-major matrix already encoded with `model.encoder`. */
  probabilitiesOfEncoded(x: Float64Array): Float64Array {
    const d = this.encoder.width;
    const n = d === 0 ? 0 : x.length / d;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.probabilityAt(x, i * d);
    return out;
  }

  private probabilityAt(x: Float64Array, off: number): number {
    if (this.logistic !== null) {
      const w = this.logistic.coefficients;
      let e = this.logistic.intercept;
      for (let j = 0; j < w.length; j++) e += (w[j] as number) * (x[off + j] as number);
      return sigmoid(e);
    }
    const t = this.trees as TreeParams;
    return applyCalibrator(t.calibrator, scorePacked(this.packed as PackedEnsemble, x, off));
  }

  /** Risk band of a probability. */
  band(probability: number): RiskBand {
    return probability >= this.bands.high ? 'high' : probability >= this.bands.medium ? 'medium' : 'low';
  }

  /**
   * Scores and explains rows. Logistic: `logOdds = intercept + Σ contributions`, a feature's
   * contribution being `Σ βⱼ·zⱼ` over its encoded columns (zⱼ standardised, so 0 = training mean);
   * its `points` are `100·(p − σ(logOdds − contribution))`, the drop in risk if that feature were
   * average. Trees: Saabas path attribution in log-odds, rescaled by `(p − p₀)/(raw − raw₀)` so that
   * contributions sum exactly to `probability − base.probability` (p₀ = calibrated score before any
   * split, ≈ the training churn rate); `points = 100·contribution`.
   */
  predict(input: readonly ScoringRow[] | ChurnFeatureTable, options: PredictOptions = {}): ChurnPrediction[] {
    const rows = isTable(input) ? featureRows(input) : input;
    const maxReasons = options.maxReasons ?? 3;
    const enc = this.encoder;
    const d = enc.width;
    const x = enc.encode(rows.map((r) => r.features));
    const cols = enc.columns;
    const feats = enc.features;
    const colContrib = new Float64Array(d);
    const featContrib = new Float64Array(feats.length);
    const out: ChurnPrediction[] = [];
    const base = this.basePoint();
    for (let i = 0; i < rows.length; i++) {
      const off = i * d;
      colContrib.fill(0);
      featContrib.fill(0);
      let probability: number;
      let logit: number;
      let scale = 1;
      if (this.logistic !== null) {
        const w = this.logistic.coefficients;
        let e = this.logistic.intercept;
        for (let j = 0; j < d; j++) {
          colContrib[j] = (w[j] as number) * (x[off + j] as number);
          e += colContrib[j] as number;
        }
        probability = sigmoid(e);
        logit = e;
      } else {
        const t = this.trees as TreeParams;
        const raw = scoreTrees(t.ensemble, x, off, colContrib);
        probability = applyCalibrator(t.calibrator, raw);
        logit = clampLogit(probability);
        const dr = raw - this.rawBase;
        if (Math.abs(dr) > 1e-12) scale = (probability - base.probability) / dr;
        else {
          const hstep = 1e-6;
          scale = (applyCalibrator(t.calibrator, this.rawBase + hstep) - base.probability) / hstep;
        }
      }
      for (let j = 0; j < d; j++) {
        const f = (cols[j] as { feature: number }).feature;
        featContrib[f] = (featContrib[f] as number) + (colContrib[j] as number) * scale;
      }
      const contributions = nullProtoObject<number>();
      const order: number[] = [];
      for (let f = 0; f < feats.length; f++) {
        contributions[(feats[f] as EncodedFeature).name] = featContrib[f] as number;
        order.push(f);
      }
      order.sort((a, b) => Math.abs(featContrib[b] as number) - Math.abs(featContrib[a] as number) || a - b);
      const reasons: ChurnReason[] = [];
      const rec = (rows[i] as ScoringRow).features;
      for (let k = 0; k < order.length && reasons.length < maxReasons; k++) {
        const f = order[k] as number;
        const c = featContrib[f] as number;
        if (c === 0) break;
        const name = (feats[f] as EncodedFeature).name;
        const points = this.logistic !== null ? 100 * (probability - sigmoid(logit - c)) : 100 * c;
        const value = normaliseValue(readFeature(rec as FeatureRecord, name));
        reasons.push({
          feature: name,
          value,
          contribution: c,
          points,
          sentence: `${describeFeature(name, value)}: ${formatPoints(points)}`,
        });
      }
      out.push({
        customerId: (rows[i] as ScoringRow).customerId,
        probability,
        logOdds: logit,
        band: this.band(probability),
        base,
        contributions,
        reasons,
      });
    }
    return out;
  }

  /** Reference point of the contributions (see {@link ChurnPrediction.base}). */
  basePoint(): { logOdds: number; probability: number } {
    if (this.logistic !== null)
      return { logOdds: this.logistic.intercept, probability: sigmoid(this.logistic.intercept) };
    const p = applyCalibrator((this.trees as TreeParams).calibrator, this.rawBase);
    return { logOdds: clampLogit(p), probability: p };
  }

  /** Plain JSON form: arrays of numbers, no class instances. */
  toJSON(): ChurnModelJSON {
    const json: ChurnModelJSON = {
      format: 'customer-vitals/churn-model',
      version: 1,
      kind: this.kind,
      encoder: this.encoder.toJSON(),
      bands: { ...this.bands },
      baseRate: this.baseRate,
      nTrain: this.nTrain,
    };
    if (this.logistic !== null) {
      json.logistic = {
        coefficients: Array.from(this.logistic.coefficients),
        intercept: this.logistic.intercept,
        l2: this.logistic.l2,
      };
    }
    if (this.trees !== null) {
      json.trees = {
        initScore: this.trees.ensemble.initScore,
        calibrator: this.trees.calibrator,
        trees: this.trees.ensemble.trees.map((t) => ({
          feature: Array.from(t.feature),
          threshold: Array.from(t.threshold),
          left: Array.from(t.left),
          right: Array.from(t.right),
          value: Array.from(t.value),
        })),
      };
    }
    return json;
  }

  /**
   * Rebuilds a model from `toJSON()` output. The input is untrusted: it is validated with zod
   * (types, finite numbers, consistent lengths, tree links pointing forward and in range).
   * @throws ValidationError listing every problem found.
   */
  static fromJSON(json: unknown): ChurnModel {
    const parsed = modelSchema.safeParse(json);
    if (!parsed.success) {
      throw new ValidationError('ChurnModel.fromJSON', zodIssues(parsed.error), 'model JSON');
    }
    const m = parsed.data;
    const spec: FeatureEncoderSpec = {
      mode: m.encoder.mode,
      features: m.encoder.features.map((f) => ({ ...f, categories: [...f.categories] })),
      columns: m.encoder.columns.map((c) => {
        const col: FeatureEncoderSpec['columns'][number] = {
          feature: c.feature,
          kind: c.kind,
          center: c.center,
          scale: c.scale,
        };
        if (c.category !== undefined) col.category = c.category;
        return col;
      }),
    };
    return new ChurnModel({
      kind: m.kind,
      encoder: new FeatureEncoder(spec),
      bands: { ...m.bands },
      baseRate: m.baseRate,
      nTrain: m.nTrain,
      logistic: m.logistic
        ? {
            coefficients: Float64Array.from(m.logistic.coefficients),
            intercept: m.logistic.intercept,
            l2: m.logistic.l2,
          }
        : null,
      trees: m.trees
        ? {
            calibrator: m.trees.calibrator as Calibrator,
            ensemble: {
              initScore: m.trees.initScore,
              trees: m.trees.trees.map(
                (t): FlatTree => ({
                  feature: Int32Array.from(t.feature),
                  threshold: Float64Array.from(t.threshold),
                  left: Int32Array.from(t.left),
                  right: Int32Array.from(t.right),
                  value: Float64Array.from(t.value),
                }),
              ),
            },
          }
        : null,
    });
  }
}

function isTable(input: readonly ScoringRow[] | ChurnFeatureTable): input is ChurnFeatureTable {
  return !Array.isArray(input) && typeof input === 'object' && input !== null && 'customerIds' in input;
}

function clampLogit(p: number): number {
  if (p <= 0) return -MAX_LOGIT;
  if (p >= 1) return MAX_LOGIT;
  return Math.max(-MAX_LOGIT, Math.min(MAX_LOGIT, Math.log(p / (1 - p))));
}

function normaliseValue(v: unknown): ChurnReason['value'] {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  return null;
}

// ---- JSON schema (untrusted input) -------------------------------------------------------------

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const int = z.number().int();
const featureSchema = z.object({
  name: z.string().max(1000),
  type: z.enum(['numeric', 'categorical']),
  impute: finite,
  categories: z.array(z.string().max(1000)).max(10_000),
  missingIndicator: z.boolean(),
});
const columnSchema = z.object({
  feature: int.min(0),
  kind: z.enum(['value', 'category', 'missing']),
  category: z.string().max(1000).optional(),
  center: finite,
  scale: finite.refine((v) => v > 0, 'must be > 0'),
});
const treeSchema = z.object({
  feature: z.array(int.min(-1)).min(1),
  threshold: z.array(finite),
  left: z.array(int.min(-1)),
  right: z.array(int.min(-1)),
  value: z.array(finite),
});
const calibratorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('platt'), a: finite, b: finite }),
  z.object({
    kind: z.literal('isotonic'),
    x: z.array(finite).min(1),
    y: z.array(finite.min(0).max(1)).min(1),
  }),
]);
const modelSchema = z
  .object({
    format: z.literal('customer-vitals/churn-model'),
    version: z.literal(1),
    kind: z.enum(['logistic', 'trees']),
    encoder: z.object({
      mode: z.enum(['linear', 'tree']),
      features: z.array(featureSchema),
      columns: z.array(columnSchema),
    }),
    bands: z.object({ medium: finite.min(0).max(1), high: finite.min(0).max(1) }),
    baseRate: finite.min(0).max(1),
    nTrain: int.min(0),
    logistic: z.object({ coefficients: z.array(finite), intercept: finite, l2: finite.min(0) }).optional(),
    trees: z
      .object({ initScore: finite, calibrator: calibratorSchema, trees: z.array(treeSchema).max(100_000) })
      .optional(),
  })
  .superRefine((m, ctx) => {
    const add = (path: (string | number)[], message: string): void => {
      ctx.addIssue({ code: 'custom', path, message });
    };
    const nf = m.encoder.features.length;
    const d = m.encoder.columns.length;
    m.encoder.columns.forEach((c, j) => {
      if (c.feature >= nf)
        add(['encoder', 'columns', j, 'feature'], `feature index ${c.feature} out of range`);
      const f = m.encoder.features[c.feature];
      if (c.kind === 'category' && (c.category === undefined || !f?.categories.includes(c.category)))
        add(['encoder', 'columns', j, 'category'], 'category column names no category of its feature');
    });
    if (m.kind === 'logistic') {
      if (!m.logistic) add(['logistic'], 'a logistic model needs "logistic"');
      else if (m.logistic.coefficients.length !== d)
        add(['logistic', 'coefficients'], `${m.logistic.coefficients.length} coefficients for ${d} columns`);
    } else if (!m.trees) add(['trees'], 'a tree model needs "trees"');
    else {
      const cal = m.trees.calibrator;
      if (cal.kind === 'isotonic') {
        if (cal.x.length !== cal.y.length) add(['trees', 'calibrator'], 'isotonic x and y differ in length');
        for (let k = 1; k < cal.x.length; k++) {
          if (
            (cal.x[k] as number) < (cal.x[k - 1] as number) ||
            (cal.y[k] as number) < (cal.y[k - 1] as number)
          ) {
            add(['trees', 'calibrator'], 'isotonic calibrator is not monotone');
            break;
          }
        }
      }
      m.trees.trees.forEach((t, ti) => {
        const len = t.feature.length;
        if (
          t.threshold.length !== len ||
          t.left.length !== len ||
          t.right.length !== len ||
          t.value.length !== len
        ) {
          add(['trees', 'trees', ti], 'node arrays differ in length');
          return;
        }
        for (let k = 0; k < len; k++) {
          const f = t.feature[k] as number;
          if (f < 0) continue;
          const l = t.left[k] as number;
          const r = t.right[k] as number;
          if (f >= d) add(['trees', 'trees', ti, 'feature', k], `column ${f} out of range`);
          // Children point strictly forward: no cycles, every walk ends at a leaf.
          if (!(l > k && l < len && r > k && r < len))
            add(['trees', 'trees', ti, 'left', k], 'child index must point forward and be in range');
        }
      });
    }
  });
