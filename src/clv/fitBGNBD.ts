import { fitBetaGeo } from './_betaGeo';
import { BGNBDModel } from './BGNBDModel';
import type { FitOptions, RfmInput } from './types';

/**
 * Fits the BG/NBD model (Fader, Hardie & Lee 2005) by maximum likelihood.
 *
 * Per customer, L = Γ(r+x)α^r/Γ(r) · B(a, b+x)/B(a, b) · [(α+T)^{−(r+x)} + 1{x>0}·a/(b+x−1)·(α+t_x)^{−(r+x)}],
 * evaluated in log space (log-sum-exp of the two terms) on compressed (x, t_x, T, count) rows.
 * The optimiser is BFGS on log-parameters with the analytic gradient (Nelder–Mead fallback);
 * standard errors come from the numeric Hessian (delta method back to natural units).
 *
 * Missing-data policy: invalid rows throw (never dropped); customers with x = 0 are used (they
 * inform the purchase rate); no customer with a repeat purchase → `InsufficientDataError`.
 *
 * @param data rows `{ frequency, recency, T, count? }`, columns, or `compressRfm(...)` output; time
 *   in any unit (weeks in the paper), used consistently.
 * @param options starting values, iteration limit, whether to compute standard errors.
 * @returns a {@link BGNBDModel} with `params`, `logLikelihood`, `standardErrors`, `iterations`.
 * @throws {ValidationError} for invalid rows. {@link InsufficientDataError} for < 2 customers or no
 *   repeat purchases. {@link ConvergenceError} (with the optimiser state) when the fit fails.
 * @example
 * ```ts
 * const m = fitBGNBD(loadCdnowSummary().map((c) => ({ frequency: c.x, recency: c.tx, T: c.T })));
 * m.params; // => { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }
 * m.logLikelihood; // => -9582.4
 * ```
 */
export function fitBGNBD(data: RfmInput, options: FitOptions = {}): BGNBDModel {
  const fit = fitBetaGeo('fitBGNBD', data, 0, options);
  return new BGNBDModel(fit.params, fit);
}
