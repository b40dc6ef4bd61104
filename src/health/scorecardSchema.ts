/**
 * The scorecard format: a plain JSON object validated with zod, so it can live in a file, be
 * reviewed and versioned. A scorecard is a tree of weighted groups whose leaves are measures; each
 * measure reads one signal and maps it to 0–100 with a scoring curve.
 * @module
 */
import * as z from 'zod';
import { lazy, lazyObject } from '../_lib/lazy';

// The schemas are built on first use (`lazy`, `lazyObject`): module-level constants, not per-call
// data. The exported names stand for the schemas built here (same types, same behaviour).
const parts = lazy(() => {
  const finite = z
    .number()
    .refine((v) => Number.isFinite(v) && Math.abs(v) <= 1e15, 'must be a finite number (within ±1e15)');
  const points = finite.refine((v) => v >= 0 && v <= 100, 'must be between 0 and 100');
  /** Relative weights: >= 0 and at most 1e6, so that sums and products of weights stay exact and finite. */
  const weight = z
    .number()
    .refine((v) => v >= 0 && v <= 1e6, 'must be a number from 0 to 1e6 (weights are relative: 1, 5, 40...)');
  return { finite, points, weight, id: z.string().min(1).max(200) };
});

/** The curves and the measure (real schemas; the exports below stand for them). */
const measureSchemas = lazy(() => {
  const { finite, points, weight, id } = parts();

  const step = z.object({
    type: z.literal('step'),
    thresholds: z.array(finite).min(1),
    points: z.array(points).min(2),
  });

  const linear = z.object({
    type: z.literal('linear'),
    worst: finite,
    best: finite,
  });

  const percentile = z.object({
    type: z.literal('percentile'),
    /** @default true */
    higherIsBetter: z.boolean().optional(),
    /** `'plan'` or the name of a profile attribute; customers are ranked within equal values. */
    segmentBy: z.string().min(1).optional(),
  });

  const baseline = z.object({
    type: z.literal('baseline'),
    /** Days between the two readings. @default the measure's `days`, else 30 */
    lagDays: z.number().int().positive().max(3660).optional(),
    worst: finite,
    best: finite,
  });

  const curve = z.discriminatedUnion('type', [step, linear, percentile, baseline]);
  const measure = z.object({
    id,
    label: z.string().min(1).optional(),
    /** Built-in signal name (see `HEALTH_SIGNALS`) or the name of a custom signal passed in `options.signals`. */
    signal: z.string().min(1),
    /** Window of the signal in days, for windowed signals. @default the signal's own default */
    days: z.number().int().positive().max(3660).optional(),
    /** Relative weight inside its group (0 to 1e6). */
    weight,
    curve,
    /**
     * What to do when the signal has no data: `skip` (re-spread the weight over the group's other
     * measures), `neutral` (score the scorecard's `neutralScore`), `poor` (score 0). @default 'skip'
     */
    missing: z.enum(['skip', 'neutral', 'poor']).optional(),
  });
  return { step, linear, percentile, baseline, curve, measure };
});

/**
 * `step`: `thresholds` ascending (k values) and `points` (k + 1 scores). A value below
 * `thresholds[0]` scores `points[0]`; a value in `[thresholds[i-1], thresholds[i])` scores `points[i]`;
 * a value at or above the last threshold scores `points[k]`. For "lower is better" give descending points.
 */
export const StepCurveSchema = /* @__PURE__ */ lazyObject(() => measureSchemas().step);
/** `linear`: `worst` scores 0, `best` scores 100, linear in between, clamped outside. `worst > best` means lower is better. */
export const LinearCurveSchema = /* @__PURE__ */ lazyObject(() => measureSchemas().linear);
/**
 * `percentile`: mid-rank percentile of the value among the customers scored by the same scorecard
 * (and the same `segmentBy` value: `plan` or a profile attribute name) that have data for the signal.
 */
export const PercentileCurveSchema = /* @__PURE__ */ lazyObject(() => measureSchemas().percentile);
/**
 * `baseline`: percent change of the signal against the customer's own value `lagDays` earlier
 * (for windowed signals with the default lag: last N days vs the N days before), mapped linearly:
 * `worst` % change scores 0, `best` % change scores 100.
 */
export const BaselineCurveSchema = /* @__PURE__ */ lazyObject(() => measureSchemas().baseline);
/** A scoring curve: `step`, `linear`, `percentile` or `baseline`. */
export const CurveSchema = /* @__PURE__ */ lazyObject(() => measureSchemas().curve);
/** One measure: a signal, its window, weight, curve and missing-data policy. */
export const MeasureSchema = /* @__PURE__ */ lazyObject(() => measureSchemas().measure);

/** A weighted group of measures and sub-groups. */
export interface HealthGroup {
  id: string;
  label?: string | undefined;
  weight: number;
  measures?: HealthMeasure[] | undefined;
  groups?: HealthGroup[] | undefined;
}

