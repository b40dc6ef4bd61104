import { optionError } from '../_lib/errors';
import { signedRevenue } from '../_lib/revenue';
import { MS_PER_DAY, requireEpochMs } from '../_lib/time';
import type { CustomerEvent } from '../events/types';
import type { AsOfOptions, VitalsWarning } from '../types';
import { checkOptions, optEnum, optString, requireEvents } from './_errors';
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
 * @param events validated events (`parseEvents(rows).events`), any order.
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
export function rfmSummary(events: readonly CustomerEvent[], options: RfmSummaryOptions): RfmSummary {
  const fn = 'rfmSummary';
  checkOptions(fn, options, KNOWN_OPTIONS);
  requireEvents(fn, events);
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
  const endDay = Math.floor(end / MS_PER_DAY);

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
  const order = new Int32Array(start[k] as number);
  // Sort key: timestamp, refunds after purchases at the same instant (so a refund stamped with its
  // order belongs to it).
  const key = new Float64Array(start[k] as number);
  const isRefund = new Uint8Array(start[k] as number);
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
  const rows: RfmCustomer[] = [];
  let newInHoldout = 0;
  let refundsWithoutPurchase = 0;
  let negative = 0;
  for (const c of byId) {
    const s = start[c] as number;
    const e = start[c + 1] as number;
    sortSegment(key, isRefund, order, s, e);
    let firstDay = Number.NaN;
    let lastDay = Number.NaN;
    let firstAt = Number.NaN;
    let lastAt = Number.NaN;
    let days = 0;
    let repeatValue = 0;
    let total = 0;
    let firstValue = 0;
    let refunds = 0;
    let pendingRefund = 0; // refunds before the first purchase
    let holdDays = 0;
    let holdValue = 0;
    let holdPurchases = 0;
    let prevHold = Number.NaN;
    let refundEvents = 0;
    for (let i = s; i < e; i++) {
      const ev = events[order[i] as number] as CustomerEvent;
      const v = signedRevenue(ev, type, refundType);
      const refund = isRefund[i] === 1;
      const d = Math.floor(ev.timestamp / MS_PER_DAY);
      if (refund) refundEvents++;
      if (calEnd !== null && ev.timestamp > calEnd) {
        if (refund) {
          holdValue += v;
          continue;
        }
        holdPurchases++;
        if (d !== prevHold) {
          holdDays++;
          prevHold = d;
        }
        holdValue += v;
        continue;
      }
      total += v;
      if (refund) {
        refunds -= v;
        if (Number.isNaN(firstDay)) pendingRefund += v;
        else if (lastDay === firstDay) firstValue += v;
        else repeatValue += v;
        continue;
      }
      if (Number.isNaN(firstDay)) {
        firstDay = d;
        firstAt = ev.timestamp;
        firstValue += pendingRefund;
        pendingRefund = 0;
      }
      lastAt = ev.timestamp;
      if (d !== lastDay) {
        days++;
        lastDay = d;
      }
      if (d === firstDay) firstValue += v;
      else repeatValue += v;
    }
    if (Number.isNaN(firstDay)) {
      if (holdPurchases > 0) newInHoldout++;
      else refundsWithoutPurchase += refundEvents;
      continue;
    }
    const x = days - 1;
    const row: RfmCustomer = {
      customerId: ids[c] as string,
      frequency: x,
      recency: x > 0 ? (lastDay - firstDay) / perUnit : 0,
      T: Math.max(0, endDay - firstDay) / perUnit,
      monetaryValue: x > 0 ? repeatValue / x : 0,
      totalValue: total,
      firstValue,
      refunds,
      firstPurchaseAt: firstAt,
      lastPurchaseAt: lastAt,
    };
    if (total < 0 || (x > 0 && repeatValue < 0)) negative++;
    if (calEnd !== null) {
      row.holdoutFrequency = holdDays;
      row.holdoutMonetaryValue = holdDays > 0 ? holdValue / holdDays : 0;
    }
    rows.push(row);
  }
  const m = rows.length;
  const cols = {
    frequency: new Float64Array(m),
    recency: new Float64Array(m),
    T: new Float64Array(m),
    monetaryValue: new Float64Array(m),
  };
  for (let i = 0; i < m; i++) {
    const r = rows[i] as RfmCustomer;
    cols.frequency[i] = r.frequency;
    cols.recency[i] = r.recency;
    cols.T[i] = r.T;
    cols.monetaryValue[i] = r.monetaryValue;
  }
  const warnings: VitalsWarning<ClvWarningCode>[] = [];
  if (negative > 0)
    warnings.push({
      code: 'negative_net_revenue',
      message: `${negative} customer${negative === 1 ? '' : 's'} refunded more than they bought (negative net revenue in total or on their repeat purchases); their values stay negative here, and spend models leave them out.`,
    });
  return {
    customers: rows,
    columns: cols,
    timeUnit: unit,
    asOf,
    calibrationEnd: calEnd,
    holdoutDuration: calEnd === null ? 0 : (Math.floor(asOf / MS_PER_DAY) - endDay) / perUnit,
    ignored: { afterAsOf, newInHoldout, nonPurchase, refundsWithoutPurchase },
    warnings,
  };
}

/**
 * Sorts one customer's events by (timestamp, refund after purchase): insertion sort for short or
 * already sorted segments (the usual case), a comparison sort for long unsorted ones (no O(n²)).
 */
function sortSegment(key: Float64Array, refund: Uint8Array, order: Int32Array, s: number, e: number): void {
  if (e - s > 32) {
    let sorted = true;
    for (let i = s + 1; i < e && sorted; i++) {
      const a = key[i - 1] as number;
      const b = key[i] as number;
      if (a > b || (a === b && (refund[i - 1] as number) > (refund[i] as number))) sorted = false;
    }
    if (sorted) return;
    const idx = Array.from({ length: e - s }, (_, i) => s + i).sort(
      (a, b) => (key[a] as number) - (key[b] as number) || (refund[a] as number) - (refund[b] as number),
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
    const kv = key[i] as number;
    const rv = refund[i] as number;
    const ov = order[i] as number;
    let j = i - 1;
    while (j >= s && ((key[j] as number) > kv || ((key[j] as number) === kv && (refund[j] as number) > rv))) {
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
