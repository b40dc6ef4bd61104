import { type CovariateFitOptions, fitCovariateModel } from './_covFit';
import type { CovariateRepeatModel } from './CovariateRepeatModel';
import type { RfmColumns, RfmRow } from './types';

/**
 * Fits the Pareto/NBD model with time-invariant covariates, as CLVTools defines it (Fader & Hardie
 * 2007 note "Incorporating time-invariant covariates into the Pareto/NBD and BG/NBD models";
 * Bachmann, Meierer & Näf 2021): customer i buys at λ_i ~ Gamma(r, α_i) and drops out at
 * μ_i ~ Gamma(s, β_i) with α_i = α·exp(−γ_transᵀx_i), β_i = β·exp(−γ_lifeᵀx_i). The likelihood of
 * a customer is the Pareto/NBD likelihood at (r, α_i, s, β_i); a positive `transaction` coefficient
 * means more purchases, a positive `lifetime` coefficient earlier dropout.
 *
 * Fitting: customers with the same covariate vector share one compressed likelihood with its
 * analytic gradient, and the coefficients' gradient follows by the chain rule; BFGS starts from the
 * no-covariate fit with γ = 0. SEs from the numeric Hessian of the analytic gradient (log base
 * parameters, raw coefficients; base SEs by the delta method); `covariance` keeps the full matrix.
 * L2 regularisation as CLVTools: minimise −LL/n + λ_trans‖γ_trans‖² + λ_life‖γ_life‖².
 * Categorical covariates are one-hot coded against a reference level stated in `model.coding`.
 *
 * Missing-data policy: no missing covariates — a missing, non-finite, mixed-type or constant
 * covariate is a located `ValidationError` (`allowConstant` lifts the last rule); invalid summary
 * rows throw as in {@link fitParetoNBD}.
 *
 * Warnings (`model.warnings`): `regularized` (λ > 0: SEs are of the penalised fit),
 * `standard_errors_unavailable` (singular Hessian), `large_effect` (a coefficient moves a scale by
 * more than e^5 per standard deviation of its covariate).
 *
 * @param data summary rows `{ frequency, recency, T, count? }` or columns, in the order of the covariate columns.
 * @param options `covariates` (required), which covariates act on which process, `constrain`,
 *   `reference`, `lambda`, plus the usual fit options.
 * @returns a {@link CovariateRepeatModel} of kind `paretonbd`.
 * @throws {ValidationError} invalid rows, covariates or options. {@link InsufficientDataError}
 *   {@link ConvergenceError} as the base fit.
 * @example
 * ```ts
 * import { fitParetoNBDCovariates } from 'customer-vitals';
 * const rows = [];
 * const channel = [];
 * for (let i = 0; i < 200; i++) {
 *   const x = ((i * 7) % 5) + (i % 2);
 *   rows.push({ frequency: x, recency: x === 0 ? 0 : i % 3 === 0 ? x : 20 + ((i * 13) % 10), T: 30 + (i % 5) });
 *   channel.push(i % 2 ? 'web' : 'store');
 * }
 * const m = fitParetoNBDCovariates(rows, { covariates: { channel } });
 * m.coding[0].reference; // => 'store'
 * m.coefficients.transaction['channel=web']; // => 0.326 (web customers buy more)
 * m.customerModel({ channel: 'web' }).expectedPurchases(52); // => 5.10 (store: 3.18)
 * ```
 */
export function fitParetoNBDCovariates(
  data: readonly RfmRow[] | RfmColumns,
  options: CovariateFitOptions,
): CovariateRepeatModel {
  return fitCovariateModel('fitParetoNBDCovariates', 'paretonbd', data, options);
}
