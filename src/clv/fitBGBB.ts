import { InsufficientDataError, ValidationError } from '../_lib/errors';
import { checkFitOptions } from './_errors';
import { fitLogParameters } from './_optimize';
import { BGBB_NAMES, BGBBModel, bgbbLogLik } from './BGBBModel';
import { compressRfm } from './compressRfm';
import type { FitOptions } from './types';

/** One row of BG/BB input: x transactions in n opportunities, the last at opportunity t_x. */
export interface BGBBRow {
  frequency: number;
  recency: number;
  n: number;
  /** Identical customers this row stands for. @default 1 */
  count?: number;
}

/**
 * Fits the BG/BB model (Fader, Hardie & Shang 2010) by maximum likelihood on (x, t_x, n, count)
 * patterns — e.g. the 22 recency/frequency patterns of the 11,104 donors of their paper.
 * Likelihood as in {@link bgbbLogLikelihood}, in log space; BFGS on log-parameters
 * (central-difference gradients) with Nelder–Mead fallback; standard errors from the Hessian.
 *
 * Missing-data policy: invalid rows throw (integers 0 ≤ x ≤ t_x ≤ n required, t_x = 0 when x = 0);
 * fewer than 2 customers or nobody transacting → `InsufficientDataError`.
 *
 * @param data rows `{ frequency, recency, n, count? }`.
 * @param options starting values `{ alpha, beta, gamma, delta }`, iteration limit, standard errors.
 * @returns a {@link BGBBModel}.
 * @throws {ValidationError} {@link InsufficientDataError} {@link ConvergenceError}
 * @example
 * ```ts
 * const m = fitBGBB(donations);
 * m.params; // => { alpha: 1.204, beta: 0.750, gamma: 0.657, delta: 2.783 }
 * m.logLikelihood; // => -33225.6
 * ```
 */
export function fitBGBB(data: readonly BGBBRow[], options: FitOptions = {}): BGBBModel {
  const fn = 'fitBGBB';
  checkFitOptions(fn, options, BGBB_NAMES);
  if (!Array.isArray(data))
    throw new ValidationError(fn, [
      {
        path: [],
        code: 'not_an_array',
        message: 'data must be an array of { frequency, recency, T, count? }',
      },
    ]);
  const rows = data.map((r) => ({
    frequency: r?.frequency,
    recency: r?.recency,
    T: r?.n,
    count: r?.count,
  })) as {
    frequency: number;
    recency: number;
    T: number;
    count?: number;
  }[];
  const d = compressRfm(rows, { fn, integerTimes: true });
  if (d.customers < 2)
    throw new InsufficientDataError(fn, 'needs at least 2 customers', {
      available: d.customers,
      required: 2,
    });
  let buyers = 0;
  for (let i = 0; i < d.rows; i++) if ((d.x[i] as number) > 0) buyers += d.count[i] as number;
  if (buyers === 0)
    throw new InsufficientDataError(fn, 'no customer has a transaction', { available: 0, required: 1 });
  const p = { alpha: 1, beta: 1, gamma: 1, delta: 1 };
  const f = (phi: Float64Array): number => {
    p.alpha = Math.exp(phi[0] as number);
    p.beta = Math.exp(phi[1] as number);
    p.gamma = Math.exp(phi[2] as number);
    p.delta = Math.exp(phi[3] as number);
    if (!Number.isFinite(p.alpha + p.beta + p.gamma + p.delta)) return Number.POSITIVE_INFINITY;
    let ll = 0;
    for (let i = 0; i < d.rows; i++) {
      ll += (d.count[i] as number) * bgbbLogLik(p, d.x[i] as number, d.tx[i] as number, d.T[i] as number);
    }
    return -ll;
  };
  const init = options.initialParams ?? {};
  const x0 = [init.alpha ?? 1, init.beta ?? 1, init.gamma ?? 1, init.delta ?? 1].map(Math.log);
  const { params, diag } = fitLogParameters(fn, f, x0, BGBB_NAMES, false, options, d.customers, {
    shapes: BGBB_NAMES,
    advice: 'What to do: use more customers or more transaction opportunities, or a simpler model.',
  });
  return new BGBBModel(params, diag);
}
