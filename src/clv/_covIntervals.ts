/** Private part of {@link clvIntervals}: parametric intervals for a covariate model. */
import { choleskyFactor } from '../_lib/cholesky';
import { createRng } from '../_lib/random';
import type { VitalsWarning } from '../types';
import { drawNormal } from './_clvStats';
import { customerIntervals, type DrawStore, drawStore, interval, recordCustomer } from './_intervalDraws';
import { CovariateRepeatModel } from './CovariateRepeatModel';
import type { ClvInterval, ClvIntervalOptions, ClvIntervals, ClvIntervalWarningCode } from './clvIntervals';
import type { CustomerHistory } from './types';

/**
 * Parametric intervals for a covariate model: θ = (ln base parameters, coefficients) drawn from
 * N(θ̂, covariance) stored with the model; each draw is a covariate model, and every quantity is
 * computed at the customer's own parameters.
 */
export function covariateIntervals(
  model: CovariateRepeatModel,
  o: ClvIntervalOptions,
  customers: readonly CustomerHistory[],
  t: number,
  level: number,
  draws: number,
): ClvIntervals {
  const names = model.parameterNames;
  const P = names.length;
  const base = Object.keys(model.params);
  const thetaHat = estimateVector(model, base, names);
  const newCov = o.covariates;
  const covs = o.customerCovariates ?? [];
  // Validate covariates once (located errors) and the clv options.
  const baseNew = newCov === undefined ? model.baseModel(model.params) : model.customerModel(newCov);
  const baseCust = customers.map((_, c) => model.customerModel(covs[c] as Record<string, unknown>));
  if (o.clv !== undefined) baseNew.customerLifetimeValue({ frequency: 0, recency: 0, T: 1 }, o.clv);
  const warnings: VitalsWarning<ClvIntervalWarningCode>[] = [];
  const description = `${Math.round(level * 100)}% percentile interval of ${draws} parametric-bootstrap draws of (log base parameters, coefficients) from N(θ̂, covariance of the covariate fit)`;
  const cov = model.covariance ? Float64Array.from(model.covariance) : null;
  const L = cov ? choleskyFactor(cov, P) : null;
  const s = drawStore(P, customers.length, draws);
  if (!L) {
    warnings.push({
      code: 'singular_hessian',
      message:
        'The covariate model has no positive-definite covariance, so no draws were possible; every interval is the point estimate.',
    });
  } else {
    const make = drawnModel(model, base, names);
    const rng = createRng(o.seed ?? 1);
    const theta = new Float64Array(P);
    for (let d = 0; d < draws; d++) {
      drawNormal(thetaHat, L, rng, theta);
      recordDraw(s, make(theta), theta, base.length, o, customers, t);
    }
  }
  const parameters: Record<string, ClvInterval> = {};
  names.forEach((k, j) => {
    const key = j < base.length ? (base[j] as string) : k;
    const est = j < base.length ? (model.params[key] as number) : (thetaHat[j] as number);
    parameters[key] = interval(s, level, description, est, s.par[j] as Float64Array);
  });
  const pointModel = (c: number) => baseCust[c] as ReturnType<CovariateRepeatModel['customerModel']>;
  return {
    method: 'parametric',
    description,
    level,
    draws,
    usedDraws: s.used,
    parameters,
    expectedPurchases: interval(s, level, description, baseNew.expectedPurchases(t), s.ex),
    customers: customerIntervals(s, level, description, customers, pointModel, t, o.clv),
    warnings,
  };
}

/** θ̂: the log base parameters, then the coefficients in `names` order ("transaction.col" / "lifetime.col"). */
function estimateVector(
  model: CovariateRepeatModel,
  base: readonly string[],
  names: readonly string[],
): Float64Array {
  const P = names.length;
  const thetaHat = new Float64Array(P);
  base.forEach((k, i) => {
    thetaHat[i] = Math.log(model.params[k] as number);
  });
  for (let j = base.length; j < P; j++) {
    const [proc, ...rest] = (names[j] as string).split('.');
    const col = rest.join('.');
    thetaHat[j] =
      (proc === 'lifetime' ? model.coefficients.lifetime[col] : model.coefficients.transaction[col]) ?? 0;
  }
  return thetaHat;
}

/** The covariate model of a drawn θ (the fitted model's coding, covariance and diagnostics kept). */
function drawnModel(
  model: CovariateRepeatModel,
  base: readonly string[],
  names: readonly string[],
): (theta: Float64Array) => CovariateRepeatModel {
  const P = names.length;
  const json = model.toJSON();
  return (theta) => {
    const params: Record<string, number> = {};
    base.forEach((k, i) => {
      params[k] = Math.exp(theta[i] as number);
    });
    const transaction: Record<string, number> = {};
    const lifetime: Record<string, number> = {};
    for (let j = base.length; j < P; j++) {
      const [proc, ...rest] = (names[j] as string).split('.');
      const col = rest.join('.');
      if (proc !== 'lifetime') transaction[col] = theta[j] as number;
      if (proc !== 'transaction') lifetime[col] = theta[j] as number;
    }
    return new CovariateRepeatModel({
      ...json,
      kind: model.kind,
      params,
      coefficients: { transaction, lifetime },
    });
  };
}

/** Stores draw `m` (parameters θ with the base ones exponentiated, E[X(t)], every customer) as draw `s.used`. */
function recordDraw(
  s: DrawStore,
  m: CovariateRepeatModel,
  theta: Float64Array,
  baseCount: number,
  o: ClvIntervalOptions,
  customers: readonly CustomerHistory[],
  t: number,
): void {
  const newCov = o.covariates;
  const covs = o.customerCovariates ?? [];
  for (let j = 0; j < theta.length; j++)
    (s.par[j] as Float64Array)[s.used] = j < baseCount ? Math.exp(theta[j] as number) : (theta[j] as number);
  s.ex[s.used] = (newCov === undefined ? m.baseModel(m.params) : m.customerModel(newCov)).expectedPurchases(
    t,
  );
  for (let c = 0; c < customers.length; c++) {
    const cm = m.customerModel(covs[c] as Record<string, unknown>);
    recordCustomer(s, c, cm, t, customers[c] as CustomerHistory, o.clv);
  }
  s.used++;
}
