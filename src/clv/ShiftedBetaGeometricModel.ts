import { argError, checkOptions } from './_errors';
import { FittedModel, type ModelJSON, modelSchema, parseModelJson } from './_modelJson';

/** Parameters of the shifted-beta-geometric model: churn probability θ ~ Beta(γ, δ). */
export interface ShiftedBetaGeometricParams {
  gamma: number;
  delta: number;
}

/** Serialised form of a {@link ShiftedBetaGeometricModel}. */
export interface ShiftedBetaGeometricModelJSON extends ModelJSON<'sbg', ShiftedBetaGeometricParams> {}

/** Parameter names of the sBG model, in the optimiser's order. */
export const SBG_NAMES = ['gamma', 'delta'] as const;
const schema = modelSchema('sbg', SBG_NAMES);

/** Unknown keys rejected; the options object itself is required (it holds the discount rate). */
function requireOptions(fn: string, options: unknown, known: readonly string[]): void {
  checkOptions(fn, options, known);
  if (options === undefined)
    throw argError(fn, 'options', 'are required (they hold "discountRate")', 'required');
}

function checkPeriod(method: string, t: number): void {
  if (!Number.isInteger(t) || t < 0)
    throw argError(`ShiftedBetaGeometricModel.${method}`, 'period', `must be an integer >= 0`);
}

/**
 * A fitted shifted-beta-geometric (sBG) model of contractual retention (Fader & Hardie 2007,
 * "How to project customer retention"): each customer renews every period with probability
 * 1 − θ, θ ~ Beta(γ, δ) across customers. Periods are contract periods (months, years).
 *
 * S(t) = B(γ, δ+t)/B(γ, δ), P(T = t) = B(γ+1, δ+t−1)/B(γ, δ), and the retention rate
 * r(t) = S(t)/S(t−1) = (δ+t−1)/(γ+δ+t−1) rises with t (heterogeneity, not changing loyalty).
 *
 * @example
 * ```ts
 * const m = fitShiftedBetaGeometric({ survivors: [1000, 631, 468, 382, 326, 289, 262, 241] });
 * m.params; // => { gamma: 0.704, delta: 1.182 }
 * m.survival(12); // => 0.170
 * ```
 */
export class ShiftedBetaGeometricModel extends FittedModel<ShiftedBetaGeometricParams> {
  /** S(t): share of a new cohort still customers after t periods (S(0) = 1). */
  survival(t: number): number {
    checkPeriod('survival', t);
    const { gamma, delta } = this.params;
    let s = 1;
    for (let i = 1; i <= t; i++) s *= (delta + i - 1) / (gamma + delta + i - 1);
    return s;
  }

  /** r(t) = S(t)/S(t−1) = (δ+t−1)/(γ+δ+t−1): retention rate in period t (t ≥ 1). */
  retentionRate(t: number): number {
    checkPeriod('retentionRate', t);
    if (t < 1) throw argError('ShiftedBetaGeometricModel.retentionRate', 'period', 'must be >= 1');
    const { gamma, delta } = this.params;
    return (delta + t - 1) / (gamma + delta + t - 1);
  }

  /** P(T = t): probability a new customer churns in period t (t ≥ 1). */
  churnProbability(t: number): number {
    checkPeriod('churnProbability', t);
    if (t < 1) return 0;
    return this.survival(t - 1) * (1 - this.retentionRate(t));
  }

  /** Projected survival curve S(0..periods). */
  projectSurvival(periods: number): number[] {
    checkPeriod('projectSurvival', periods);
    const out = [1];
    let s = 1;
    const { gamma, delta } = this.params;
    for (let i = 1; i <= periods; i++) {
      s *= (delta + i - 1) / (gamma + delta + i - 1);
      out.push(s);
    }
    return out;
  }

  /**
   * Discounted expected residual lifetime (Fader & Hardie 2010, "Customer-base valuation in a
   * contractual setting"), in payments, of a customer who has made `renewals` renewals and is about
   * to decide on the next one: DERL = Σ_{t≥n} S(t)/S(n−1)·(1+d)^{−(t−n)} with n = renewals + 1,
   * which equals (δ+n−1)/(γ+δ+n−1)·₂F₁(1, δ+n; γ+δ+n; 1/(1+d)). Summed directly (terms decay like
   * (1+d)^{−k}), so no hypergeometric function is needed. For a customer not yet acquired use
   * {@link discountedExpectedLifetime}.
   * @param renewals renewals made so far (0 = only the first period paid).
   * @param discountRate per period, > 0.
   * @returns DERL in periods (multiply by the value per period for the residual lifetime value).
   * @throws {ValidationError} for a negative or non-integer `renewals` or a non-positive discount rate.
   */
  discountedExpectedResidualLifetime(renewals: number, discountRate: number): number {
    checkPeriod('discountedExpectedResidualLifetime', renewals);
    if (!(discountRate > 0) || !Number.isFinite(discountRate)) {
      throw argError(
        'ShiftedBetaGeometricModel.discountedExpectedResidualLifetime',
        'discountRate',
        'must be a finite number > 0',
      );
    }
    const { gamma, delta } = this.params;
    const n = renewals + 1;
    const disc = 1 / (1 + discountRate);
    // term_0 = S(n)/S(n-1) = (δ+n−1)/(γ+δ+n−1); term_{k+1} = term_k·(δ+n+k)/(γ+δ+n+k)·disc
    let term = (delta + n - 1) / (gamma + delta + n - 1);
    let total = 0;
    for (let k = 0; k < 50_000_000; k++) {
      total += term;
      term *= ((delta + n + k) / (gamma + delta + n + k)) * disc;
      if (term < 1e-16 * total) break;
    }
    return total;
  }

