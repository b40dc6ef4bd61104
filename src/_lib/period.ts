/**
 * Calendar period boundaries (day, ISO week, month, quarter) in UTC or any IANA time zone.
 *
 * All inputs and outputs are epoch milliseconds; the calendar arithmetic is done by date-fns 4 with a
 * `@date-fns/tz` context, so results never depend on the machine's time zone. A period is the
 * half-open interval `[start, end)`: an instant exactly on a boundary belongs to the later period.
 * Days are calendar days in the zone, so a day across a DST change lasts 23 or 25 hours.
 *
 * For hot loops, build the boundaries once with {@link periodBoundaries} and look instants up with
 * {@link findPeriod} (binary search, no allocation) instead of calling {@link periodStart} per event.
 * @module
 */
import { tz } from '@date-fns/tz';
import { addDays } from 'date-fns/addDays';
import { addMonths } from 'date-fns/addMonths';
import { addQuarters } from 'date-fns/addQuarters';
import { addWeeks } from 'date-fns/addWeeks';
import { startOfDay } from 'date-fns/startOfDay';
import { startOfMonth } from 'date-fns/startOfMonth';
import { startOfQuarter } from 'date-fns/startOfQuarter';
import { startOfWeek } from 'date-fns/startOfWeek';
import { MS_PER_DAY } from './time';

/** Calendar period granularity. Weeks start on Monday (ISO 8601) unless `weekStartsOn` says otherwise. */
export type Period = 'day' | 'week' | 'month' | 'quarter';

/** Every supported {@link Period}, in increasing length. */
export const PERIODS: readonly Period[] = ['day', 'week', 'month', 'quarter'];

/** Day a week starts on: 0 = Sunday ... 6 = Saturday. */
export type WeekStart = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** How to cut time into periods. */
export interface PeriodOptions {
  /** IANA time zone the calendar is read in, e.g. `America/New_York`. @default 'UTC' */
  timeZone?: string;
  /** First day of a week, 0 = Sunday. @default 1 (Monday, ISO 8601) */
  weekStartsOn?: WeekStart;
}

/** One period: `[start, end)` in epoch ms. */
export interface PeriodBounds {
  start: number;
  end: number;
}

type TzContext = ReturnType<typeof tz>;
const contexts = new Map<string, TzContext>();
const validZones = new Map<string, boolean>();

/** True when `timeZone` is an IANA zone name (or `UTC`) known to this runtime's `Intl`. */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.length === 0) return false;
  const known = validZones.get(timeZone);
  if (known !== undefined) return known;
  let ok = true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    ok = false;
  }
  validZones.set(timeZone, ok);
  return ok;
}

