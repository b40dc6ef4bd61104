import { checkOptions } from '../_lib/errors';
import { createRng } from '../_lib/random';
import { isPlainObject } from '../_lib/safe';
import { findProxyFeatures, type ProxyRow } from '../fairness/findProxyFeatures';
import type { SeedOptions, VitalsWarning } from '../types';
import { canonicalOrder } from './_boostData';
import { arenaMatrix } from './_design';
import type { EncodingNotes } from './_fitEncoder';
import { fromRows, fromTable } from './_trainingData';
import { scoreRowsAt } from './_treeScoring';
import { ChurnModel } from './ChurnModel';
import { type Calibrator, fitCalibrator } from './fitCalibrator';
import {
  fitGradientBoosting,
  fitGradientBoostingInOrder,
  type GradientBoostingFit,
  type GradientBoostingOptions,
} from './fitGradientBoosting';
import { fitEncodedLogistic } from './fitLogisticRegression';
import type { ChurnModelKind, ChurnRow, ChurnTrainingTable, ChurnWarningCode, RiskBands } from './types';

/** Options of {@link trainChurnModel}. */
export interface TrainChurnModelOptions extends SeedOptions {
  /** Model family. @default 'logistic' */
  model?: ChurnModelKind;
  /**
   * Logistic: L2 penalty λ on the standardised coefficients; scikit-learn's `C` is `1/λ`, so the
   * default is `C = 0.1`, stronger than scikit-learn's default `C = 1`: churn features are many and
   * correlated (activity in 7/30/90 days, active days, users), and on the generated SaaS sample
   * λ = 10 gave a better out-of-time AUC and Brier score than λ = 1 (0.935 vs 0.915, 0.025 vs 0.030)
   * and steadier reasons (fewer offsetting coefficients).
   * @default 10
   */
  l2?: number;
  /** Trees: boosting settings (100 trees, learning rate 0.1, 15 leaves, ...). @default {} */
  trees?: GradientBoostingOptions;
  /**
   * Trees: probability calibration, fitted on held-out scores: the ensemble is trained on a
   * stratified, seeded 80% of the rows and the calibrator on the other 20% (one ensemble, no
   * cross-fitting). When that slice is too small to calibrate (fewer than 10 rows or fewer than 2 of
   * either class), the ensemble is trained on every row, left uncalibrated, and a
   * `calibration_skipped` warning says so.
   * @default 'platt'
   */
  calibration?: 'platt' | 'isotonic' | 'none';
  /** Seed for row sampling and the calibration split. @default 1 */
  seed?: number | string;
  /** Risk-band thresholds on the probability. @default { medium: 0.2, high: 0.5 } */
  bands?: Partial<RiskBands>;
  /** Most one-hot categories per string feature (at most 1,000; rarer levels share `(other)`). @default 30 */
  maxCategories?: number;
  /**
   * Sensitive attributes (feature names, e.g. `['gender', 'region']`) kept out of the model: they are
   * removed from every row's features before encoding, so the model never reads them (and ignores
   * them when scoring rows that still hold them); their names are kept in `model.sensitive` and its
   * JSON so the rows can still be audited by them (`auditFairness`). Each name must occur in at
   * least one row (a typo would otherwise leave the attribute in). Every remaining feature whose
   * association with an attribute (`findProxyFeatures`: correlation ratio η for numbers, Cramér's V
   * for text and flags) reaches `proxyThreshold` is reported as a `proxy_feature` warning: it can
   * carry the attribute back into the model.
   * @default []
   */
  sensitive?: string[];
  /** Association in [0, 1] at or above which a feature is reported as a proxy of a `sensitive` attribute. @default 0.3 */
  proxyThreshold?: number;
}

const FN = 'trainChurnModel';
/** Every option of trainChurnModel (crossValidate passes them on, so it checks the same list). */
export const TRAIN_OPTION_KEYS = [
  'model',
  'l2',
  'trees',
  'calibration',
  'seed',
  'bands',
  'maxCategories',
  'sensitive',
  'proxyThreshold',
] as const;
/** Default of `proxyThreshold`: the `threshold` default of `findProxyFeatures`. */
const PROXY_THRESHOLD = 0.3;
/** Most `proxy_feature` warnings listed one by one. */
const MAX_PROXY_WARNINGS = 50;
/** Share of the rows held out to calibrate a tree ensemble. */
const HOLD_OUT = 0.2;
/** Churners (or stayers, whichever is rarer) per encoded column below which a warning is given. */
const EVENTS_PER_COLUMN = 10;

