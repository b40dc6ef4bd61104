/**
 * Types shared by the churn module.
 * @module
 */

/** One value of a feature in a tabular row: numbers, categories (strings), flags, or missing (`null`). */
export type FeatureValue = number | string | boolean | null;

/** A feature row: feature name → value. Keys are user data; use null-prototype objects or plain literals. */
export type FeatureRecord = Readonly<Record<string, FeatureValue | undefined>>;

/** A labelled training row, the input of `trainChurnModel`. */
export interface ChurnRow {
  features: FeatureRecord;
  churned: boolean;
  /** Optional id, carried into predictions. */
  customerId?: string;
}

/** A row to score: a feature record with an optional id. */
export interface ScoringRow {
  features: FeatureRecord;
  customerId?: string;
}

/**
 * Warning codes of a trained churn model (`model.warnings`); see `trainChurnModel` for each.
 */
export type ChurnWarningCode =
  | 'few_churners_per_feature'
  | 'rare_class'
  | 'mixed_types'
  | 'categories_capped'
  | 'calibration_skipped'
  | 'calibration_flat'
  | 'proxy_feature';

/** Which model family. `logistic` is the default (calibrated by construction, exactly explainable). */
export type ChurnModelKind = 'logistic' | 'trees';

/** Risk band of a prediction. */
export type RiskBand = 'low' | 'medium' | 'high';

/** Probability thresholds of the risk bands: `high` when p >= high, `medium` when p >= medium. */
export interface RiskBands {
  /** @default 0.2 */
  medium: number;
  /** @default 0.5 */
  high: number;
}

/** One reason behind a prediction: a feature's contribution, with a sentence. */
export interface ChurnReason {
  /** Original feature name (one-hot columns and missing indicators are folded into it). */
  feature: string;
  /** The customer's value of the feature (`null` when missing). */
  value: FeatureValue;
  /**
   * Contribution: log-odds units for logistic models (contributions sum to `logOdds - base.logOdds`),
   * probability units for tree models (contributions sum to `probability - base.probability`).
   */
  contribution: number;
  /** Effect in percentage points of churn probability (see `ChurnPrediction`). */
  points: number;
  /** e.g. `3 high-priority tickets in the last 30 days: +12 points`. */
  sentence: string;
}

/** A scored customer. */
export interface ChurnPrediction {
  /** Row id when given (or the customer id of a feature table). */
  customerId: string | undefined;
  /** Churn probability in [0, 1] (calibrated for tree models). */
  probability: number;
  /** Log-odds of `probability`, clamped to ±36. */
  logOdds: number;
  band: RiskBand;
  /**
   * Reference point of the contributions. Logistic: the intercept (the prediction for a customer at
   * the training mean of every encoded column). Trees: the calibrated prediction before any split.
   */
  base: { logOdds: number; probability: number };
  /** Every feature's contribution (null-prototype object), summing exactly as described in `ChurnReason`. */
  contributions: Record<string, number>;
  /** The largest contributions by absolute size (at most `maxReasons`), with sentences. */
  reasons: ChurnReason[];
}
