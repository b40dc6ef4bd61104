import { checkOptions } from '../_lib/errors';
import { readEpochMs } from '../_lib/time';
import type { CustomerEvent } from '../events/types';
import { asIndex, EventIndex, type EventsInput } from './indexEvents';
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
 * * @param events validated events (other types are ignored) or an {@link EventIndex}.
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
  const ordersBy = new Map<string, number>();
  let orders = 0;
  let gross = 0;
  let refunds = 0;
  const lists = events instanceof EventIndex ? [ix.ofType('purchase'), ix.ofType('refund')] : [ix.events];
  for (const list of lists) {
    for (let i = 0; i < list.length; i++) {
      const e = list[i] as CustomerEvent;
      if (e.timestamp < from || e.timestamp >= to) continue;
      const v = e.value;
      if (e.type === 'purchase') {
        if (typeof v !== 'number' || !Number.isFinite(v)) continue;
        orders++;
        gross += v;
        ordersBy.set(e.customerId, (ordersBy.get(e.customerId) ?? 0) + 1);
      } else if (e.type === 'refund' && typeof v === 'number' && Number.isFinite(v)) {
        refunds += v;
      }
    }
  }
  let repeat = 0;
  for (const c of ordersBy.values()) if (c >= 2) repeat++;
  const customers = ordersBy.size;
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
