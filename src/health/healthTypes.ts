/**
 * Result types of the health scores, and the internal per-customer state they are built from.
 * @module
 */
import type { CustomerProfile } from '../events/types';
import type { VitalsWarning } from '../types';
import type { CompiledScorecard } from './compileScorecard';

/**
 * Status of a measure in one score: `data`; imputed `neutral` / `poor` (the measure's missing-data
 * policy); `missing` (this customer has no data: weight re-spread); `not_applicable` (the data set
 * holds no event of the measure's source at all, e.g. no tickets anywhere, or does not cover the
 * history the measure compares against: weight re-spread and left out of coverage).
 */
export type MeasureStatus = 'data' | 'neutral' | 'poor' | 'missing' | 'not_applicable';

/** One measure of a customer's score. */
export interface MeasureScore {
  id: string;
  label: string;
  /** Id of the group the measure belongs to. */
  group: string;
  signal: string;
  /** Window in days, or null for signals without a window. */
  days: number | null;
  /** Raw signal value as of `asOf`, or null when there was no data. */
  value: number | null;
  /** Signal value `lagDays` earlier (baseline curves only), else null. */
  previous: number | null;
  /** 0–100 score (imputed for `neutral`/`poor`), or null when skipped or not applicable. */
  score: number | null;
  /** See {@link MeasureStatus}. */
  status: MeasureStatus;
  /** Nominal global weight (share of the total when every measure has data). */
  weight: number;
  /** Global weight actually used (re-spread over the measures with data; sums to 1). */
  effectiveWeight: number;
  /** `effectiveWeight × score`; the contributions add up to the computed score. */
  contribution: number;
  /** `effectiveWeight × (score − neutralScore)`: points above or below a neutral score. */
  impact: number;
  /** Curve type of the measure. */
  curve: 'step' | 'linear' | 'percentile' | 'baseline';
  /** Days between the two readings of a `baseline` curve, else null. */
  lagDays: number | null;
  /** Percentile rank among peers (`percentile` curves), else null. */
  percentile: number | null;
  /** Detail used by sentences: seats (licenseUtilisation), MRR at the window start (mrrChange), earlier-window count (usageTrend, spendTrend), answers (averages), amount bought (refundRate); else null. */
  detail: number | null;
}

/** One group of a customer's score. */
export interface GroupScore {
  id: string;
  label: string;
  /** Parent group id, or null for top-level groups. */
  parent: string | null;
  /** Weighted score of the group's measures with data, or null when none had data. */
  score: number | null;
  effectiveWeight: number;
  /** Sum of the contributions of the group's measures (including nested groups). */
  contribution: number;
  /** Share of the group's applicable nominal weight that had data. */
  coverage: number;
}

/** One driver of a score, with its sentence. */
export interface HealthDriver {
  measure: string;
  label: string;
  /** Points above (positive) or below (negative) a neutral score this measure accounts for. */
  impact: number;
  score: number;
  value: number | null;
  sentence: string;
}

/** Why a customer scored what it did. */
export interface HealthExplanation {
  /** One sentence summarising the score. */
  summary: string;
  /** Measures pulling the score down, most negative first. */
  negative: HealthDriver[];
  /** Measures pulling the score up, most positive first. */
  positive: HealthDriver[];
}

/** A manual override in force. */
export interface AppliedOverride {
  score: number;
  reason: string;
  expiresAt: number;
  /** The score the scorecard computed, which the override replaced. */
  computedScore: number | null;
}

/** The band given to a score whose coverage is below `minCoverage`, instead of a colour. */
export const INSUFFICIENT_DATA = 'insufficient_data';

/**
 * A customer's health score as of a date. `measures` and `groups` are built on first access from a
 * compact table (and cached), so scoring many customers stays light; `JSON.stringify` (via
 * `toJSON()`) includes them. Use `toJSON()` rather than a spread for a plain-object copy.
 */
