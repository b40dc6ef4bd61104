import { checkOptions } from '../_lib/errors';
import { compareCodeUnits } from '../_lib/order';
import { readEpochMs } from '../_lib/time';
import { optionError, quantileSorted } from './_shared';
import { asIndex, type EventIndex, type EventsInput } from './indexEvents';
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
 * @param events validated events, an `EventStore` or an {@link EventIndex}.
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
  events: EventsInput,
  options: FeatureAdoptionOptions = {},
): FeatureAdoptionResult {
  const fn = 'featureAdoption';
  checkOptions(fn, options, ['from', 'to', 'customers']);
  const from = readEpochMs(options.from, fn, 'from') ?? Number.NEGATIVE_INFINITY;
  const to = readEpochMs(options.to, fn, 'to') ?? Number.POSITIVE_INFINITY;
  if (options.customers !== undefined && !(Number.isInteger(options.customers) && options.customers >= 0)) {
    throw optionError(fn, 'customers', 'must be a non-negative integer');
  }
  const act = asIndex(events, fn).activity();
  const counts = countFeatureUse(act, from, to);
  const denominator = options.customers ?? counts.activeCount;
  const features: FeatureStat[] = [];
  for (let f = 0; f < act.features.length; f++) {
    const customers = counts.featureCustomers[f] as number;
    if (customers === 0) continue;
    features.push({
      feature: act.features[f] as string,
      customers,
      share: denominator > 0 ? customers / denominator : null,
      users: counts.featureUsers[f] as number,
      uses: counts.featureUses[f] as number,
    });
  }
  features.sort(
    (x, y) => y.customers - x.customers || (x.feature < y.feature ? -1 : x.feature > y.feature ? 1 : 0),
  );
  const { byCustomer, widths, max, sum, distribution } = breadths(act, counts);
  const result: FeatureAdoptionResult = {
    value: denominator > 0 ? sum / denominator : null,
    n: denominator,
    features,
    breadth: {
      mean: denominator > 0 ? sum / denominator : null,
      median: widths.length > 0 ? quantileSorted(widths, 0.5) : null,
      max,
      distribution: widths.length > 0 ? distribution : [],
    },
    byCustomer,
  };
  if (denominator === 0) result.reason = 'no active customers in the window';
  return result;
}

type Activity = ReturnType<EventIndex['activity']>;

/** Counts over the window: active customers, and per feature its customers, users and uses. */
interface FeatureCounts {
  isActive: Uint8Array;
  /** Distinct features per customer code. */
  breadthOf: Int32Array;
  featureCustomers: Float64Array;
  featureUsers: Float64Array;
  featureUses: Float64Array;
  activeCount: number;
}

/** One pass over the activity rows in `[from, to)`. */
function countFeatureUse(act: Activity, from: number, to: number): FeatureCounts {
  const nFeatures = act.features.length;
  const nCustomers = act.customerIds.length;
  const isActive = new Uint8Array(nCustomers);
  const breadthOf = new Int32Array(nCustomers);
  const featureCustomers = new Float64Array(nFeatures);
  const featureUsers = new Float64Array(nFeatures);
  const featureUses = new Float64Array(nFeatures);
  const customerPairs = new Set<number>();
  const userPairs = new Set<number>();
  let activeCount = 0;
  for (let i = 0; i < act.size; i++) {
    const t = act.time[i] as number;
    if (t < from || t >= to) continue;
    const c = act.customer[i] as number;
    if (isActive[c] === 0) {
      isActive[c] = 1;
      activeCount++;
    }
    const f = act.feature[i] as number;
    if (f < 0) continue;
    featureUses[f] = (featureUses[f] as number) + (act.uses[i] as number);
    const cKey = c * nFeatures + f;
    if (!customerPairs.has(cKey)) {
      customerPairs.add(cKey);
      featureCustomers[f] = (featureCustomers[f] as number) + 1;
      breadthOf[c] = (breadthOf[c] as number) + 1;
    }
    const u = act.user[i] as number;
    if (u >= 0) {
      const uKey = u * nFeatures + f;
      if (!userPairs.has(uKey)) {
        userPairs.add(uKey);
        featureUsers[f] = (featureUsers[f] as number) + 1;
      }
    }
  }
  return { isActive, breadthOf, featureCustomers, featureUsers, featureUses, activeCount };
}

/** Breadth per active customer (by id, code-unit order), their sorted widths, sum, max and distribution. */
function breadths(
  act: Activity,
  { isActive, breadthOf }: FeatureCounts,
): {
  byCustomer: Map<string, number>;
  widths: Float64Array;
  max: number;
  sum: number;
  distribution: number[];
} {
  // Active customers by id (code-unit order).
  const active: number[] = [];
  for (let c = 0; c < act.customerIds.length; c++) if (isActive[c] === 1) active.push(c);
  const names = act.customerIds;
  active.sort((a, b) => compareCodeUnits(names[a] as string, names[b] as string));
  const byCustomer = new Map<string, number>();
  const widths = new Float64Array(active.length);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < active.length; i++) {
    const c = active[i] as number;
    const id = names[c] as string;
    const w = breadthOf[c] as number;
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
  return { byCustomer, widths, max, sum, distribution };
}
