import type { CustomerEvent } from '../events/types';
import { ACTIVITY_TYPES } from '../events/vocabulary';
import { optionError, quantileSorted, readDate } from './_shared';
import type { MetricResult, RangeOptions } from './types';

/** Options of {@link featureAdoption}. */
export interface FeatureAdoptionOptions extends RangeOptions {
  /**
   * Denominator of the adoption shares.
   * @default customers with any activity event (`login`, `session`, `feature_used`) in the window
   */
  customers?: number;
}

/** Adoption of one feature. */
export interface FeatureStat {
  feature: string;
  /** Distinct customers that used it. */
  customers: number;
  /** customers / denominator; null when the denominator is 0. */
  share: number | null;
  /** Distinct users (with `properties.userId`) that used it. */
  users: number;
  /** Sum of uses (`value`, default 1 per event). */
  uses: number;
}

/** Result of {@link featureAdoption}. `value` is the mean breadth; `n` the denominator. */
export interface FeatureAdoptionResult extends MetricResult {
  /** One entry per feature, most adopted first (ties by name). */
  features: FeatureStat[];
  /** Distinct features used per customer (customers in the denominator who used none count 0). */
  breadth: {
    mean: number | null;
    median: number | null;
    max: number;
    /** `distribution[k]` = customers who used exactly k distinct features (for active customers). */
    distribution: number[];
  };
  /** Distinct features per customer id. */
  byCustomer: Map<string, number>;
}

/**
 * Feature adoption over `[from, to)` from `feature_used` events (`properties.feature`): for each
 * feature the share of customers that used it (`customers using it / active customers`) and, per
 * customer, the breadth = number of distinct features used.
 *
 * Missing data: `feature_used` events without a string `properties.feature` are skipped; with no
 * active customers `n` is 0, `value` null with a reason and shares null. Use {@link periodSeries}
 * for a series by period.
 *
 * @param events validated events.
 * @param options optional window and denominator.
 * @returns per-feature adoption and breadth.
 * @throws ValidationError for invalid dates or `customers`.
 * @example
 * ```ts
 * featureAdoption(events, { from: '2025-12-01', to: '2026-01-01' });
 * // => { value: 2.4, n: 180, features: [{ feature: 'reports', customers: 150, share: 0.83, ... }, ...],
 * //      breadth: { mean: 2.4, median: 2, max: 6, distribution: [12, 30, ...] }, ... }
 * ```
 */
export function featureAdoption(
  events: readonly CustomerEvent[],
  options: FeatureAdoptionOptions = {},
): FeatureAdoptionResult {
  const fn = 'featureAdoption';
  const from = readDate(options.from, fn, 'from') ?? Number.NEGATIVE_INFINITY;
  const to = readDate(options.to, fn, 'to') ?? Number.POSITIVE_INFINITY;
  if (options.customers !== undefined && !(Number.isInteger(options.customers) && options.customers >= 0)) {
    throw optionError(fn, 'customers', 'must be a non-negative integer');
  }
  const activeSet = new Set<string>();
  const perFeature = new Map<
    string,
    { customers: Set<string>; users: Map<string, Set<unknown>>; uses: number }
  >();
  const perCustomer = new Map<string, Set<string>>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as CustomerEvent;
    if (e.timestamp < from || e.timestamp >= to || !ACTIVITY_TYPES.has(e.type)) continue;
    activeSet.add(e.customerId);
    if (e.type !== 'feature_used') continue;
    const feature = e.properties?.feature;
    if (typeof feature !== 'string' || feature.length === 0) continue;
    let f = perFeature.get(feature);
    if (f === undefined) {
      f = { customers: new Set(), users: new Map(), uses: 0 };
      perFeature.set(feature, f);
    }
    f.customers.add(e.customerId);
    const userId = e.properties?.userId;
    if (
      (typeof userId === 'string' && userId.length > 0) ||
      (typeof userId === 'number' && Number.isFinite(userId))
    ) {
      let us = f.users.get(e.customerId);
      if (us === undefined) {
        us = new Set();
        f.users.set(e.customerId, us);
      }
      us.add(userId);
    }
    f.uses += typeof e.value === 'number' && Number.isFinite(e.value) ? e.value : 1;
    let cf = perCustomer.get(e.customerId);
    if (cf === undefined) {
      cf = new Set();
      perCustomer.set(e.customerId, cf);
    }
    cf.add(feature);
  }
  const denominator = options.customers ?? activeSet.size;
  const features: FeatureStat[] = [];
  for (const [feature, f] of perFeature) {
    let users = 0;
    for (const us of f.users.values()) users += us.size;
    features.push({
      feature,
      customers: f.customers.size,
      share: denominator > 0 ? f.customers.size / denominator : null,
      users,
      uses: f.uses,
    });
  }
  features.sort(
    (a, b) => b.customers - a.customers || (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0),
  );
  const byCustomer = new Map<string, number>();
  const ids = Array.from(activeSet).sort();
  const widths = new Float64Array(ids.length);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as string;
    const w = perCustomer.get(id)?.size ?? 0;
    byCustomer.set(id, w);
    widths[i] = w;
    sum += w;
    if (w > max) max = w;
  }
  const distribution = new Array<number>(max + 1).fill(0);
  for (let i = 0; i < widths.length; i++) {
    const w = widths[i] as number;
    distribution[w] = (distribution[w] as number) + 1;
  }
  widths.sort();
  const result: FeatureAdoptionResult = {
    value: denominator > 0 ? sum / denominator : null,
    n: denominator,
    features,
    breadth: {
      mean: denominator > 0 ? sum / denominator : null,
      median: widths.length > 0 ? quantileSorted(widths, 0.5) : null,
      max,
      distribution: ids.length > 0 ? distribution : [],
    },
    byCustomer,
  };
  if (denominator === 0) result.reason = 'no active customers in the window';
  return result;
}
