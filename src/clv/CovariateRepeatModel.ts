import * as z from 'zod';
import { ValidationError, zodIssues } from '../_lib/errors';
import { lazy } from '../_lib/lazy';
import { readEnvelope } from '../_lib/modelJson';
import type { VitalsWarning } from '../types';
import { chiSquareSf } from './_clvStats';
import { type CovariateCoding, type CovariateColumn, codeCovariates, codeOne } from './_covariates';
import { argumentError } from './_errors';
import { BGNBDModel } from './BGNBDModel';
import { ParetoNBDModel } from './ParetoNBDModel';
import type { RfmColumns } from './types';

/** Warning codes of the covariate fits (see {@link fitParetoNBDCovariates}). */
export type CovariateWarningCode = 'regularized' | 'standard_errors_unavailable' | 'large_effect';

/** Base parameters of a covariate model: Pareto/NBD (r, alpha, s, beta) or BG/NBD (r, alpha, a, b). */
export type CovariateBaseParams = Record<string, number>;

/** Serialised form of a {@link CovariateRepeatModel}. */
export interface CovariateRepeatModelJSON {
  model: 'paretonbd-cov' | 'bgnbd-cov';
  version: 1;
  params: CovariateBaseParams;
  coefficients: { transaction: Record<string, number>; lifetime: Record<string, number> };
  constrained: string[];
  standardErrors: Record<string, number | null>;
  parameterNames: string[];
  covariance: number[] | null;
  logLikelihood: number;
  lambda: { transaction: number; lifetime: number };
  coding: CovariateCoding[];
  iterations: number;
  customers: number;
}

const jsonSchema = lazy(() => {
  const codingSchema = z
    .object({
      name: z.string(),
      kind: z.enum(['numeric', 'categorical']),
      columns: z.array(z.string()),
      levels: z.array(z.string()).optional(),
      reference: z.string().optional(),
    })
    .strict();
  const finite = z.number().finite();
  return z
    .object({
      model: z.enum(['paretonbd-cov', 'bgnbd-cov']),
      version: z.literal(1),
      params: z.record(z.string(), z.number().positive().finite()),
      coefficients: z
        .object({ transaction: z.record(z.string(), finite), lifetime: z.record(z.string(), finite) })
        .strict(),
      constrained: z.array(z.string()),
      standardErrors: z.record(z.string(), z.number().nonnegative().finite().nullable()),
      parameterNames: z.array(z.string()),
      covariance: z.array(finite).nullable(),
      logLikelihood: finite,
      lambda: z
        .object({
          transaction: z.number().nonnegative().finite(),
          lifetime: z.number().nonnegative().finite(),
        })
        .strict(),
      coding: z.array(codingSchema),
      iterations: z.number().int().nonnegative(),
      customers: z.number().nonnegative().finite(),
    })
    .strict();
});

/** Result of {@link CovariateRepeatModel.likelihoodRatioTest}. */
export interface LikelihoodRatioTest {
  /** 2·(LL_full − LL_restricted). */
  statistic: number;
  /** Difference in the number of free parameters. */
  df: number;
  /** P(χ²_df > statistic). */
  pValue: number;
  /** Whether the restricted model is rejected at `level`. */
  rejected: boolean;
  level: number;
}

/**
 * A Pareto/NBD or BG/NBD model with time-invariant covariates, as CLVTools defines them
 * (Fader & Hardie 2007 note "Incorporating time-invariant covariates into the Pareto/NBD and BG/NBD
 * models"; Bachmann, Meierer & Näf 2021): customer i has the purchase-rate scale
 * α_i = α·exp(−γ_transᵀx_i) and, for Pareto/NBD, the dropout scale β_i = β·exp(−γ_lifeᵀx_i); for
 * BG/NBD a_i = a·exp(γ_lifeᵀx_i) and b_i = b·exp(γ_lifeᵀx_i). A positive transaction coefficient
 * means more purchases; a positive Pareto/NBD lifetime coefficient means a higher dropout rate.
 * Every per-customer prediction is the base model's prediction with the customer's own parameters
 * ({@link CovariateRepeatModel.customerModel}).
 *
 * @example
 * ```ts no-run
 * const m = fitParetoNBDCovariates(rows, { covariates: { channel } }); // the data of fitParetoNBDCovariates' example
 * m.coefficients.transaction; // => { 'channel=web': 0.326 }
 * m.customerModel({ channel: 'web' }).expectedPurchases(52); // => 5.10
 * ```
 */
