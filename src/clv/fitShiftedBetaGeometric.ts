import { InsufficientDataError, ValidationError, type ValidationIssue } from '../_lib/errors';
import { isBadSurvivorCount } from './_cohortsInput';
import { checkFitOptions } from './_errors';
import { fitLogParameters } from './_optimize';
import { betaln } from './_special';
import { SBG_NAMES, ShiftedBetaGeometricModel } from './ShiftedBetaGeometricModel';
import type { FitOptions } from './types';

/** A cohort's survival counts: `survivors[t]` customers still active after t periods (t = 0: cohort size). */
export interface SurvivalCounts {
  survivors: readonly number[];
}

/** One customer: observed for `periods` periods; `churned` if the customer left in period `periods`. */
export interface TenureRow {
  periods: number;
  churned: boolean;
  /** Identical customers this row stands for. @default 1 */
  count?: number;
}

/**
 * Fits the shifted-beta-geometric model (Fader & Hardie 2007, "How to project customer retention")
 * by maximum likelihood, from a cohort's survival counts or from per-customer (tenure, churned) data:
 * ln L = Σ_t churned_t·ln P(T = t) + active·ln S(t_max), with P(T=t) = B(γ+1, δ+t−1)/B(γ,δ) and
 * S(t) = B(γ, δ+t)/B(γ,δ). BFGS on log-parameters, standard errors from the Hessian.
 *
 * Missing-data policy: survival counts must be non-increasing non-negative numbers starting > 0;
 * tenure rows need integer periods ≥ 1 when churned (≥ 0 otherwise); invalid input throws; data with
 * no churn at all or nobody surviving cannot identify the model → `InsufficientDataError`.
 *
 * @param data `{ survivors: [1000, 631, 468, ...] }` or `[{ periods, churned, count? }, ...]`.
 * @param options starting values `{ gamma, delta }`, iteration limit, standard errors.
 * @returns a {@link ShiftedBetaGeometricModel}.
 * @throws {ValidationError} {@link InsufficientDataError} {@link ConvergenceError}
 * @example
 * ```ts
 * fitShiftedBetaGeometric({ survivors: [1000, 631, 468, 382, 326, 289, 262, 241] }).params;
 * // => { gamma: 0.704, delta: 1.182 } (Fader & Hardie 2007, "regular" segment)
 * ```
 */
export function fitShiftedBetaGeometric(
  data: SurvivalCounts | readonly TenureRow[],
  options: FitOptions = {},
): ShiftedBetaGeometricModel {
  const fn = 'fitShiftedBetaGeometric';
  checkFitOptions(fn, options, SBG_NAMES);
  const issues: ValidationIssue[] = [];
  // churnedAt[t] customers churned in period t; aliveAfter[t] censored after t periods.
  const churnedAt = new Map<number, number>();
  const aliveAfter = new Map<number, number>();
  const customers = Array.isArray(data)
    ? tallyTenureRows(data as readonly TenureRow[], churnedAt, aliveAfter, issues)
    : tallySurvivors(data as SurvivalCounts, churnedAt, aliveAfter, issues);
  if (issues.length > 0) throw new ValidationError(fn, issues, 'retention data');
  let churnTotal = 0;
  for (const v of churnedAt.values()) churnTotal += v;
  let aliveInformative = 0;
  for (const [t, v] of aliveAfter) if (t > 0) aliveInformative += v;
  if (churnTotal === 0 || (aliveInformative === 0 && churnedAt.size <= 1 && churnedAt.has(1))) {
    throw new InsufficientDataError(
      fn,
      'needs both churned customers and customers surviving past period 1 to identify the model',
    );
  }
  const f = sbgObjective(churnedAt, aliveAfter);
  const init = options.initialParams ?? {};
  const x0 = [Math.log(init.gamma ?? 1), Math.log(init.delta ?? 1)];
  const { params, diag } = fitLogParameters(fn, f, x0, SBG_NAMES, false, options, customers, {
    shapes: SBG_NAMES,
    advice:
      'What to do: observe more renewal periods or more customers before relying on the retention curve.',
  });
  return new ShiftedBetaGeometricModel(params, diag);
}

/** Adds tenure rows to the churn/censoring tallies (issues for invalid rows); returns the customers counted. */
function tallyTenureRows(
  rows: readonly TenureRow[],
  churnedAt: Map<number, number>,
  aliveAfter: Map<number, number>,
  issues: ValidationIssue[],
): number {
  let customers = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as TenureRow;
    const c = r?.count ?? 1;
    if (typeof r?.churned !== 'boolean') {
      issues.push({
        index: i,
        path: ['churned'],
        code: 'invalid_type',
        message: '"churned" must be a boolean',
      });
      continue;
    }
    const minP = r.churned ? 1 : 0;
    if (typeof r.periods !== 'number' || !Number.isInteger(r.periods) || r.periods < minP) {
      issues.push({
        index: i,
        path: ['periods'],
        code: 'invalid_periods',
        message: `"periods" must be an integer >= ${minP}`,
      });
      continue;
    }
    if (typeof c !== 'number' || !(c > 0) || !Number.isFinite(c)) {
      issues.push({
        index: i,
        path: ['count'],
        code: 'invalid_count',
        message: '"count" must be a finite number > 0',
      });
      continue;
    }
    const m = r.churned ? churnedAt : aliveAfter;
    m.set(r.periods, (m.get(r.periods) ?? 0) + c);
    customers += c;
  }
  return customers;
}

/** Survival counts into the churn/censoring tallies (an issue per invalid count); returns the cohort size. */
function tallySurvivors(
  data: SurvivalCounts,
  churnedAt: Map<number, number>,
  aliveAfter: Map<number, number>,
  issues: ValidationIssue[],
): number {
  const s = data?.survivors;
  if (!Array.isArray(s) || s.length < 2) {
    issues.push({
      path: ['survivors'],
      code: 'too_small',
      message: '"survivors" must be an array of at least 2 counts',
    });
    return 0;
  }
  for (let t = 0; t < s.length; t++) {
    if (isBadSurvivorCount(s, t)) {
      issues.push({
        path: ['survivors', t],
        code: 'invalid_count',
        message: 'survivor counts must be finite, >= 0, start > 0 and never increase',
      });
    }
  }
  if (issues.length > 0) return 0;
  for (let t = 1; t < s.length; t++) {
    const lost = (s[t - 1] as number) - (s[t] as number);
    if (lost > 0) churnedAt.set(t, lost);
  }
  const last = s[s.length - 1] as number;
  if (last > 0) aliveAfter.set(s.length - 1, last);
  return s[0] as number;
}

/** −LL in (ln γ, ln δ): Σ churned_t·ln P(T = t) + Σ censored_t·ln S(t). */
function sbgObjective(churnedAt: Map<number, number>, aliveAfter: Map<number, number>) {
  const cT = Array.from(churnedAt.keys());
  const cN = cT.map((t) => churnedAt.get(t) as number);
  const aT = Array.from(aliveAfter.keys());
  const aN = aT.map((t) => aliveAfter.get(t) as number);
  return (phi: Float64Array): number => {
    const g = Math.exp(phi[0] as number);
    const d = Math.exp(phi[1] as number);
    if (!Number.isFinite(g + d)) return Number.POSITIVE_INFINITY;
    const lb = betaln(g, d);
    let ll = 0;
    for (let i = 0; i < cT.length; i++)
      ll += (cN[i] as number) * (betaln(g + 1, d + (cT[i] as number) - 1) - lb);
    for (let i = 0; i < aT.length; i++) ll += (aN[i] as number) * (betaln(g, d + (aT[i] as number)) - lb);
    return -ll;
  };
}
