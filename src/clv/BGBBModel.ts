import { ValidationError } from '../_lib/errors';
import { showValue } from '../_lib/safe';
import { argError, checkOptions } from './_errors';
import { FittedModel, type ModelJSON, modelSchema, parseModelJson } from './_modelJson';
import { betaln, gammaln, logAddExp } from './_special';
import type { LifetimeValueResult } from './types';

/** Parameters of the BG/BB model. */
export interface BGBBParams {
  /** Beta distribution of the transaction probability p while alive. */
  alpha: number;
  beta: number;
  /** Beta distribution of the per-period dropout probability θ. */
  gamma: number;
  delta: number;
}

/** A customer's history in discrete time: x transactions in n opportunities, the last at t_x. */
export interface BGBBHistory {
  /** x: number of opportunities with a transaction (0..n). */
  frequency: number;
  /** t_x: the opportunity of the last transaction (0 when x = 0). */
  recency: number;
  /** n: number of transaction opportunities observed. */
  n: number;
}

/** Serialised form of a {@link BGBBModel}. */
export interface BGBBModelJSON extends ModelJSON<'bgbb', BGBBParams> {}

export const BGBB_NAMES = ['alpha', 'beta', 'gamma', 'delta'] as const;
const schema = modelSchema('bgbb', BGBB_NAMES);

/**
 * ln L(α, β, γ, δ | x, t_x, n) (Fader, Hardie & Shang 2010, eq. 5):
 * L = B(α+x, β+n−x)/B(α,β)·B(γ, δ+n)/B(γ,δ) + Σ_{i=0}^{n−t_x−1} B(α+x, β+t_x−x+i)/B(α,β)·B(γ+1, δ+t_x+i)/B(γ,δ).
 * @param p the BG/BB parameters.
 * @param x transactions in the n opportunities; @param tx the opportunity of the last one; @param n opportunities.
 * @returns the log-likelihood of one (x, t_x, n) pattern (always finite).
 * @throws ValidationError when a parameter is not a positive finite number, the history is not
 * integers `0 <= x <= t_x <= n <= 1,000,000` (t_x 0 when x is 0), or the result would not be finite.
 * @example
 * ```ts
 * const p = { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 }; // the published donations fit
 * bgbbLogLikelihood(p, 6, 6, 6); // => -2.1822 (a donor who gave every year)
 * bgbbLogLikelihood(p, 0, 0, 6); // => -1.1673 (never gave again)
 * ```
 */
export function bgbbLogLikelihood(p: BGBBParams, x: number, tx: number, n: number): number {
  checkLikelihoodArgs(p, x, tx, n);
  const l = bgbbLogLik(p, x, tx, n);
  if (!Number.isFinite(l))
    throw new ValidationError(LL_FN, [
      { path: [], code: 'out_of_range', message: 'the log-likelihood is not finite for these parameters' },
    ]);
  return l;
}

/**
 * {@link bgbbLogLikelihood} without the door checks, for the fit's inner loop (where the optimiser
 * handles a non-finite value) and the model's validated histories. @internal
 */
export function bgbbLogLik(p: BGBBParams, x: number, tx: number, n: number): number {
  const { alpha, beta, gamma, delta } = p;
  const lab = betaln(alpha, beta);
  const lgd = betaln(gamma, delta);
  let l = betaln(alpha + x, beta + n - x) - lab + betaln(gamma, delta + n) - lgd;
  for (let i = 0; i <= n - tx - 1; i++) {
    l = logAddExp(l, betaln(alpha + x, beta + tx - x + i) - lab + betaln(gamma + 1, delta + tx + i) - lgd);
  }
  return l;
}

const LL_FN = 'bgbbLogLikelihood';
/** Most opportunities `n` (the likelihood sums over `n − t_x` terms). */
export const MAX_BGBB_OPPORTUNITIES = 1_000_000;

/** The cheap door checks of {@link bgbbLogLikelihood} (it runs inside the fit's inner loop). */
function checkLikelihoodArgs(p: BGBBParams, x: number, tx: number, n: number): void {
  if (typeof p !== 'object' || p === null)
    throw new ValidationError(LL_FN, [
      { path: ['p'], code: 'invalid_type', message: `p must be the BG/BB parameters, got ${showValue(p)}` },
    ]);
  for (const k of BGBB_NAMES) {
    const v: unknown = p[k];
    if (typeof v !== 'number' || !(v > 0) || v === Number.POSITIVE_INFINITY)
      throw new ValidationError(LL_FN, [
        {
          path: ['p', k],
          code: 'out_of_range',
          message: `${k} must be a positive finite number, got ${showValue(v)}`,
        },
      ]);
  }
  if (
    typeof x !== 'number' ||
    typeof tx !== 'number' ||
    typeof n !== 'number' ||
    !Number.isInteger(x) ||
    !Number.isInteger(tx) ||
    !Number.isInteger(n) ||
    x < 0 ||
    tx < x ||
    n < tx ||
    (x === 0 && tx !== 0) ||
    n > MAX_BGBB_OPPORTUNITIES
  )
    throw new ValidationError(LL_FN, [
      {
        path: [],
        code: 'invalid_history',
        message: `need integers 0 <= x <= tx <= n <= ${MAX_BGBB_OPPORTUNITIES}, tx 0 when x is 0; got x ${showValue(x)}, tx ${showValue(tx)}, n ${showValue(n)}`,
      },
    ]);
}

