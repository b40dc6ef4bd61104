/**
 * Internal helpers of the metrics module: option reading, interpolated quantiles, intervals.
 * Not exported from the package.
 * @module
 */
import { checkOptions, optionError, ValidationError, type ValidationIssue } from '../_lib/errors';
import { quantileSorted } from '../_lib/order';
import { isValidTimeZone, PERIODS, type Period, type PeriodOptions, periodBoundaries } from '../_lib/period';
import { showValue } from '../_lib/safe';
import { wilson, Z95 } from '../_lib/stats';
import { MS_PER_DAY, MS_PER_HOUR, requireEpochMs } from '../_lib/time';
import type { ConfidenceInterval, DurationStats, SeriesOptions } from './types';

/** Average Gregorian month (365.2425 / 12 days), used for "per month" rates. */
export const AVG_MONTH_MS = (365.2425 / 12) * MS_PER_DAY;

export { optionError, Z95 };

export function readPeriod(value: unknown, fn: string, fallback: Period = 'month'): Period {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(PERIODS as readonly string[]).includes(value)) {
    throw optionError(fn, 'period', `must be one of ${PERIODS.join(', ')}; got ${showValue(value)}`);
  }
  return value as Period;
}

export function readTimeZone(value: unknown, fn: string): string {
  if (value === undefined) return 'UTC';
  if (typeof value !== 'string' || !isValidTimeZone(value)) {
    throw optionError(fn, 'timeZone', `is not a known IANA time zone: ${showValue(value)}`);
  }
  return value;
}

/** A validated series range with its period boundaries. */
export interface ResolvedSeries {
  from: number;
  to: number;
  period: Period;
  timeZone: string;
  periodOptions: PeriodOptions;
  /** `periods + 1` ascending boundaries. */
  boundaries: Float64Array;
}

/** Options of every series function. */
export const SERIES_KEYS = ['from', 'to', 'period', 'timeZone', 'weekStartsOn'] as const;

/**
 * Series ranges stay a quarter inside the JS date range (±8.64e15 ms), so that the end of the
 * last period is still a valid date (beyond it, date arithmetic gives NaN and loops never end).
 */
const SERIES_LIMIT = 8.64e15 - 93 * MS_PER_DAY;

/** Shortest length of one period (a DST day is 23 hours), for counting periods before building them. */
const MIN_PERIOD_MS: Readonly<Record<Period, number>> = {
  day: 23 * MS_PER_HOUR,
  week: 7 * MS_PER_DAY - MS_PER_HOUR,
  month: 28 * MS_PER_DAY - MS_PER_HOUR,
  quarter: 89 * MS_PER_DAY - MS_PER_HOUR,
};

/** Most periods a series may have. */
export const MAX_PERIODS = 100_000;

/** A required date option of a series, inside the supported range. */
function seriesDate(value: unknown, fn: string, field: string): number {
  const t = requireEpochMs(value as SeriesOptions['from'], fn, field);
  if (!(Math.abs(t) <= SERIES_LIMIT))
    throw optionError(
      fn,
      field,
      `is outside the supported date range (years −271821 to 275760): ${showValue(value)}`,
      'out_of_range',
    );
  return t;
}

/**
 * Validates a series' options (unknown keys rejected, `extraKeys` being the function's own) and
 * builds its period boundaries. The number of periods is bounded (100,000) BEFORE any is built.
 * @throws ValidationError naming the option.
 */