export interface HealthScore {
  customerId: string;
  asOf: number;
  /** Id of the scorecard used (`purchases` when the built-in purchase scorecard was chosen). */
  scorecard: string;
  /** 0–100 (the override when one is in force), or null when no measure had data. */
  score: number | null;
  /** The scorecard's score: exactly the sum of the measure contributions. */
  computedScore: number | null;
  /** The scorecard's band, or `insufficient_data` when coverage is below `minCoverage`; null without a score. */
  band: string | null;
  /** Share of the applicable nominal weight that had data (imputed and not-applicable measures do not count). */
  coverage: number;
  /** Coverage below the scorecard's `lowCoverageBelow`. */
  lowCoverage: boolean;
  groups: GroupScore[];
  measures: MeasureScore[];
  explanation: HealthExplanation;
  override: AppliedOverride | null;
  /** Why the score is null, else null. */
  reason: string | null;
  /** The customer's subscription was cancelled as of `asOf` (last subscription event). */
  cancelled: boolean;
  /** A plain-object copy including `measures` and `groups`. */
  toJSON(): Omit<HealthScore, 'toJSON'>;
}

/**
 * Warning codes of the health functions:
 * - `source_absent`: the data set holds no event of a source the scorecard measures (no tickets,
 *   no surveys, no billing, no seats...): those measures do not apply and their weight is re-spread.
 *   One warning per source and run; a customer without tickets in a data set with tickets is a
 *   good sign, not a warning.
 * - `short_history`: the data does not reach back as far as a measure compares (a 63-day baseline
 *   on a 30-day log): the measure does not apply.
 * - `insufficient_data`: some customers' coverage is below `minCoverage`; their band is
 *   `insufficient_data`.
 * - `auto_scorecard`: no scorecard was given and the data holds purchases without product
 *   activity or subscriptions: the built-in `purchases` scorecard was used.
 * - `no_applicable_measure`: no measure of the scorecard applies to the data: every score is null.
 */
export type HealthWarningCode =
  | 'source_absent'
  | 'short_history'
  | 'insufficient_data'
  | 'auto_scorecard'
  | 'no_applicable_measure';

/** A warning of the health functions. */
export type HealthWarning = VitalsWarning<HealthWarningCode>;

/**
 * The result of `scoreHealth`: an array of {@link HealthScore} (in customer-id order) that also
 * carries the run's `warnings` and the id of the scorecard used by default. It is a real array
 * (`map`, `filter`, `length` work); `JSON.stringify` writes only the scores, so serialise
 * `warnings` next to it.
 */
export interface HealthScoreList extends Array<HealthScore> {
  /** Warnings about the whole run (each at most once); see {@link HealthWarningCode}. */
  warnings: HealthWarning[];
  /** Id of the scorecard used for customers no scorecard-set rule chose (the given one, `default` or `purchases`). */
  scorecard: string;
}

/** Signal values and raw measure scores of all customers scored with one scorecard. @internal */
export interface ScoreTable {
  /** Measures per row. */
  nm: number;
  /** Value per measure (NaN = none). */
  values: number[];
  /** Pass detail per measure. */
  aux: number[];
  /** Previous value per measure (baseline curves), NaN otherwise. */
  previous: number[];
  /** Raw curve score per measure before the missing-data policy (NaN = no data). */
  raw: number[];
  /** Percentile rank per measure (percentile curves), NaN otherwise. */
  pct: number[];
  /** Per measure: 1 when it does not apply to this data set at this asOf (absent source, short history). */
  na: Uint8Array;
  /** Whole days from the data set's first event to asOf (for sentences about windows). */
  coveredDays: number;
}

/** Per-customer intermediate state: a row of its scorecard's table. @internal */
export interface CustomerState {
  customerId: string;
  profile: CustomerProfile | undefined;
  sc: CompiledScorecard;
  table: ScoreTable;
  /** Offset of the customer's row in the table arrays (row × nm). */
  base: number;
  /** Index of the customer in the event groups. */
  group: number;
  cancelled: boolean;
  events: number;
  /** Coverage below which the band is `insufficient_data`. */
  minCoverage: number;
}
