import { type CovariateFitOptions, fitCovariateModel } from './_covFit';
import type { CovariateRepeatModel } from './CovariateRepeatModel';
import type { RfmColumns, RfmRow } from './types';

/**
 * Fits the BG/NBD model with time-invariant covariates in CLVTools' parameterisation (CLVTools
 * `bgnbd()` with static covariates; Fader & Hardie 2007 note on covariates):
 * α_i = α·exp(−γ_transᵀx_i), a_i = a·exp(γ_lifeᵀx_i), b_i = b·exp(γ_lifeᵀx_i) (one lifetime
 * coefficient scales both beta parameters, as CLVTools constrains it), r shared. The customer's
 * likelihood is the BG/NBD likelihood at (r, α_i, a_i, b_i).
 *
 * Fitting, standard errors, regularisation, coding and warnings as {@link fitParetoNBDCovariates}.
 *
 * Missing-data policy: as {@link fitParetoNBDCovariates}.
 *
 * @param data summary rows or columns, in the order of the covariate columns.
 * @param options `covariates` (required) and the options of {@link fitParetoNBDCovariates}.
 * @returns a {@link CovariateRepeatModel} of kind `bgnbd`.
 * @throws {ValidationError} {@link InsufficientDataError} {@link ConvergenceError}
 * @example
 * ```ts
 * import { fitBGNBDCovariates } from 'customer-vitals';
 * const rows = [];
 * const vip = [];
 * for (let i = 0; i < 60; i++) {
 *   const v = i % 3 === 0;
 *   const x = (i % 4) + (v ? 3 : 0);
 *   rows.push({ frequency: x, recency: x > 0 ? 15 + (i % 9) : 0, T: 30 });
 *   vip.push(v);
 * }
 * const m = fitBGNBDCovariates(rows, { covariates: { vip }, lifetime: [] });
 * m.coding[0]; // => { name: 'vip', kind: 'categorical', columns: ['vip=true'], levels: ['false', 'true'], reference: 'false' }
 * m.coefficients.transaction['vip=true'] > 0; // => true
 * ```
 */
export function fitBGNBDCovariates(
  data: readonly RfmRow[] | RfmColumns,
  options: CovariateFitOptions,
): CovariateRepeatModel {
  return fitCovariateModel('fitBGNBDCovariates', 'bgnbd', data, options);
}