export class CovariateRepeatModel {
  readonly kind: 'paretonbd' | 'bgnbd';
  /** Base parameters (the reference customer, all covariates 0 / reference levels). */
  readonly params: Readonly<CovariateBaseParams>;
  /** γ per design column and process (constrained columns appear in both with the same value). */
  readonly coefficients: {
    readonly transaction: Readonly<Record<string, number>>;
    readonly lifetime: Readonly<Record<string, number>>;
  };
  /** Design columns whose transaction and lifetime coefficients are constrained to be equal. */
  readonly constrained: readonly string[];
  /** SEs: base parameters on their natural scale (delta method), coefficients as `transaction.<col>` / `lifetime.<col>`. */
  readonly standardErrors: Readonly<Record<string, number | null>>;
  /** Names of the free parameters, in the order of `covariance` (log r, log alpha, ..., then coefficients). */
  readonly parameterNames: readonly string[];
  /** Covariance of the free parameters (log base parameters, coefficients), row-major; null if the Hessian is singular. */
  readonly covariance: readonly number[] | null;
  /** Maximised log-likelihood without the L2 penalty. */
  readonly logLikelihood: number;
  readonly lambda: { readonly transaction: number; readonly lifetime: number };
  /** How each input covariate was coded (numeric, or one-hot with its reference level). */
  readonly coding: readonly CovariateCoding[];
  readonly converged = true;
  readonly iterations: number;
  readonly customers: number;
  readonly warnings: VitalsWarning<CovariateWarningCode>[];

  constructor(
    json: Omit<CovariateRepeatModelJSON, 'model' | 'version'> & { kind: 'paretonbd' | 'bgnbd' },
    warnings: VitalsWarning<CovariateWarningCode>[] = [],
  ) {
    this.kind = json.kind;
    this.params = Object.freeze({ ...json.params });
    this.coefficients = Object.freeze({
      transaction: Object.freeze({ ...json.coefficients.transaction }),
      lifetime: Object.freeze({ ...json.coefficients.lifetime }),
    });
    this.constrained = Object.freeze([...json.constrained]);
    this.standardErrors = Object.freeze({ ...json.standardErrors });
    this.parameterNames = Object.freeze([...json.parameterNames]);
    this.covariance = json.covariance ? Object.freeze([...json.covariance]) : null;
    this.logLikelihood = json.logLikelihood;
    this.lambda = Object.freeze({ ...json.lambda });
    this.coding = Object.freeze(json.coding.map((c) => ({ ...c })));
    this.iterations = json.iterations;
    this.customers = json.customers;
    this.warnings = warnings;
  }

  /** Number of free parameters (4 base + coefficients). */
  get parameterCount(): number {
    return this.parameterNames.length;
  }

  private label(): string {
    return this.kind === 'paretonbd' ? 'ParetoNBDCovariatesModel' : 'BGNBDCovariatesModel';
  }

  /** Individual parameters from a coded covariate vector (design-column order). */
  paramsFromDesign(x: ArrayLike<number>, columns: readonly string[]): CovariateBaseParams {
    let lt = 0;
    let ll = 0;
    for (let j = 0; j < columns.length; j++) {
      const c = columns[j] as string;
      const v = x[j] as number;
      lt += (this.coefficients.transaction[c] ?? 0) * v;
      ll += (this.coefficients.lifetime[c] ?? 0) * v;
    }
    const p = this.params;
    if (this.kind === 'paretonbd')
      return {
        r: p.r as number,
        alpha: (p.alpha as number) * Math.exp(-lt),
        s: p.s as number,
        beta: (p.beta as number) * Math.exp(-ll),
      };
    return {
      r: p.r as number,
      alpha: (p.alpha as number) * Math.exp(-lt),
      a: (p.a as number) * Math.exp(ll),
      b: (p.b as number) * Math.exp(ll),
    };
  }

