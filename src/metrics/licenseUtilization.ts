import { findPeriodNear } from '../_lib/period';
import type { CustomerProfile } from '../events/types';
import { bucketOrder, resolveSeries } from './_shared';
import { asIndex, type EventIndex, type EventsInput } from './indexEvents';
import type { SeriesOptions, SeriesPoint } from './types';

const SEAT_TYPES = ['seats_changed'] as const;

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
 * before the period end (value = seats after the change; of several at one instant, the last in the
 * library's event order, `compareEvents`: by eventId, then value), or else from its profile's `seats`.
 * Customers with a subscription history count only while subscribed (MRR > 0 at period end, per
 * {@link mrrMovements}); customers without one count whenever they have seats.
 * `value = Σ active users / Σ seats` over the customers with seats > 0 at period end (a pooled
 * ratio that can exceed 1), plus the per-customer median and counts of over- and under-used accounts.
 *
 * Missing data: customers without seat information, and cancelled customers, are left out; a period without any licensed
 * customer has `n: 0`, `value: null` and a reason.
 *
 * @param events validated events, an `EventStore` or an {@link EventIndex}.
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
  events: EventsInput,
  options: LicenseUtilizationOptions,
): LicenseUtilizationPoint[] {
  const { boundaries } = resolveSeries(options, 'licenseUtilization', 'month', ['profiles']);
  const k = boundaries.length - 1;
  const ix = asIndex(events, 'licenseUtilization');
  const act = ix.activity();
  const base = act.customerIds.length;
  const { seatCols, seatOrder, profileSeats, nc } = seatTimeline(ix, base, options.profiles);
  const bucket = new Int32Array(act.size);
  let hint = -1;
  for (let i = 0; i < act.size; i++) {
    if ((act.user[i] as number) < 0) {
      bucket[i] = -1;
      continue;
    }
    hint = findPeriodNear(boundaries, act.time[i] as number, hint);
    bucket[i] = hint;
  }
  // Subscription state: customers with a subscription history count only while their MRR is > 0.
  const history = ix.mrrHistory();
  const histOf = new Int32Array(nc).fill(-1);
  for (let h = 0; h < history.ids.length; h++) {
    const c = ix.customerCode(history.ids[h] as string);
    if (c >= 0) histOf[c] = h;
  }
  const { offsets, order } = bucketOrder(bucket, k);
  const userStamp = new Int32Array(act.userCount).fill(-1);
  const st: PeriodState = {
    base,
    nc,
    seatCols,
    seatOrder,
    pointer: new Int32Array(nc),
    seats: Float64Array.from(profileSeats),
    history,
    histOf,
    mrrPointer: new Int32Array(nc),
    mrrNow: new Float64Array(nc),
    active: new Float64Array(nc),
    ratios: new Float64Array(nc),
  };
  const active = st.active;
  const out: LicenseUtilizationPoint[] = [];
  for (let p = 0; p < k; p++) {
    active.fill(0);
    for (let j = offsets[p] as number; j < (offsets[p + 1] as number); j++) {
      const i = order[j] as number;
      const u = act.user[i] as number;
      if (userStamp[u] !== p) {
        userStamp[u] = p;
        const c = act.customer[i] as number;
        active[c] = (active[c] as number) + 1;
      }
    }
    out.push(periodPoint(st, boundaries[p] as number, boundaries[p + 1] as number));
  }
  return out;
}

type SeatColumns = ReturnType<EventIndex['typeColumns']>;
type Buckets = ReturnType<typeof bucketOrder>;

/**
 * Seat changes (finite value >= 0) per customer, each customer's in the library's event order (time,
 * then type, eventId, value: so equal instants do not depend on the input order), and the profile
 * seats per customer (customers known only from profiles numbered after the index's).
 */
