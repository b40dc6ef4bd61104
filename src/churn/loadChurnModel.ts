/**
 * The standalone loader of saved churn models: `loadChurnModel(json)` (also `ChurnModel.fromJSON`).
 * The zod schemas live here, so code that only trains and scores does not need them.
 * @module
 */
import * as z from 'zod';
import { ValidationError, zodIssues } from '../_lib/errors';
import { lazy } from '../_lib/lazy';
import { readEnvelope } from '../_lib/modelJson';
import { isPlainObject } from '../_lib/safe';
import { ChurnModel } from './ChurnModel';
import { FeatureEncoder, type FeatureEncoderSpec } from './FeatureEncoder';
import type { Calibrator } from './fitCalibrator';
import type { FlatTree } from './fitGradientBoosting';
import type { ChurnWarningCode } from './types';

/** The envelope name of churn models: `{ model: 'churn', version: 1, ... }`. */
export const CHURN_MODEL = 'churn';

const WARNING_CODES = [
  'few_churners_per_feature',
  'rare_class',
  'mixed_types',
  'categories_capped',
  'calibration_skipped',
  'calibration_flat',
  'proxy_feature',
] as const satisfies readonly ChurnWarningCode[];

/**
 * Rebuilds a churn model from `model.toJSON()` output: the envelope `{ model: 'churn', version: 1 }`
 * (files written before it, `{ format: 'customer-vitals/churn-model', version: 1 }`, load too). The
 * input is untrusted: it is validated with zod (types, finite numbers, consistent lengths, tree links
 * pointing forward and in range, bands with medium <= high, a Platt slope >= 0, distinct feature
 * names, no unknown top-level keys).
 * @param json parsed JSON.
 * @returns the model.
 * @throws ValidationError listing every problem found.
 * @example
 * ```ts
 * const model = trainChurnModel([
 *   { features: { tickets: 0 }, churned: false },
 *   { features: { tickets: 4 }, churned: true },
 * ]);
 * loadChurnModel(JSON.parse(JSON.stringify(model))).kind; // => 'logistic'
 * ```
 */
export function loadChurnModel(json: unknown): ChurnModel {
  return readChurnModel(json, 'loadChurnModel');
}

/** @internal {@link loadChurnModel} with the public function named in errors. */
export function readChurnModel(json: unknown, fn: string): ChurnModel {
  let obj = json;
  if (isPlainObject(json) && json.format === 'customer-vitals/churn-model' && !Object.hasOwn(json, 'model')) {
    const { format: _legacy, ...rest } = json;
    obj = { model: CHURN_MODEL, ...rest };
  }
  readEnvelope(fn, obj, CHURN_MODEL, [1]);
  const parsed = modelSchema().safeParse(obj);
  if (!parsed.success) throw new ValidationError(fn, zodIssues(parsed.error), 'model JSON');
  return build(parsed.data);
}

function build(m: z.infer<ReturnType<typeof modelSchema>>): ChurnModel {
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
    warnings: m.warnings ?? [],
    sensitive: m.sensitive ?? [],
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

// The schemas are built on first use (`lazy`): module-level constants, not per-call data.
const parts = lazy(() => {
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
    z.object({ kind: z.literal('platt'), a: finite.min(0), b: finite }),
    z.object({
      kind: z.literal('isotonic'),
      x: z.array(finite).min(1),
      y: z.array(finite.min(0).max(1)).min(1),
    }),
  ]);
  return { finite, int, featureSchema, columnSchema, treeSchema, calibratorSchema };
});

const modelSchema = lazy(() => {
  const { finite, int, featureSchema, columnSchema, treeSchema, calibratorSchema } = parts();
  return z
    .strictObject({
      model: z.literal('churn'),
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
      warnings: z
        .array(z.object({ code: z.enum(WARNING_CODES), message: z.string().max(2000) }))
        .max(100)
        .optional(),
      sensitive: z.array(z.string().min(1).max(1000)).max(1000).optional(),
    })
    .superRefine((m, ctx) => {
      const add: AddIssue = (path, message) => {
        ctx.addIssue({ code: 'custom', path, message });
      };
      checkModelParts(m, add);
    });
});

/** Reports one cross-field problem of a model JSON at `path`. */
type AddIssue = (path: (string | number)[], message: string) => void;

/** The fields of a parsed model JSON that the cross-field checks read. */
interface ModelParts {
  kind: 'logistic' | 'trees';
  encoder: {
    features: { name: string; categories: string[] }[];
    columns: { feature: number; kind: string; category?: string | undefined }[];
  };
  bands: { medium: number; high: number };
  logistic?: { coefficients: number[] } | undefined;
  trees?:
    | {
        calibrator: { kind: 'none' } | { kind: 'platt' } | { kind: 'isotonic'; x: number[]; y: number[] };
        trees: { feature: number[]; threshold: number[]; left: number[]; right: number[]; value: number[] }[];
      }
    | undefined;
}

/** Cross-field checks of a model JSON the schema parsed: bands, encoder, coefficients, trees. */
function checkModelParts(m: ModelParts, add: AddIssue): void {
  const nf = m.encoder.features.length;
  const d = m.encoder.columns.length;
  if (m.bands.medium > m.bands.high) add(['bands'], 'bands need medium <= high');
  const seen = new Set<string>();
  m.encoder.features.forEach((f, k) => {
    if (seen.has(f.name))
      add(['encoder', 'features', k, 'name'], `duplicate feature name "${f.name.slice(0, 60)}"`);
    seen.add(f.name);
  });
  const categories = m.encoder.features.map((f) => new Set(f.categories));
  m.encoder.columns.forEach((c, j) => {
    if (c.feature >= nf) add(['encoder', 'columns', j, 'feature'], `feature index ${c.feature} out of range`);
    const f = categories[c.feature];
    if (c.kind === 'category' && (c.category === undefined || !f?.has(c.category)))
      add(['encoder', 'columns', j, 'category'], 'category column names no category of its feature');
  });
  if (m.kind === 'logistic') {
    if (!m.logistic) add(['logistic'], 'a logistic model needs "logistic"');
    else if (m.logistic.coefficients.length !== d)
      add(['logistic', 'coefficients'], `${m.logistic.coefficients.length} coefficients for ${d} columns`);
  } else if (!m.trees) add(['trees'], 'a tree model needs "trees"');
  else {
    const cal = m.trees.calibrator;
    if (cal.kind === 'isotonic') checkIsotonic(cal, add);
    m.trees.trees.forEach((t, ti) => {
      checkTree(t, ti, d, add);
    });
  }
}

/** An isotonic calibrator's x and y: equal lengths, both non-decreasing. */
function checkIsotonic(cal: { x: number[]; y: number[] }, add: AddIssue): void {
  if (cal.x.length !== cal.y.length) add(['trees', 'calibrator'], 'isotonic x and y differ in length');
  for (let k = 1; k < cal.x.length; k++) {
    if ((cal.x[k] as number) < (cal.x[k - 1] as number) || (cal.y[k] as number) < (cal.y[k - 1] as number)) {
      add(['trees', 'calibrator'], 'isotonic calibrator is not monotone');
      break;
    }
  }
}

/** One flat tree: node arrays of one length, split columns in range, children pointing forward. */
function checkTree(
  t: { feature: number[]; threshold: number[]; left: number[]; right: number[]; value: number[] },
  ti: number,
  d: number,
  add: AddIssue,
): void {
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
}