function context(timeZone: string): TzContext {
  let c = contexts.get(timeZone);
  if (c === undefined) {
    if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown time zone "${timeZone}"`);
    c = tz(timeZone);
    contexts.set(timeZone, c);
  }
  return c;
}

/**
 * Start of the period containing instant `t`.
 * @param t epoch ms.
 * @param period granularity.
 * @param timeZone IANA zone the calendar is read in. Default `UTC`.
 * @param weekStartsOn first day of the week for `week`. Default 1 (Monday).
 * @returns epoch ms of the period start.
 * @throws RangeError for an unknown time zone or a non-finite `t`.
 * @example
 * ```ts
 * periodStart(Date.UTC(2024, 2, 10, 12), 'month'); // => Date.UTC(2024, 2, 1)
 * periodStart(Date.UTC(2024, 2, 10, 12), 'day', 'America/New_York'); // => Date.UTC(2024, 2, 10, 5)
 * ```
 */
export function periodStart(
  t: number,
  period: Period,
  timeZone = 'UTC',
  weekStartsOn: WeekStart = 1,
): number {
  if (!Number.isFinite(t)) throw new RangeError(`periodStart: instant is not finite: ${t}`);
  if (timeZone === 'UTC' && t >= FAST_MIN && t < FAST_MAX) return utcStart(t, period, weekStartsOn);
  const inZone = { in: context(timeZone) };
  switch (period) {
    case 'day':
      return startOfDay(t, inZone).getTime();
    case 'week':
      return startOfWeek(t, { ...inZone, weekStartsOn }).getTime();
    case 'month':
      return startOfMonth(t, inZone).getTime();
    case 'quarter':
      return startOfQuarter(t, inZone).getTime();
    default:
      throw new RangeError(`periodStart: unknown period "${String(period)}"`);
  }
}

/**
 * Adds `k` whole periods to a period start (calendar arithmetic in the zone, so a month after
 * 2024-01-31 is not needed: starts are always on the 1st / Monday / midnight).
 * @param start a period start, e.g. from {@link periodStart}.
 * @param period granularity.
 * @param k number of periods, may be negative.
 * @param timeZone IANA zone. Default `UTC`.
 * @returns epoch ms.
 * @example
 * ```ts
 * addPeriods(Date.UTC(2024, 0, 1), 'quarter', 1); // => Date.UTC(2024, 3, 1)
 * ```
 */
export function addPeriods(start: number, period: Period, k: number, timeZone = 'UTC'): number {
  if (timeZone === 'UTC' && start >= FAST_MIN && start < FAST_MAX && Math.abs(k) < 12_000) {
    return utcAdd(start, period, k);
  }
  const inZone = { in: context(timeZone) };
  switch (period) {
    case 'day':
      return addDays(start, k, inZone).getTime();
    case 'week':
      return addWeeks(start, k, inZone).getTime();
    case 'month':
      return addMonths(start, k, inZone).getTime();
    case 'quarter':
      return addQuarters(start, k, inZone).getTime();
    default:
      throw new RangeError(`addPeriods: unknown period "${String(period)}"`);
  }
}

// UTC fast path: plain epoch arithmetic and Date.UTC (zone-free), same results as date-fns with
// tz('UTC') (a property test checks this against 'Etc/UTC', which goes through date-fns).
// Date.UTC maps years 0–99 to 1900–1999, so the fast path is kept to years 1000–9999.
const FAST_MIN = -30_610_224_000_000; // 1000-01-01
const FAST_MAX = 253_402_300_800_000; // 10000-01-01

function utcStart(t: number, period: Period, weekStartsOn: WeekStart): number {
  const dayIndex = Math.floor(t / MS_PER_DAY);
  switch (period) {
    case 'day':
      return dayIndex * MS_PER_DAY;
    case 'week': {
      const weekday = (((dayIndex + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday (4)
      return (dayIndex - ((weekday - weekStartsOn + 7) % 7)) * MS_PER_DAY;
    }
    case 'month':
    case 'quarter': {
      const d = new Date(t);
      const m = d.getUTCMonth();
      return Date.UTC(d.getUTCFullYear(), period === 'month' ? m : m - (m % 3), 1);
    }
    default:
      throw new RangeError(`periodStart: unknown period "${String(period)}"`);
  }
}

function utcAdd(t: number, period: Period, k: number): number {
  switch (period) {
    case 'day':
      return t + k * MS_PER_DAY;
    case 'week':
      return t + 7 * k * MS_PER_DAY;
    case 'month':
    case 'quarter': {
      const months = period === 'month' ? k : 3 * k;
      const d = new Date(t);
      const y = d.getUTCFullYear();
      const m = d.getUTCMonth() + months;
      // Clamp the day of month like date-fns addMonths (Jan 31 + 1 month = Feb 29 or 28).
      const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
      const day = Math.min(d.getUTCDate(), lastDay);
      return Date.UTC(y, m, day) + (t - Math.floor(t / MS_PER_DAY) * MS_PER_DAY);
    }
    default:
      throw new RangeError(`addPeriods: unknown period "${String(period)}"`);
  }
}

/**
 * End (exclusive) of the period containing `t`, i.e. the start of the next period.
 * @example
 * ```ts
 * periodEnd(Date.UTC(2024, 1, 10), 'month'); // => Date.UTC(2024, 2, 1)
 * ```
 */
export function periodEnd(t: number, period: Period, timeZone = 'UTC', weekStartsOn: WeekStart = 1): number {
  return addPeriods(periodStart(t, period, timeZone, weekStartsOn), period, 1, timeZone);
}

/**
 * Boundaries of the whole calendar periods that intersect `[from, to)`: `b[0]` is the start of the
 * period containing `from`, `b[i + 1]` the end of period `i`, and the last element is the end of the
 * period containing `to - 1 ms`. Length is `periods + 1`; empty (length 0) when `to <= from`.
 * @param from epoch ms, inclusive.
 * @param to epoch ms, exclusive.
 * @param period granularity.
 * @param options time zone and week start.
 * @returns a `Float64Array` of boundaries, ascending.
 * @example
 * ```ts
 * periodBoundaries(Date.UTC(2024, 0, 15), Date.UTC(2024, 2, 1), 'month');
 * // => [Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1)]
 * ```
 */
export function periodBoundaries(
  from: number,
  to: number,
  period: Period,
  options: PeriodOptions = {},
): Float64Array {
  const timeZone = options.timeZone ?? 'UTC';
  if (!(to > from)) return new Float64Array(0);
  const first = periodStart(from, period, timeZone, options.weekStartsOn ?? 1);
  const out: number[] = [first];
  // Adding k periods to the first start (not chaining) keeps month ends exact.
  for (let k = 1; ; k++) {
    const b = addPeriods(first, period, k, timeZone);
    out.push(b);
    if (b >= to) break;
  }
  return Float64Array.from(out);
}

/**
 * The periods intersecting `[from, to)` as `{ start, end }` objects (see {@link periodBoundaries}).
 * @example
 * ```ts
 * periodRange(Date.UTC(2024, 0, 1), Date.UTC(2024, 2, 1), 'month');
 * // => [{ start: Date.UTC(2024, 0, 1), end: Date.UTC(2024, 1, 1) },
 * //     { start: Date.UTC(2024, 1, 1), end: Date.UTC(2024, 2, 1) }]
 * ```
 */
export function periodRange(
  from: number,
  to: number,
  period: Period,
  options: PeriodOptions = {},
): PeriodBounds[] {
  const b = periodBoundaries(from, to, period, options);
  const out: PeriodBounds[] = [];
  for (let i = 0; i + 1 < b.length; i++) out.push({ start: b[i] as number, end: b[i + 1] as number });
  return out;
}

/**
 * Index of the period containing `t` in boundaries from {@link periodBoundaries}, or -1 when `t` is
 * before the first or at/after the last boundary. Binary search, no allocation.
 * @example
 * ```ts
 * const b = periodBoundaries(Date.UTC(2024, 0, 1), Date.UTC(2024, 3, 1), 'month');
 * findPeriod(b, Date.UTC(2024, 1, 29)); // => 1
 * ```
 */
export function findPeriod(boundaries: ArrayLike<number>, t: number): number {
  const n = boundaries.length;
  if (n < 2 || !(t >= (boundaries[0] as number)) || t >= (boundaries[n - 1] as number)) return -1;
  let lo = 0;
  let hi = n - 1; // invariant: b[lo] <= t < b[hi]
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if ((boundaries[mid] as number) <= t) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Like {@link findPeriod}, but tries period `hint` (and the next one) first: O(1) when instants
 * arrive roughly in time order, as in per-customer event streams; falls back to binary search.
 * @example
 * ```ts
 * let p = -1;
 * for (const t of times) p = findPeriodNear(boundaries, t, p);
 * ```
 */
export function findPeriodNear(boundaries: ArrayLike<number>, t: number, hint: number): number {
  const last = boundaries.length - 1;
  if (hint >= 0 && hint < last && t >= (boundaries[hint] as number)) {
    if (t < (boundaries[hint + 1] as number)) return hint;
    if (hint + 1 < last && t < (boundaries[hint + 2] as number)) return hint + 1;
  }
  return findPeriod(boundaries, t);
}
