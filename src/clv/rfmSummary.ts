import { optionError } from '../_lib/errors';
import { signedRevenue } from '../_lib/revenue';
import { MS_PER_DAY, requireEpochMs } from '../_lib/time';
import type { CustomerEvent } from '../events/types';
import { type EventStore, isEventStore } from '../store/EventStore';
import type { AsOfOptions, VitalsWarning } from '../types';
import { checkOptions, optEnum, optString, requireEvents } from './_errors';
import { RfmAccumulator } from './_rfmAccumulator';
import { requireStoreColumns, StoreRevenueReader } from './_storeRevenue';
import type { ClvWarningCode, RfmColumns, TimeUnit } from './types';

/** Options of {@link rfmSummary}. */
export interface RfmSummaryOptions extends Required<AsOfOptions> {
  /** Unit of recency, T and durations. @default 'weeks' */
  timeUnit?: TimeUnit;
  /** End of the calibration period: the summary describes purchases up to it (events at it included), and purchases in (calibrationEnd, asOf] are the holdout. @default undefined (no holdout) */
  calibrationEnd?: AsOfOptions['asOf'];
  /** Event type counted as a purchase. @default 'purchase' */
  type?: string;
  /** Event type whose value is subtracted as a refund (the net-revenue rule of `_lib/revenue`). @default 'refund' */
  refundType?: string;
}

const KNOWN_OPTIONS = ['asOf', 'timeUnit', 'calibrationEnd', 'type', 'refundType'] as const;

/** One customer's repeat-purchase summary. */
export interface RfmCustomer {
  customerId: string;
  /** x: number of repeat purchase days (distinct UTC days with a purchase, minus the first). */
  frequency: number;
  /** t_x: time from the first to the last purchase day. 0 when frequency is 0. */
  recency: number;
  /** T: time from the first purchase day to the (calibration) end day. */
  T: number;
  /** Mean net value of the repeat purchase days (same-day purchases summed, refunds subtracted); 0 when frequency is 0. May be ≤ 0. */
  monetaryValue: number;
  /** Net revenue of the (calibration) period: purchases − refunds, including the first day (the one definition of `_lib/revenue`). */
  totalValue: number;
  /** Net value of the first purchase day. */
  firstValue: number;
  /** Refunded amount (Σ |refund values|) in the (calibration) period, already subtracted from the values above. */
  refunds: number;
  /** Epoch ms of the first and last purchase. */
  firstPurchaseAt: number;
  lastPurchaseAt: number;
  /** Holdout: number of purchase days in (calibrationEnd, asOf] (only with `calibrationEnd`). */
  holdoutFrequency?: number;
  /** Holdout: mean net value of those purchase days (holdout refunds subtracted), 0 if none. */
  holdoutMonetaryValue?: number;
}

/** Result of {@link rfmSummary}. */
export interface RfmSummary {
  /** One row per customer with a purchase in the (calibration) period, ascending customer id. */
  customers: RfmCustomer[];
  /** The same as columns (Float64Array), ready for the fitters. */
  columns: Required<Pick<RfmColumns, 'frequency' | 'recency' | 'T'>> & { monetaryValue: Float64Array };
  timeUnit: TimeUnit;
  asOf: number;
  calibrationEnd: number | null;
  /** Length of the holdout period in `timeUnit` (0 without calibrationEnd). */
  holdoutDuration: number;
  /**
   * Events left out: purchases and refunds after asOf; (with calibrationEnd) customers first seen in
   * the holdout; events of other types; refunds of customers without any purchase up to the end.
   */
  ignored: { afterAsOf: number; newInHoldout: number; nonPurchase: number; refundsWithoutPurchase: number };
  /** `negative_net_revenue` when some customers refunded more than they bought (see the function). */
  warnings: VitalsWarning<ClvWarningCode>[];
}

/** Days per unit. */
export const DAYS_PER_UNIT: Record<TimeUnit, number> = { days: 1, weeks: 7, months: 365.25 / 12 };

