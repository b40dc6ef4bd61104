import { checkOptions, ValidationError } from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';
import { MS_PER_DAY } from '../_lib/time';
import type { CustomerEvent } from '../events/types';
import { type EventStore, isEventStore } from '../store/EventStore';
import { requireStoreColumns } from './_storeRevenue';
import type { TrackingData } from './evaluateClv';
import { DAYS_PER_UNIT, type RfmSummary } from './rfmSummary';

/** Options of {@link trackingData}. */
export interface TrackingDataOptions {
  /** Event type counted as a purchase (as in `rfmSummary`). @default 'purchase' */
  type?: string;
}

/** Result of {@link trackingData}: {@link TrackingData} plus the origin of its time axis. */
export interface TrackingDataResult extends TrackingData {
  births: number[];
  repeatTimes: number[];
  /** Epoch ms (UTC midnight) of time 0: the day of the earliest first purchase. */
  origin: number;
  /** Length of the time unit in days (7 for weeks). */
  unitDays: number;
}

/**
 * The purchase times `evaluateClv` needs for its tracking series, from the same events and the
 * `rfmSummary` (with `calibrationEnd`) the model was fitted on, aligned with `summary.customers`.
 * Purchases are counted per UTC day as in `rfmSummary`; times are end-of-day in the summary's
 * `timeUnit` from the day of the earliest first purchase, so period k covers days
 * ((k−1)·u, k·u] and T = calibrationEnd − birth exactly as in the summary:
 * birth_i = (firstDay_i − originDay + 1)/u, each later purchase day d ≤ asOf gives (d − originDay + 1)/u,
 * calibrationEnd = (calEndDay − originDay + 1)/u and end = (asOfDay − originDay + 1)/u.
 *
 * Missing-data policy: events of customers not in the summary are ignored (e.g. first seen in the
 * holdout); events after `summary.asOf` are ignored (asOf rule: an event at `asOf` counts).
 *
 * @param events the purchase events (`CustomerEvent`s, epoch-ms timestamps), or an `EventStore`
 *   (its columns are read; the same result).
 * @param summary `rfmSummary(events, { asOf, calibrationEnd, timeUnit })`.
 * @param options purchase `type`.
 * @returns `births`, `repeatTimes`, `calibrationEnd`, `end`, `step` 1, `origin`, `unitDays`.
 * @throws {ValidationError} when the summary has no `calibrationEnd` or is not an `rfmSummary` result.
 * @example
 * ```ts
 * import { rfmSummary, trackingData } from 'customer-vitals';
 * const day = (d: number) => Date.UTC(2024, 0, 1) + d * 86_400_000;
 * const events = [
 *   { customerId: 'a', type: 'purchase', timestamp: day(0) },
 *   { customerId: 'a', type: 'purchase', timestamp: day(9) },
 *   { customerId: 'b', type: 'purchase', timestamp: day(3) },
 *   { customerId: 'a', type: 'purchase', timestamp: day(20) },
 * ];
 * const s = rfmSummary(events, { asOf: day(27), calibrationEnd: day(13), timeUnit: 'weeks' });
 * const tr = trackingData(events, s);
 * tr.births; // => [1/7, 4/7]   (a on day 0, b on day 3)
 * tr.repeatTimes; // => [10/7, 3]   (day 9, day 20)
 * [tr.calibrationEnd, tr.end]; // => [2, 4]
 * ```
 */
