/**
 * `scoreHealthFromStore`: `scoreHealth` over an {@link EventStore}, materialising events one
 * batch of customers at a time, so memory holds the compact store plus one batch of event objects
 * instead of every event as an object.
 * @module
 */
import { checkOptions, optionError } from '../_lib/errors';
import { SourceSet, sourceBits } from '../_lib/sources';
import { compileScorecards } from '../health/compileScorecard';
import { groupEvents } from '../health/groupEvents';
import type { CustomerState, HealthScoreList } from '../health/healthTypes';
import { computeStates, rankPercentiles, ScoringContext } from '../health/scoreEngine';
import {
  AUTO_SCORECARD_MESSAGE,
  chooseDefault,
  type HealthRun,
  idWindow,
  prepareHealth,
  requireInstant,
  SCORE_HEALTH_KEYS,
  type ScoreHealthOptions,
  scoreStates,
  toScoreList,
} from '../health/scoreHealth';
import { type EventStore, requireStore } from './EventStore';
import { storeRange } from './storeEvents';

/** Options of {@link scoreHealthFromStore}: `scoreHealth`'s, plus the batch size. */
export interface ScoreHealthFromStoreOptions extends ScoreHealthOptions {
  /** Customers materialised per batch. @default 2000 */
  batchCustomers?: number;
}

/** The sources and time span of the whole store (as `scanSources` on its events). @internal */
export function storeSources(store: EventStore, profileMask: number): SourceSet {
  let mask = profileMask;
  const seen = new Uint8Array(store.types.length);
  for (let i = 0; i < store.length; i++) seen[store.typeCode[i] as number] = 1;
  store.types.forEach((t, k) => {
    if (seen[k] === 1) mask |= sourceBits(t);
  });
  if (store.length === 0) return new SourceSet(mask, Number.NaN, Number.NaN);
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < store.length; i++) {
    const t = store.time[i] as number;
    if (t < first) first = t;
    if (t > last) last = t;
  }
  return new SourceSet(mask, first, last);
}

/**
 * Scores every customer of the store exactly as `scoreHealth` scores the same events (same
 * scorecard choice, applicability from the whole data set, percentiles over all customers,
 * weights, explanations, warnings), reading the events one batch of customers at a time.
 *
 * Memory: the store (~45 bytes per event), one batch of event objects, and the per-customer score
 * tables; the in-memory path instead holds every event as an object (~135 bytes plus its
 * properties) for the whole call.
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
  const fn = 'scoreHealthFromStore';
  checkOptions(fn, options, [...SCORE_HEALTH_KEYS, 'batchCustomers']);
  requireStore(fn, store);
  const asOf = requireInstant(options?.asOf, fn, 'asOf');
  const batch = options.batchCustomers ?? 2000;
  if (!Number.isInteger(batch) || batch < 1)
    throw optionError(fn, 'batchCustomers', `must be a positive integer, got ${String(batch)}`);
  const { batchCustomers: _b, ...healthOptions } = options;
  const base = prepareHealth([], healthOptions, fn, [asOf]);
  const profiles = base.resolved.profiles;
  const sources = storeSources(store, base.ctx.sources.mask);
  const ctx = new ScoringContext(sources, base.resolved.minCoverage, base.groups);
  const chosen = chooseDefault(options.scorecard, sources);
  const set = compileScorecards(chosen.card, options.signals, fn);
  if (chosen.auto)
    ctx.warnings.set('auto_scorecard', { code: 'auto_scorecard', message: AUTO_SCORECARD_MESSAGE });
  const ids = idWindow(set, [asOf]);
  const states: CustomerState[] = [];
  const nc = store.customerIds.length;
  for (let c0 = 0; c0 < nc; c0 += batch) {
    const c1 = Math.min(nc, c0 + batch);
    const lo = store.offsets[c0] as number;
    const hi = store.offsets[c1] as number;
    const events = storeRange(store, lo, hi);
    const groups = groupEvents(events, fn, () => ids);
    // The pass state holds the batch's id dictionaries: one context per batch, warnings merged.
    const bctx = new ScoringContext(sources, base.resolved.minCoverage, groups);
    for (const st of computeStates(groups, profiles, set, asOf, bctx)) states.push(st);
    for (const [k, w] of bctx.warnings) if (!ctx.warnings.has(k)) ctx.warnings.set(k, w);
  }
  // Percentiles rank the whole population, not one batch.
  rankPercentiles(states, set);
  const scores = scoreStates(states, asOf, base.resolved, ctx);
  const run: HealthRun = { groups: base.groups, resolved: { ...base.resolved, set }, ctx };
  return toScoreList(scores, run);
}
