import { checkOptions } from '../_lib/errors';
import { readEpochMs } from '../_lib/time';
import { asIndex, type EventsInput } from './indexEvents';

const ORDER_TYPES = ['purchase', 'refund'] as const;

import type { MetricResult, RangeOptions } from './types';

/** Result of {@link transactionalMetrics}. `value` is the average order value; `n` the number of orders. */
export interface TransactionalMetricsResult extends MetricResult {
  orders: number;
  /** Distinct customers with at least one order in the window. */
  customers: number;
  /** Sum of `purchase` values. */
  grossRevenue: number;
  /** Sum of `refund` values in the window. */
  refunds: number;
  netRevenue: number;
  /** grossRevenue / orders; null without orders. */
  averageOrderValue: number | null;
  /** orders / customers; null without customers. */
  purchaseFrequency: number | null;
  /** netRevenue / customers; null without customers. */
  revenuePerCustomer: number | null;
  /** Customers with two or more orders in the window. */
  repeatCustomers: number;
  /** repeatCustomers / customers; null without customers. */
  repeatPurchaseRate: number | null;
}

/**
 * Metrics of a non-subscription business over `[from, to)`, from `purchase` (value = order amount)
 * and `refund` (value = refunded amount) events:
 * AOV = gross revenue / orders; purchase frequency = orders / purchasing customers;
 * revenue per customer = (gross − refunds) / purchasing customers;
 * repeat-purchase rate = customers with ≥ 2 orders in the window / purchasing customers.
 *
 * Missing data: purchases without a finite value are skipped (parseEvents rejects them); refunds
 * without a value add 0. No orders gives `n: 0`, `value: null`,
 * null ratios and a reason. Use {@link periodSeries} for a series by period.
 * * @param events validated events (other types are ignored), an `EventStore` or an {@link EventIndex}.
 * @param options optional window.
 * @returns orders, revenue and the ratios.
 * @throws ValidationError for invalid dates.
 * @example
 * ```ts
 * transactionalMetrics(events, { from: '2025-01-01', to: '2026-01-01' });
 * // => { value: 42.5, n: 1200, orders: 1200, customers: 500, purchaseFrequency: 2.4,
 * //      repeatPurchaseRate: 0.46, ... }
 * ```
 */
export function transactionalMetrics(
  events: EventsInput,
  options: RangeOptions = {},
): TransactionalMetricsResult {
  checkOptions('transactionalMetrics', options, ['from', 'to']);
  const ix = asIndex(events, 'transactionalMetrics');
  const from = readEpochMs(options.from, 'transactionalMetrics', 'from') ?? Number.NEGATIVE_INFINITY;
  const to = readEpochMs(options.to, 'transactionalMetrics', 'to') ?? Number.POSITIVE_INFINITY;
  // Purchases then refunds, each in index order: the sums run in input order (a store's row order).
  const cols = ix.typeColumns(ORDER_TYPES);
  const ordersBy = new Int32Array(ix.customerIds().length);
  let orders = 0;
  let gross = 0;
  let refunds = 0;
  let customers = 0;
  let repeat = 0;
  for (let j = 0; j < cols.size; j++) {
    const t = cols.time[j] as number;
    if (t < from || t >= to) continue;
    const v = cols.value[j] as number;
    if (Number.isNaN(v)) continue;
    if (cols.type[j] === 0) {
      orders++;
      gross += v;
      const c = cols.customer[j] as number;
      const k = (ordersBy[c] as number) + 1;
      ordersBy[c] = k;
      if (k === 1) customers++;
      else if (k === 2) repeat++;
    } else refunds += v;
  }
  const net = gross - refunds;
  const result: TransactionalMetricsResult = {
    value: orders > 0 ? gross / orders : null,
    n: orders,
    orders,
    customers,
    grossRevenue: gross,
    refunds,
    netRevenue: net,
    averageOrderValue: orders > 0 ? gross / orders : null,
    purchaseFrequency: customers > 0 ? orders / customers : null,
    revenuePerCustomer: customers > 0 ? net / customers : null,
    repeatCustomers: repeat,
    repeatPurchaseRate: customers > 0 ? repeat / customers : null,
  };
  if (orders === 0) result.reason = 'no purchases in the window';
  return result;
}
