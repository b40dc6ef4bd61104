import { type DateInput, MS_PER_DAY, requireEpochMs } from '../_lib/time';
import type { CustomerEvent } from '../events/types';
import { rfmSummary } from './rfmSummary';

/** Options of {@link historicalClv}. */
export interface HistoricalClvOptions {
  asOf: DateInput;
  /** Gross margin applied to revenue. @default 1 */
  margin?: number;
  /** Event type counted as revenue. @default 'purchase' */
  type?: string;
}

/** One customer's historical value. */
export interface HistoricalClvCustomer {
  customerId: string;
  /** Margin earned so far (revenue × margin). */
  value: number;
  /** Number of purchase days. */
  purchases: number;
  /** Tenure in days from the first purchase to asOf. */
  tenureDays: number;
  /** Margin per 30.44-day month of tenure (tenure below one month counts as one month). */
  monthlyValue: number;
}

/**
 * Historical (realised) CLV: the margin each customer has generated up to `asOf`, with the
 * monthly run rate. No forecast — the fallback when there is too little history for a model.
 *
 * Missing-data policy: customers without a purchase before `asOf` are absent; a purchase without
 * a value counts as 0; no purchases → `customers: []`, `total: 0`.
 *
 * @param events validated events.
 * @param options `asOf`, `margin`, purchase `type`.
 * @returns per-customer values (ascending id) and the total.
 * @throws {ValidationError} when `asOf` is not a valid date.
 * @example
 * ```ts
 * historicalClv(events, { asOf: '2024-07-01', margin: 0.3 }).customers[0];
 * // => { customerId: 'a', value: 12, purchases: 2, tenureDays: 182, monthlyValue: 2.0 }
 * ```
 */
export function historicalClv(
  events: readonly CustomerEvent[],
  options: HistoricalClvOptions,
): { customers: HistoricalClvCustomer[]; total: number } {
  const asOf = requireEpochMs(options.asOf, 'historicalClv', 'asOf');
  const margin = options.margin ?? 1;
  const s = rfmSummary(events, { asOf, timeUnit: 'days', type: options.type ?? 'purchase' });
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
  return { customers, total };
}
