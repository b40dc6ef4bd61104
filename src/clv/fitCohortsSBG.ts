import { choleskyFactor } from '../_lib/cholesky';
import { checkOptions, ValidationError } from '../_lib/errors';
import { createRng } from '../_lib/random';
import type { SeedOptions, VitalsWarning } from '../types';
import { chiSquareSf, drawNormal, percentileInterval } from './_clvStats';
import { type CohortsOptions, cohortIssues, readOptions } from './_cohortsInput';
import { invertMatrix, numericHessian } from './_optimize';
import { betaln } from './_special';
import type { ClvInterval } from './clvIntervals';
import { fitShiftedBetaGeometric, type TenureRow } from './fitShiftedBetaGeometric';
import { ShiftedBetaGeometricModel } from './ShiftedBetaGeometricModel';

/** One cohort: its name and survivors after 0, 1, 2, … periods (survivors[0] = cohort size). */
export interface SbgCohort {
  name: string;
  survivors: readonly number[];
}

/** Options of {@link fitCohortsSBG}. */
export interface CohortsSbgOptions extends SeedOptions {
  /** `shared`: one (γ, δ) for all cohorts; `separate`: (γ, δ) per cohort. @default 'separate' */
  pooling?: 'shared' | 'separate';
  /** Periods to project survival and retention (t = 0..periods). @default 12 */
  periods?: number;
  /** Discount rate per period for DERL, in [0.001, 10]. @default 0.1 */
  discountRate?: number;
  /** Renewals made so far by the customer whose DERL is reported. @default 0 */
  renewals?: number;
  /** Central coverage of the intervals. @default 0.9 */
  level?: number;
  /** Parametric draws of the log-parameters for the intervals. @default 500 */
  draws?: number;
}

/** Per-cohort result of {@link fitCohortsSBG}. */
export interface SbgCohortResult {
  name: string;
  /** The cohort's model (shared parameters when pooled). */
  model: ShiftedBetaGeometricModel;
  /** S(t), t = 0..periods, with intervals. */
  survival: ClvInterval[];
  /** r(t) = S(t)/S(t−1), t = 1..periods, with intervals. */
  retention: ClvInterval[];
  /** DERL at `discountRate` for a customer with `renewals` renewals, with interval. */
  derl: ClvInterval;
  /** Observed survivors, for tracking against `survival`. */
  observed: readonly number[];
}

/** Warning codes of {@link fitCohortsSBG}. */
export type CohortsSbgWarningCode = 'pooling_rejected' | 'singular_hessian';

/** Result of {@link fitCohortsSBG}. */
export interface CohortsSbgResult {
  pooling: 'shared' | 'separate';
  cohorts: SbgCohortResult[];
  /** Log-likelihood of the chosen pooling. */
  logLikelihood: number;
  /** Likelihood-ratio test of shared (γ, δ) against cohort-specific ones (null with one cohort). */
  poolingTest: {
    sharedLogLikelihood: number;
    separateLogLikelihood: number;
    statistic: number;
    df: number;
    pValue: number;
  } | null;
  /** How the intervals were computed. */
  method: string;
  warnings: VitalsWarning<CohortsSbgWarningCode>[];
}

const KNOWN = ['pooling', 'periods', 'discountRate', 'renewals', 'level', 'draws', 'seed'] as const;

function tenureRows(survivors: readonly number[]): TenureRow[] {
  const rows: TenureRow[] = [];
  for (let t = 1; t < survivors.length; t++) {
    const lost = (survivors[t - 1] as number) - (survivors[t] as number);
    if (lost > 0) rows.push({ periods: t, churned: true, count: lost });
  }
  const last = survivors[survivors.length - 1] as number;
  if (last > 0) rows.push({ periods: survivors.length - 1, churned: false, count: last });
  return rows;
}

/** −LL of one cohort at log-parameters (ln γ, ln δ): Σ_t lost_t·ln P(T=t) + alive·ln S(t_max). */
function cohortNll(survivors: readonly number[], lg: number, ld: number): number {
  const g = Math.exp(lg);
  const d = Math.exp(ld);
  if (!Number.isFinite(g + d)) return Number.POSITIVE_INFINITY;
  const lb = betaln(g, d);
  let ll = 0;
  for (let t = 1; t < survivors.length; t++) {
    const lost = (survivors[t - 1] as number) - (survivors[t] as number);
    if (lost > 0) ll += lost * (betaln(g + 1, d + t - 1) - lb);
  }
  const last = survivors[survivors.length - 1] as number;
  if (last > 0) ll += last * (betaln(g, d + survivors.length - 1) - lb);
  return -ll;
}

