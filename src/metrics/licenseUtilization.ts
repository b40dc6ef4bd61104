import { findPeriod } from '../_lib/period';
import type { CustomerEvent, CustomerProfile } from '../events/types';
import { ACTIVITY_TYPES } from '../events/vocabulary';
import { bucketOrder, IdIndex, resolveSeries } from './_shared';
import type { SeriesOptions, SeriesPoint } from './types';

/** Options of {@link licenseUtilization}. */
export interface LicenseUtilizationOptions extends SeriesOptions {
  /** Profiles whose `seats` apply to customers before their first `seats_changed` event. @default none */
  profiles?: readonly CustomerProfile[];
}

/** One period of {@link licenseUtilization}. `value` = activeUsers / seats; `n` = licensed customers. */
export interface LicenseUtilizationPoint extends SeriesPoint {
  /** Seats at period end, summed over customers with seats > 0 then. */
  seats: number;
  /** Distinct active users in the period of those customers. */
  activeUsers: number;
  /** Licensed customers with more active users than seats. */
  overLicensed: number;
  /** Licensed customers using less than half of their seats. */
  underHalf: number;
  /** Median of the per-customer utilisation (active users / seats); null when n is 0. */
  medianCustomerUtilization: number | null;
}

/**
 * License utilisation per period: distinct active users (activity events with `properties.userId`)
 * over purchased seats. Seats of a customer at period end come from its last `seats_changed` event
 * before the period end (value = seats after the change), or else from its profile's `seats`.
 * `value = Σ active users / Σ seats` over the customers with seats > 0 at period end (a pooled
 * ratio that can exceed 1), plus the per-customer median and counts of over- and under-used accounts.
 *
 * Missing data: customers without seat information are left out; a period without any licensed
 * customer has `n: 0`, `value: null` and a reason.
 *
 * @param events validated events.
 * @param options range, period (default month), time zone, optional profiles.
 * @returns one point per period.
 * @throws ValidationError for an invalid range, period or time zone.
 * @example
 * ```ts
 * licenseUtilization(events, { from: '2025-12-01', to: '2026-01-01', profiles });
 * // => [{ periodStart: ..., value: 0.64, n: 150, seats: 1500, activeUsers: 960, overLicensed: 4, ... }]
 * ```
 */
export function licenseUtilization(
  events: readonly CustomerEvent[],
  options: LicenseUtilizationOptions,
): LicenseUtilizationPoint[] {
  const { boundaries } = resolveSeries(options, 'licenseUtilization');
  const k = boundaries.length - 1;
  const ids = new IdIndex();
  // Seat changes per customer.
  const seatEvents = new Map<number, CustomerEvent[]>();
  const bucket = new Int32Array(events.length).fill(-1);
  const cust = new Int32Array(events.length);
  const user = new Int32Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as CustomerEvent;
    if (e.type === 'seats_changed') {
      const v = e.value;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) continue;
      const c = ids.customer(e.customerId);
      const list = seatEvents.get(c);
      if (list === undefined) seatEvents.set(c, [e]);
      else list.push(e);
      continue;
    }
    if (!ACTIVITY_TYPES.has(e.type)) continue;
    const p = findPeriod(boundaries, e.timestamp);
    if (p < 0) continue;
    const u = ids.user(e.customerId, e.properties);
    if (u < 0) continue;
    bucket[i] = p;
    cust[i] = ids.customer(e.customerId);
    user[i] = u;
  }
  const nc = ids.customerIds.length;
  const profileSeats = new Float64Array(nc);
  for (const prof of options.profiles ?? []) {
    const c = ids.customers.get(prof.customerId);
    if (c !== undefined && typeof prof.seats === 'number' && Number.isFinite(prof.seats) && prof.seats > 0) {
      profileSeats[c] = prof.seats;
    }
  }
  const lists: (CustomerEvent[] | undefined)[] = [];
  for (let c = 0; c < nc; c++) {
    const list = seatEvents.get(c);
    list?.sort((a, b) => a.timestamp - b.timestamp);
    lists.push(list);
  }
  const pointer = new Int32Array(nc);
  const seats = Float64Array.from(profileSeats);
  const { offsets, order } = bucketOrder(bucket, k);
  const userStamp = new Int32Array(ids.userCount).fill(-1);
  const active = new Float64Array(nc);
  const ratios = new Float64Array(nc);
  const out: LicenseUtilizationPoint[] = [];
  for (let p = 0; p < k; p++) {
    const end = boundaries[p + 1] as number;
    active.fill(0);
    for (let j = offsets[p] as number; j < (offsets[p + 1] as number); j++) {
      const i = order[j] as number;
      const u = user[i] as number;
      if (userStamp[u] !== p) {
        userStamp[u] = p;
        const c = cust[i] as number;
        active[c] = (active[c] as number) + 1;
      }
    }
    let totalSeats = 0;
    let totalActive = 0;
    let licensed = 0;
    let over = 0;
    let underHalf = 0;
    for (let c = 0; c < nc; c++) {
      const list = lists[c];
      if (list !== undefined) {
        let q = pointer[c] as number;
        while (q < list.length && (list[q] as CustomerEvent).timestamp < end) {
          seats[c] = (list[q] as CustomerEvent).value as number;
          q++;
        }
        pointer[c] = q;
      }
      const s = seats[c] as number;
      if (!(s > 0)) continue;
      const a = active[c] as number;
      totalSeats += s;
      totalActive += a;
      ratios[licensed++] = a / s;
      if (a > s) over++;
      else if (a < s / 2) underHalf++;
    }
    let median: number | null = null;
    if (licensed > 0) {
      const sorted = ratios.subarray(0, licensed).sort();
      const mid = licensed >> 1;
      median =
        licensed % 2 === 1
          ? (sorted[mid] as number)
          : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
    }
    const point: LicenseUtilizationPoint = {
      periodStart: boundaries[p] as number,
      periodEnd: end,
      value: totalSeats > 0 ? totalActive / totalSeats : null,
      n: licensed,
      seats: totalSeats,
      activeUsers: totalActive,
      overLicensed: over,
      underHalf,
      medianCustomerUtilization: median,
    };
    if (licensed === 0) point.reason = 'no customer with seats at period end';
    out.push(point);
  }
  return out;
}
