import { addMonths } from 'date-fns/addMonths';
import { checkOptions, optionError } from '../_lib/errors';
import { compareCodeUnits } from '../_lib/order';
import { type DateInput, MS_PER_DAY, MS_PER_WEEK, UTC } from '../_lib/time';
import type { CustomerEvent, CustomerTimelines } from '../events/types';
import type { EventStore } from '../store/EventStore';
import { prepareHealthInput } from './_storeRun';
import type { HealthScore, HealthWarning } from './healthTypes';
import {
  requireInstant,
  runWarnings,
  SCORE_HEALTH_KEYS,
  type ScoreHealthOptions,
  scoreAt,
} from './scoreHealth';

/** Options of {@link healthHistory}. */
export interface HealthHistoryOptions extends Omit<ScoreHealthOptions, 'asOf'> {
  /** First date of the history. */
  from: DateInput;
  /** Last date of the history (included when the step lands on it). */
  to: DateInput;
  /** Step between dates: `'day'`, `'week'`, `'month'` (calendar months in UTC) or a number of days. @default 'week' */
  every?: 'day' | 'week' | 'month' | number;
  /** A change smaller than this many points (in absolute value) has direction `flat`. @default 1 */
  flatWithin?: number;
}

/** One dated point of a customer's health history. */
export interface HealthHistoryPoint {
  asOf: number;
  score: number | null;
  band: string | null;
  coverage: number;
  /** Score minus the previous point's score (null when either is null or this is the first point). */
  delta: number | null;
  /** `up`, `down` or `flat` from `delta` (null when delta is null). */
  direction: 'up' | 'down' | 'flat' | null;
  /** The full score as of this date (measures, contributions, explanation). */
  result: HealthScore;
}

/** A customer's health history. */
export interface CustomerHealthHistory {
  customerId: string;
  points: HealthHistoryPoint[];
}

/** The result of {@link healthHistory}: one history per customer, plus the run's warnings (as `scoreHealth`'s). */
export interface HealthHistoryList extends Array<CustomerHealthHistory> {
  warnings: HealthWarning[];
}

const KNOWN = [...SCORE_HEALTH_KEYS.filter((k) => k !== 'asOf'), 'from', 'to', 'every', 'flatWithin'];

const MAX_DATES = 5000;

/** The dates of a history range. @internal */
export function historyDates(
  from: number,
  to: number,
  every: 'day' | 'week' | 'month' | number,
  fn: string,
): number[] {
  if (to < from) throw optionError(fn, 'to', `is before "from"`);
  const out: number[] = [];
  if (every !== 'day' && every !== 'week' && every !== 'month' && typeof every !== 'number')
    throw optionError(fn, 'every', `must be 'day', 'week', 'month' or a number of days`);
  if (every === 'month') {
    for (let i = 0; ; i++) {
      const t = addMonths(from, i, { in: UTC }).getTime();
      if (t > to) break;
      out.push(t);
      if (out.length > MAX_DATES)
        throw optionError(fn, 'every', `gives more than ${MAX_DATES} dates; use a larger step`);
    }
    return out;
  }
  const step = every === 'day' ? MS_PER_DAY : every === 'week' ? MS_PER_WEEK : every * MS_PER_DAY;
  if (!(step > 0) || !Number.isFinite(step)) throw optionError(fn, 'every', `must be positive`);
  for (let t = from; t <= to; t += step) {
    out.push(t);
    if (out.length > MAX_DATES)
      throw optionError(fn, 'every', `gives more than ${MAX_DATES} dates; use a larger step`);
  }
  return out;
}

/**
 * True health history: every customer is re-scored as of each date from `from` to `to` using only
 * the events up to that date (nothing is stored or overwritten, so a score can never be "revised
 * silently"). `delta` and `direction` come from the actual scores of consecutive points, so trend
 * arrows cannot disagree with the numbers.
 *
 * Missing data: as {@link scoreHealth}; a customer appears from the first date at or after its
 * first event; `delta` is null when either score is null.
 *
 * @param events validated events, timelines, or an `EventStore` (grouped from its columns, as
 *   `scoreHealthFromStore` does: no event object per row; same result).
 * @param options `from`, `to`, `every`, plus every {@link ScoreHealthOptions} option except `asOf`.
 * @returns one history per customer, in customer-id order.
 * @throws {ValidationError} on invalid dates, `to < from`, or more than 5,000 dates.
 * @throws ValidationError when the scorecard is invalid.
 * @example
 * ```ts
 * const [acme] = healthHistory(events, { from: '2025-01-01', to: '2025-06-01', every: 'month' });
 * acme.points.map((p) => [p.score, p.direction]); // => [[78.2, null], [74.9, 'down'], ...]
 * ```
 */
export function healthHistory(
  events: readonly CustomerEvent[] | CustomerTimelines | EventStore,
  options: HealthHistoryOptions,
): HealthHistoryList {
  const fn = 'healthHistory';
  checkOptions(fn, options, KNOWN);
  const from = requireInstant(options?.from, fn, 'from');
  const to = requireInstant(options.to, fn, 'to');
  const dates = historyDates(from, to, options.every ?? 'week', fn);
  const flat = options.flatWithin ?? 1;
  if (typeof flat !== 'number' || !(flat >= 0 && flat <= 100))
    throw optionError(fn, 'flatWithin', `must be a number from 0 to 100`);
  const run = prepareHealthInput(events, options, fn, dates);
  const byCustomer = new Map<string, HealthHistoryPoint[]>();
  for (const asOf of dates) {
    for (const r of scoreAt(run, asOf)) {
      let points = byCustomer.get(r.customerId);
      if (points === undefined) {
        points = [];
        byCustomer.set(r.customerId, points);
      }
      const prev = points[points.length - 1];
      const delta =
        prev !== undefined && prev.score !== null && r.score !== null ? r.score - prev.score : null;
      points.push({
        asOf,
        score: r.score,
        band: r.band,
        coverage: r.coverage,
        delta,
        direction: delta === null ? null : Math.abs(delta) < flat ? 'flat' : delta > 0 ? 'up' : 'down',
        result: r,
      });
    }
  }
  const ids = Array.from(byCustomer.keys()).sort(compareCodeUnits);
  const list = ids.map((customerId) => ({
    customerId,
    points: byCustomer.get(customerId) as HealthHistoryPoint[],
  })) as HealthHistoryList;
  list.warnings = runWarnings(run);
  return list;
}