/**
 * Builds the per-customer repeat-purchase summary the BTYD models use, with the standard
 * definitions of the literature (Fader, Hardie & Lee 2005; the `lifetimes` package):
 * purchases are grouped by UTC calendar day (same-day purchases count once, their values summed);
 * `frequency` x = purchase days − 1; `recency` t_x = days from the first to the last purchase day;
 * `T` = days from the first purchase day to the day of `asOf` (or `calibrationEnd`); all divided by
 * 1, 7 or 365.25/12 for days, weeks, months; `monetaryValue` = mean value of the repeat purchase
 * days (the first purchase excluded, as the Gamma-Gamma model requires).
 *
 * Values are **net revenue** (the one definition in `_lib/revenue`, shared with `historicalClv`,
 * `estimateClv`, `transactionalMetrics` and segment): a refund subtracts |value| from the purchase
 * day of the customer's latest purchase at or before it (from the first purchase day if it comes
 * before every purchase); holdout refunds are subtracted from the holdout value. Frequency counts
 * purchase days whatever their net value. An order refunded in full therefore contributes 0
 * (Online Retail's customer 12346: 77,183.60 bought and refunded → `totalValue` 0).
 *
 * asOf rule: an event stamped exactly at `asOf` counts (`timestamp <= asOf`); with
 * `calibrationEnd`, an event exactly at it belongs to the calibration period.
 *
 * Missing-data policy: events of other types are ignored (counted); purchases and refunds after
 * `asOf` are ignored (counted); a purchase or refund without a finite `value` counts with value 0;
 * refunds of a customer without a purchase are ignored (counted); no purchases gives
 * `customers: []`. With `calibrationEnd`, customers whose first purchase is in the holdout are
 * left out (counted in `ignored.newInHoldout`).
 *
 * Warnings: `negative_net_revenue` — n customers refunded more than they bought on their repeat
 * days or in total; their values are kept (negative), and `fitGammaGamma` / `estimateClv` leave
 * them out of the spend model with a count.
 *
 * @param events validated events (`parseEvents(rows).events`), any order; or an `EventStore`
 *   (`toEventStore`, the CLI's input): its typed columns are read, no event object is built, and
 *   the result is bit for bit the one its events give. The result never depends on the input
 *   order: purchases (and refunds) at the same instant are summed in eventId, then value order.
 * @param options `asOf` (required), `timeUnit` (default `'weeks'`), `calibrationEnd`, purchase `type`, `refundType`.
 * @returns rows and typed columns; holdout frequency/value when `calibrationEnd` is given.
 * @throws {ValidationError} for unknown or invalid options, calibrationEnd after asOf, an unparseable date.
 * @example
 * ```ts
 * const s = rfmSummary(
 *   [
 *     { customerId: 'a', type: 'purchase', timestamp: Date.UTC(2024, 0, 1), value: 10 },
 *     { customerId: 'a', type: 'purchase', timestamp: Date.UTC(2024, 0, 15), value: 30 },
 *   ],
 *   { asOf: '2024-01-29', timeUnit: 'weeks' },
 * );
 * s.customers[0]; // => { customerId: 'a', frequency: 1, recency: 2, T: 4, monetaryValue: 30, ... }
 * ```
 */
export function rfmSummary(
  events: readonly CustomerEvent[] | EventStore,
  options: RfmSummaryOptions,
): RfmSummary {
  const fn = 'rfmSummary';
  checkOptions(fn, options, KNOWN_OPTIONS);
  const store = isEventStore(events) ? events : null;
  if (store === null) requireEvents(fn, events);
  else requireStoreColumns(fn, store);
  const asOf = requireEpochMs(options?.asOf, fn, 'asOf');
  const calEnd =
    options.calibrationEnd === undefined
      ? null
      : requireEpochMs(options.calibrationEnd, fn, 'calibrationEnd');
  if (calEnd !== null && calEnd > asOf)
    throw optionError(fn, 'calibrationEnd', 'must not be after "asOf"', 'out_of_range');
  const unit = optEnum<TimeUnit>(fn, options, 'timeUnit', 'weeks', ['days', 'weeks', 'months']);
  const perUnit = DAYS_PER_UNIT[unit];
  const type = optString(fn, options, 'type', 'purchase');
  const refundType = optString(fn, options, 'refundType', 'refund');
  if (refundType === type) throw optionError(fn, 'refundType', 'must differ from "type"');
  const end = calEnd ?? asOf;
  const acc = new RfmAccumulator(calEnd, Math.floor(end / MS_PER_DAY), perUnit);
  const ignored =
    store === null
      ? summarizeEvents(events as readonly CustomerEvent[], acc, asOf, type, refundType)
      : summarizeStore(store, acc, asOf, type, refundType);
  return acc.result(unit, asOf, ignored.afterAsOf, ignored.nonPurchase);
}

