/**
 * Types shared by the metrics functions.
 *
 * Units: shares and rates (CSAT, retention, churn, adoption, utilisation) are fractions (0.85, not
 * 85); NPS is a score on −100..100 by definition; money is in the unit of the event values;
 * durations are hours.
 * @module
 */
import type { Period, WeekStart } from '../_lib/period';
import type { DateInput } from '../_lib/time';

/** A two-sided 95% confidence interval, with the method that produced it. */
export interface ConfidenceInterval {
  lower: number;
  upper: number;
  /** Always 0.95. */
  level: number;
  /** How it was computed, e.g. `wald-multinomial`, `wilson`, `t`. */
  method: string;
}

/** Every metric result: the headline value, how many observations it rests on, and why it is null. */
export interface MetricResult {
  /** Headline value; `null` when there is not enough data (see `reason`). */
  value: number | null;
  /** Number of observations the value rests on. */
  n: number;
  /** Why `value` is null (absent when it is not). */
  reason?: string;
}

/** One period of a time series: `[periodStart, periodEnd)` in epoch ms. */
export interface SeriesPoint extends MetricResult {
  periodStart: number;
  periodEnd: number;
}

/** A time window `[from, to)`. */
export interface RangeOptions {
  /** Window start (inclusive). @default earliest relevant event */
  from?: DateInput;
  /** Window end (exclusive). @default just after the latest relevant event */
  to?: DateInput;
}

/**
 * A range cut into calendar periods. The series covers every whole period intersecting `[from, to)`
 * (the first starts at or before `from`; choose `to` on a period boundary for complete periods).
 */
export interface SeriesOptions {
  /** Start of the range (inclusive). */
  from: DateInput;
  /** End of the range (exclusive). */
  to: DateInput;
  /** Period length. @default 'month' */
  period?: Period;
  /** IANA time zone in which period boundaries are computed. @default 'UTC' */
  timeZone?: string;
  /** First day of a week (0 = Sunday) for `period: 'week'`. @default 1 (Monday) */
  weekStartsOn?: WeekStart;
}

/** Summary of a set of durations, in hours. All null when `n` is 0. */
export interface DurationStats {
  n: number;
  /** Median (linear interpolation between order statistics, like R type 7 / NumPy default). */
  medianHours: number | null;
  /** 90th percentile (same interpolation). */
  p90Hours: number | null;
  meanHours: number | null;
}