/**
 * Fits the shifted-beta-geometric model (Fader & Hardie 2007, "How to project customer retention")
 * to several cohorts at once, with one (γ, δ) shared by all cohorts (`pooling: 'shared'`, the
 * cohorts' likelihoods multiplied) or one per cohort (`separate`), and reports per cohort the
 * projected survival S(t) = B(γ, δ+t)/B(γ, δ), retention r(t) = (δ+t−1)/(γ+δ+t−1) and DERL
 * (Fader & Hardie 2010) with intervals. Both poolings are fitted, so the likelihood-ratio test of
 * shared against separate parameters (df = 2·(cohorts − 1)) is always reported.
 *
 * Intervals: `draws` parametric draws of the log-parameters from N(φ̂, H⁻¹) (H the numeric
 * Hessian of −LL of the chosen pooling), each quantity recomputed per draw, central percentile
 * interval at `level` (seeded).
 *
 * Missing-data policy: each cohort's survivors must be non-increasing, finite, ≥ 0, start > 0
 * (located errors with the cohort index); cohorts may have different lengths.
 *
 * Warnings: `pooling_rejected` (shared pooling chosen though the LR test rejects it at 5%),
 * `singular_hessian` (no intervals possible: they collapse to the estimates).
 *
 * @param cohorts `[{ name, survivors }]`, at least one, unique names.
 * @param options pooling, projection length, discount rate, renewals, level, draws, seed.
 * @returns per-cohort models and projections with intervals, the LR test and warnings.
 * @throws {ValidationError} invalid cohorts or options. {@link InsufficientDataError}
 *   {@link ConvergenceError} as {@link fitShiftedBetaGeometric}.
 * @example
 * ```ts
 * import { fitCohortsSBG } from 'customer-vitals';
 * const res = fitCohortsSBG(
 *   [
 *     { name: 'regular', survivors: [1000, 631, 468, 382, 326, 289, 262, 241] },
 *     { name: 'high end', survivors: [1000, 869, 743, 653, 593, 551, 517, 491] },
 *   ],
 *   { pooling: 'separate', periods: 12, draws: 200 },
 * );
 * res.cohorts[0].model.params; // => { gamma: 0.704, delta: 1.182 } (Fader & Hardie 2007)
 * res.poolingTest.pValue < 0.001; // => true (the segments differ)
 * ```
 */
export function fitCohortsSBG(
  cohorts: readonly SbgCohort[],
  options: CohortsSbgOptions = {},
): CohortsSbgResult {
  const fn = 'fitCohortsSBG';
  checkOptions(fn, options, KNOWN);
  const o = options ?? {};
  if (!Array.isArray(cohorts) || cohorts.length === 0)
    throw new ValidationError(fn, [
      { path: ['cohorts'], code: 'empty', message: '"cohorts" must be a non-empty array' },
    ]);
  const issues = cohortIssues(cohorts);
  const opts = readOptions(o, cohorts.length, issues);
  if (issues.length > 0) throw new ValidationError(fn, issues);
  const { pooling, level, draws } = opts;

  const separate = cohorts.map((c) => fitShiftedBetaGeometric({ survivors: c.survivors }));
  const shared = fitShiftedBetaGeometric(cohorts.flatMap((c) => tenureRows(c.survivors)));
  let sepLL = 0;
  for (const m of separate) sepLL += m.logLikelihood;
  const poolingTest = cohorts.length > 1 ? lrTest(shared.logLikelihood, sepLL, cohorts.length) : null;
  const warnings: VitalsWarning<CohortsSbgWarningCode>[] = [];
  if (pooling === 'shared' && poolingTest && poolingTest.pValue < 0.05)
    warnings.push({
      code: 'pooling_rejected',
      message: `Shared (gamma, delta) is rejected against cohort-specific ones (LR ${poolingTest.statistic.toFixed(2)}, df ${poolingTest.df}, p ${poolingTest.pValue.toPrecision(2)}).`,
    });
  // Parameter blocks: one (ln γ, ln δ) for shared, one per cohort for separate.
  const blocks = pooling === 'shared' ? [shared] : separate;
  const rng = createRng(o.seed ?? 1);
  const method = `${Math.round(level * 100)}% percentile interval of ${draws} parametric draws of (ln gamma, ln delta) from N(φ̂, H⁻¹)`;
  const blockDraws: Float64Array[] = []; // per block: draws × 2 (ln γ, ln δ)
  blocks.forEach((m, b) => {
    const members = pooling === 'shared' ? cohorts : [cohorts[b] as SbgCohort];
    const what = pooling === 'shared' ? 'the shared parameters' : `cohort "${cohorts[b]?.name}"`;
    blockDraws.push(drawBlock(m, members, what, draws, rng, warnings));
  });
  const iv = (estimate: number, values: Float64Array): ClvInterval => {
    const r = percentileInterval(values, level);
    return {
      estimate,
      lower: r.used > 0 ? r.lower : estimate,
      upper: r.used > 0 ? r.upper : estimate,
      method,
    };
  };
  const results: SbgCohortResult[] = cohorts.map((c, i) => {
    const model = pooling === 'shared' ? copyModel(shared) : (separate[i] as ShiftedBetaGeometricModel);
    const bd = blockDraws[pooling === 'shared' ? 0 : i] as Float64Array;
    return cohortResult(c, model, bd, opts, iv);
  });
  return {
    pooling,
    cohorts: results,
    logLikelihood: pooling === 'shared' ? shared.logLikelihood : sepLL,
    poolingTest,
    method,
    warnings,
  };
}

