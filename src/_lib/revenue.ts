/**
 * Net revenue: ONE definition for every module (rfmSummary, historicalClv, estimateClv,
 * transactionalMetrics, segment).
 *
 * - A `purchase` event adds its `value`; a `refund` event subtracts |`value`| (refund values are
 *   amounts, ≥ 0 by the vocabulary; a negative one is read as its absolute value). Any other type,
 *   and a purchase or refund without a finite `value`, adds 0.
 * - **Per customer**: net = Σ purchases − Σ refunds over the events that count (the asOf rule:
 *   `timestamp <= asOf`; windows are half-open `(from, to]`). It can be negative (more refunded than
 *   bought inside the window) or 0 (customer 12346 of Online Retail: 77,183.60 ordered, then
 *   refunded in full).
 * - **Per order**: a refund is attributed to the customer's latest purchase at or before it (in
 *   day-grouped summaries such as `rfmSummary`, the latest purchase *day*, the same day included),
 *   or to the first purchase when it precedes every purchase. So per-order nets always add up to
 *   the per-customer net.
 * @module
 */
import type { CustomerEvent } from '../events/types';

/** Which event types are revenue and which are refunds. */
export interface RevenueTypes {
  /** Event type whose value is revenue. @default 'purchase' */
  purchaseType?: string;
  /** Event type whose value is money returned. @default 'refund' */
  refundType?: string;
}

/**
 * Signed revenue of one event under the net-revenue rule: `+value` for a purchase, `−|value|` for a
 * refund, 0 for anything else or a missing / non-finite value.
 * @example
 * ```ts
 * signedRevenue({ customerId: 'a', type: 'refund', timestamp: 0, value: 20 }); // => -20
 * ```
 */
export function signedRevenue(
  e: Pick<CustomerEvent, 'type' | 'value'>,
  purchaseType = 'purchase',
  refundType = 'refund',
): number {
  const v = e.value;
  if (typeof v !== 'number' || !Number.isFinite(v)) return 0;
  if (e.type === purchaseType) return v;
  if (e.type === refundType) return -Math.abs(v);
  return 0;
}

/** One customer's net revenue (see the module rule). */
export interface CustomerNetRevenue {
  /** Σ purchase values. */
  gross: number;
  /** Σ |refund values| (a positive amount). */
  refunds: number;
  /** gross − refunds; may be negative or 0. */
  net: number;
  /** Number of purchase events. */
  purchases: number;
  /** Number of refund events. */
  refundEvents: number;
}

/** Options of {@link netRevenueByCustomer}. */
export interface NetRevenueOptions extends RevenueTypes {
  /** Exclusive start of the window (epoch ms): events at `from` do not count. @default -Infinity */
  from?: number;
  /** Inclusive end of the window (epoch ms), usually `asOf`: events at it count. @default Infinity */
  to?: number;
}

/**
 * Net revenue per customer over the window `(from, to]` — the one definition every module uses.
 * Customers with only refunds in the window appear with `gross: 0` and a negative `net`; customers
 * without a purchase or refund are absent. Keys are customer ids in first-seen order (a `Map`, so
 * ids such as `__proto__` are safe).
 * @param events validated events, any order.
 * @param options window `(from, to]` and the purchase / refund type names.
 * @returns a Map from customer id to {@link CustomerNetRevenue}.
 * @example
 * ```ts
 * const m = netRevenueByCustomer([
 *   { customerId: '12346', type: 'purchase', timestamp: 1, value: 77183.6 },
 *   { customerId: '12346', type: 'refund', timestamp: 2, value: 77183.6 },
 * ]);
 * m.get('12346'); // => { gross: 77183.6, refunds: 77183.6, net: 0, purchases: 1, refundEvents: 1 }
 * ```
 */
export function netRevenueByCustomer(
  events: readonly CustomerEvent[],
  options: NetRevenueOptions = {},
): Map<string, CustomerNetRevenue> {
  const from = options.from ?? Number.NEGATIVE_INFINITY;
  const to = options.to ?? Number.POSITIVE_INFINITY;
  const pType = options.purchaseType ?? 'purchase';
  const rType = options.refundType ?? 'refund';
  const out = new Map<string, CustomerNetRevenue>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as CustomerEvent;
    const isPurchase = e.type === pType;
    if (!isPurchase && e.type !== rType) continue;
    if (!(e.timestamp > from && e.timestamp <= to)) continue;
    let c = out.get(e.customerId);
    if (c === undefined) {
      c = { gross: 0, refunds: 0, net: 0, purchases: 0, refundEvents: 0 };
      out.set(e.customerId, c);
    }
    const s = signedRevenue(e, pType, rType);
    if (isPurchase) {
      c.purchases++;
      c.gross += s;
    } else {
      c.refundEvents++;
      c.refunds -= s;
    }
  }
  for (const c of out.values()) c.net = c.gross - c.refunds;
  return out;
}
