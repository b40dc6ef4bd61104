import { findPeriod } from '../_lib/period';
import type { CustomerEvent } from '../events/types';
import { resolveSeries } from './_shared';
import { asIndex, EventIndex, type EventsInput } from './indexEvents';
import type { MetricResult, SeriesOptions, SeriesPoint } from './types';

/** A series point that also carries the full result computed for its period. */
export interface ResultPoint<R extends MetricResult> extends SeriesPoint {
  result: R;
}

/** Options of {@link periodSeries}. */
export interface PeriodSeriesOptions<R extends MetricResult> extends SeriesOptions {
  /** Picks the number reported as `value` (and its `n`) from each period's result. @default `r => r.value` */ select?: (
    result: R,
  ) => number | null;
  /**
   * Only events of these types are passed to `compute` (faster, especially with an
   * {@link EventIndex}, which finds them without scanning every event). @default every type
   */
  types?: readonly string[];
}

/**
 * Runs any windowed metric over a range by period. Events are bucketed by timestamp into the whole
 * calendar periods intersecting `[from, to)` (boundaries by date-fns in UTC or `timeZone`), then
 * `compute(eventsOfPeriod, { from: periodStart, to: periodEnd })` is called once per period,
 * including periods with no events (so the metric's own empty-input policy applies).
 *
 * Use it for metrics that only look at events inside the period (surveys, transactional metrics,
 * feature adoption); stateful metrics (MRR, retention, support lifecycle, seats) have their own
 * period-aware functions. `compute` receives event objects: over an `EventStore`, only the rows of
 * `types` are materialised (every row without `types`).
 *
 * @param input validated events, an `EventStore` or an {@link EventIndex}.
 * @param compute the metric, e.g. `(evs) => nps(surveyScores(evs, 'nps_response'))`.
 * @param options range, period, time zone and an optional `select`.
 * @returns one point per period: `{ periodStart, periodEnd, value, n, reason?, result }`.
 * @throws ValidationError for an invalid range, period or time zone.
 * @example
 * ```ts
 * periodSeries(events, (evs) => nps(surveyScores(evs, 'nps_response')),
 *   { from: '2025-01-01', to: '2025-04-01', period: 'month' });
 * // => [{ periodStart: 1735689600000, periodEnd: 1738368000000, value: 12.5, n: 40, result: {...} }, ...]
 * ```
 */
export function periodSeries<R extends MetricResult>(
  input: EventsInput,
  compute: (events: CustomerEvent[], window: { from: number; to: number }) => R,
  options: PeriodSeriesOptions<R>,
): ResultPoint<R>[] {
  const { boundaries } = resolveSeries(options, 'periodSeries', 'month', ['select', 'types']);
  const k = boundaries.length - 1;
  const buckets: CustomerEvent[][] = [];
  for (let p = 0; p < k; p++) buckets.push([]);
  const types = options.types;
  const ix = asIndex(input, 'periodSeries');
  if (types !== undefined && (input instanceof EventIndex || ix.store !== undefined)) {
    // Positions of the wanted types, merged back into input order (over a store, only the rows of
    // these types are materialised).
    const parts = types.map((t) => ix.positions(t));
    const positions = new Int32Array(parts.reduce((s, a) => s + a.length, 0));
    let at = 0;
    for (const part of parts) {
      positions.set(part, at);
      at += part.length;
    }
    positions.sort();
    const events = ix.eventsAt(positions);
    for (let j = 0; j < events.length; j++) {
      const e = events[j] as CustomerEvent;
      const p = findPeriod(boundaries, e.timestamp);
      if (p >= 0) (buckets[p] as CustomerEvent[]).push(e);
    }
  } else {
    const wanted = types === undefined ? undefined : new Set(types);
    const events = ix.events;
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as CustomerEvent;
      if (wanted !== undefined && !wanted.has(e.type)) continue;
      const p = findPeriod(boundaries, e.timestamp);
      if (p >= 0) (buckets[p] as CustomerEvent[]).push(e);
    }
  }
  const out: ResultPoint<R>[] = [];
  for (let p = 0; p < k; p++) {
    const periodStart = boundaries[p] as number;
    const periodEnd = boundaries[p + 1] as number;
    const result = compute(buckets[p] as CustomerEvent[], { from: periodStart, to: periodEnd });
    const value = options.select ? options.select(result) : result.value;
    const point: ResultPoint<R> = { periodStart, periodEnd, value, n: result.n, result };
    if (value === null) point.reason = result.reason ?? 'no value for this period';
    out.push(point);
  }
  return out;
}