/**
 * Trains a churn model on a feature table: one-hot encodes strings, turns booleans into 0/1, reads
 * numeric text (`"29.85"`) as numbers by the rule `parseEvents` applies to `value`, imputes missing
 * numbers with the training mean plus a missing-indicator column, standardises every column, then
 * fits either an L2 logistic regression by Newton's method (the default; exact optimum, matches
 * scikit-learn's `LogisticRegression(C = 1/l2)` on the standardised matrix, intercept unpenalised)
 * or a histogram gradient-boosted tree ensemble with Platt or isotonic calibration on a held-out
 * 20%. The same rows in another order give the same tree model (see `fitGradientBoosting`).
 *
 * Warnings (`model.warnings`, each `{ code, message }`):
 * - `few_churners_per_feature`: fewer than 10 churners (or stayers, the rarer class) per encoded
 *   column: the coefficients or splits may be overfitted and unstable.
 * - `rare_class`: the rarer class is under 1% of the rows.
 * - `mixed_types`: a column holds both numbers and text; it was encoded as categories.
 * - `categories_capped`: a column has more levels than `maxCategories`; the rarest share `(other)`.
 * - `calibration_skipped`: trees, too few held-out rows to calibrate; probabilities are uncalibrated.
 * - `calibration_flat`: trees, the held-out scores do not rank churners above stayers (Platt slope
 *   ≤ 0): every probability is the held-out churn rate.
 * - `proxy_feature`: with `sensitive`, a remaining feature is associated with a sensitive attribute
 *   at or above `proxyThreshold` (e.g. "tenureDays is associated with gender (Cramér's V 0.41): it
 *   can act as a proxy"); drop it or justify it, and audit by the attribute.
 *
 * Missing-data policy: feature values may be `null`/absent/non-finite/blank text (see
 * `FeatureEncoder`); rows themselves must be objects with a boolean `churned`, otherwise a
 * `ValidationError` lists them.
 *
 * Training from columns: the input may be a {@link ChurnTrainingTable} instead of rows — numeric
 * columns by name (`Float64Array`, fastest, or arrays of numbers and nulls), optional `categorical`
 * text columns and `missing` masks, and `churned` (a `Uint8Array` of 0/1 or booleans); a
 * `churnFeatures` table plus its labels goes in as it is. The columns are read straight into the
 * encoder (no row objects, no per-cell property lookup), and the model is bit-identical to the one
 * the equivalent rows give (same cells, same warnings, same `sensitive` handling). Wrong types,
 * lengths or cells, unknown keys, a name in both `columns` and `categorical` and bad labels are
 * reported as located `ValidationError` issues (`['columns', 'mrr', 3]`).
 *
 * @param input labelled rows `{ features, churned }`, or a {@link ChurnTrainingTable}.
 * @param options see {@link TrainChurnModelOptions}.
 * @returns a {@link ChurnModel}.
 * @throws ValidationError on malformed rows or options (unknown option keys included).
 * @throws InsufficientDataError when there are no rows or only one class.
 * @throws ConvergenceError when the logistic fit cannot converge (only with `l2: 0`).
 * @example
 * ```ts
 * const model = trainChurnModel([
 *   { features: { tickets30d: 0, plan: 'pro' }, churned: false },
 *   { features: { tickets30d: 4, plan: 'free' }, churned: true },
 * ]);
 * model.predictProbabilities([{ features: { tickets30d: 4, plan: 'free' } }])[0]; // => 0.5649 (l2 = 10 shrinks a two-row fit hard)
 * ```
 * From columns (the same cells as rows would give, the same model):
 * ```ts
 * const fromColumns = trainChurnModel({
 *   columns: { tickets30d: Float64Array.of(0, 4, 1, 5) },
 *   categorical: { plan: ['pro', 'free', 'pro', 'free'] },
 *   churned: [false, true, false, true],
 * });
 * fromColumns.predictProbabilities({ columns: { tickets30d: [4] }, categorical: { plan: ['free'] } })[0]; // => 0.6033
 * ```
 */
