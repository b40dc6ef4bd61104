import { InsufficientDataError, ValidationError, type ValidationIssue } from '../_lib/errors';
import type { VitalsWarning } from '../types';
import { uniqueIndex } from './_betaGeo';
import { checkFitOptions } from './_errors';
import { fitLogParameters, type Objective } from './_optimize';
import { digamma, gammaln } from './_special';
import { GAMMA_GAMMA_NAMES, type GammaGammaDataReport, GammaGammaModel } from './GammaGammaModel';
import type { ClvWarningCode, FitOptions } from './types';

/** One customer's input to the Gamma-Gamma model. */
export interface SpendRow {
  /** x: number of repeat transactions. */
  frequency: number;
  /** z̄: mean value of those repeat transactions. */
  monetaryValue: number;
  /** Identical customers this row stands for. @default 1 */
  count?: number;
}

/**
 * Fits the Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV:
 * Using iso-value curves for customer base analysis", appendix) by maximum likelihood:
 * ln L = Σ ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln z̄ + px ln x − (px+q) ln(γ + x z̄).
 *
 * Missing-data policy: customers with x = 0 carry no spend information and are excluded;
 * customers with z̄ ≤ 0 (e.g. zero-value orders) are excluded too; both are counted in
 * `model.report`. The model assumes spend is independent of purchase frequency: the Pearson
 * correlation of x and z̄ is reported, with a warning when |ρ| > 0.3. `model.warnings` (codes):
 * `negative_net_revenue` (customers left out for spend ≤ 0, counted), `spend_frequency_correlated`,
 * `degenerate_fit` / `standard_errors_unavailable` (see `fitParetoNBD`).
 *
 * @param data rows `{ frequency, monetaryValue, count? }`.
 * @param options starting values `{ p, q, gamma }`, iteration limit, standard errors on/off.
 * @returns a {@link GammaGammaModel} with `params`, `logLikelihood`, `standardErrors`, `report`.
 * @throws {ValidationError} for rows with a non-integer frequency or non-finite value.
 *   {@link InsufficientDataError} with fewer than 2 usable customers. {@link ConvergenceError}.
 * @example
 * ```ts
 * const gg = fitGammaGamma(cdnow.map((c) => ({ frequency: c.x, monetaryValue: c.zbar })));
 * gg.params; // => { p: 6.25, q: 3.74, gamma: 15.44 }
 * gg.report.used; // => 946
 * ```
 */
export function fitGammaGamma(data: readonly SpendRow[], options: FitOptions = {}): GammaGammaModel {
  const fn = 'fitGammaGamma';
  checkFitOptions(fn, options, GAMMA_GAMMA_NAMES);
  if (!Array.isArray(data))
    throw new ValidationError(fn, [
      {
        path: [],
        code: 'not_an_array',
        message: 'spend rows must be an array of { frequency, monetaryValue }',
      },
    ]);
  const { xs, zs, ws, noRepeat, nonPositive } = readSpendRows(fn, data);
  let used = 0;
  for (const w of ws) used += w;
  if (used < 2) {
    throw new InsufficientDataError(
      fn,
      'needs at least 2 customers with repeat purchases and positive spend',
      {
        available: used,
        required: 2,
      },
    );
  }
  // Independence check.
  const corr = xs.length >= 3 ? weightedCorrelation(xs, zs, ws, used) : null;
  const warnings: string[] = [];
  if (corr !== null && Math.abs(corr) > 0.3) {
    warnings.push(
      `fitGammaGamma: frequency and spend are correlated (ρ = ${corr.toFixed(2)}); the Gamma-Gamma model assumes independence, so value estimates may be biased`,
    );
  }
  if (nonPositive > 0)
    warnings.push(`fitGammaGamma: ${nonPositive} customer(s) with mean spend <= 0 were excluded`);
  const report: GammaGammaDataReport = {
    used,
    excludedNoRepeat: noRepeat,
    excludedNonPositiveSpend: nonPositive,
    frequencySpendCorrelation: corr,
    warnings,
  };
  const f = gammaGammaObjective(Float64Array.from(xs), Float64Array.from(zs), Float64Array.from(ws));
  const x0 = startValues(options, zs, ws, used);
  const { params, diag } = fitLogParameters(fn, f, x0, GAMMA_GAMMA_NAMES, true, options, used, {
    shapes: ['p', 'q'],
    advice:
      'What to do: check the spend values (currency, refunds, outliers), use more repeat customers, or use each customer’s own mean spend.',
  });
  const warnings2: VitalsWarning<ClvWarningCode>[] = [...diag.warnings];
  if (nonPositive > 0)
    warnings2.push({
      code: 'negative_net_revenue',
      message: `${nonPositive} customer${nonPositive === 1 ? '' : 's'} with mean spend <= 0 (e.g. refunds exceeding purchases) ${nonPositive === 1 ? 'was' : 'were'} left out of the fit (report.excludedNonPositiveSpend).`,
    });
  if (corr !== null && Math.abs(corr) > 0.3)
    warnings2.push({
      code: 'spend_frequency_correlated',
      message: `Frequency and spend are correlated (ρ = ${corr.toFixed(2)}); the Gamma-Gamma model assumes independence, so value estimates may be biased.`,
    });
  return new GammaGammaModel(params, { ...diag, warnings: warnings2 }, report);
}

/**
 * The usable rows (x > 0, z̄ > 0) as x, z̄ and count lists, with the counts left out for no repeat
 * purchase and for spend ≤ 0; invalid rows throw (up to 50 located issues).
 */
