import { prepareRepeatFit } from './_betaGeo';
import { checkFitOptions } from './_errors';
import { DEGENERATE_ADVICE, fitLogParameters } from './_optimize';
import { PARETO_NAMES, paretoObjective } from './_pareto';
import { ParetoNBDModel } from './ParetoNBDModel';
import type { CompressedRfm, FitOptions, RfmInput } from './types';

/**
 * Fits the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987) by maximum likelihood.
 *
 * Customers buy at Poisson rate λ ~ Gamma(r, α) while alive and have exponential lifetimes with
 * rate μ ~ Gamma(s, β). Per customer,
 * L = Γ(r+x)α^rβ^s/Γ(r) · [(α+T)^{−(r+x)}(β+T)^{−s} + s∫_{t_x}^{T}(α+τ)^{−(r+x)}(β+τ)^{−(s+1)}dτ],
 * with the integral in its ₂F₁ closed form (Fader & Hardie 2005 note, the argument chosen below 1)
 * evaluated in log space by our own series, and tanh-sinh quadrature where the series would be
 * slow (|α−β| close to max(α, β), e.g. huge β). BFGS on log-parameters with the analytic
 * gradient (series and derivatives summed in one pass), Nelder–Mead fallback; standard errors from the numeric Hessian.
 *
 * Missing-data policy: as {@link fitBGNBD} (invalid rows throw; no repeat buyers →
 * `InsufficientDataError`).
 *
 * Degenerate fits are reported, not hidden: `model.warnings` holds a `degenerate_fit` warning when
 * a shape parameter is at the boundary (< 1e-4 or > 1e3), the likelihood is flat in some direction
 * (no standard error), a standard error is huge, or the data show no dropout (the fitted chance of
 * dropping out over the longest observed history is below 1%, so P(alive) ≈ 1 for everyone, as
 * on Online Retail: s ≈ 6e-7, β ≈ 4e6 days). The message says what it means and what to do.
 * `standardErrorsReason` says why a standard error is null.
 *
 * @param data rows `{ frequency, recency, T, count? }`, columns, compressed summary, or the object
 *   `rfmSummary` returns.
 * @param options starting values, iteration limit, standard errors on/off.
 * @returns a {@link ParetoNBDModel}.
 * @throws {ValidationError} invalid rows. {@link InsufficientDataError} too little data.
 *   {@link ConvergenceError} when the optimiser fails (with its state).
 * @example
 * ```ts
 * const m = fitParetoNBD(cdnowRows);
 * m.params; // => { r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67 }
 * m.logLikelihood; // => -9595.0
 * ```
 */
export function fitParetoNBD(data: RfmInput, options: FitOptions = {}): ParetoNBDModel {
  const fn = 'fitParetoNBD';
  checkFitOptions(fn, options, PARETO_NAMES);
  const prepared = prepareRepeatFit(fn, data);
  const { meanX, maxT } = prepared;
  // Time units far from the data's scale (T = 1e9) make the likelihood's series crawl: fit in units
  // of the mean T, then convert α and β back (the log-likelihood only shifts by Σx·ln(scale)).
  const scale = prepared.meanT > 1e4 || prepared.meanT < 1e-3 ? prepared.meanT : 1;
  const d = scale === 1 ? prepared.data : rescaleTime(prepared.data, scale);
  const meanT = prepared.meanT / scale;
  const init = options.initialParams ?? {};
  const r0 = init.r ?? 0.5;
  const x0 = [
    Math.log(r0),
    Math.log(
      init.alpha !== undefined ? init.alpha / scale : Math.max(1e-3, (r0 * meanT) / Math.max(meanX, 1e-3)),
    ),
    Math.log(init.s ?? 0.5),
    Math.log(init.beta !== undefined ? init.beta / scale : meanT),
  ];
  const f = paretoObjective(d);
  const { params, diag } = fitLogParameters(fn, f, x0, PARETO_NAMES, true, options, d.customers, {
    shapes: ['r', 's'],
    meaning: (p) => {
      // Chance of dropping out within the longest observed history: 1 − (β/(β+T_max))^s.
      const lost = -Math.expm1(-p.s * Math.log1p(maxT / scale / p.beta));
      return lost < 0.01
        ? `The data show no dropout: the fitted chance that a customer leaves within the longest history observed (${Number(maxT.toPrecision(3))} time units) is ${(lost * 100).toPrecision(2)}%, so P(alive) ≈ 1 for every customer, however long they have been silent.`
        : null;
    },
    advice: DEGENERATE_ADVICE,
  });
  if (scale !== 1) {
    params.alpha *= scale;
    params.beta *= scale;
    const se = diag.standardErrors;
    if (se.alpha !== null) se.alpha *= scale;
    if (se.beta !== null) se.beta *= scale;
    let sx = 0;
    for (let i = 0; i < d.rows; i++) sx += (d.count[i] as number) * (d.x[i] as number);
    diag.logLikelihood -= sx * Math.log(scale);
  }
  return new ParetoNBDModel(params, diag);
}

/** The same summary with recency and T divided by `scale`. */
function rescaleTime(d: CompressedRfm, scale: number): CompressedRfm {
  return {
    ...d,
    tx: Float64Array.from(d.tx, (v) => v / scale),
    T: Float64Array.from(d.T, (v) => v / scale),
  };
}
