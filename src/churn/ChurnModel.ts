import { checkOptions, ValidationError, type ValidationIssue } from '../_lib/errors';
import { isPlainObject, nullProtoObject } from '../_lib/safe';
import type { VitalsWarning } from '../types';
import { type BinPlan, binPlan, encodeBins, encodeTableBins } from './_binPlan';
import { readFeature } from './_rowReader';
import { isColumns, readTable, type TableView } from './_tableCheck';
import { encoderTable, tableRows } from './_tableInput';
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
import type { EncodedFeature, FeatureEncoder, FeatureEncoderSpec } from './FeatureEncoder';
import { applyCalibrator, type Calibrator, sigmoid } from './fitCalibrator';
import type { GradientBoostingFit } from './fitGradientBoosting';
import { readChurnModel } from './loadChurnModel';
import type {
  ChurnColumns,
  ChurnModelKind,
  ChurnPrediction,
  ChurnReason,
  ChurnTrainingTable,
  ChurnWarningCode,
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
  /** What the training data could not support (see `trainChurnModel`). @default [] */
  warnings?: VitalsWarning<ChurnWarningCode>[];
  /** Sensitive attributes kept out of the features (`trainChurnModel`'s `sensitive`). @default [] */
  sensitive?: readonly string[];
}

/** Options of {@link ChurnModel.predict}. */
export interface PredictOptions {
  /** Most reasons listed per customer (largest absolute contributions). @default 3 */
  maxReasons?: number;
}

