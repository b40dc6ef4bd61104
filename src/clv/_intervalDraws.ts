/** Private parts of {@link clvIntervals}: the store of draws and the percentile intervals taken from it. */

import { percentileInterval } from './_clvStats';
import type { ClvInterval, ClvIntervals } from './clvIntervals';
import type { CustomerHistory, LifetimeValueOptions } from './types';

/** The per-customer quantities an interval is reported for (every repeat-purchase model has them). */
export interface CustomerQuantities {
  conditionalExpectedPurchases(t: number, h: CustomerHistory): number;
  probabilityAlive(h: CustomerHistory): number;
  customerLifetimeValue(h: CustomerHistory, o: LifetimeValueOptions): { value: number };
}

/** Draw storage: parameters, E[X(t)], and per customer CET, P(alive), CLV; `used` draws are filled. */
export interface DrawStore {
  par: Float64Array[];
  ex: Float64Array;
  cet: Float64Array[];
  alive: Float64Array[];
  clv: Float64Array[];
  used: number;
}

/** Room for `draws` draws of every quantity. */
export function drawStore(parameters: number, customers: number, draws: number): DrawStore {
  const arrays = (k: number) => Array.from({ length: k }, () => new Float64Array(draws));
  return {
    par: arrays(parameters),
    ex: new Float64Array(draws),
    cet: arrays(customers),
    alive: arrays(customers),
    clv: arrays(customers),
    used: 0,
  };
}

/** Stores customer `c`'s quantities under `m` as draw `s.used`. */
export function recordCustomer(
  s: DrawStore,
  c: number,
  m: CustomerQuantities,
  t: number,
  h: CustomerHistory,
  clv: LifetimeValueOptions | undefined,
): void {
  (s.cet[c] as Float64Array)[s.used] = m.conditionalExpectedPurchases(t, h);
  (s.alive[c] as Float64Array)[s.used] = m.probabilityAlive(h);
  if (clv) (s.clv[c] as Float64Array)[s.used] = m.customerLifetimeValue(h, clv).value;
}

/** Percentile interval of the `used` draws around `estimate` (the estimate itself when there are none). */
export function interval(
  s: DrawStore,
  level: number,
  method: string,
  estimate: number,
  values: Float64Array,
): ClvInterval {
  const r = percentileInterval(values.subarray(0, s.used), level);
  return {
    estimate,
    lower: r.used > 0 ? r.lower : estimate,
    upper: r.used > 0 ? r.upper : estimate,
    method,
  };
}

/** Every customer's intervals, around the point estimates of `pointModel(c)`. */
export function customerIntervals(
  s: DrawStore,
  level: number,
  method: string,
  customers: readonly CustomerHistory[],
  pointModel: (c: number) => CustomerQuantities,
  t: number,
  clv: LifetimeValueOptions | undefined,
): ClvIntervals['customers'] {
  return customers.map((h, c) => {
    const m = pointModel(c);
    const out: ClvIntervals['customers'][number] = {
      expectedPurchases: interval(
        s,
        level,
        method,
        m.conditionalExpectedPurchases(t, h),
        s.cet[c] as Float64Array,
      ),
      probabilityAlive: interval(s, level, method, m.probabilityAlive(h), s.alive[c] as Float64Array),
    };
    if (clv)
      out.lifetimeValue = interval(
        s,
        level,
        method,
        m.customerLifetimeValue(h, clv).value,
        s.clv[c] as Float64Array,
      );
    return out;
  });
}