  /** Design-matrix column names, in coding order. */
  get columns(): string[] {
    return this.coding.flatMap((c) => c.columns);
  }

  /**
   * The customer's own parameters, from raw covariate values (`{ channel: 'web', age: 31 }`).
   * @throws {ValidationError} for a missing or unknown covariate or an unseen level.
   */
  customerParams(covariates: Record<string, unknown>): CovariateBaseParams {
    const x = codeOne(`${this.label()}.customerParams`, this.coding, covariates);
    return this.paramsFromDesign(x, this.columns);
  }

  /**
   * The base model (ParetoNBDModel or BGNBDModel) with this customer's parameters: every method of
   * the base model (probabilityAlive, conditionalExpectedPurchases, customerLifetimeValue, ...)
   * then applies to the customer.
   */
  customerModel(covariates: Record<string, unknown>): ParetoNBDModel | BGNBDModel {
    const p = this.customerParams(covariates);
    return this.baseModel(p);
  }

  /** A base model with the given individual parameters (diagnostics copied from this fit). */
  baseModel(p: CovariateBaseParams): ParetoNBDModel | BGNBDModel {
    const diag = {
      logLikelihood: this.logLikelihood,
      standardErrors: {},
      iterations: this.iterations,
      customers: this.customers,
    };
    if (this.kind === 'paretonbd')
      return new ParetoNBDModel(
        { r: p.r as number, alpha: p.alpha as number, s: p.s as number, beta: p.beta as number },
        diag,
      );
    return new BGNBDModel(
      { r: p.r as number, alpha: p.alpha as number, a: p.a as number, b: p.b as number },
      diag,
    );
  }

  /** E[X(t)] for a new customer with these covariates (CLVTools' `newcustomer()`). */
  expectedPurchases(t: number, covariates: Record<string, unknown>): number {
    if (!(t >= 0) || !Number.isFinite(t))
      throw argumentError(`${this.label()}.expectedPurchases: "t" must be a finite number >= 0`);
    return this.customerModel(covariates).expectedPurchases(t);
  }

  /**
   * Per-customer predictions: conditional expected purchases in (T, T+t] and P(alive), for summary
   * columns with covariate columns next to them (same names and coding as the fit; constant columns
   * allowed here). Customers sharing a covariate vector share one base model.
   * @throws {ValidationError} for invalid covariates.
   */
  predict(
    t: number,
    data: RfmColumns,
    covariates: Record<string, CovariateColumn>,
  ): { expectedPurchases: Float64Array; probabilityAlive: Float64Array } {
    const fn = `${this.label()}.predict`;
    if (!(t >= 0) || !Number.isFinite(t)) throw argumentError(`${fn}: "t" must be a finite number >= 0`);
    const n = data.frequency.length;
    // Validate the columns (located errors), then code each distinct raw vector with the fitted coding.
    const names = this.coding.map((c) => c.name);
    const design = codeCovariates(fn, covariates, n, { allowConstant: true });
    const missing = names.filter((nm) => !design.coding.some((c) => c.name === nm));
    if (missing.length > 0) {
      throw new ValidationError(
        fn,
        missing.map((m) => ({
          path: ['covariates', m],
          code: 'required' as const,
          message: `covariate "${m}" is required`,
        })),
      );
    }
    const exp = new Float64Array(n);
    const alive = new Float64Array(n);
    const cache = new Map<string, ParetoNBDModel | BGNBDModel>();
    const h = { frequency: 0, recency: 0, T: 0 };
    for (let i = 0; i < n; i++) {
      const raw: Record<string, unknown> = Object.create(null);
      let key = '';
      for (const nm of names) {
        const v = (covariates[nm] as CovariateColumn)[i];
        raw[nm] = v;
        key += `${typeof v}:${String(v)}|`;
      }
      let m = cache.get(key);
      if (!m) {
        m = this.customerModel(raw);
        cache.set(key, m);
      }
      h.frequency = data.frequency[i] as number;
      h.recency = data.recency[i] as number;
      h.T = data.T[i] as number;
      exp[i] = m.conditionalExpectedPurchases(t, h);
      alive[i] = m.probabilityAlive(h);
    }
    return { expectedPurchases: exp, probabilityAlive: alive };
  }