/** The groups, bands and the scorecard (real schemas; the exports below stand for them). */
const cardSchemas = lazy(() => {
  const { finite, points, weight, id } = parts();
  const group: z.ZodType<HealthGroup> = z.lazy(() =>
    z.object({
      id,
      label: z.string().min(1).optional(),
      weight,
      measures: z.array(measureSchemas().measure).optional(),
      groups: z.array(group).optional(),
    }),
  );
  const band = z.object({ label: z.string().min(1), min: finite });
  const scorecard = z.object({
    id,
    label: z.string().min(1).optional(),
    /** Bands, ascending by `min`, the first starting at 0. @default DEFAULT_BANDS */
    bands: z.array(band).min(1).optional(),
    /** Coverage below this share flags the score as low-coverage. @default 0.6 */
    lowCoverageBelow: z.number().min(0).max(1).optional(),
    /** Score given to `missing: 'neutral'` measures. @default 50 */
    neutralScore: points.optional(),
    groups: z.array(group).min(1),
  });
  return { group, band, scorecard };
});

/** A weighted group of measures and sub-groups (recursive). */
export const GroupSchema: z.ZodType<HealthGroup> = /* @__PURE__ */ lazyObject(() => cardSchemas().group);
/** A band: `label` from score `min` up to the next band's `min`. */
export const BandSchema = /* @__PURE__ */ lazyObject(() => cardSchemas().band);
/** A complete scorecard. */
export const ScorecardSchema = /* @__PURE__ */ lazyObject(() => cardSchemas().scorecard);

/** A declarative condition on a customer's profile (every given field must hold). */
export interface ProfileCondition {
  /** Plan equals one of these. */
  plan?: string | string[] | undefined;
  /** Days since signup (profile `signupDate`, else first event) as of `asOf`, `min <= t < max`. */
  tenureDays?: { min?: number | undefined; max?: number | undefined } | undefined;
  /** Profile MRR, `min <= mrr < max`. */
  mrr?: { min?: number | undefined; max?: number | undefined } | undefined;
  /** Profile attributes equal to one of the given values. */
  attributes?: Record<string, string | number | boolean | (string | number | boolean)[]> | undefined;
  /** At least one of these conditions holds. */
  any?: ProfileCondition[] | undefined;
}

/** Profile conditions, scorecard sets and overrides (real schemas; the exports below stand for them). */
const ruleSchemas = lazy(() => {
  const { finite, points } = parts();
  const range = z.object({ min: finite.optional(), max: finite.optional() });
  const scalar = z.union([z.string(), z.number(), z.boolean()]);
  const condition: z.ZodType<ProfileCondition> = z.lazy(() =>
    z.object({
      plan: z.union([z.string(), z.array(z.string())]).optional(),
      tenureDays: range.optional(),
      mrr: range.optional(),
      attributes: z.record(z.string(), z.union([scalar, z.array(scalar)])).optional(),
      any: z.array(condition).optional(),
    }),
  );
  const { scorecard } = cardSchemas();
  const scorecardSet = z.object({
    rules: z.array(z.object({ when: condition, scorecard })),
    default: scorecard,
  });
  const override = z.object({
    customerId: z.string().min(1),
    score: points,
    reason: z.string().min(1),
    expiresAt: z.union([z.string(), z.number(), z.date()]),
    setAt: z.union([z.string(), z.number(), z.date()]).optional(),
  });
  return { condition, scorecardSet, override };
});

/** A declarative condition on a customer's profile (recursive through `any`). */
export const ConditionSchema: z.ZodType<ProfileCondition> = /* @__PURE__ */ lazyObject(
  () => ruleSchemas().condition,
);
/** Several scorecards chosen per customer: the first rule whose condition holds, else `default`. */
export const ScorecardSetSchema = /* @__PURE__ */ lazyObject(() => ruleSchemas().scorecardSet);
/** A manual override of a customer's total score, valid from `setAt` (optional) until `expiresAt`. */
export const OverrideSchema = /* @__PURE__ */ lazyObject(() => ruleSchemas().override);

export type HealthMeasure = z.infer<typeof MeasureSchema>;
export type HealthCurve = z.infer<typeof CurveSchema>;
export type HealthBand = z.infer<typeof BandSchema>;
export type Scorecard = z.infer<typeof ScorecardSchema>;
export type ScorecardSet = z.infer<typeof ScorecardSetSchema>;
export type HealthOverride = z.infer<typeof OverrideSchema>;

/** Default bands: 0–49 at risk, 50–74 neutral, 75–100 healthy. */
export const DEFAULT_BANDS: readonly HealthBand[] = Object.freeze([
  { label: 'at risk', min: 0 },
  { label: 'neutral', min: 50 },
  { label: 'healthy', min: 75 },
]);