/**
 * A fitted BG/BB model (Fader, Hardie & Shang 2010, "Customer-base analysis in a discrete-time
 * noncontractual setting"): at each discrete opportunity an alive customer transacts with
 * probability p ~ Beta(α, β), and dies before the next opportunity with probability θ ~ Beta(γ, δ).
 * Predictions are computed by finite sums over periods (no ₂F₁, so γ = 1 is not special).
 *
 * @example
 * ```ts
 * const m = fitBGBB(donations); // alpha 1.204, beta 0.750, gamma 0.657, delta 2.783
 * m.expectedPurchases(5); // => expected donations in the next 5 years for a new donor
 * ```
 */
export class BGBBModel extends FittedModel<BGBBParams> {
  private check(method: string, h: BGBBHistory): void {
    const { frequency: x, recency: tx, n } = h;
    const ok =
      Number.isInteger(x) &&
      Number.isInteger(tx) &&
      Number.isInteger(n) &&
      x >= 0 &&
      tx >= x &&
      n >= tx &&
      n <= MAX_BGBB_OPPORTUNITIES &&
      (x > 0 || tx === 0);
    if (!ok) {
      throw new ValidationError(`BGBBModel.${method}`, [
        {
          path: [],
          code: 'invalid_history',
          message: `need integers 0 <= frequency <= recency <= n <= ${MAX_BGBB_OPPORTUNITIES}, recency 0 when frequency is 0`,
        },
      ]);
    }
  }

  /** Weight of "alive after n and transaction probability": B(α+x+1, β+n−x)/B(α,β)/L, in log. */
  private logAliveParts(h: BGBBHistory): { logL: number; logP: number; logAliveP: number } {
    const { alpha, beta } = this.params;
    const { frequency: x, recency: tx, n } = h;
    const logL = bgbbLogLik(this.params, x, tx, n);
    const logP = betaln(alpha + x, beta + n - x) - betaln(alpha, beta);
    const logAliveP = betaln(alpha + x + 1, beta + n - x) - betaln(alpha, beta);
    return { logL, logP, logAliveP };
  }

  /** P(alive at opportunity n + 1 | x, t_x, n) = B(α+x, β+n−x)/B(α,β)·B(γ, δ+n+1)/B(γ,δ) / L. */
  probabilityAlive(h: BGBBHistory): number {
    this.check('probabilityAlive', h);
    const { gamma, delta } = this.params;
    const { logL, logP } = this.logAliveParts(h);
    return Math.exp(logP + betaln(gamma, delta + h.n + 1) - betaln(gamma, delta) - logL);
  }

  /** E[X(n*)]: expected transactions in the first n* opportunities of a new customer, Σ_i α/(α+β)·B(γ,δ+i)/B(γ,δ). */
  expectedPurchases(periods: number): number {
    if (!Number.isInteger(periods) || periods < 0)
      throw argError('BGBBModel.expectedPurchases', 'periods', 'must be an integer >= 0');
    const { alpha, beta, gamma, delta } = this.params;
    let s = 1;
    let total = 0;
    for (let i = 1; i <= periods; i++) {
      s *= (delta + i - 1) / (gamma + delta + i - 1);
      total += s;
    }
    return (alpha / (alpha + beta)) * total;
  }

  /** E[X(n, n+n*) | x, t_x, n]: expected transactions in the next n* opportunities (finite sum). */
  conditionalExpectedPurchases(periods: number, h: BGBBHistory): number {
    this.check('conditionalExpectedPurchases', h);
    if (!Number.isInteger(periods) || periods < 0)
      throw argError('BGBBModel.conditionalExpectedPurchases', 'periods', 'must be an integer >= 0');
    return this.discountedSum(h, 0, periods);
  }