function seatTimeline(
  ix: EventIndex,
  base: number,
  profiles: readonly CustomerProfile[] | undefined,
): { seatCols: SeatColumns; seatOrder: Buckets; profileSeats: Float64Array; nc: number } {
  const extra = new Map<string, number>();
  const customerOf = (id: string): number => {
    const c = ix.customerCode(id);
    if (c >= 0) return c;
    let x = extra.get(id);
    if (x === undefined) {
      x = base + extra.size;
      extra.set(id, x);
    }
    return x;
  };
  const seatCols = ix.typeColumns(SEAT_TYPES);
  const seatOf = new Int32Array(seatCols.size);
  for (let j = 0; j < seatCols.size; j++) {
    const v = seatCols.value[j] as number;
    seatOf[j] = v >= 0 ? (seatCols.customer[j] as number) : -1;
  }
  const seatOrder = bucketOrder(seatOf, base);
  const profileSeatsById = new Map<string, number>();
  for (const prof of profiles ?? []) {
    if (typeof prof.seats === 'number' && Number.isFinite(prof.seats) && prof.seats > 0) {
      profileSeatsById.set(prof.customerId, prof.seats);
      customerOf(prof.customerId);
    }
  }
  const nc = base + extra.size;
  const profileSeats = new Float64Array(nc);
  for (const [id, seats] of profileSeatsById) profileSeats[customerOf(id)] = seats;
  const seatTimes = seatCols.time;
  const seatCompare = (a: number, b: number): number =>
    (seatTimes[a] as number) - (seatTimes[b] as number) ||
    ix.compareAt(seatCols.pos[a] as number, seatCols.pos[b] as number);
  for (let c = 0; c < base; c++) {
    const lo = seatOrder.offsets[c] as number;
    const hi = seatOrder.offsets[c + 1] as number;
    let sorted = true;
    for (let q = lo + 1; q < hi && sorted; q++)
      sorted = seatCompare(seatOrder.order[q - 1] as number, seatOrder.order[q] as number) <= 0;
    if (sorted) continue;
    const run = Array.from(seatOrder.order.subarray(lo, hi)).sort(seatCompare);
    seatOrder.order.set(run, lo);
  }
  return { seatCols, seatOrder, profileSeats, nc };
}

/** The state carried from period to period (seat and MRR pointers advance monotonically). */
interface PeriodState {
  base: number;
  nc: number;
  seatCols: SeatColumns;
  seatOrder: Buckets;
  pointer: Int32Array;
  seats: Float64Array;
  history: ReturnType<EventIndex['mrrHistory']>;
  histOf: Int32Array;
  mrrPointer: Int32Array;
  mrrNow: Float64Array;
  /** Active users per customer in the period. */
  active: Float64Array;
  ratios: Float64Array;
}

/** The point of the period [start, end): seats and MRR at its end, its active users. */
function periodPoint(st: PeriodState, start: number, end: number): LicenseUtilizationPoint {
  const {
    base,
    nc,
    seatCols,
    seatOrder,
    pointer,
    seats,
    history,
    histOf,
    mrrPointer,
    mrrNow,
    active,
    ratios,
  } = st;
  const seatTimes = seatCols.time;
  let totalSeats = 0;
  let totalActive = 0;
  let licensed = 0;
  let over = 0;
  let underHalf = 0;
  for (let c = 0; c < nc; c++) {
    if (c < base) {
      let q = Math.max(pointer[c] as number, seatOrder.offsets[c] as number);
      const stop = seatOrder.offsets[c + 1] as number;
      while (q < stop && (seatTimes[seatOrder.order[q] as number] as number) < end) {
        seats[c] = seatCols.value[seatOrder.order[q] as number] as number;
        q++;
      }
      pointer[c] = q;
    }
    const h = histOf[c] as number;
    if (h >= 0) {
      let q = Math.max(mrrPointer[c] as number, history.offsets[h] as number);
      const stop = history.offsets[h + 1] as number;
      while (q < stop && (history.times[q] as number) < end) {
        mrrNow[c] = history.cents[q] as number;
        q++;
      }
      mrrPointer[c] = q;
      if (!((mrrNow[c] as number) > 0)) continue;
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
    periodStart: start,
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
  return point;
}