  /** DEL: discounted expected lifetime of a customer about to be acquired, Σ_{t≥0} S(t)/(1+d)^t (first payment counted). */
  discountedExpectedLifetime(discountRate: number): number {
    if (!(discountRate > 0) || !Number.isFinite(discountRate)) {
      throw argError(
        'ShiftedBetaGeometricModel.discountedExpectedLifetime',
        'discountRate',
        'must be a finite number > 0',
      );
    }
    const { gamma, delta } = this.params;
    const disc = 1 / (1 + discountRate);
    let term = 1;
    let total = 0;
    for (let t = 0; t < 50_000_000; t++) {
      total += term;
      term *= ((delta + t) / (gamma + delta + t)) * disc;
      if (term < 1e-16 * total) break;
    }
    return total;
  }

  /**
   * Residual lifetime value of a customer paying `valuePerPeriod` each period:
   * value × DERL(renewals, d) (value of the upcoming payment and all later ones, discounted).
   */
  lifetimeValue(valuePerPeriod: number, options: { discountRate: number; renewals?: number }): number {
    requireOptions('ShiftedBetaGeometricModel.lifetimeValue', options, ['discountRate', 'renewals']);
    if (!Number.isFinite(valuePerPeriod))
      throw argError('ShiftedBetaGeometricModel.lifetimeValue', 'valuePerPeriod', 'must be finite');
    return (
      valuePerPeriod * this.discountedExpectedResidualLifetime(options.renewals ?? 0, options.discountRate)
    );
  }

  /**
   * Residual CLV of a subscriber with its parts: value × margin × DERL, the probability of renewing
   * at the next decision, and the expected number of further periods (undiscounted, null when
   * infinite, i.e. γ ≤ 1).
   * @throws {ValidationError} for invalid arguments.
   */
  customerLifetimeValue(options: {
    valuePerPeriod: number;
    discountRate: number;
    renewals?: number;
    margin?: number;
  }): {
    value: number;
    discountedLifetime: number;
    renewalProbability: number;
    expectedRemainingPeriods: number | null;
  } {
    requireOptions('ShiftedBetaGeometricModel.customerLifetimeValue', options, [
      'valuePerPeriod',
      'discountRate',
      'renewals',
      'margin',
    ]);
    const renewals = options.renewals ?? 0;
    const margin = options.margin ?? 1;
    if (!Number.isFinite(margin))
      throw argError('ShiftedBetaGeometricModel.customerLifetimeValue', 'margin', 'must be finite');
    const derl = this.discountedExpectedResidualLifetime(renewals, options.discountRate);
    const value =
      this.lifetimeValue(options.valuePerPeriod, { discountRate: options.discountRate, renewals }) * margin;
    const { gamma, delta } = this.params;
    const n = renewals + 1;
    // E[remaining periods | alive at n−1] = Σ_{t≥n} S(t)/S(n−1) = (δ+n−1)/(γ−1) for γ > 1.
    const expectedRemainingPeriods = gamma > 1 ? (delta + n - 1) / (gamma - 1) : null;
    return {
      value,
      discountedLifetime: derl,
      renewalProbability: this.retentionRate(n),
      expectedRemainingPeriods,
    };
  }

  /** Plain-JSON form; load with {@link ShiftedBetaGeometricModel.fromJSON}. */
  toJSON(): ShiftedBetaGeometricModelJSON {
    return { model: 'sbg', version: 1, ...this.jsonBody() };
  }

  /**
   * Loads a model saved with `toJSON()`, validating it.
   * @throws {ValidationError} when the JSON is not a valid sBG model.
   */
  static fromJSON(json: unknown): ShiftedBetaGeometricModel {
    const d = parseModelJson('ShiftedBetaGeometricModel.fromJSON', schema, json);
    return new ShiftedBetaGeometricModel(d.params, d);
  }
}
