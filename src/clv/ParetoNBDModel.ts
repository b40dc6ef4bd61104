import { ValidationError } from '../_lib/errors';
import {
  checkHistory,
  discountHorizon,
  lifetimeOptions,
  monthlySumLifetimeValue,
  nbdPmfAndTail,
} from './_betaGeo';
import { argError } from './_errors';
import { FittedModel, type ModelJSON, modelSchema, parseModelJson } from './_modelJson';
import { PARETO_NAMES, type ParetoNBDParams, paretoLogParts } from './_pareto';
import { expm1Ratio, gammaln, scaledUpperGamma, tanhSinh } from './_special';
import type {
  CustomerHistory,
  LifetimeValueOptions,
  LifetimeValueResult,
  MonthlyLifetimeValueOptions,
  RfmColumns,
} from './types';

export type { ParetoNBDParams } from './_pareto';

/** Serialised form of a {@link ParetoNBDModel}. */
export interface ParetoNBDModelJSON extends ModelJSON<'paretonbd', ParetoNBDParams> {}

const schema = modelSchema('paretonbd', PARETO_NAMES);

/**
 * A fitted Pareto/NBD model: Poisson purchasing at λ ~ Gamma(r, α) while alive, exponential
 * lifetime with μ ~ Gamma(s, β). Unlike BG/NBD it gives customers without repeat purchases a
 * probability alive below 1 that falls with T, so it is the recommended model for "probability
 * alive" of one-time buyers. `customerLifetimeValue` implements DERT (Fader, Hardie & Lee 2005,
 * "RFM and CLV"), via the scaled upper incomplete gamma function.
 *
 * @example
 * ```ts
 * const m = fitParetoNBD(cdnowRows); // r 0.553, alpha 10.58, s 0.606, beta 11.67
 * m.probabilityAlive({ frequency: 0, recency: 0, T: 38.86 }); // => 0.295
 * ```
 */
export class ParetoNBDModel extends FittedModel<ParetoNBDParams> {
  private check(method: string, h: CustomerHistory): void {
    const msg = checkHistory(h);
    if (msg)
      throw new ValidationError(`ParetoNBDModel.${method}`, [
        { path: [], code: 'invalid_history', message: msg },
      ]);
  }

  private checkTime(method: string, t: number): void {
    if (!(t >= 0) || !Number.isFinite(t))
      throw argError(`ParetoNBDModel.${method}`, 't', `must be a finite number >= 0`);
  }

  /** E[X(t)] = rβ/(α(s−1))·[1 − (β/(β+t))^{s−1}] (continuous at s = 1). */
  expectedPurchases(t: number): number {
    this.checkTime('expectedPurchases', t);
    const { r, alpha, s, beta } = this.params;
    return ((r * beta) / alpha) * expm1Ratio(s - 1, Math.log1p(t / beta));
  }

  /** P(alive at T | x, t_x, T). */
  probabilityAlive(h: CustomerHistory): number {
    this.check('probabilityAlive', h);
    const parts = paretoLogParts(this.params, h.frequency, h.recency, h.T);
    return Math.exp(parts.first - parts.bracket);
  }

  /** P(alive at T + t | x, t_x, T) = P(alive at T)·((β+T)/(β+T+t))^s. */
  probabilityAliveAt(h: CustomerHistory, t: number): number {
    this.checkTime('probabilityAliveAt', t);
    const { s, beta } = this.params;
    return this.probabilityAlive(h) * Math.exp(-s * Math.log1p(t / (beta + h.T)));
  }

  /** E[Y(t) | x, t_x, T] = P(alive)·(r+x)(β+T)/((α+T)(s−1))·[1 − ((β+T)/(β+T+t))^{s−1}]. */
  conditionalExpectedPurchases(t: number, h: CustomerHistory): number {
    this.checkTime('conditionalExpectedPurchases', t);
    const alive = this.probabilityAlive(h);
    const { r, alpha, s, beta } = this.params;
    const B = beta + h.T;
    return ((alive * (r + h.frequency)) / (alpha + h.T)) * B * expm1Ratio(s - 1, Math.log1p(t / B));
  }

  /** Conditional expected purchases for many customers (columns); no allocation per customer. */
  predictConditional(t: number, data: RfmColumns, out?: Float64Array): Float64Array {
    this.checkTime('predictConditional', t);
    const n = data.frequency.length;
    const res = out ?? new Float64Array(n);
    const { r, alpha, s, beta } = this.params;
    for (let i = 0; i < n; i++) {
      const x = data.frequency[i] as number;
      const T = data.T[i] as number;
      const parts = paretoLogParts(this.params, x, data.recency[i] as number, T);
      const B = beta + T;
      res[i] =
        ((Math.exp(parts.first - parts.bracket) * (r + x)) / (alpha + T)) *
        B *
        expm1Ratio(s - 1, Math.log1p(t / B));
    }
    return res;
  }

