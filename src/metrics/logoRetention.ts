import { movementsOver } from './_mrr';
import { resolveSeries } from './_shared';
import { asIndex, type EventsInput } from './indexEvents';
import type { SeriesOptions, SeriesPoint } from './types';

/** One period of {@link logoRetention}. `value` is the retention rate; `n` customers active at start. */
export interface LogoRetentionPoint extends SeriesPoint {
  /** Customers with MRR > 0 at period start (the denominator; equals `n`). */
  startCustomers: number;
  /** Of those, with MRR > 0 at period end. */
  retained: number;
  /** Of those, with MRR 0 at period end. */
  churned: number;
  /** churned / startCustomers; null when there were none. */
  churnRate: number | null;
  /** retained / startCustomers; null when there were none. Same as `value`. */
  retentionRate: number | null;
  /** Customers whose first ever MRR arrived in the period (not in the rate). */
  newCustomers: number;
  /** Customers back from MRR 0 after an earlier cancellation (not in the rate). */
  reactivated: number;
  /** Customers with MRR > 0 at period end. */
  endCustomers: number;
}

/**
 * Logo (customer-count) churn and retention per period. A customer is active while its MRR is above
 * 0 (the state machine of {@link mrrMovements}). The denominator is the customers active at period
 * start; customers who arrive (new or reactivated) during the period neither dilute nor count:
 * `churnRate = churned / startCustomers`, `retentionRate = retained / startCustomers`, where a
 * customer is retained when still active at period end (one who cancels and returns within the
 * same period is retained).
 *
 * Missing data: a period with no active customers at its start has `n: 0`, null rates and a reason.
 *
 * @param events validated events, an `EventStore` or an {@link EventIndex} (subscription types are read, including before `from`).
 * @param options range, period (default month) and time zone.
 * @returns one point per period.
 * @throws ValidationError for an invalid range, period or time zone.
 * @example
 * ```ts
 * logoRetention(events, { from: '2025-10-01', to: '2026-01-01' });
 * // => [{ periodStart: ..., value: 0.98, n: 150, churned: 3, churnRate: 0.02, newCustomers: 7, ... }, ...]
 * ```
 */
export function logoRetention(events: EventsInput, options: SeriesOptions): LogoRetentionPoint[] {
  const { boundaries } = resolveSeries(options, 'logoRetention');
  return movementsOver(asIndex(events, 'logoRetention'), boundaries).map((m) => {
    const c = m.customers;
    const start = c.start;
    const point: LogoRetentionPoint = {
      periodStart: m.periodStart,
      periodEnd: m.periodEnd,
      value: start > 0 ? (start - c.churned) / start : null,
      n: start,
      startCustomers: start,
      retained: start - c.churned,
      churned: c.churned,
      churnRate: start > 0 ? c.churned / start : null,
      retentionRate: start > 0 ? (start - c.churned) / start : null,
      newCustomers: c.new,
      reactivated: c.reactivation,
      endCustomers: c.end,
    };
    if (start === 0) point.reason = 'no customers active at period start';
    return point;
  });
}