/** One tree in JSON (see `FlatTree`). */
export interface FlatTreeJSON {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

/**
 * The JSON form of a model (`model.toJSON()`), read back by `loadChurnModel` / `ChurnModel.fromJSON`:
 * the envelope `{ model: 'churn', version: 1 }` and the model's fields.
 */
export interface ChurnModelJSON {
  model: 'churn';
  version: 1;
  kind: ChurnModelKind;
  encoder: FeatureEncoderSpec;
  bands: RiskBands;
  baseRate: number;
  nTrain: number;
  logistic?: { coefficients: number[]; intercept: number; l2: number };
  trees?: { initScore: number; calibrator: Calibrator; trees: FlatTreeJSON[] };
  warnings?: VitalsWarning<ChurnWarningCode>[];
  /** Sensitive attributes excluded from the features (absent in files written before the option). */
  sensitive?: string[];
}

const PREDICT_KEYS = ['maxReasons'] as const;

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
  /** What the training data could not support (codes documented on `trainChurnModel`); empty when all is well. */
  readonly warnings: VitalsWarning<ChurnWarningCode>[];
  /**
   * Sensitive attributes excluded from the features at training (`trainChurnModel`'s `sensitive`):
   * the model never reads them; audit its predictions by them with `auditFairness`. Empty when none.
   */
  readonly sensitive: readonly string[];
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
    this.warnings = (state.warnings ?? []).map((w) => ({ ...w }));
    this.sensitive = Object.freeze([...(state.sensitive ?? [])]);
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
   * Churn probabilities only (no reasons), in input order. Accepts scoring rows or, faster, a
   * columnar table (no per-cell property lookups): the table of `churnFeatures`, or any
   * {@link ChurnColumns}, including the {@link ChurnTrainingTable} a model was trained on (its
   * `churned` is ignored). A table scores exactly as the rows it stands for; a malformed one is a
   * located `ValidationError`. Tree models encode straight
   * into one byte per split column and walk the trees on those bins: exactly the probabilities of
   * scoring the encoded values (as `predict` does), several times faster.
   */
  predictProbabilities(input: readonly ScoringRow[] | ChurnFeatureTable | ChurnColumns): Float64Array {
    const view = readInput('ChurnModel.predictProbabilities', input, this.encoder);
    const d = this.encoder.width;
    const table = view === null ? null : encoderTable(this.encoder.features, view);
    const rows = table === null ? (input as readonly ScoringRow[]) : null;
    const n = view !== null ? view.n : (rows as readonly ScoringRow[]).length;
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
      const x = table !== null ? this.encoder.encodeColumns(table, start, end) : this.encoder.encode(records);
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
   * split, ≈ the training churn rate); `points = 100·contribution`. Takes the same tables as
   * {@link ChurnModel.predictProbabilities} (read as the rows they stand for).
   */
  predict(
    input: readonly ScoringRow[] | ChurnFeatureTable | ChurnColumns,
    options: PredictOptions = {},
  ): ChurnPrediction[] {
    checkOptions('ChurnModel.predict', options, PREDICT_KEYS);
    const view = readInput('ChurnModel.predict', input, this.encoder);
    const rows = view !== null ? tableRows(view) : (input as readonly ScoringRow[]);
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
      const { probability, logit, scale } = this.rowScore(x, off, colContrib, base);
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
      const rec = (rows[i] as ScoringRow).features as FeatureRecord;
      const reasons = this.reasons(order, featContrib, probability, logit, rec, maxReasons);
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

  /**
   * Probability and log-odds of the encoded row at `off`, its per-column contributions written to
   * `colContrib` (log-odds), and the scale that turns tree contributions into probability (1 for logistic).
   */
  private rowScore(
    x: Float64Array,
    off: number,
    colContrib: Float64Array,
    base: { logOdds: number; probability: number },
  ): { probability: number; logit: number; scale: number } {
    const d = this.encoder.width;
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
    return { probability, logit, scale };
  }

  /** Up to `maxReasons` reasons, largest |contribution| first (features in `order`), with their sentences. */
  private reasons(
    order: number[],
    featContrib: Float64Array,
    probability: number,
    logit: number,
    rec: FeatureRecord,
    maxReasons: number,
  ): ChurnReason[] {
    const feats = this.encoder.features;
    const reasons: ChurnReason[] = [];
    for (let k = 0; k < order.length && reasons.length < maxReasons; k++) {
      const f = order[k] as number;
      const c = featContrib[f] as number;
      if (c === 0) break;
      const name = (feats[f] as EncodedFeature).name;
      const points = this.logistic !== null ? 100 * (probability - sigmoid(logit - c)) : 100 * c;
      // Near p = 0 or 1 a real effect moves the probability by less than 0.05 points: say it in
      // odds (logistic), or leave it out rather than print "+0.0 points".
      const effect = effectText(points, this.logistic !== null ? c : 0, probability);
      if (effect === null) continue;
      const value = normaliseValue(readFeature(rec, name));
      reasons.push({
        feature: name,
        value,
        contribution: c,
        points,
        sentence: `${describeFeature(name, value)}: ${effect}`,
      });
    }
    return reasons;
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
      model: 'churn',
      version: 1,
      kind: this.kind,
      encoder: this.encoder.toJSON(),
      bands: { ...this.bands },
      baseRate: this.baseRate,
      nTrain: this.nTrain,
    };
    if (this.warnings.length > 0) json.warnings = this.warnings.map((w) => ({ ...w }));
    if (this.sensitive.length > 0) json.sensitive = [...this.sensitive];
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
   * Rebuilds a model from `toJSON()` output (or the earlier `{ format: 'customer-vitals/churn-model' }`
   * files): the same as {@link loadChurnModel}. The input is untrusted: it is validated with zod
   * (types, finite numbers, consistent lengths, tree links pointing forward and in range, bands with
   * medium <= high, a Platt slope >= 0, distinct feature names).
   * @throws ValidationError listing every problem found.
   */
  static fromJSON(json: unknown): ChurnModel {
    return readChurnModel(json, 'ChurnModel.fromJSON');
  }
}

/** `+12 points`; for a saturated probability the odds ratio of a log-odds effect (`odds ×9.5`); null when neither shows. */
function effectText(points: number, logOdds: number, probability: number): string | null {
  if (Math.abs(points) >= 0.05) return formatPoints(points);
  if (Math.abs(logOdds) < 0.05) return null;
  const ratio = Math.exp(logOdds);
  const shown = ratio >= 10 ? ratio.toPrecision(3) : ratio >= 0.1 ? ratio.toFixed(2) : ratio.toPrecision(2);
  return `odds ×${Number(shown)} (the probability is already near ${probability >= 0.5 ? 100 : 0}%)`;
}

/**
 * Input to score: a table (an object with `columns` or `customerIds`: checked, the cells of the
 * encoder's features included; its view returned) or an array of `{ features }` objects (checked;
 * null returned); anything else is located.
 */
function readInput(fn: string, input: unknown, encoder: FeatureEncoder): TableView | null {
  if (isColumns(input)) return readTable(fn, input, false, new Set(encoder.features.map((f) => f.name)));
  checkRows(fn, input);
  return null;
}

/** Rows to score: an array of `{ features }` objects; anything else is located. */
function checkRows(fn: string, input: unknown): void {
  if (!Array.isArray(input)) {
    const got = input === null ? 'null' : typeof input;
    throw new ValidationError(fn, [
      {
        path: [],
        code: 'invalid_type',
        message: `rows must be an array of { features } or a feature table, got ${got}`,
      },
    ]);
  }
  const issues: ValidationIssue[] = [];
  for (let i = 0; i < input.length && issues.length < 20; i++) {
    const r = input[i] as ScoringRow | null | undefined;
    if (r === null || typeof r !== 'object')
      issues.push({
        index: i,
        path: [],
        code: 'invalid_type',
        message: 'row must be an object { features }',
      });
    else if (!isPlainObject(r.features))
      issues.push({
        index: i,
        path: ['features'],
        code: 'invalid_type',
        message: 'features must be a plain object',
      });
  }
  if (issues.length > 0) throw new ValidationError(fn, issues);
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
