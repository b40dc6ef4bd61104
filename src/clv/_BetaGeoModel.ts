import { ValidationError } from '../_lib/errors';
import {
  type BetaGeoParams,
  betaGeoDiscounted,
  betaGeoFuture,
  betaGeoLogAlive,
  betaGeoSurvival,
  checkHistory,
  discountHorizon,
  lifetimeOptions,
  monthlySumLifetimeValue,
  nbdPmfAndTail,
} from './_betaGeo';
import { argError } from './_errors';
import { FittedModel } from './_modelJson';
import { betaln } from './_special';
import type {
  CustomerHistory,
  LifetimeValueOptions,
  LifetimeValueResult,
  MonthlyLifetimeValueOptions,
  RfmColumns,
} from './types';

/** Shared implementation of BGNBDModel (shift 0) and MBGNBDModel (shift 1). */
export abstract class BetaGeoModelBase extends FittedModel<BetaGeoParams> {
  protected abstract readonly shift: 0 | 1;
  protected abstract readonly label: string;

  protected check(method: string, h: CustomerHistory): void {
    const msg = checkHistory(h);
    if (msg)
      throw new ValidationError(`${this.label}.${method}`, [
        { path: [], code: 'invalid_history', message: msg },
      ]);
  }

  protected checkTime(method: string, name: string, t: number): void {
    if (!(t >= 0) || !Number.isFinite(t))
      throw argError(`${this.label}.${method}`, name, 'must be a finite number >= 0');
  }

  /** E[X(t)]: expected repeat purchases in (0, t] of a customer just acquired. */
  expectedPurchases(t: number): number {
    this.checkTime('expectedPurchases', 't', t);
    const { r, alpha, a, b } = this.params;
    if (this.shift === 0) return betaGeoFuture(r, alpha, a, b, t);
    return (b / (a + b)) * betaGeoFuture(r, alpha, a, b + 1, t);
  }

  /** P(alive now | x, t_x, T). */
  probabilityAlive(h: CustomerHistory): number {
    this.check('probabilityAlive', h);
    return Math.exp(betaGeoLogAlive(this.params, h, this.shift));
  }

  /** P(alive at T + t | x, t_x, T): alive now and no dropout at the purchases made in the next t. */
  probabilityAliveAt(h: CustomerHistory, t: number): number {
    this.check('probabilityAliveAt', h);
    this.checkTime('probabilityAliveAt', 't', t);
    const { r, alpha, a, b } = this.params;
    const x = h.frequency;
    return this.probabilityAlive(h) * betaGeoSurvival(r + x, alpha + h.T, a, b + x + this.shift, t);
  }

  /** E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] for a customer with this history. */
  conditionalExpectedPurchases(t: number, h: CustomerHistory): number {
    this.check('conditionalExpectedPurchases', h);
    this.checkTime('conditionalExpectedPurchases', 't', t);
    const { r, alpha, a, b } = this.params;
    const x = h.frequency;
    const alive = Math.exp(betaGeoLogAlive(this.params, h, this.shift));
    return alive * betaGeoFuture(r + x, alpha + h.T, a, b + x + this.shift, t);
  }

  /**
   * Conditional expected purchases for many customers at once (columns, typed arrays welcome);
   * no allocation per customer. Rows are not validated beyond what the formulas need.
   */
  predictConditional(t: number, data: RfmColumns, out?: Float64Array): Float64Array {
    this.checkTime('predictConditional', 't', t);
    const n = data.frequency.length;
    const res = out ?? new Float64Array(n);
    const h = { frequency: 0, recency: 0, T: 0 };
    const { r, alpha, a, b } = this.params;
    for (let i = 0; i < n; i++) {
      h.frequency = data.frequency[i] as number;
      h.recency = data.recency[i] as number;
      h.T = data.T[i] as number;
      const x = h.frequency;
      res[i] =
        Math.exp(betaGeoLogAlive(this.params, h, this.shift)) *
        betaGeoFuture(r + x, alpha + h.T, a, b + x + this.shift, t);
    }
    return res;
  }

  /** P(X(t) = n): probability that a customer just acquired makes exactly n repeat purchases in (0, t]. */
  probabilityOfPurchases(n: number, t: number): number {
    if (!Number.isInteger(n) || n < 0)
      throw argError(`${this.label}.probabilityOfPurchases`, 'n', `must be an integer >= 0`);
    this.checkTime('probabilityOfPurchases', 't', t);
    const { r, alpha, a, b } = this.params;
    if (t === 0) return n === 0 ? 1 : 0;
    const lB = betaln(a, b);
    const { logPmf, tail } = nbdPmfAndTail(r, alpha, t, n);
    if (this.shift === 0) {
      const first = Math.exp(betaln(a, b + n) - lB + logPmf);
      const second = n > 0 ? Math.exp(betaln(a + 1, b + n - 1) - lB) * tail : 0;
      return first + second;
    }
    const first = Math.exp(betaln(a, b + n + 1) - lB + logPmf);
    const second = Math.exp(betaln(a + 1, b + n) - lB) * tail;
    return first + second;
  }

  /**
   * Customer lifetime value with continuous discounting: value × margin × DERT, where DERT is the
   * discounted expected number of future transactions over `horizon` (default: the whole lifetime).
   */
  customerLifetimeValue(h: CustomerHistory, options: LifetimeValueOptions): LifetimeValueResult {
    this.check('customerLifetimeValue', h);
    const [delta, H, margin, v] = lifetimeOptions(`${this.label}.customerLifetimeValue`, options);
    const { r, alpha, a, b } = this.params;
    const x = h.frequency;
    const alive = Math.exp(betaGeoLogAlive(this.params, h, this.shift));
    const bb = b + x + this.shift;
    // A customer certainly gone (P(alive) underflows to 0) has no future: skip the quadratures.
    const dert =
      alive === 0
        ? 0
        : alive * betaGeoDiscounted(r + x, alpha + h.T, a, bb, delta, discountHorizon(delta, H));
    const expected = Number.isFinite(H)
      ? alive === 0
        ? 0
        : alive * betaGeoFuture(r + x, alpha + h.T, a, bb, H)
      : null;
    return {
      value: dert * v * margin,
      discountedTransactions: dert,
      expectedTransactions: expected,
      probabilityAlive: alive,
    };
  }

  /**
   * The monthly-sum CLV of the `lifetimes` package, for comparison:
   * Σ_{i=1..months} (E[Y(i·m)] − E[Y((i−1)·m)]) · value · margin / (1 + d)^i.
   */
  monthlyLifetimeValue(h: CustomerHistory, options: MonthlyLifetimeValueOptions): number {
    this.check('monthlyLifetimeValue', h);
    return monthlySumLifetimeValue(`${this.label}.monthlyLifetimeValue`, options, (t) =>
      this.conditionalExpectedPurchases(t, h),
    );
  }
}
