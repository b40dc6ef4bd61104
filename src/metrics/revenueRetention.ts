import { movementsOver } from './_mrr';
import { resolveSeries } from './_shared';
import { asIndex, type EventsInput } from './indexEvents';
import type { SeriesOptions, SeriesPoint } from './types';

/** One period of {@link revenueRetention}. `value` is NRR (a fraction); `n` customers with MRR at start. */
export interface RevenueRetentionPoint extends SeriesPoint {
  /** MRR at period start of the customers who had MRR then. */
  startMrr: number;
  /** Their MRR at period end, losses only: start − contraction − churned. */
  grossRetainedMrr: number;
  /** Their MRR at period end: start + expansion − contraction − churned. */
  netRetainedMrr: number;
  /** Gross revenue retention (≤ 1); null when startMrr is 0. */
  grr: number | null;
  /** Net revenue retention; null when startMrr is 0. Same as `value`. */
  nrr: number | null;
}

/**
 * Gross and net revenue retention per period, from the MRR movements of {@link mrrMovements}
 * (same state machine, netted per customer per period):
 *
 * `GRR = (start − contraction − churned) / start`, `NRR = (start + expansion − contraction − churned) / start`,
 * where `start` is MRR at period start and the movements are those of customers who had MRR at
 * period start (new and reactivated revenue is excluded by construction).
 *
 * Missing data: a period with no MRR at its start has `n: 0`, `value`, `grr`, `nrr` null and a reason.
 *
 * @param events validated events, an `EventStore` or an {@link EventIndex} (subscription types are read, including before `from`).
 * @param options range, period (default month) and time zone.
 * @returns one point per period.
 * @throws ValidationError for an invalid range, period or time zone.
 * @example
 * ```ts
 * revenueRetention(events, { from: '2025-10-01', to: '2026-01-01' });
 * // => [{ periodStart: ..., value: 1.012, n: 150, grr: 0.975, nrr: 1.012, startMrr: 41230, ... }, ...]
 * ```
 */
export function revenueRetention(events: EventsInput, options: SeriesOptions): RevenueRetentionPoint[] {
  const { boundaries } = resolveSeries(options, 'revenueRetention');
  return movementsOver(asIndex(events, 'revenueRetention'), boundaries).map((m) => {
    const c = m.cents;
    const gross = c.start - c.contraction - c.churned;
    const net = gross + c.expansion;
    const point: RevenueRetentionPoint = {
      periodStart: m.periodStart,
      periodEnd: m.periodEnd,
      value: c.start > 0 ? net / c.start : null,
      n: m.customers.start,
      startMrr: m.startMrr,
      grossRetainedMrr: gross / 100,
      netRetainedMrr: net / 100,
      grr: c.start > 0 ? gross / c.start : null,
      nrr: c.start > 0 ? net / c.start : null,
    };
    if (c.start === 0) point.reason = 'no MRR at period start';
    return point;
  });
}