export function resolveSeries(
  options: SeriesOptions | undefined,
  fn: string,
  fallback: Period = 'month',
  extraKeys: readonly string[] = [],
): ResolvedSeries {
  if (options === undefined || options === null) throw optionError(fn, 'from', 'is required', 'required');
  checkOptions(fn, options, [...SERIES_KEYS, ...extraKeys]);
  const from = seriesDate(options.from, fn, 'from');
  const to = seriesDate(options.to, fn, 'to');
  if (!(to > from)) throw optionError(fn, 'to', 'must be after "from"');
  const period = readPeriod(options.period, fn, fallback);
  if ((to - from) / MIN_PERIOD_MS[period] > MAX_PERIODS + 2)
    throw optionError(fn, 'period', `gives more than ${MAX_PERIODS} periods in the range`, 'too_many');
  const timeZone = readTimeZone(options.timeZone, fn);
  const ws = options.weekStartsOn;
  if (ws !== undefined && !(Number.isInteger(ws) && ws >= 0 && ws <= 6)) {
    throw optionError(fn, 'weekStartsOn', 'must be an integer 0..6');
  }
  const periodOptions: PeriodOptions = { timeZone, weekStartsOn: ws ?? 1 };
  const boundaries = periodBoundaries(from, to, period, periodOptions);
  if (boundaries.length - 1 > MAX_PERIODS)
    throw optionError(fn, 'period', `gives more than ${MAX_PERIODS} periods in the range`, 'too_many');
  return { from, to, period, timeZone, periodOptions, boundaries };
}

export { quantileSorted };

/** Median, p90 and mean of durations given in ms, reported in hours. */
export function durationStats(ms: Float64Array): DurationStats {
  const n = ms.length;
  if (n === 0) return { n: 0, medianHours: null, p90Hours: null, meanHours: null };
  const sorted = ms.slice().sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i] as number;
  return {
    n,
    medianHours: quantileSorted(sorted, 0.5) / MS_PER_HOUR,
    p90Hours: quantileSorted(sorted, 0.9) / MS_PER_HOUR,
    meanHours: sum / n / MS_PER_HOUR,
  };
}

/** Wilson score interval for a proportion k/n (n > 0), 95% (the shared one in _lib/stats). */
export function wilsonInterval(k: number, n: number): { lower: number; upper: number } {
  const [lower, upper] = wilson(k, n);
  return { lower, upper };
}

// Student t 0.975 quantiles for df = 1..30.
const T975 = [
  12.706204736, 4.30265273, 3.182446305, 2.776445105, 2.570581836, 2.446911851, 2.364624252, 2.306004135,
  2.262157163, 2.228138852, 2.20098516, 2.17881283, 2.160368656, 2.144786688, 2.131449546, 2.119905299,
  2.109815578, 2.10092204, 2.093024054, 2.085963447, 2.079613845, 2.073873068, 2.068657611, 2.063898562,
  2.059538553, 2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456,
];

/** Student t 0.975 quantile: table up to 30 df, Cornish–Fisher expansion above (error < 1e-5). */
export function t975(df: number): number {
  if (df <= 30) return T975[Math.max(1, Math.floor(df)) - 1] as number;
  const z = Z95;
  const z3 = z * z * z;
  const z5 = z3 * z * z;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df);
}

/**
 * Reads an integer score scale: `{ min, max }`, or a number `n` meaning `1..n` (`scale: 5` is 1–5).
 * @throws ValidationError naming the expected forms.
 */
export function readScale(
  value: { min: number; max: number } | number | undefined,
  fallback: { min: number; max: number },
  fn: string,
): { min: number; max: number } {
  if (value === undefined) return fallback;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 2 || value > 1000)
      throw optionError(fn, 'scale', `as a number means 1..n and must be an integer 2..1000; got ${value}`);
    return { min: 1, max: value };
  }
  const min = (value as { min?: unknown } | null)?.min;
  const max = (value as { max?: unknown } | null)?.max;
  if (
    typeof min !== 'number' ||
    typeof max !== 'number' ||
    !Number.isInteger(min) ||
    !Number.isInteger(max) ||
    !(max > min) ||
    max - min > 1000
  ) {
    throw optionError(
      fn,
      'scale',
      `must be { min, max } (integers, max > min) or a number n meaning 1..n; got ${showValue(value)}`,
    );
  }
  return { min, max };
}

