import { findPeriod, findPeriodNear, periodBoundaries } from '../_lib/period';
import { bucketOrder, optionError, resolveSeries } from './_shared';
import { asIndex, type EventsInput } from './indexEvents';
import type { SeriesOptions, SeriesPoint } from './types';

/** Options of {@link stickiness}. */
export interface StickinessOptions extends SeriesOptions {
  /** Count users (`customerId` + `properties.userId`) or whole customers. @default 'users' */
  level?: 'users' | 'customers';
}

/** One period of {@link stickiness}. `value` = averageDaily / periodActive; `n` = periodActive. */
export interface StickinessPoint extends SeriesPoint {
  /** Mean over the calendar days of the period of the distinct actives that day (average DAU). */
  averageDaily: number;
  /** Distinct actives over the whole period (MAU for months). */
  periodActive: number;
  /** Calendar days in the period (in the time zone; DST days included once). */
  days: number;
}

/**
 * Stickiness, DAU/MAU: for each period (default month), the average number of distinct daily
 * actives over the period's calendar days divided by the distinct actives over the whole period.
 * Activity = `login`, `session` or `feature_used`. Days are calendar days in `timeZone`.
 * With `period: 'week'` this is DAU/WAU.
 *
 * Missing data: a period with no actives has `n: 0`, `value: null` and a reason. At user level,
 * events without `properties.userId` are ignored (use `level: 'customers'` when there are none).
 * Every day of the period counts in the average, so a range ending mid-period lowers the last value.
 *
 * @param events validated events, an `EventStore` or an {@link EventIndex}.
 * @param options range, period (default month), time zone and level.
 * @returns one point per period.
 * @throws ValidationError for an invalid range, period, time zone or level.
 * @example
 * ```ts
 * stickiness(events, { from: '2025-12-01', to: '2026-01-01' });
 * // => [{ periodStart: ..., value: 0.21, n: 800, averageDaily: 168, periodActive: 800, days: 31 }]
 * ```
 */
export function stickiness(events: EventsInput, options: StickinessOptions): StickinessPoint[] {
  const fn = 'stickiness';
  const range = resolveSeries(options, fn, 'month', ['level']);
  const level = options.level ?? 'users';
  if (level !== 'users' && level !== 'customers')
    throw optionError(fn, 'level', 'must be "users" or "customers"');
  const outer = range.boundaries;
  const k = outer.length - 1;
  const days = periodBoundaries(outer[0] as number, outer[k] as number, 'day', range.periodOptions);
  const nd = days.length - 1;
  // Outer period of each day (days nest inside periods computed in the same zone).
  const dayPeriod = new Int32Array(nd);
  for (let d = 0; d < nd; d++) dayPeriod[d] = findPeriod(outer, days[d] as number);
  const act = asIndex(events, fn).activity();
  const users = level === 'users';
  const bucket = new Int32Array(act.size);
  let hint = -1;
  for (let i = 0; i < act.size; i++) {
    if (users && (act.user[i] as number) < 0) {
      bucket[i] = -1;
      continue;
    }
    hint = findPeriodNear(days, act.time[i] as number, hint);
    bucket[i] = hint;
  }
  const who = users ? act.user : act.customer;
  const nIds = users ? act.userCount : act.customerIds.length;
  const { offsets, order } = bucketOrder(bucket, nd);
  const dayStamp = new Int32Array(nIds).fill(-1);
  const periodStamp = new Int32Array(nIds).fill(-1);
  const dailySum = new Float64Array(k);
  const dayCount = new Float64Array(k);
  const periodActive = new Float64Array(k);
  for (let d = 0; d < nd; d++) {
    const p = dayPeriod[d] as number;
    dayCount[p] = (dayCount[p] as number) + 1;
    for (let j = offsets[d] as number; j < (offsets[d + 1] as number); j++) {
      const u = who[order[j] as number] as number;
      if (dayStamp[u] !== d) {
        dayStamp[u] = d;
        dailySum[p] = (dailySum[p] as number) + 1;
      }
      if (periodStamp[u] !== p) {
        periodStamp[u] = p;
        periodActive[p] = (periodActive[p] as number) + 1;
      }
    }
  }
  const out: StickinessPoint[] = [];
  for (let p = 0; p < k; p++) {
    const mau = periodActive[p] as number;
    const avg = (dailySum[p] as number) / (dayCount[p] as number);
    const point: StickinessPoint = {
      periodStart: outer[p] as number,
      periodEnd: outer[p + 1] as number,
      value: mau > 0 ? avg / mau : null,
      n: mau,
      averageDaily: avg,
      periodActive: mau,
      days: dayCount[p] as number,
    };
    if (mau === 0) point.reason = `no active ${level} in the period`;
    out.push(point);
  }
  return out;
}