export function trainChurnModel(
  input: readonly ChurnRow[] | ChurnTrainingTable,
  options: TrainChurnModelOptions = {},
): ChurnModel {
  checkOptions(FN, options, TRAIN_OPTION_KEYS);
  const kind = options.model ?? 'logistic';
  const bands: RiskBands = { medium: options.bands?.medium ?? 0.2, high: options.bands?.high ?? 0.5 };
  // Logistic: the encoder builds the matrix in the WebAssembly kernels' memory where it can, and
  // the fit uses it there (no copy).
  const encoding = {
    maxCategories: options.maxCategories ?? 30,
    mode: kind === 'logistic' ? ('linear' as const) : ('tree' as const),
  };
  const alloc = kind === 'logistic' ? arenaMatrix : undefined;
  const data =
    !Array.isArray(input) && isPlainObject(input)
      ? fromTable(input, kind, bands, options, encoding, alloc)
      : fromRows(input as readonly ChurnRow[], kind, bands, options, encoding, alloc);
  const { n, y, pos, sensitive } = data;
  const { encoder, uncentred, notes, nnz, arena, shift } = data.fit;
  const d = encoder.width;
  const warnings = dataWarnings(n, pos, d, notes);
  if (sensitive.length > 0)
    warnings.push(...proxyWarnings(data.proxyRows(), sensitive, options.proxyThreshold ?? PROXY_THRESHOLD));
  const common = { kind, encoder, bands, baseRate: pos / n, nTrain: n, warnings, sensitive };
  if (kind === 'logistic') {
    const l2 = options.l2 ?? 10;
    // Fit on (x − shift)/scale, centred only where the mean is far from 0 (one-hot and indicator
    // zeros stay zero, so Newton's Hessian is cheap), then move the rest of the centring into the
    // unpenalised intercept: b_c = b + Σ βⱼ·(centerⱼ − shiftⱼ)/scaleⱼ. Same coefficients, same optimum
    // as fitting the centred matrix.
    const fit = fitEncodedLogistic(uncentred, y, pos, d, l2, nnz, arena);
    let intercept = fit.intercept;
    encoder.columns.forEach((c, j) => {
      const s = shift === null ? 0 : (shift[j] as number);
      intercept += ((fit.coefficients[j] as number) * (c.center - s)) / c.scale;
    });
    return new ChurnModel({
      ...common,
      logistic: { coefficients: fit.coefficients, intercept, l2 },
      trees: null,
    });
  }
  const { ensemble, calibrator } = fitTrees(uncentred, y, d, options, warnings);
  return new ChurnModel({ ...common, logistic: null, trees: { ensemble, calibrator } });
}

/** `proxy_feature` warnings: remaining features associated with a sensitive attribute. */
function proxyWarnings(
  proxyRows: readonly ProxyRow[],
  sensitive: readonly string[],
  threshold: number,
): VitalsWarning<ChurnWarningCode>[] {
  const out: VitalsWarning<ChurnWarningCode>[] = [];
  let more = 0;
  for (const attr of sensitive)
    for (const p of findProxyFeatures(proxyRows, attr, { threshold })) {
      if (!p.proxy || sensitive.includes(p.feature)) continue;
      // Model files hold at most 100 warnings: list the first 50 proxies, count the rest.
      if (out.length >= MAX_PROXY_WARNINGS) {
        more++;
        continue;
      }
      const measure = p.measure === 'cramers_v' ? "Cramér's V" : 'correlation ratio η';
      out.push({
        code: 'proxy_feature',
        message: `${p.feature} is associated with ${attr} (${measure} ${p.association.toFixed(2)}): it can act as a proxy`,
      });
    }
  if (more > 0)
    out.push({
      code: 'proxy_feature',
      message: `${more} more feature-attribute pairs reach proxyThreshold ${threshold} (run findProxyFeatures for the full list)`,
    });
  return out;
}