  /**
   * P(X(t) = n) for a customer just acquired:
   * NB(n; r, α, t)·(β/(β+t))^s + ∫₀ᵗ NB(n; r, α, τ)·sβ^s(β+τ)^{−(s+1)} dτ (tanh-sinh quadrature).
   */
  probabilityOfPurchases(n: number, t: number): number {
    if (!Number.isInteger(n) || n < 0)
      throw argError('ParetoNBDModel.probabilityOfPurchases', 'n', 'must be an integer >= 0');
    this.checkTime('probabilityOfPurchases', t);
    if (t === 0) return n === 0 ? 1 : 0;
    const { r, alpha, s, beta } = this.params;
    const lg = gammaln(r + n) - gammaln(r) - gammaln(n + 1);
    const logNb = (tau: number): number =>
      tau === 0
        ? n === 0
          ? 0
          : Number.NEGATIVE_INFINITY
        : lg + r * Math.log(alpha / (alpha + tau)) + n * Math.log(tau / (alpha + tau));
    const first = Math.exp(nbdPmfAndTail(r, alpha, t, n).logPmf - s * Math.log1p(t / beta));
    const second = tanhSinh(
      (tau) => Math.exp(logNb(tau) + Math.log(s) - Math.log(beta) - (s + 1) * Math.log1p(tau / beta)),
      0,
      t,
      1e-11,
    );
    return first + second;
  }

  /**
   * Customer lifetime value with continuous discounting: value × margin × DERT, where
   * DERT = P(alive)·(r+x)/(α+T)·E[(1 − e^{−(δ+μ)H})/(δ+μ)], μ ~ Gamma(s, β+T); for H = ∞ this is
   * the DERT of Fader, Hardie & Lee (2005), αʳβˢδ^{s−1}Γ(r+x+1)Ψ(s, s; δ(β+T)) / (Γ(r)(α+T)^{r+x+1}L).
   */
  customerLifetimeValue(h: CustomerHistory, options: LifetimeValueOptions): LifetimeValueResult {
    this.check('customerLifetimeValue', h);
    const [delta, H, margin, v] = lifetimeOptions('ParetoNBDModel.customerLifetimeValue', options);
    const { r, alpha, s, beta } = this.params;
    const alive = this.probabilityAlive(h);
    const B = beta + h.T;
    const rate = (r + h.frequency) / (alpha + h.T);
    let e: number;
    if (delta === 0) e = B * expm1Ratio(s - 1, Math.log1p(H / B));
    else {
      e = B * scaledUpperGamma(1 - s, delta * B);
      const HD = discountHorizon(delta, H);
      if (Number.isFinite(HD)) {
        const BH = B + HD;
        e -= Math.exp(-delta * HD + s * Math.log(B / BH)) * BH * scaledUpperGamma(1 - s, delta * BH);
      }
    }
    const dert = alive * rate * e;
    const expected = Number.isFinite(H) ? alive * rate * B * expm1Ratio(s - 1, Math.log1p(H / B)) : null;
    return {
      value: dert * v * margin,
      discountedTransactions: dert,
      expectedTransactions: expected,
      probabilityAlive: alive,
    };
  }

  /** The monthly-sum CLV of the `lifetimes` package (see BGNBDModel.monthlyLifetimeValue). */
  monthlyLifetimeValue(h: CustomerHistory, options: MonthlyLifetimeValueOptions): number {
    this.check('monthlyLifetimeValue', h);
    return monthlySumLifetimeValue('ParetoNBDModel.monthlyLifetimeValue', options, (t) =>
      this.conditionalExpectedPurchases(t, h),
    );
  }

  /** Plain-JSON form; load with {@link ParetoNBDModel.fromJSON}. */
  toJSON(): ParetoNBDModelJSON {
    return { model: 'paretonbd', version: 1, ...this.jsonBody() };
  }

  /**
   * Loads a model saved with `toJSON()`, validating it.
   * @throws {ValidationError} when the JSON is not a valid Pareto/NBD model.
   */
  static fromJSON(json: unknown): ParetoNBDModel {
    const d = parseModelJson('ParetoNBDModel.fromJSON', schema, json);
    return new ParetoNBDModel(d.params, d);
  }
}