/** Throws a ValidationError listing every score that is not an integer in [min, max]. */
export function checkScores(scores: readonly number[], min: number, max: number, fn: string): void {
  if (!Array.isArray(scores)) {
    throw new ValidationError(
      fn,
      [{ path: [], code: 'invalid_type', message: 'scores must be an array of numbers' }],
      'scores',
    );
  }
  const issues: ValidationIssue[] = [];
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (typeof s !== 'number' || !Number.isInteger(s) || s < min || s > max) {
      issues.push({
        index: i,
        path: [],
        code: 'out_of_range',
        message: `score must be an integer ${min}..${max}, got ${showValue(s)}`,
      });
      if (issues.length >= 100) break;
    }
  }
  if (issues.length > 0) throw new ValidationError(fn, issues, 'scores');
}

/** Key of a user inside an account; ids from user data never touch object prototypes. */
export function readId(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * Dense ids in first-seen order: `keys[i]` numbers `keyOf(i)` among the distinct keys, -1 where
 * `keyOf(i)` is undefined; `names[k]` is key k.
 */
export function denseIds(
  n: number,
  keyOf: (i: number) => string | undefined,
): { keys: Int32Array; names: string[] } {
  const keys = new Int32Array(n);
  const index = new Map<string, number>();
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = keyOf(i);
    if (key === undefined) {
      keys[i] = -1;
      continue;
    }
    let k = index.get(key);
    if (k === undefined) {
      k = names.length;
      index.set(key, k);
      names.push(key);
    }
    keys[i] = k;
  }
  return { keys, names };
}

/** Counting sort of item indices by bucket (`bucket[i]` in 0..k-1, or -1 to drop). */
export function bucketOrder(
  bucket: Int32Array | Uint16Array,
  k: number,
): { offsets: Int32Array; order: Int32Array } {
  const offsets = new Int32Array(k + 1);
  for (let i = 0; i < bucket.length; i++) {
    const b = bucket[i] as number;
    if (b >= 0) offsets[b + 1] = (offsets[b + 1] as number) + 1;
  }
  for (let p = 0; p < k; p++) offsets[p + 1] = (offsets[p + 1] as number) + (offsets[p] as number);
  const order = new Int32Array(offsets[k] as number);
  const cursor = offsets.slice(0, k);
  for (let i = 0; i < bucket.length; i++) {
    const b = bucket[i] as number;
    if (b >= 0) {
      const at = cursor[b] as number;
      order[at] = i;
      cursor[b] = at + 1;
    }
  }
  return { offsets, order };
}

/** Dense integer ids for users within customers (`customerId` + `userId`), in first-seen order. */
export class UserIndex {
  private readonly users = new Map<string, Map<string, number>>();
  userCount = 0;
  // Events usually arrive grouped by customer: remember the last lookups.
  private lastUserCustomer: string | undefined;
  private lastUsers: Map<string, number> | undefined;
  private lastUserId: string | undefined;
  private lastUser = -1;
  /** -1 when the event has no usable userId. */
  user(customerId: string, properties: Readonly<Record<string, unknown>> | undefined): number {
    if (properties === undefined || properties === null) return -1; // null: an event not from parseEvents
    const userId = readId(properties.userId);
    if (userId === undefined) return -1;
    if (userId === this.lastUserId && customerId === this.lastUserCustomer) return this.lastUser;
    let m = customerId === this.lastUserCustomer ? this.lastUsers : this.users.get(customerId);
    if (m === undefined) {
      m = new Map();
      this.users.set(customerId, m);
    }
    this.lastUserCustomer = customerId;
    this.lastUsers = m;
    let u = m.get(userId);
    if (u === undefined) {
      u = this.userCount++;
      m.set(userId, u);
    }
    this.lastUserId = userId;
    this.lastUser = u;
    return u;
  }
}

/** Student-t 95% interval of a mean; null below two values. */
export function meanInterval(values: readonly number[], mean: number): ConfidenceInterval | null {
  const n = values.length;
  if (n < 2) return null;
  // Summed in ascending order: the same interval, to the bit, whatever the order of the answers
  // (event order puts answers with one timestamp in input order).
  const sorted = Float64Array.from(values).sort();
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = (sorted[i] as number) - mean;
    ss += d * d;
  }
  const half = t975(n - 1) * Math.sqrt(ss / (n - 1) / n);
  return { lower: mean - half, upper: mean + half, level: 0.95, method: 't' };
}
