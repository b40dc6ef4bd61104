import { MS_PER_DAY, requireEpochMs } from '../_lib/time';
import type { CustomerEvent } from '../events/types';
import { type EventStore, isEventStore } from '../store/EventStore';
import type { AsOfOptions, VitalsWarning } from '../types';
import { checkOptions, optNumber, optString, requireEvents } from './_errors';
import { requireStoreColumns } from './_storeRevenue';
import { rfmSummary } from './rfmSummary';
import type { ClvWarningCode } from './types';

/** Options of {@link historicalClv}. */
export interface HistoricalClvOptions extends Required<AsOfOptions> {
  /** Gross margin applied to revenue. @default 1 */
  margin?: number;
  /** Event type counted as revenue. @default 'purchase' */
  type?: string;
  /** Event type subtracted as a refund. @default 'refund' */
  refundType?: string;
}

const KNOWN_OPTIONS = ['asOf', 'margin', 'type', 'refundType'] as const;

/** One customer's historical value. */
export interface HistoricalClvCustomer {
  customerId: string;
  /** Margin earned so far: net revenue (purchases − refunds) × margin. May be ≤ 0. */
  value: number;
  /** Number of purchase days. */
  purchases: number;
  /** Tenure in days from the first purchase to asOf. */
  tenureDays: number;
  /** Margin per 30.44-day month of tenure (tenure below one month counts as one month). */
  monthlyValue: number;
}

/** Result of {@link historicalClv}. */
export interface HistoricalClvResult {
  /** Per customer, ascending id. */
  customers: HistoricalClvCustomer[];
  /** Σ value. */
  total: number;
  /** `negative_net_revenue` (from `rfmSummary`) when some customers refunded more than they bought. */
  warnings: VitalsWarning<ClvWarningCode>[];
}

/**
 * Historical (realised) CLV: the margin each customer has generated up to `asOf` — net revenue
 * (purchases − refunds, the one definition of `_lib/revenue`, as in `rfmSummary`) × margin — with
 * the monthly run rate. No forecast: the fallback when there is too little history for a model.
 *
 * asOf rule: an event stamped exactly at `asOf` counts.
 * Missing-data policy: customers without a purchase up to `asOf` are absent (their refunds are
 * ignored); a purchase or refund without a value counts as 0; no purchases → `customers: []`,
 * `total: 0`.
 *
 * @param events validated events, or an `EventStore` (read from its columns, no event object
 *   built; the same result).
 * @param options `asOf` (required), `margin`, purchase `type`, `refundType`.
 * @returns per-customer values (ascending id), the total and warnings.
 * @throws {ValidationError} for unknown options, an invalid `asOf` or margin.
 * @example
 * ```ts
 * historicalClv(events, { asOf: '2024-07-01', margin: 0.3 }).customers[0];
 * // => { customerId: 'a', value: 12, purchases: 2, tenureDays: 182, monthlyValue: 2.0 }
 * ```
 */
export function historicalClv(
  events: readonly CustomerEvent[] | EventStore,
  options: HistoricalClvOptions,
): HistoricalClvResult {
  const fn = 'historicalClv';
  checkOptions(fn, options, KNOWN_OPTIONS);
  if (!isEventStore(events)) requireEvents(fn, events);
  else requireStoreColumns(fn, events);
  const asOf = requireEpochMs(options?.asOf, fn, 'asOf');
  const margin = optNumber(fn, options, 'margin', 1, {});
  const type = optString(fn, options, 'type', 'purchase');
  const refundType = optString(fn, options, 'refundType', 'refund');
  const s = rfmSummary(events, { asOf, timeUnit: 'days', type, refundType });
  let total = 0;
  const customers = s.customers.map((c) => {
    const value = c.totalValue * margin;
    total += value;
    const tenureDays = Math.max(
      0,
      Math.floor(asOf / MS_PER_DAY) - Math.floor(c.firstPurchaseAt / MS_PER_DAY),
    );
    const months = Math.max(1, tenureDays / (365.25 / 12));
    return {
      customerId: c.customerId,
      value,
      purchases: c.frequency + 1,
      tenureDays,
      monthlyValue: value / months,
    };
  });
  return { customers, total, warnings: s.warnings };
}