/** Warnings about what the training data can support. */
function dataWarnings(
  n: number,
  pos: number,
  d: number,
  notes: EncodingNotes,
): VitalsWarning<ChurnWarningCode>[] {
  const out: VitalsWarning<ChurnWarningCode>[] = [];
  const rare = Math.min(pos, n - pos);
  const what = pos <= n - pos ? 'churners' : 'stayers';
  if (rare < EVENTS_PER_COLUMN * d)
    out.push({
      code: 'few_churners_per_feature',
      message: `${rare} ${what} for ${d} encoded columns (${(rare / Math.max(1, d)).toFixed(1)} per column; about 10 per column is the usual minimum): the model may be overfitted and its reasons unstable. Use fewer features, more history or a stronger l2.`,
    });
  if (rare / n < 0.01)
    out.push({
      code: 'rare_class',
      message: `${what} are ${((100 * rare) / n).toFixed(2)}% of the ${n} rows (under 1%): probabilities and AUC rest on ${rare} rows.`,
    });
  for (const m of notes.mixed)
    out.push({
      code: 'mixed_types',
      message: `column "${m.name}" mixes numbers (${m.numbers} rows) and text (${m.texts} rows); it was encoded as categories. Clean the text cells to use it as a number.`,
    });
  for (const c of notes.capped)
    out.push({
      code: 'categories_capped',
      message: `column "${c.name}" has ${c.levels} levels: all but the maxCategories most frequent share "(other)".`,
    });
  return out;
}

/**
 * Trees with calibration on a stratified, seeded hold-out (assigned in the rows' canonical order, so
 * the split does not depend on input order either).
 */
function fitTrees(
  x: Float64Array,
  y: Uint8Array,
  d: number,
  options: TrainChurnModelOptions,
  warnings: VitalsWarning<ChurnWarningCode>[],
): { ensemble: GradientBoostingFit; calibrator: Calibrator } {
  const treeOpts: GradientBoostingOptions = { seed: options.seed ?? 1, ...options.trees };
  const method = options.calibration ?? 'platt';
  if (method === 'none')
    return { ensemble: fitGradientBoosting(x, y, d, treeOpts), calibrator: { kind: 'none' } };
  const n = y.length;
  const order = canonicalOrder(x, y, n, d);
  const rng = createRng(`${String(options.seed ?? 1)}:calibration`);
  const pos0: number[] = [];
  const neg0: number[] = [];
  for (const i of order) (y[i] === 1 ? pos0 : neg0).push(i);
  rng.shuffle(pos0);
  rng.shuffle(neg0);
  const holdPos = Math.round(HOLD_OUT * pos0.length);
  const holdNeg = Math.round(HOLD_OUT * neg0.length);
  if (
    holdPos < 2 ||
    holdNeg < 2 ||
    holdPos + holdNeg < 10 ||
    holdPos === pos0.length ||
    holdNeg === neg0.length
  ) {
    warnings.push({
      code: 'calibration_skipped',
      message: `too few rows to hold out for ${method} calibration (${pos0.length} churners, ${neg0.length} stayers; a 20% slice needs at least 2 of each and 10 rows): the tree probabilities are uncalibrated.`,
    });
    return { ensemble: fitGradientBoosting(x, y, d, treeOpts), calibrator: { kind: 'none' } };
  }
  const held = new Uint8Array(n);
  for (let k = 0; k < holdPos; k++) held[pos0[k] as number] = 1;
  for (let k = 0; k < holdNeg; k++) held[neg0[k] as number] = 1;
  // The training rows in the canonical order already computed (no copy, no second ordering).
  const trainOrder = order.filter((i) => held[i] === 0);
  const ensemble = fitGradientBoostingInOrder(x, y, d, trainOrder, treeOpts);
  const heldRows: number[] = [];
  for (const i of order) if (held[i] === 1) heldRows.push(i);
  const scores = scoreRowsAt(ensemble, x, d, heldRows);
  const labels = heldRows.map((i) => y[i] as number);
  const calibrator = fitCalibrator(scores, labels, method);
  if (calibrator.kind === 'platt' && calibrator.a === 0)
    warnings.push({
      code: 'calibration_flat',
      message: `on the ${scores.length} held-out rows the tree scores do not rank churners above stayers: every probability is the held-out churn rate (${(100 / (1 + Math.exp(-calibrator.b))).toFixed(1)}%). The features may carry no signal at this size.`,
    });
  return { ensemble, calibrator };
}
