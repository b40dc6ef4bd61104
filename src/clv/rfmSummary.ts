import * as z from 'zod';
import { type DateInput, MS_PER_DAY, requireEpochMs } from '../_lib/time';
import type { CustomerEvent } from '../events/types';
import { argumentError, checkOptions } from './_errors';
import type { RfmColumns, TimeUnit } from './types';

/** Options of {@link rfmSummary}. */
export interface RfmSummaryOptions {
  /** End of observation (instant); purchases after it are ignored. */
  asOf: DateInput;
  /** Unit of recency, T and durations. @default 'weeks' */
  timeUnit?: TimeUnit;
  /** End of the calibration period: the summary describes purchases up to it, and purchases in (calibrationEnd, asOf] are the holdout. @default undefined (no holdout) */
  calibrationEnd?: DateInput;
  /** Event type counted as a purchase. @default 'purchase' */
  type?: string;
}

/** One customer's repeat-purchase summary. */
export interface RfmCustomer {
  customerId: string;
  /** x: number of repeat purchase days (distinct UTC days with a purchase, minus the first). */
  frequency: number;
  /** t_x: time from the first to the last purchase day. 0 when frequency is 0. */
  recency: number;
  /** T: time from the first purchase day to the (calibration) end day. */
  T: number;
  /** Mean value of the repeat purchase days (same-day purchases summed); 0 when frequency is 0. */
  monetaryValue: number;
  /** Value of all purchases in the (calibration) period, including the first day. */
  totalValue: number;
  /** Value of the first purchase day. */
  firstValue: number;
  /** Epoch ms of the first and last purchase. */
  firstPurchaseAt: number;
  lastPurchaseAt: number;
  /** Holdout: number of purchase days in (calibrationEnd, asOf] (only with `calibrationEnd`). */
  holdoutFrequency?: number;
  /** Holdout: mean value of those purchase days, 0 if none. */
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
  /** Purchase events ignored: after asOf, and (with calibrationEnd) customers first seen in the holdout. */
  ignored: { afterAsOf: number; newInHoldout: number; nonPurchase: number };
}

/** Days per unit. */
export const DAYS_PER_UNIT: Record<TimeUnit, number> = { days: 1, weeks: 7, months: 365.25 / 12 };

const optionsSchema = z.object({
  asOf: z.unknown(),
  timeUnit: z.enum(['days', 'weeks', 'months']).optional(),
  calibrationEnd: z.unknown().optional(),
  type: z.string().min(1).optional(),
});

/**
 * Builds the per-customer repeat-purchase summary the BTYD models use, with the standard
 * definitions of the literature (Fader, Hardie & Lee 2005; the `lifetimes` package):
 * purchases are grouped by UTC calendar day (same-day purchases count once, their values summed);
 * `frequency` x = purchase days − 1; `recency` t_x = days from the first to the last purchase day;
 * `T` = days from the first purchase day to the day of `asOf` (or `calibrationEnd`); all divided by
 * 1, 7 or 365.25/12 for days, weeks, months; `monetaryValue` = mean value of the repeat purchase
 * days (the first purchase excluded, as the Gamma-Gamma model requires).
 *
 * Missing-data policy: non-purchase events are ignored (counted); purchases after `asOf` are
 * ignored (counted); a purchase without a finite `value` counts with value 0; no purchases gives
 * `customers: []`. With `calibrationEnd`, customers whose first purchase is in the holdout are
 * left out (counted in `ignored.newInHoldout`).
 *
 * @param events validated events (`parseEvents(rows).events`), any order.
 * @param options `asOf` (required), `timeUnit`, `calibrationEnd`, purchase `type`.
 * @returns rows and typed columns; holdout frequency/value when `calibrationEnd` is given.
 * @throws {ValidationError} for invalid options or calibrationEnd after asOf or an unparseable date.
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
  checkOptions(fn, optionsSchema, options);
  const asOf = requireEpochMs(options.asOf, fn, 'asOf');
  const calEnd =
    options.calibrationEnd === undefined
      ? null
      : requireEpochMs(options.calibrationEnd, fn, 'calibrationEnd');
  if (calEnd !== null && calEnd > asOf)
    throw argumentError(`${fn}: option "calibrationEnd" must not be after "asOf"`);
  const unit = options.timeUnit ?? 'weeks';
  const perUnit = DAYS_PER_UNIT[unit];
  const type = options.type ?? 'purchase';
  const end = calEnd ?? asOf;
  const endDay = Math.floor(end / MS_PER_DAY);

  // Pass 1: customer index per purchase event.
  const n = events.length;
  const custOf = new Int32Array(n).fill(-1);
  const ids: string[] = [];
  const index = new Map<string, number>();
  let afterAsOf = 0;
  let nonPurchase = 0;
  for (let i = 0; i < n; i++) {
    const e = events[i] as CustomerEvent;
    if (e.type !== type) {
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
  const day = new Float64Array(start[k] as number);
  for (let i = 0; i < n; i++) {
    const c = custOf[i] as number;
    if (c < 0) continue;
    const pos = fill[c] as number;
    order[pos] = i;
    day[pos] = Math.floor((events[i] as CustomerEvent).timestamp / MS_PER_DAY);
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
  for (const c of byId) {
    const s = start[c] as number;
    const e = start[c + 1] as number;
    // Sort the segment by day (insertion sort; segments are short and usually sorted).
    for (let i = s + 1; i < e; i++) {
      const dv = day[i] as number;
      const ov = order[i] as number;
      let j = i - 1;
      while (j >= s && (day[j] as number) > dv) {
        day[j + 1] = day[j] as number;
        order[j + 1] = order[j] as number;
        j--;
      }
      day[j + 1] = dv;
      order[j + 1] = ov;
    }
    let firstDay = Number.NaN;
    let lastDay = Number.NaN;
    let firstAt = Number.NaN;
    let lastAt = Number.NaN;
    let days = 0;
    let repeatValue = 0;
    let total = 0;
    let firstValue = 0;
    let holdDays = 0;
    let holdValue = 0;
    let prevDay = Number.NaN;
    let prevHold = Number.NaN;
    for (let i = s; i < e; i++) {
      const ev = events[order[i] as number] as CustomerEvent;
      const v = typeof ev.value === 'number' && Number.isFinite(ev.value) ? ev.value : 0;
      const d = day[i] as number;
      if (calEnd !== null && ev.timestamp > calEnd) {
        if (Number.isNaN(firstDay)) continue; // first purchase in the holdout: handled below
        if (d !== prevHold) {
          holdDays++;
          prevHold = d;
        }
        holdValue += v;
        continue;
      }
      total += v;
      if (Number.isNaN(firstDay)) {
        firstDay = d;
        firstAt = ev.timestamp;
      }
      lastAt = ev.timestamp;
      if (d !== prevDay) {
        days++;
        prevDay = d;
        lastDay = d;
      }
      if (d === firstDay) firstValue += v;
      else repeatValue += v;
    }
    if (Number.isNaN(firstDay)) {
      newInHoldout++;
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
      firstPurchaseAt: firstAt,
      lastPurchaseAt: lastAt,
    };
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
  return {
    customers: rows,
    columns: cols,
    timeUnit: unit,
    asOf,
    calibrationEnd: calEnd,
    holdoutDuration: calEnd === null ? 0 : (Math.floor(asOf / MS_PER_DAY) - endDay) / perUnit,
    ignored: { afterAsOf, newInHoldout, nonPurchase },
  };
}
