import type { DateInput } from '../_lib/time';
import { requireEpochMs } from '../_lib/time';
import { resolveSeries } from './_shared';
import { buildTickets, summariseSupport } from './_tickets';
import { asIndex, type EventsInput } from './indexEvents';
import type { ResultPoint } from './periodSeries';
import type { SupportMetricsResult } from './supportMetrics';
import type { SeriesOptions } from './types';

/** Options of {@link supportSeries}. */
export interface SupportSeriesOptions extends SeriesOptions {
  /** "Now": events after it are ignored. @default `to` */
  asOf?: DateInput;
  /** Number of customers for the per-customer rate. @default customers with any event up to `asOf` */
  customers?: number;
  /** Number reported as `value`. @default median first-response hours */
  select?: (result: SupportMetricsResult) => number | null;
}

/**
 * {@link supportMetrics} by period: each point summarises the tickets **first opened** in that
 * period, with their lifecycle followed up to `asOf` (so a ticket opened in March and resolved in
 * April counts as resolved in March's point). Tickets are rebuilt once for the whole range.
 *
 * Missing data: periods with no tickets have `n: 0`, `value: null` and a reason.
 *
 * @param events validated events, an `EventStore` or an {@link EventIndex}.
 * @param options range, period, time zone, `asOf` and optional `select`.
 * @returns one point per period with the full result in `result`.
 * @throws ValidationError for an invalid range, period, time zone or date.
 * @example
 * ```ts
 * supportSeries(events, { from: '2025-10-01', to: '2026-01-01', select: (r) => r.resolution.p90Hours });
 * // => [{ periodStart: ..., periodEnd: ..., value: 30.2, n: 41, result: {...} }, ...]
 * ```
 */
export function supportSeries(
  events: EventsInput,
  options: SupportSeriesOptions,
): ResultPoint<SupportMetricsResult>[] {
  const fn = 'supportSeries';
  const range = resolveSeries(options, fn, 'month', ['asOf', 'customers', 'select']);
  const asOf = options.asOf === undefined ? range.to : requireEpochMs(options.asOf, fn, 'asOf');
  const built = buildTickets(asIndex(events, fn), asOf);
  const b = range.boundaries;
  const out: ResultPoint<SupportMetricsResult>[] = [];
  for (let p = 0; p + 1 < b.length; p++) {
    const periodStart = b[p] as number;
    const periodEnd = b[p + 1] as number;
    const result = summariseSupport(built.tickets, built.rejected, built.customers, {
      fn,
      asOf,
      from: periodStart,
      to: periodEnd,
      customers: options.customers,
    });
    const value = options.select ? options.select(result) : result.value;
    const point: ResultPoint<SupportMetricsResult> = { periodStart, periodEnd, value, n: result.n, result };
    if (value === null) point.reason = result.reason ?? 'no value for this period';
    out.push(point);
  }
  return out;
}