/**
 * The event path: customers indexed, each customer's purchases and refunds sorted (time, purchase
 * before refund, then eventId and value as `compareEvents`, so the input order never matters) and
 * given to the accumulator.
 */
function summarizeEvents(
  events: readonly CustomerEvent[],
  acc: RfmAccumulator,
  asOf: number,
  type: string,
  refundType: string,
): { afterAsOf: number; nonPurchase: number } {
  // Pass 1: customer index per purchase or refund event.
  const n = events.length;
  const custOf = new Int32Array(n).fill(-1);
  const ids: string[] = [];
  const index = new Map<string, number>();
  let afterAsOf = 0;
  let nonPurchase = 0;
  for (let i = 0; i < n; i++) {
    const e = events[i] as CustomerEvent;
    if (e.type !== type && e.type !== refundType) {
      nonPurchase++;
      continue;
    }
    if (!(e.timestamp <= asOf)) {
      afterAsOf++;
      continue;
    }
    let c = index.get(e.customerId);
    if (c === undefined) {
      c = ids.length;
      ids.push(e.customerId);
      index.set(e.customerId, c);
    }
    custOf[i] = c;
  }
  const k = ids.length;
  // Counting sort of event indices by customer.
  const start = new Int32Array(k + 1);
  for (let i = 0; i < n; i++) {
    const c = custOf[i] as number;
    if (c >= 0) start[c + 1] = (start[c + 1] as number) + 1;
  }
  for (let c = 0; c < k; c++) start[c + 1] = (start[c + 1] as number) + (start[c] as number);
  const fill = start.slice(0, k);
  const m = start[k] as number;
  const order = new Int32Array(m);
  // Sort key: timestamp, refunds after purchases at the same instant (so a refund stamped with its
  // order belongs to it).
  const key = new Float64Array(m);
  const isRefund = new Uint8Array(m);
  const val = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const c = custOf[i] as number;
    if (c < 0) continue;
    const pos = fill[c] as number;
    const e = events[i] as CustomerEvent;
    order[pos] = i;
    key[pos] = e.timestamp;
    isRefund[pos] = e.type === type ? 0 : 1;
    fill[c] = pos + 1;
  }
  // Customers in ascending id order.
  const byId = Array.from({ length: k }, (_, c) => c).sort((a, b) => {
    const x = ids[a] as string;
    const y = ids[b] as string;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  for (const c of byId) {
    const s = start[c] as number;
    const e = start[c + 1] as number;
    sortSegment(events, key, isRefund, order, s, e);
    for (let i = s; i < e; i++)
      val[i] = signedRevenue(events[order[i] as number] as CustomerEvent, type, refundType);
    acc.add(ids[c] as string, key, val, isRefund, s, e);
  }
  return { afterAsOf, nonPurchase };
}

/**
 * The store path: the same accumulator fed from the typed columns (no event object), customers in
 * the store's id order (ascending, as the event path sorts them), each customer's rows in the
 * event path's order (`StoreRevenueReader`).
 */
function summarizeStore(
  store: EventStore,
  acc: RfmAccumulator,
  asOf: number,
  type: string,
  refundType: string,
): { afterAsOf: number; nonPurchase: number } {
  const reader = new StoreRevenueReader(store, type, refundType, asOf);
  const nonPurchase = reader.otherRows();
  if (!reader.empty) {
    const ids = store.customerIds;
    for (let c = 0; c < ids.length; c++) {
      const n = reader.read(c);
      if (n > 0) acc.add(ids[c] as string, reader.time, reader.value, reader.refund, 0, n);
    }
  }
  return { afterAsOf: reader.afterAsOf, nonPurchase };
}

/**
 * Order of two events of one customer at the same instant and of the same kind (both purchases or
 * both refunds): eventId, then value, as `compareEvents` (and so an `EventStore`) orders them. Only
 * sums depend on it, and events equal in both have the same value. @internal
 */
function tieOrder(a: CustomerEvent, b: CustomerEvent): number {
  const x = a.eventId;
  const y = b.eventId;
  if (x !== y) {
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    return x < y ? -1 : 1;
  }
  const av = typeof a.value === 'number' && !Number.isNaN(a.value) ? a.value : Number.NEGATIVE_INFINITY;
  const bv = typeof b.value === 'number' && !Number.isNaN(b.value) ? b.value : Number.NEGATIVE_INFINITY;
  return av < bv ? -1 : av > bv ? 1 : 0;
}

/** True when position `a` sorts after position `b` (time, refund after purchase, then {@link tieOrder}). */
function after(
  events: readonly CustomerEvent[],
  key: Float64Array,
  refund: Uint8Array,
  order: Int32Array,
  a: number,
  b: number,
): boolean {
  const ka = key[a] as number;
  const kb = key[b] as number;
  if (ka !== kb) return ka > kb;
  const ra = refund[a] as number;
  const rb = refund[b] as number;
  if (ra !== rb) return ra > rb;
  return (
    tieOrder(events[order[a] as number] as CustomerEvent, events[order[b] as number] as CustomerEvent) > 0
  );
}

/**
 * Sorts one customer's events by (timestamp, refund after purchase, eventId, value): insertion sort
 * for short or already sorted segments (the usual case), a comparison sort for long unsorted ones
 * (no O(n²)). Ties beyond the timestamp are rare, so the event objects are read only then.
 */
function sortSegment(
  events: readonly CustomerEvent[],
  key: Float64Array,
  refund: Uint8Array,
  order: Int32Array,
  s: number,
  e: number,
): void {
  if (e - s > 32) {
    let sorted = true;
    for (let i = s + 1; i < e && sorted; i++) if (after(events, key, refund, order, i - 1, i)) sorted = false;
    if (sorted) return;
    const idx = Array.from({ length: e - s }, (_, i) => s + i).sort(
      (a, b) =>
        (key[a] as number) - (key[b] as number) ||
        (refund[a] as number) - (refund[b] as number) ||
        tieOrder(events[order[a] as number] as CustomerEvent, events[order[b] as number] as CustomerEvent),
    );
    const k2 = Float64Array.from(idx, (i) => key[i] as number);
    const r2 = Uint8Array.from(idx, (i) => refund[i] as number);
    const o2 = Int32Array.from(idx, (i) => order[i] as number);
    key.set(k2, s);
    refund.set(r2, s);
    order.set(o2, s);
    return;
  }
  for (let i = s + 1; i < e; i++) {
    if (!after(events, key, refund, order, i - 1, i)) continue;
    const kv = key[i] as number;
    const rv = refund[i] as number;
    const ov = order[i] as number;
    const ev = events[ov] as CustomerEvent;
    let j = i - 1;
    while (
      j >= s &&
      ((key[j] as number) > kv ||
        ((key[j] as number) === kv &&
          ((refund[j] as number) > rv ||
            ((refund[j] as number) === rv && tieOrder(events[order[j] as number] as CustomerEvent, ev) > 0))))
    ) {
      key[j + 1] = key[j] as number;
      refund[j + 1] = refund[j] as number;
      order[j + 1] = order[j] as number;
      j--;
    }
    key[j + 1] = kv;
    refund[j + 1] = rv;
    order[j + 1] = ov;
  }
}