/** Likelihood-ratio test of shared against cohort-specific (γ, δ): df = 2·(cohorts − 1). */
function lrTest(sharedLL: number, sepLL: number, cohortCount: number): CohortsSbgResult['poolingTest'] {
  const statistic = Math.max(0, 2 * (sepLL - sharedLL));
  const df = 2 * (cohortCount - 1);
  return {
    sharedLogLikelihood: sharedLL,
    separateLogLikelihood: sepLL,
    statistic,
    df,
    pValue: chiSquareSf(statistic, df),
  };
}

/**
 * `draws` draws × 2 of (ln γ, ln δ) from N(φ̂, H⁻¹) of one parameter block (H the numeric Hessian of
 * the members' −LL); the point estimate repeated, with a `singular_hessian` warning, when H⁻¹ has no
 * Cholesky factor.
 */
function drawBlock(
  m: ShiftedBetaGeometricModel,
  members: readonly SbgCohort[],
  what: string,
  draws: number,
  rng: ReturnType<typeof createRng>,
  warnings: VitalsWarning<CohortsSbgWarningCode>[],
): Float64Array {
  const lg = Math.log(m.params.gamma);
  const ld = Math.log(m.params.delta);
  const f = (phi: Float64Array): number => {
    let v = 0;
    for (const c of members) v += cohortNll(c.survivors, phi[0] as number, phi[1] as number);
    return v;
  };
  const H = numericHessian(f, Float64Array.from([lg, ld]), false);
  const cov = invertMatrix(H, 2);
  const L = cov ? choleskyFactor(cov, 2) : null;
  const out = new Float64Array(draws * 2);
  if (!L) {
    warnings.push({
      code: 'singular_hessian',
      message: `The Hessian for ${what} is not positive definite; its intervals are the point estimates.`,
    });
    for (let d = 0; d < draws; d++) {
      out[2 * d] = lg;
      out[2 * d + 1] = ld;
    }
  } else {
    const z = new Float64Array(2);
    for (let d = 0; d < draws; d++) {
      drawNormal([lg, ld], L, rng, z);
      out[2 * d] = z[0] as number;
      out[2 * d + 1] = z[1] as number;
    }
  }
  return out;
}

/** A cohort's own copy of the shared model (params and diagnostics copied). */
function copyModel(shared: ShiftedBetaGeometricModel): ShiftedBetaGeometricModel {
  return new ShiftedBetaGeometricModel(
    { ...shared.params },
    {
      logLikelihood: shared.logLikelihood,
      standardErrors: { ...shared.standardErrors },
      iterations: shared.iterations,
      customers: shared.customers,
    },
  );
}

/** One cohort's survival, retention and DERL, each with its interval over the block's draws `bd`. */
function cohortResult(
  c: SbgCohort,
  model: ShiftedBetaGeometricModel,
  bd: Float64Array,
  opts: CohortsOptions,
  iv: (estimate: number, values: Float64Array) => ClvInterval,
): SbgCohortResult {
  const { periods, draws, renewals, dr } = opts;
  const sDraws = Array.from({ length: periods + 1 }, () => new Float64Array(draws));
  const rDraws = Array.from({ length: periods }, () => new Float64Array(draws));
  const dDraws = new Float64Array(draws);
  for (let d = 0; d < draws; d++) {
    const g = Math.exp(bd[2 * d] as number);
    const de = Math.exp(bd[2 * d + 1] as number);
    let s = 1;
    (sDraws[0] as Float64Array)[d] = 1;
    for (let t = 1; t <= periods; t++) {
      const r = (de + t - 1) / (g + de + t - 1);
      s *= r;
      (sDraws[t] as Float64Array)[d] = s;
      (rDraws[t - 1] as Float64Array)[d] = r;
    }
    const dm = new ShiftedBetaGeometricModel(
      { gamma: g, delta: de },
      { logLikelihood: 0, standardErrors: {}, iterations: 0, customers: 0 },
    );
    dDraws[d] = dm.discountedExpectedResidualLifetime(renewals, dr);
  }
  const proj = model.projectSurvival(periods);
  return {
    name: c.name,
    model,
    survival: proj.map((v, t) => iv(v, sDraws[t] as Float64Array)),
    retention: Array.from({ length: periods }, (_, k) =>
      iv(model.retentionRate(k + 1), rDraws[k] as Float64Array),
    ),
    derl: iv(model.discountedExpectedResidualLifetime(renewals, dr), dDraws),
    observed: [...c.survivors],
  };
}
