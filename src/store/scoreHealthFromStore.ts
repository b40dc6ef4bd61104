/**
 * `scoreHealthFromStore`: `scoreHealth` over an {@link EventStore}, reading the store's typed
 * columns directly (no event object per row).
 * @module
 */
import { checkOptions, optionError } from '../_lib/errors';
import type { HealthScoreList } from '../health/healthTypes';
import {
  prepareHealthWith,
  requireInstant,
  SCORE_HEALTH_KEYS,
  type ScoreHealthOptions,
  scoreAt,
  toScoreList,
} from '../health/scoreHealth';
import { type EventStore, requireStore } from './EventStore';
import { groupStore } from './groupStore';

/** Options of {@link scoreHealthFromStore}: `scoreHealth`'s, plus the batch size. */
export interface ScoreHealthFromStoreOptions extends ScoreHealthOptions {
  /**
   * Accepted for compatibility and validated (a positive integer); no longer used: the store's
   * columns are read directly, so no customer's events are materialised unless a custom signal
   * asks for them (then one customer at a time). @default 2000
   */
  batchCustomers?: number;
}

/**
 * Scores every customer of the store exactly as `scoreHealth` scores the same events (same
 * scorecard choice, applicability from the whole data set, percentiles over all customers,
 * weights, explanations, warnings), reading the store's columns directly: its time column as is,
 * its type and property dictionaries once per dictionary entry (the codes are the interned ids),
 * so no event object is made per row (custom signals get one customer's events at a time).
 *
 * Memory: the store (~45 bytes per event), ~22 bytes per event of signal columns, and the
 * per-customer score tables; the in-memory path instead holds every event as an object (~135
 * bytes plus its properties) for the whole call.
 *
 * @param store an event store (`toEventStore(...)` or `EventStoreBuilder`).
 * @param options `scoreHealth`'s options (and `batchCustomers`, accepted but no longer used).
 * @returns the same list `scoreHealth` returns.
 * @throws {ValidationError} as `scoreHealth`, and for a `batchCustomers` that is not a positive integer.
 * @example
 * ```ts
 * import { scoreHealthFromStore, toEventStore } from 'customer-vitals/store';
 * const store = toEventStore([{ customerId: 'a', type: 'login', timestamp: Date.UTC(2025, 0, 1) }]);
 * scoreHealthFromStore(store, { asOf: '2025-01-02' })[0].customerId; // => 'a'
 * ```
 */
export function scoreHealthFromStore(
  store: EventStore,
  options: ScoreHealthFromStoreOptions,
): HealthScoreList {
  const fn = 'scoreHealthFromStore';
  checkOptions(fn, options, [...SCORE_HEALTH_KEYS, 'batchCustomers']);
  requireStore(fn, store);
  const asOf = requireInstant(options?.asOf, fn, 'asOf');
  const batch = options.batchCustomers ?? 2000;
  if (!Number.isInteger(batch) || batch < 1)
    throw optionError(fn, 'batchCustomers', `must be a positive integer, got ${String(batch)}`);
  const { batchCustomers: _b, ...healthOptions } = options;
  const run = prepareHealthWith((idRange) => groupStore(store, fn, idRange), healthOptions, fn, [asOf]);
  return toScoreList(scoreAt(run, asOf), run);
}
