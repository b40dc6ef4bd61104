import { ValidationError, type ValidationIssue } from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';
import {
  FittedModel,
  type ModelDiagnostics,
  type ModelJSON,
  modelSchema,
  parseModelJson,
} from './_modelJson';
import type { CustomerHistory, LifetimeValueOptions, LifetimeValueResult } from './types';

/** Parameters of the Gamma-Gamma spend model. */
export interface GammaGammaParams {
  /** Shape of the gamma distribution of transaction values around a customer's mean. */
  p: number;
  /** Shape of the gamma distribution of the customers' rate parameters ν. */
  q: number;
  /** Scale of that gamma distribution. */
  gamma: number;
}

/** What was left out of the fit, and the frequency–spend independence check. */
export interface GammaGammaDataReport {
  /** Customers used (x ≥ 1 and mean spend > 0). */
  used: number;
  /** Customers without repeat purchases (the model uses repeat transactions only). */
  excludedNoRepeat: number;
  /** Customers with mean spend ≤ 0 (the gamma distribution needs positive values). */
  excludedNonPositiveSpend: number;
  /** Pearson correlation between frequency and mean spend among the customers used (null if < 3). */
  frequencySpendCorrelation: number | null;
  /** Human-readable warnings (e.g. frequency and spend not independent: |ρ| > 0.3). */
  warnings: string[];
}

/** Serialised form of a {@link GammaGammaModel}. */
export interface GammaGammaModelJSON extends ModelJSON<'gammagamma', GammaGammaParams> {
  report: GammaGammaDataReport;
}

/** Parameter names of the Gamma-Gamma model, in the optimiser's order. */
export const GAMMA_GAMMA_NAMES = ['p', 'q', 'gamma'] as const;
function checkReport(json: Record<string, unknown>, issues: ValidationIssue[]): void {
  const r = json.report;
  const bad = (path: string, message: string): void => {
    issues.push({ path: ['report', path].filter(Boolean), code: 'invalid_value', message });
  };
  if (!isPlainObject(r)) {
    bad('', '"report" must be an object');
    return;
  }
  for (const k of ['used', 'excludedNoRepeat', 'excludedNonPositiveSpend'] as const) {
    const v = r[k];
    if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0))
      bad(k, `"report.${k}" must be a count >= 0`);
  }
  const c = r.frequencySpendCorrelation;
  if (!(c === null || (typeof c === 'number' && c >= -1 && c <= 1)))
    bad('frequencySpendCorrelation', '"report.frequencySpendCorrelation" must be null or in [-1, 1]');
  if (!Array.isArray(r.warnings) || !r.warnings.every((w) => typeof w === 'string'))
    bad('warnings', '"report.warnings" must be an array of strings');
}

const schema = modelSchema('gammagamma', GAMMA_GAMMA_NAMES, { keys: ['report'], check: checkReport });

/**
 * A fitted Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Colombo & Jiang
 * 1999): a customer's transaction values are Gamma(p, ν) with ν ~ Gamma(q, γ) across customers,
 * so the mean spend of a customer is p/ν with population mean pγ/(q − 1).
 *
 * @example
 * ```ts
 * const gg = fitGammaGamma(cdnowRepeatRows); // p 6.25, q 3.74, gamma 15.44
 * gg.conditionalExpectedAverageValue(2, 22.35); // => 24.66 (shrunk from 22.35 towards the mean 35.17)
 * ```
 */
export class GammaGammaModel extends FittedModel<GammaGammaParams> {
  readonly report: GammaGammaDataReport;

  constructor(params: GammaGammaParams, diag: ModelDiagnostics, report: GammaGammaDataReport) {
    super(params, diag);
    this.report = { ...report, warnings: [...report.warnings] };
  }

  /** Population mean spend per transaction pγ/(q − 1); null when q ≤ 1 (the mean does not exist). */
  expectedAverageValue(): number | null {
    const { p, q, gamma } = this.params;
    return q > 1 ? (p * gamma) / (q - 1) : null;
  }

  /**
   * E[Z | x, z̄] = p(γ + x·z̄)/(px + q − 1): a customer's expected spend per transaction, a weighted
   * average of the population mean and the customer's observed mean z̄ over x repeat transactions.
   * With x = 0 it is the population mean. Null when px + q ≤ 1.
   * @throws {ValidationError} when x is not an integer ≥ 0 or z̄ is not finite and ≥ 0.
   */
  conditionalExpectedAverageValue(frequency: number, monetaryValue: number): number | null {
    if (
      !Number.isInteger(frequency) ||
      frequency < 0 ||
      !(monetaryValue >= 0) ||
      !Number.isFinite(monetaryValue)
    ) {
      throw new ValidationError('GammaGammaModel.conditionalExpectedAverageValue', [
        {
          path: [],
          code: 'invalid_value',
          message: '"frequency" must be an integer >= 0 and "monetaryValue" a finite number >= 0',
        },
      ]);
    }
    const { p, q, gamma } = this.params;
    const den = p * frequency + q - 1;
    if (!(den > 0)) return null;
    return (p * (gamma + frequency * monetaryValue)) / den;
  }

  /**
   * CLV combining this spend model with a repeat-purchase model (as `lifetimes` does): the
   * customer's expected spend per transaction E[Z | x, z̄] times the purchase model's discounted
   * expected transactions. Null `value` (with the purchase parts still given) when E[Z] does not
   * exist (px + q ≤ 1).
   * @param purchaseModel a fitted BG/NBD, MBG/NBD or Pareto/NBD model (same time unit as `options`).
   * @param customer history plus `monetaryValue` (z̄, mean of the repeat transactions).
   * @param options discount rate per time unit, horizon, margin.
   */
  customerLifetimeValue(
    purchaseModel: {
      customerLifetimeValue(h: CustomerHistory, o: LifetimeValueOptions): LifetimeValueResult;
    },
    customer: CustomerHistory & { monetaryValue: number },
    options: Omit<LifetimeValueOptions, 'valuePerTransaction'> = {},
  ): {
    value: number | null;
    averageValue: number | null;
    discountedTransactions: number;
    probabilityAlive: number;
  } {
    const avg = this.conditionalExpectedAverageValue(customer.frequency, customer.monetaryValue);
    const res = purchaseModel.customerLifetimeValue(customer, { ...options, valuePerTransaction: avg ?? 0 });
    return {
      value: avg === null ? null : res.value,
      averageValue: avg,
      discountedTransactions: res.discountedTransactions,
      probabilityAlive: res.probabilityAlive,
    };
  }

  /** Plain-JSON form; load with {@link GammaGammaModel.fromJSON}. */
  toJSON(): GammaGammaModelJSON {
    return {
      model: 'gammagamma',
      version: 1,
      ...this.jsonBody(),
      report: { ...this.report, warnings: [...this.report.warnings] },
    };
  }

  /**
   * Loads a model saved with `toJSON()`, validating it.
   * @throws {ValidationError} when the JSON is not a valid Gamma-Gamma model.
   */
  static fromJSON(json: unknown): GammaGammaModel {
    const d = parseModelJson('GammaGammaModel.fromJSON', schema, json);
    return new GammaGammaModel(d.params, d, d.json.report as GammaGammaDataReport);
  }
}
