/**
 * `scoreHealthFromStore`: `scoreHealth` over an {@link EventStore}, reading the store's typed
 * columns directly (no event object per row), one batch of customers at a time.
 * @module
 */
import { checkOptions, optionError } from '../_lib/errors';
import { computeStates, rankPercentiles } from '../health/_scoreEngine';
import type { CustomerState, HealthScoreList } from '../health/healthTypes';
import {
  type HealthRun,
  type OrderedHealthScores,
  orderedScores,
  prepareHealthWith,
  requireInstant,
  SCORE_HEALTH_KEYS,
  type ScoreHealthOptions,
  scoreStates,
  toScoreList,
} from '../health/scoreHealth';
import { groupStoreRange, planStore } from './_groupStore';
import { type EventStore, requireStore } from './EventStore';

/** Options of {@link scoreHealthFromStore}: `scoreHealth`'s, plus the batch size. */
export interface ScoreHealthFromStoreOptions extends ScoreHealthOptions {
  /**
   * Customers whose signal columns (~22 bytes per event, read from the store's columns) are
   * built at a time: memory per batch, not per store. @default 2000
   */
  batchCustomers?: number;
}

/**
 * Scores every customer of the store exactly as `scoreHealth` scores the same events (same
 * scorecard choice, applicability from the whole data set, percentiles over all customers,
 * weights, explanations, warnings), reading the store's columns directly: its time column as a
 * view, its type and property dictionaries once per dictionary entry (the codes are the interned
 * ids), so no event object is made per row (custom signals get one customer's events at a time).
 *
 * Memory: the store (~45 bytes per event), ~22 bytes per event of one batch of customers' signal
 * columns, and the per-customer score tables; the in-memory path instead holds every event as an
 * object (~135 bytes plus its properties) for the whole call.
 *
 * @param store an event store (`toEventStore(...)` or `EventStoreBuilder`).
 * @param options `scoreHealth`'s options and `batchCustomers`.
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
  const { asOf, run, states } = storeStates(store, options);
  return toScoreList(scoreStates(states, asOf, run.resolved, run.ctx), run);
}

/**
 * The checked options, the run and every customer's state (signals, measure scores, population
 * percentiles), built batch by batch.
 */
function storeStates(
  store: EventStore,
  options: ScoreHealthFromStoreOptions,
  fn = 'scoreHealthFromStore',
): { asOf: number; run: HealthRun; states: CustomerState[] } {
  checkOptions(
    fn,
    options,
    fn === 'scoreHealth' ? SCORE_HEALTH_KEYS : [...SCORE_HEALTH_KEYS, 'batchCustomers'],
  );
  requireStore(fn, store);
  const asOf = requireInstant(options?.asOf, fn, 'asOf');
  const batch = options.batchCustomers ?? 2000;
  if (!Number.isInteger(batch) || batch < 1)
    throw optionError(fn, 'batchCustomers', `must be a positive integer, got ${String(batch)}`);
  const { batchCustomers: _b, ...healthOptions } = options;
  const plan = planStore(store, fn);
  const run = prepareHealthWith(
    (idRange) => {
      idRange(plan.mask, plan.first, plan.last);
      return groupStoreRange(plan, 0, 0);
    },
    healthOptions,
    fn,
    [asOf],
  );
  const { resolved, ctx } = run;
  const states: CustomerState[] = [];
  const nc = store.customerIds.length;
  for (let c0 = 0; c0 < nc; c0 += batch) {
    const groups = groupStoreRange(plan, c0, Math.min(nc, c0 + batch));
    for (const st of computeStates(groups, resolved.profiles, resolved.set, asOf, ctx, false))
      states.push(st);
  }
  // Percentiles rank the whole population, not one batch.
  rankPercentiles(states, resolved.set);
  return { asOf, run, states };
}

/**
 * `scoreHealth(store, options)`: scoreHealthFromStore with scoreHealth's name in messages and its
 * option keys (no `batchCustomers`). @internal
 */
export function scoreHealthOfStore(store: EventStore, options: ScoreHealthOptions): HealthScoreList {
  const { asOf, run, states } = storeStates(store, options, 'scoreHealth');
  return toScoreList(scoreStates(states, asOf, run.resolved, run.ctx), run);
}

/** See {@link OrderedHealthScores}; same options and checks as {@link scoreHealthFromStore}. @internal */
export function orderedHealthFromStore(
  store: EventStore,
  options: ScoreHealthFromStoreOptions,
): OrderedHealthScores {
  const { asOf, run, states } = storeStates(store, options);
  return orderedScores(states, asOf, run);
}
