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

/**
 * Feature columns by name, one cell per customer (the shape of `churnFeatures`' table, which is one):
 * what `ChurnModel.predictProbabilities` / `predict` score and, with `churned`, what
 * `trainChurnModel` trains on (a {@link ChurnTrainingTable}). A cell means what the same value
 * means in a row's `features`: a number in `columns` is missing when it is null, NaN or ±Infinity or
 * when its `missing` mask is 1; a text cell in `categorical` is missing when null or blank, and text
 * that is a number (`"29.85"`) is read as one, as in rows. Every column has the table's length.
 */
export interface ChurnColumns {
  /** Numeric columns: typed (`Float64Array`, fastest) or arrays of numbers and nulls. */
  columns: Readonly<Record<string, Float64Array | readonly (number | null)[]>>;
  /** Text (categorical) columns; `null` = missing. A name may not be in both `columns` and `categorical`. @default {} */
  categorical?: Readonly<Record<string, readonly (string | null)[]>>;
  /** Missing masks of numeric columns (1 = missing, 0 = present), by the column's name. @default {} */
  missing?: Readonly<Record<string, Uint8Array>>;
  /** Customer ids (carried into `predict`'s output; not used for training). */
  customerIds?: readonly string[];
  /** Names of the numeric columns (as `churnFeatures` lists them); when given, exactly the keys of `columns`. */
  names?: readonly string[];
  /** The `asOf` the features were computed at (epoch ms; not used by the model). */
  asOf?: number;
}

/**
 * A labelled feature table, the columnar input of `trainChurnModel`: {@link ChurnColumns} plus the
 * labels. `trainChurnModel({ ...churnFeatures(events, { asOf }), churned })` trains on the table as
 * it is. The model is the one the equivalent rows (`{ features: { name: cell, ... }, churned }` per
 * customer) give, bit for bit.
 */
export interface ChurnTrainingTable extends ChurnColumns {
  /** Labels, one per row: `Uint8Array` of 0/1 or booleans (true = churned). */
  churned: Uint8Array | readonly boolean[];
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