function readSpendRows(
  fn: string,
  data: readonly SpendRow[],
): { xs: number[]; zs: number[]; ws: number[]; noRepeat: number; nonPositive: number } {
  const issues: ValidationIssue[] = [];
  const xs: number[] = [];
  const zs: number[] = [];
  const ws: number[] = [];
  let noRepeat = 0;
  let nonPositive = 0;
  for (let i = 0; i < data.length; i++) {
    const row = data[i] as SpendRow;
    const x = row?.frequency;
    const zb = row?.monetaryValue;
    const c = row?.count ?? 1;
    const issue = spendRowIssue(i, x, zb, c);
    if (issue !== null) {
      if (issues.length < 50) issues.push(issue);
      continue;
    }
    if (x === 0) {
      noRepeat += c;
      continue;
    }
    if (!(zb > 0)) {
      nonPositive += c;
      continue;
    }
    xs.push(x);
    zs.push(zb);
    ws.push(c);
  }
  if (issues.length > 0) throw new ValidationError(fn, issues, 'spend rows');
  return { xs, zs, ws, noRepeat, nonPositive };
}

/** The located issue of spend row `i` (the first rule it breaks), or null when valid. */
function spendRowIssue(i: number, x: unknown, zb: unknown, c: unknown): ValidationIssue | null {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0)
    return {
      index: i,
      path: ['frequency'],
      code: 'invalid_frequency',
      message: '"frequency" must be an integer >= 0',
    };
  if (typeof zb !== 'number' || !Number.isFinite(zb))
    return {
      index: i,
      path: ['monetaryValue'],
      code: 'invalid_value',
      message: '"monetaryValue" must be a finite number',
    };
  if (typeof c !== 'number' || !(c > 0) || !Number.isFinite(c))
    return {
      index: i,
      path: ['count'],
      code: 'invalid_count',
      message: '"count" must be a finite number > 0',
    };
  return null;
}

/** Count-weighted Pearson correlation of x and z̄ (null when either does not vary). */
function weightedCorrelation(xs: number[], zs: number[], ws: number[], used: number): number | null {
  let mx = 0;
  let mz = 0;
  for (let i = 0; i < xs.length; i++) {
    mx += (ws[i] as number) * (xs[i] as number);
    mz += (ws[i] as number) * (zs[i] as number);
  }
  mx /= used;
  mz /= used;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = (xs[i] as number) - mx;
    const dz = (zs[i] as number) - mz;
    sxy += (ws[i] as number) * dx * dz;
    sxx += (ws[i] as number) * dx * dx;
    syy += (ws[i] as number) * dz * dz;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}

/** ln(p, q, γ) to start from: the given values, else p = 1, q = 2 and γ matching the mean spend. */
function startValues(options: FitOptions, zs: number[], ws: number[], used: number): number[] {
  const n = zs.length;
  const Z = Float64Array.from(zs);
  const W = Float64Array.from(ws);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += (W[i] as number) * (Z[i] as number);
  mean /= used;
  const init = options.initialParams ?? {};
  const q0 = init.q ?? 2;
  const p0 = init.p ?? 1;
  return [Math.log(p0), Math.log(q0), Math.log(init.gamma ?? (mean * (q0 - 1)) / p0)];
}

/**
 * Negative Gamma-Gamma log-likelihood in log-parameters φ = ln(p, q, γ) with its analytic gradient:
 * ∂ℓ/∂p = x[ψ(px+q) − ψ(px) + ln z̄ + ln x − ln(γ+xz̄)], ∂ℓ/∂q = ψ(px+q) − ψ(q) + ln γ − ln(γ+xz̄),
 * ∂ℓ/∂γ = q/γ − (px+q)/(γ+xz̄), times p, q, γ for the log scale. Every gamma-function term depends on
 * x only, so it is computed once per distinct frequency; each row costs one log.
 */
export function gammaGammaObjective(X: Float64Array, Z: Float64Array, W: Float64Array): Objective {
  const n = X.length;
  const { uniq, idx } = uniqueIndex(X, n);
  const nx = uniq.length;
  const G = new Float64Array(nx);
  const Dpq = new Float64Array(nx);
  const Dp = new Float64Array(nx);
  const LZ = Float64Array.from(Z, Math.log);
  const LX = Float64Array.from(X, Math.log);
  return (phi, grad) => {
    const p = Math.exp(phi[0] as number);
    const q = Math.exp(phi[1] as number);
    const g = Math.exp(phi[2] as number);
    if (!(p > 0 && q > 0 && g > 0 && Number.isFinite(p + q + g))) return Number.POSITIVE_INFINITY;
    const withGrad = grad !== null;
    const lq = gammaln(q);
    const dq = withGrad ? digamma(q) : 0;
    for (let k = 0; k < nx; k++) {
      const px = p * (uniq[k] as number);
      G[k] = gammaln(px + q) - gammaln(px) - lq;
      if (withGrad) {
        Dpq[k] = digamma(px + q);
        Dp[k] = digamma(px);
      }
    }
    const lg = Math.log(g);
    let ll = 0;
    let gp = 0;
    let gq = 0;
    let gg = 0;
    for (let i = 0; i < n; i++) {
      const k = idx[i] as number;
      const x = X[i] as number;
      const w = W[i] as number;
      const px = p * x;
      const u = g + x * (Z[i] as number);
      const L = Math.log(u);
      const lz = LZ[i] as number;
      const lx = LX[i] as number;
      ll += w * ((G[k] as number) + q * lg + (px - 1) * lz + px * lx - (px + q) * L);
      if (withGrad) {
        const dpq = Dpq[k] as number;
        gp += w * x * (dpq - (Dp[k] as number) + lz + lx - L);
        gq += w * (dpq - dq + lg - L);
        gg += w * (q / g - (px + q) / u);
      }
    }
    if (grad) {
      grad[0] = -gp * p;
      grad[1] = -gq * q;
      grad[2] = -gg * g;
    }
    return -ll;
  };
}