  /**
   * Likelihood-ratio test of a nested, restricted model (the no-covariate fit, or a covariate fit
   * with fewer covariates) against this one: statistic 2(LL − LL_r) ~ χ²(df) under the restriction.
   * Only meaningful without regularisation (`lambda` 0).
   * @throws {ValidationError} when the restricted model has as many parameters or more.
   */
  likelihoodRatioTest(
    restricted: { logLikelihood: number; parameterCount?: number; params: object },
    level = 0.05,
  ): LikelihoodRatioTest {
    const kr = restricted.parameterCount ?? Object.keys(restricted.params).length;
    const df = this.parameterCount - kr;
    if (!(df > 0))
      throw argumentError(
        `${this.label()}.likelihoodRatioTest: "restricted" must have fewer parameters than this model`,
      );
    const statistic = Math.max(0, 2 * (this.logLikelihood - restricted.logLikelihood));
    const pValue = chiSquareSf(statistic, df);
    return { statistic, df, pValue, rejected: pValue < level, level };
  }

  /** Plain-JSON form; load with {@link CovariateRepeatModel.fromJSON}. */
  toJSON(): CovariateRepeatModelJSON {
    return {
      model: this.kind === 'paretonbd' ? 'paretonbd-cov' : 'bgnbd-cov',
      version: 1,
      params: { ...this.params },
      coefficients: {
        transaction: { ...this.coefficients.transaction },
        lifetime: { ...this.coefficients.lifetime },
      },
      constrained: [...this.constrained],
      standardErrors: { ...this.standardErrors },
      parameterNames: [...this.parameterNames],
      covariance: this.covariance ? [...this.covariance] : null,
      logLikelihood: this.logLikelihood,
      lambda: { ...this.lambda },
      coding: this.coding.map((c) => ({ ...c })),
      iterations: this.iterations,
      customers: this.customers,
    };
  }

  /**
   * Loads a model saved with `toJSON()`, validating it.
   * @throws {ValidationError} when the JSON is not a valid covariate model.
   */
  static fromJSON(json: unknown): CovariateRepeatModel {
    // The library's one {model, version} envelope first (same messages as every loader), then the body.
    readEnvelope('CovariateRepeatModel.fromJSON', json, ['paretonbd-cov', 'bgnbd-cov']);
    const res = jsonSchema().safeParse(json);
    if (!res.success)
      throw new ValidationError('CovariateRepeatModel.fromJSON', zodIssues(res.error), 'model JSON');
    const d = res.data;
    const kind = d.model === 'paretonbd-cov' ? 'paretonbd' : 'bgnbd';
    const need = kind === 'paretonbd' ? ['r', 'alpha', 's', 'beta'] : ['r', 'alpha', 'a', 'b'];
    const keys = Object.keys(d.params);
    if (need.some((k) => !keys.includes(k)) || keys.length !== 4) {
      throw new ValidationError(
        'CovariateRepeatModel.fromJSON',
        [{ path: ['params'], code: 'invalid_model', message: `params must be exactly ${need.join(', ')}` }],
        'model JSON',
      );
    }
    const p = d.parameterNames.length;
    if (d.covariance && d.covariance.length !== p * p) {
      throw new ValidationError(
        'CovariateRepeatModel.fromJSON',
        [{ path: ['covariance'], code: 'invalid_length', message: `covariance must have ${p * p} entries` }],
        'model JSON',
      );
    }
    return new CovariateRepeatModel({ ...d, kind });
  }
}
