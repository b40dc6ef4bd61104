import { findPeriodNear } from '../_lib/period';
import { bucketOrder, resolveSeries } from './_shared';
import { asIndex, type EventsInput } from './indexEvents';
import type { SeriesOptions, SeriesPoint } from './types';

/** Options of {@link activeCustomers}. */
export interface ActiveCustomersOptions extends SeriesOptions {
  /** What `value` counts. @default 'customers' */
  count?: 'customers' | 'users';
}

/** One period of {@link activeCustomers}. `n` is the number of activity events in the period. */
export interface ActiveCustomersPoint extends SeriesPoint {
  value: number;
  /** Distinct customers with at least one activity event. */
  activeCustomers: number;
  /** Distinct users (`customerId` + `properties.userId`) with at least one activity event. */
  activeUsers: number;
  /** Activity events without a userId (they count for customers, not users). */
  eventsWithoutUser: number;
}

/**
 * Active customers and active users per period (DAU / WAU / MAU with `period` day / week / month):
 * distinct customers, and distinct users within customers, with at least one activity event
 * (`login`, `session`, `feature_used`) in the period.
 *
 * Missing data: a period without activity has value 0 and `n: 0` (a count is never null); events
 * without `properties.userId` count only at customer level and are reported in `eventsWithoutUser`.
 *
 * @param events validated events, an `EventStore` or an {@link EventIndex}.
 * @param options range, period (default month), time zone and which count is the `value`.
 * @returns one point per period.
 * @throws ValidationError for an invalid range, period or time zone.
 * @example
 * ```ts
 * activeCustomers(events, { from: '2025-12-01', to: '2026-01-01', period: 'week', count: 'users' });
 * // => [{ periodStart: ..., value: 812, n: 9120, activeCustomers: 180, activeUsers: 812, ... }, ...]
 * ```
 */
export function activeCustomers(
  events: EventsInput,
  options: ActiveCustomersOptions,
): ActiveCustomersPoint[] {
  const { boundaries } = resolveSeries(options, 'activeCustomers', 'month', ['count']);
  const k = boundaries.length - 1;
  const act = asIndex(events, 'activeCustomers').activity();
  const bucket = new Int32Array(act.size);
  let hint = -1;
  for (let i = 0; i < act.size; i++) {
    hint = findPeriodNear(boundaries, act.time[i] as number, hint);
    bucket[i] = hint;
  }
  const { offsets, order } = bucketOrder(bucket, k);
  const custStamp = new Int32Array(act.customerIds.length).fill(-1);
  const userStamp = new Int32Array(act.userCount).fill(-1);
  const out: ActiveCustomersPoint[] = [];
  const countUsers = options.count === 'users';
  for (let p = 0; p < k; p++) {
    let nc = 0;
    let nu = 0;
    let noUser = 0;
    for (let j = offsets[p] as number; j < (offsets[p + 1] as number); j++) {
      const i = order[j] as number;
      const c = act.customer[i] as number;
      const u = act.user[i] as number;
      if (custStamp[c] !== p) {
        custStamp[c] = p;
        nc++;
      }
      if (u < 0) noUser++;
      else if (userStamp[u] !== p) {
        userStamp[u] = p;
        nu++;
      }
    }
    out.push({
      periodStart: boundaries[p] as number,
      periodEnd: boundaries[p + 1] as number,
      value: countUsers ? nu : nc,
      n: (offsets[p + 1] as number) - (offsets[p] as number),
      activeCustomers: nc,
      activeUsers: nu,
      eventsWithoutUser: noUser,
    });
  }
  return out;
}
