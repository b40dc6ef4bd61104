import { fitBetaGeo } from './_betaGeo';
import { MBGNBDModel } from './MBGNBDModel';
import type { FitOptions, RfmInput } from './types';

/**
 * Fits the MBG/NBD model (Batislam, Denizel & Filiztekin 2007) by maximum likelihood.
 *
 * Per customer, L = Γ(r+x)α^r/Γ(r) · B(a, b+x+1)/B(a, b) · [(α+T)^{−(r+x)} + a/(b+x)·(α+t_x)^{−(r+x)}]
 * (dropout is possible at every purchase including the first), evaluated in log space on
 * compressed rows; same optimiser and standard errors as {@link fitBGNBD}.
 *
 * Missing-data policy: invalid rows throw (never dropped); customers with x = 0 are used (they
 * inform the purchase rate); no customer with a repeat purchase → `InsufficientDataError`.
 *
 * @param data rows `{ frequency, recency, T, count? }`, columns, or `compressRfm(...)` output; time
 *   in any unit (weeks in the paper), used consistently.
 * @param options starting values, iteration limit, whether to compute standard errors.
 * @returns a {@link MBGNBDModel} with `params`, `logLikelihood`, `standardErrors`, `iterations`.
 * @throws {ValidationError} for invalid rows. {@link InsufficientDataError} for < 2 customers or no
 *   repeat purchases. {@link ConvergenceError} (with the optimiser state) when the fit fails.
 * @example
 * ```ts
 * const m = fitMBGNBD(loadCdnowSummary().map((c) => ({ frequency: c.x, recency: c.tx, T: c.T })));
 * m.params; // => { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 }
 * ```
 */
export function fitMBGNBD(data: RfmInput, options: FitOptions = {}): MBGNBDModel {
  const fit = fitBetaGeo('fitMBGNBD', data, 1, options);
  return new MBGNBDModel(fit.params, fit);
}