export function trackingData(
  events: readonly CustomerEvent[] | EventStore,
  summary: RfmSummary,
  options: TrackingDataOptions = {},
): TrackingDataResult {
  const fn = 'trackingData';
  checkOptions(fn, options, ['type']);
  const type = options?.type ?? 'purchase';
  if (typeof type !== 'string' || type === '')
    throw new ValidationError(fn, [
      { path: ['type'], code: 'invalid_value', message: 'option "type" must be a non-empty string' },
    ]);
  const store = isEventStore(events) ? events : null;
  if (store !== null) requireStoreColumns(fn, store);
  if (store === null && !Array.isArray(events))
    throw new ValidationError(fn, [
      { path: ['events'], code: 'not_an_array', message: '"events" must be an array of events' },
    ]);
  const sm = summary as Partial<RfmSummary> | null;
  if (
    !isPlainObject(sm) ||
    !Array.isArray(sm.customers) ||
    typeof sm.asOf !== 'number' ||
    !(sm.timeUnit && sm.timeUnit in DAYS_PER_UNIT)
  )
    throw new ValidationError(fn, [
      { path: ['summary'], code: 'invalid_type', message: '"summary" must be the result of rfmSummary' },
    ]);
  if (typeof sm.calibrationEnd !== 'number')
    throw new ValidationError(fn, [
      {
        path: ['summary', 'calibrationEnd'],
        code: 'required',
        message: '"summary" must be made with a calibrationEnd (a holdout period)',
      },
    ]);
  const u = DAYS_PER_UNIT[sm.timeUnit as keyof typeof DAYS_PER_UNIT];
  const asOf = sm.asOf;
  const asOfDay = Math.floor(asOf / MS_PER_DAY);
  const customers = sm.customers;
  const firstDay = new Map<string, number>();
  let originDay = Number.POSITIVE_INFINITY;
  for (const c of customers) {
    const d = Math.floor(c.firstPurchaseAt / MS_PER_DAY);
    firstDay.set(c.customerId, d);
    if (d < originDay) originDay = d;
  }
  if (!Number.isFinite(originDay)) originDay = Math.floor(sm.calibrationEnd / MS_PER_DAY);
  const births = customers.map((c) => ((firstDay.get(c.customerId) as number) - originDay + 1) / u);
  // Distinct purchase days per customer after the first, up to asOf.
  const seen = new Map<string, Set<number>>();
  if (store !== null) storeRepeatDays(store, type, asOf, firstDay, seen);
  const list = store === null ? (events as readonly CustomerEvent[]) : [];
  for (let i = 0; i < list.length; i++) {
    const e = list[i] as CustomerEvent | undefined;
    if (!e || e.type !== type || typeof e.timestamp !== 'number' || !(e.timestamp <= asOf)) continue;
    const f = firstDay.get(e.customerId);
    if (f === undefined) continue;
    const d = Math.floor(e.timestamp / MS_PER_DAY);
    if (d <= f) continue;
    let s = seen.get(e.customerId);
    if (!s) {
      s = new Set();
      seen.set(e.customerId, s);
    }
    s.add(d);
  }
  const repeatTimes: number[] = [];
  for (const c of customers) {
    const s = seen.get(c.customerId);
    if (!s) continue;
    for (const d of Array.from(s).sort((a, b) => a - b)) repeatTimes.push((d - originDay + 1) / u);
  }
  return {
    births,
    repeatTimes,
    calibrationEnd: (Math.floor(sm.calibrationEnd / MS_PER_DAY) - originDay + 1) / u,
    end: (asOfDay - originDay + 1) / u,
    step: 1,
    origin: originDay * MS_PER_DAY,
    unitDays: u,
  };
}

/** The store path of the repeat days: purchase rows of the summary's customers, from the columns. */
function storeRepeatDays(
  store: EventStore,
  type: string,
  asOf: number,
  firstDay: ReadonlyMap<string, number>,
  seen: Map<string, Set<number>>,
): void {
  const code = store.types.indexOf(type);
  if (code === -1) return;
  const { time, typeCode, offsets, customerIds } = store;
  for (let c = 0; c < customerIds.length; c++) {
    const id = customerIds[c] as string;
    const f = firstDay.get(id);
    if (f === undefined) continue;
    let s: Set<number> | undefined;
    for (let i = offsets[c] as number; i < (offsets[c + 1] as number); i++) {
      const t = time[i] as number;
      if (typeCode[i] !== code || !(t <= asOf)) continue;
      const d = Math.floor(t / MS_PER_DAY);
      if (d <= f) continue;
      s ??= new Set();
      s.add(d);
    }
    if (s !== undefined) seen.set(id, s);
  }
}
