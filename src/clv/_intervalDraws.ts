/**
 * Private parts of {@link clvIntervals}: how parametric and bootstrap draws are made for each model
 * kind, the store of draws and the percentile intervals taken from it.
 */

import { choleskyFactor } from '../_lib/cholesky';
import { ConvergenceError, InsufficientDataError } from '../_lib/errors';
import type { Rng } from '../_lib/random';
import { upperBound } from '../_lib/search';
import type { VitalsWarning } from '../types';
import { betaGeoObjective } from './_betaGeo';
import { drawNormal, percentileInterval } from './_clvStats';
import { invertMatrix, numericHessian, type Objective } from './_optimize';
import { paretoObjective } from './_pareto';
import { BGNBDModel } from './BGNBDModel';
import type { ClvInterval, ClvIntervals, ClvIntervalWarningCode } from './clvIntervals';
import { fitBGNBD } from './fitBGNBD';
import { fitMBGNBD } from './fitMBGNBD';
import { fitParetoNBD } from './fitParetoNBD';
import { MBGNBDModel } from './MBGNBDModel';
import { ParetoNBDModel } from './ParetoNBDModel';
import type { CompressedRfm, CustomerHistory, LifetimeValueOptions } from './types';

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

/** How to draw from a fitted model of each kind: parameter names, objective, refit and constructor. */
export function kindOf(model: unknown): {
  names: string[];
  objective: (d: CompressedRfm) => Objective;
  refit: typeof fitBGNBD | typeof fitMBGNBD | typeof fitParetoNBD;
  make: (p: Record<string, number>) => BGNBDModel | MBGNBDModel | ParetoNBDModel;
} | null {
  const diag = { logLikelihood: 0, standardErrors: {}, iterations: 0, customers: 0 };
  if (model instanceof MBGNBDModel)
    return {
      names: ['r', 'alpha', 'a', 'b'],
      objective: (d) => betaGeoObjective(d, 1),
      refit: fitMBGNBD,
      make: (p) => new MBGNBDModel(p as never, diag),
    };
  if (model instanceof BGNBDModel)
    return {
      names: ['r', 'alpha', 'a', 'b'],
      objective: (d) => betaGeoObjective(d, 0),
      refit: fitBGNBD,
      make: (p) => new BGNBDModel(p as never, diag),
    };
  if (model instanceof ParetoNBDModel)
    return {
      names: ['r', 'alpha', 's', 'beta'],
      objective: paretoObjective,
      refit: fitParetoNBD,
      make: (p) => new ParetoNBDModel(p as never, diag),
    };
  return null;
}

export type FittedModel = BGNBDModel | MBGNBDModel | ParetoNBDModel;
export type Kind = NonNullable<ReturnType<typeof kindOf>>;

/**
 * Records `draws` models with log-parameters drawn from N(φ̂, H⁻¹) (H the numeric Hessian of −LL on
 * `data`), or the fitted model once with a `singular_hessian` warning when H⁻¹ has no Cholesky factor.
 */
export function parametricDraws(
  kind: Kind,
  data: CompressedRfm,
  fitted: FittedModel,
  draws: number,
  rng: Rng,
  record: (m: FittedModel) => void,
  warnings: VitalsWarning<ClvIntervalWarningCode>[],
): void {
  const names = kind.names;
  const p0 = fitted.params as unknown as Record<string, number>;
  const phiHat = Float64Array.from(names, (k) => Math.log(p0[k] as number));
  const H = numericHessian(kind.objective(data), phiHat, true);
  const cov = invertMatrix(H, names.length);
  const L = cov ? choleskyFactor(cov, names.length) : null;
  if (!L) {
    warnings.push({
      code: 'singular_hessian',
      message:
        'The Hessian of the log-likelihood is not positive definite at the estimate, so no parametric draws were possible; every interval is the point estimate.',
    });
    record(fitted);
    return;
  }
  const phi = new Float64Array(names.length);
  const p: Record<string, number> = {};
  for (let d = 0; d < draws; d++) {
    drawNormal(phiHat, L, rng, phi);
    names.forEach((k, i) => {
      p[k] = Math.exp(phi[i] as number);
    });
    record(kind.make(p));
  }
}

/**
 * Records a refit (from `p0`) on each of `draws` resamples of the customers with replacement; failed
 * refits are skipped and counted in a `failed_draws` warning.
 */
export function bootstrapDraws(
  kind: Kind,
  data: CompressedRfm,
  p0: Record<string, number>,
  draws: number,
  rng: Rng,
  record: (m: FittedModel) => void,
  warnings: VitalsWarning<ClvIntervalWarningCode>[],
): void {
  const rows = data.rows;
  const cum = new Float64Array(rows);
  let acc = 0;
  for (let i = 0; i < rows; i++) {
    acc += data.count[i] as number;
    cum[i] = acc;
  }
  const n = Math.round(acc);
  const counts = new Float64Array(rows);
  let failed = 0;
  for (let d = 0; d < draws; d++) {
    resampleCounts(cum, acc, n, rng, counts);
    try {
      record(kind.refit(keptRows(data, counts, n), { standardErrors: false, initialParams: p0 }));
    } catch (e) {
      if (!(e instanceof ConvergenceError || e instanceof InsufficientDataError)) throw e;
      failed++;
    }
  }
  if (failed > 0)
    warnings.push({
      code: 'failed_draws',
      message: `${failed} of ${draws} bootstrap refits failed and were skipped; the intervals use the other ${draws - failed}.`,
    });
}

/** Draws `n` customers with replacement into `counts` (per row), rows weighted by their counts (cumulative `cum`, total `acc`). */
function resampleCounts(cum: Float64Array, acc: number, n: number, rng: Rng, counts: Float64Array): void {
  const last = cum.length - 1;
  counts.fill(0);
  for (let j = 0; j < n; j++) {
    const r = upperBound(cum, rng.next() * acc, 0, last); // first row whose cumulative count exceeds u
    counts[r] = (counts[r] as number) + 1;
  }
}

/** The resample as compressed data: the rows drawn at least once, with their new counts. */
function keptRows(data: CompressedRfm, counts: Float64Array, n: number): CompressedRfm {
  const keep: number[] = [];
  for (let i = 0; i < data.rows; i++) if ((counts[i] as number) > 0) keep.push(i);
  return {
    kind: 'compressed-rfm',
    x: Float64Array.from(keep, (i) => data.x[i] as number),
    tx: Float64Array.from(keep, (i) => data.tx[i] as number),
    T: Float64Array.from(keep, (i) => data.T[i] as number),
    count: Float64Array.from(keep, (i) => counts[i] as number),
    rows: keep.length,
    customers: n,
  };
}