  /** P(X(n) = x): probability a new customer transacts at exactly x of the first n opportunities (FHS 2010, eq. 7). */
  probabilityOfPurchases(x: number, n: number): number {
    if (!Number.isInteger(x) || !Number.isInteger(n) || x < 0 || n < 0) {
      throw argError('BGBBModel.probabilityOfPurchases', 'x', 'and "n" must be integers >= 0');
    }
    if (x > n) return 0;
    const { alpha, beta, gamma, delta } = this.params;
    const lab = betaln(alpha, beta);
    const lgd = betaln(gamma, delta);
    const lchoose = (m: number, k: number): number => gammaln(m + 1) - gammaln(k + 1) - gammaln(m - k + 1);
    let total = Math.exp(
      lchoose(n, x) + betaln(alpha + x, beta + n - x) - lab + betaln(gamma, delta + n) - lgd,
    );
    for (let i = x; i <= n - 1; i++) {
      total += Math.exp(
        lchoose(i, x) + betaln(alpha + x, beta + i - x) - lab + betaln(gamma + 1, delta + i) - lgd,
      );
    }
    return total;
  }

  /**
   * Discounted expected residual transactions (FHS 2010 DERT):
   * Σ_{i≥1} P(transaction at opportunity n+i | data)/(1+d)^i, summed to `horizon` opportunities
   * (default: until the terms vanish; needs d > 0 then).
   */
  discountedExpectedTransactions(
    h: BGBBHistory,
    discountRate: number,
    horizon = Number.POSITIVE_INFINITY,
  ): number {
    this.check('discountedExpectedTransactions', h);
    if (!(discountRate >= 0) || !Number.isFinite(discountRate)) {
      throw argError(
        'BGBBModel.discountedExpectedTransactions',
        'discountRate',
        'must be a finite number >= 0',
      );
    }
    if (discountRate === 0 && !Number.isFinite(horizon)) {
      throw argError(
        'BGBBModel.discountedExpectedTransactions',
        'horizon',
        'is infinite, which needs a "discountRate" > 0',
      );
    }
    return this.discountedSum(h, discountRate, horizon);
  }

  private discountedSum(h: BGBBHistory, d: number, horizon: number): number {
    const { gamma, delta } = this.params;
    const { logL, logAliveP } = this.logAliveParts(h);
    // term_i = exp(logAliveP - logL) * B(γ, δ+n+i)/B(γ,δ) / (1+d)^i, ratios by recursion.
    let s = Math.exp(logAliveP - logL + betaln(gamma, delta + h.n) - betaln(gamma, delta));
    let total = 0;
    const disc = 1 / (1 + d);
    for (let i = 1; i <= horizon; i++) {
      s *= ((delta + h.n + i - 1) / (gamma + delta + h.n + i - 1)) * disc;
      total += s;
      if (!Number.isFinite(horizon) && s < 1e-16 * total) break;
      if (i > 10_000_000) break;
    }
    return total;
  }

  /**
   * CLV of a customer from discrete transaction opportunities: value × margin × DERT, with
   * `discountRate` per opportunity (discrete, 1/(1+d)^i) and `horizon` in opportunities.
   * @throws {ValidationError} for an invalid history or options.
   */
  customerLifetimeValue(
    h: BGBBHistory,
    options: { valuePerTransaction: number; discountRate?: number; horizon?: number; margin?: number },
  ): LifetimeValueResult {
    const fn = 'BGBBModel.customerLifetimeValue';
    checkOptions(fn, options, ['valuePerTransaction', 'discountRate', 'horizon', 'margin']);
    if (options === undefined)
      throw argError(fn, 'options', 'are required (they hold "valuePerTransaction")', 'required');
    const d = options.discountRate ?? 0;
    const H = options.horizon ?? Number.POSITIVE_INFINITY;
    const margin = options.margin ?? 1;
    if (!Number.isFinite(options.valuePerTransaction) || !Number.isFinite(margin)) {
      throw argError('BGBBModel.customerLifetimeValue', 'valuePerTransaction', 'and "margin" must be finite');
    }
    const dert = this.discountedExpectedTransactions(h, d, H);
    const expected = Number.isFinite(H) ? this.conditionalExpectedPurchases(H, h) : null;
    return {
      value: dert * options.valuePerTransaction * margin,
      discountedTransactions: dert,
      expectedTransactions: expected,
      probabilityAlive: this.probabilityAlive(h),
    };
  }

  /** Plain-JSON form; load with {@link BGBBModel.fromJSON}. */
  toJSON(): BGBBModelJSON {
    return { model: 'bgbb', version: 1, ...this.jsonBody() };
  }

  /**
   * Loads a model saved with `toJSON()`, validating it.
   * @throws {ValidationError} when the JSON is not a valid BG/BB model.
   */
  static fromJSON(json: unknown): BGBBModel {
    const d = parseModelJson('BGBBModel.fromJSON', schema, json);
    return new BGBBModel(d.params, d);
  }
}
