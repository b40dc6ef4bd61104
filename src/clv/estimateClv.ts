import * as z from 'zod';
import { ConvergenceError, InsufficientDataError } from '../_lib/errors';
import { quantileSorted } from '../_lib/order';
import { type DateInput, requireEpochMs } from '../_lib/time';
import type { CustomerEvent } from '../events/types';
import { checkOptions } from './_errors';
import { fitGammaGamma } from './fitGammaGamma';
import { fitMBGNBD } from './fitMBGNBD';
import { fitParetoNBD } from './fitParetoNBD';
import { formulaClv } from './formulaClv';
import type { GammaGammaModel } from './GammaGammaModel';
import type { MBGNBDModel } from './MBGNBDModel';
import type { ParetoNBDModel } from './ParetoNBDModel';
import { DAYS_PER_UNIT, rfmSummary } from './rfmSummary';
import type { TimeUnit } from './types';

/** Options of {@link estimateClv}. */
export interface EstimateClvOptions {
  /** "Today": purchases after it are ignored. */
  asOf: DateInput;
  /** Forecast horizon in months. @default 12 */
  horizonMonths?: number;
  /** Annual discount rate (converted to a continuous rate). @default 0.1 */
  annualDiscountRate?: number;
  /** Gross margin applied to revenue. @default 1 */
  margin?: number;
  /** Time unit the models are fitted in. @default 'weeks' */
  timeUnit?: TimeUnit;
  /**
   * `auto` picks Pareto/NBD (falls back to MBG/NBD, then to the formula / historical CLV when the
   * data cannot support a model); or force one.
   * @default 'auto'
   */
  method?: 'auto' | 'paretonbd' | 'mbgnbd' | 'formula' | 'historical';
  /** Minimum customers for a probabilistic model. @default 30 */
  minCustomers?: number;
  /** Minimum customers with a repeat purchase for a probabilistic model. @default 10 */
  minRepeatCustomers?: number;
  /** Formula CLV: months without a purchase after which a customer counts as churned. @default 6 */
  inactiveAfterMonths?: number;
  /** Event type counted as a purchase. @default 'purchase' */
  type?: string;
}

/** One customer's CLV with its parts and a sentence explaining it. */
export interface CustomerClv {
  customerId: string;
  /** Discounted margin expected over the horizon (null only when no method applies). */
  value: number | null;
  /** Expected purchases over the horizon (includes the chance the customer has left). */
  expectedPurchases: number | null;
  /** Probability the customer is still active at asOf. */
  probabilityAlive: number | null;
  /** Expected value per purchase used. */
  averageValue: number | null;
  /** Margin generated so far. */
  historicalValue: number;
  explanation: string;
}

/** Result of {@link estimateClv}. */
export interface EstimateClvResult {
  method: 'paretonbd' | 'mbgnbd' | 'formula' | 'historical' | 'none';
  /** Why this method was used. */
  reason: string;
  /** The fitted purchase model, when one was used. */
  model: ParetoNBDModel | MBGNBDModel | null;
  /** The fitted spend model, when one was used. */
  spendModel: GammaGammaModel | null;
  /** Per customer, in descending value order (ties: ascending id). */
  customers: CustomerClv[];
  /** Distribution of `value` over customers (n: 0 and nulls when empty). */
  distribution: {
    n: number;
    total: number | null;
    mean: number | null;
    p10: number | null;
    median: number | null;
    p90: number | null;
    max: number | null;
  };
  warnings: string[];
}

const optionsSchema = z.object({
  asOf: z.unknown(),
  horizonMonths: z.number().positive().finite().optional(),
  annualDiscountRate: z.number().min(0).finite().optional(),
  margin: z.number().finite().optional(),
  timeUnit: z.enum(['days', 'weeks', 'months']).optional(),
  method: z.enum(['auto', 'paretonbd', 'mbgnbd', 'formula', 'historical']).optional(),
  minCustomers: z.number().int().min(2).optional(),
  minRepeatCustomers: z.number().int().min(1).optional(),
  inactiveAfterMonths: z.number().positive().finite().optional(),
  type: z.string().min(1).optional(),
});

function money(v: number): string {
  return `$${v >= 100 ? v.toFixed(0) : v.toFixed(2)}`;
}

/**
 * One-call CLV: purchase events → RFM summary → purchase model + spend model → per-customer
 * discounted CLV over a horizon, each with an explanation such as "expected 3.1 more purchases
 * over 12 months if still active × $42 average × 0.82 chance still active = $107".
 *
 * Model choice (`method: 'auto'`): Pareto/NBD, because unlike BG/NBD it does not declare customers
 * without repeat purchases certainly alive (BG/NBD's known flaw); MBG/NBD if Pareto/NBD does not
 * converge. Spend per purchase from a Gamma-Gamma model fitted on repeat customers (when ≥ 10 of them
 * have positive spend and q > 1), else each customer's own mean purchase value. When the data cannot
 * support a model (fewer than `minCustomers` customers or `minRepeatCustomers` repeat buyers, or no
 * model converges) it falls back to the formula CLV (monthly ARPA × margin / churn, churn estimated
 * as churned customers per customer-month of exposure, a customer being churned after
 * `inactiveAfterMonths` without purchase) or, when no churn can be estimated, the historical CLV;
 * `reason` says which and why.
 *
 * Missing-data policy: no purchase events → `method: 'none'`, `customers: []`, `distribution.n: 0`.
 * Values are never NaN or Infinity.
 *
 * @param events validated events; `purchase` events with `value` = order amount.
 * @param options see {@link EstimateClvOptions}; `asOf` is required.
 * @returns method, reason, fitted models, per-customer CLV with explanations, value distribution.
 * @throws {ValidationError} for invalid options, including an invalid `asOf`.
 * @example
 * ```ts
 * const res = estimateClv(parseEvents(rows).events, { asOf: '2025-07-01', margin: 0.3 });
 * res.method; // => 'paretonbd'
 * res.customers[0].explanation;
 * // => 'expected 4.2 more purchases over 12 months if still active × $38.10 average × 0.91 chance still active × 30% margin = $43.55 (discounted)'
 * ```
 */
export function estimateClv(
  events: readonly CustomerEvent[],
  options: EstimateClvOptions,
): EstimateClvResult {
  const fn = 'estimateClv';
  checkOptions(fn, optionsSchema, options);
  const asOf = requireEpochMs(options.asOf, fn, 'asOf');
  const unit = options.timeUnit ?? 'weeks';
  const perUnitDays = DAYS_PER_UNIT[unit];
  const horizonMonths = options.horizonMonths ?? 12;
  const monthInUnits = 365.25 / 12 / perUnitDays;
  const H = horizonMonths * monthInUnits;
  const annual = options.annualDiscountRate ?? 0.1;
  const delta = Math.log1p(annual) / (365.25 / perUnitDays);
  const margin = options.margin ?? 1;
  const minCustomers = options.minCustomers ?? 30;
  const minRepeat = options.minRepeatCustomers ?? 10;
  const method = options.method ?? 'auto';
  const warnings: string[] = [];
  const summary = rfmSummary(events, { asOf, timeUnit: unit, type: options.type ?? 'purchase' });
  const rows = summary.customers;
  const empty = { n: 0, total: null, mean: null, p10: null, median: null, p90: null, max: null };
  if (rows.length === 0) {
    return {
      method: 'none',
      reason: 'no purchase events before asOf',
      model: null,
      spendModel: null,
      customers: [],
      distribution: empty,
      warnings,
    };
  }
  let repeaters = 0;
  for (const r of rows) if (r.frequency > 0) repeaters++;

  // Purchase model.
  let model: ParetoNBDModel | MBGNBDModel | null = null;
  let chosen: EstimateClvResult['method'] = 'historical';
  let reason = '';
  const wantsModel = method === 'auto' || method === 'paretonbd' || method === 'mbgnbd';
  if (wantsModel) {
    if (method === 'auto' && (rows.length < minCustomers || repeaters < minRepeat)) {
      reason = `only ${rows.length} customers and ${repeaters} repeat buyers (a model needs >= ${minCustomers} and >= ${minRepeat})`;
    } else {
      const data = summary.columns;
      const tryFit = (which: 'paretonbd' | 'mbgnbd'): ParetoNBDModel | MBGNBDModel | null => {
        try {
          return which === 'paretonbd'
            ? fitParetoNBD(data, { standardErrors: false })
            : fitMBGNBD(data, { standardErrors: false });
        } catch (err) {
          if (err instanceof ConvergenceError || err instanceof InsufficientDataError) {
            warnings.push(err.message);
            return null;
          }
          throw err;
        }
      };
      if (method !== 'mbgnbd') {
        model = tryFit('paretonbd');
        if (model) {
          chosen = 'paretonbd';
          reason = `Pareto/NBD fitted on ${rows.length} customers (${repeaters} repeat buyers); chosen over BG/NBD because it gives one-time buyers a realistic probability of being alive`;
        }
      }
      if (!model && method !== 'paretonbd') {
        model = tryFit('mbgnbd');
        if (model) {
          chosen = 'mbgnbd';
          reason = `MBG/NBD fitted on ${rows.length} customers (${repeaters} repeat buyers)${method === 'auto' ? ' after Pareto/NBD failed to converge' : ''}`;
        }
      }
      if (!model) reason = 'no purchase model converged on these data';
    }
  }

  // Spend model.
  let spendModel: GammaGammaModel | null = null;
  let positiveRepeaters = 0;
  for (const r of rows) if (r.frequency > 0 && r.monetaryValue > 0) positiveRepeaters++;
  if (model && positiveRepeaters >= 10) {
    try {
      spendModel = fitGammaGamma(
        rows.map((r) => ({ frequency: r.frequency, monetaryValue: r.monetaryValue })),
        { standardErrors: false },
      );
      for (const w of spendModel.report.warnings) warnings.push(w);
      if (spendModel.expectedAverageValue() === null) {
        warnings.push(
          "estimateClv: Gamma-Gamma q <= 1 (mean spend undefined); using each customer's own mean purchase value",
        );
        spendModel = null;
      }
    } catch (err) {
      if (!(err instanceof ConvergenceError || err instanceof InsufficientDataError)) throw err;
      warnings.push(err.message);
    }
  }

  const customers: CustomerClv[] = [];
  const horizonText = `${horizonMonths} month${horizonMonths === 1 ? '' : 's'}`;
  if (model) {
    for (const r of rows) {
      const h = { frequency: r.frequency, recency: r.recency, T: r.T };
      const ownMean = r.totalValue / (r.frequency + 1);
      const avg = spendModel?.conditionalExpectedAverageValue(r.frequency, r.monetaryValue) ?? ownMean;
      const res = model.customerLifetimeValue(h, {
        valuePerTransaction: avg,
        discountRate: delta,
        horizon: H,
        margin,
      });
      const expected = res.expectedTransactions ?? 0;
      const pa = res.probabilityAlive;
      const ifAlive = pa > 0 ? expected / pa : 0;
      customers.push({
        customerId: r.customerId,
        value: res.value,
        expectedPurchases: expected,
        probabilityAlive: pa,
        averageValue: avg,
        historicalValue: r.totalValue * margin,
        explanation:
          `expected ${ifAlive.toFixed(1)} more purchases over ${horizonText} if still active × ${money(avg)} average × ` +
          `${pa.toFixed(2)} chance still active${margin !== 1 ? ` × ${(margin * 100).toFixed(0)}% margin` : ''} = ${money(res.value)} (discounted)`,
      });
    }
  } else {
    // Formula CLV with churn per customer-month, else historical.
    const inactiveDays = (options.inactiveAfterMonths ?? 6) * (365.25 / 12);
    const monthDays = 365.25 / 12;
    let churned = 0;
    let exposure = 0;
    for (const r of rows) {
      const sinceLast = (asOf - r.lastPurchaseAt) / 86_400_000;
      const tenure = r.T * perUnitDays;
      if (sinceLast > inactiveDays) {
        churned++;
        exposure += Math.max(0, tenure - sinceLast) / monthDays + 1;
      } else exposure += tenure / monthDays + 1;
    }
    const churnRate = exposure > 0 ? churned / exposure : 0;
    const useFormula = method === 'formula' || (method !== 'historical' && churnRate > 0 && churnRate <= 1);
    const prefix = reason ? `${reason}; ` : '';
    if (useFormula && churnRate > 0 && churnRate <= 1) {
      chosen = 'formula';
      reason = `${prefix}formula CLV (monthly ARPA × margin / churn) with churn ${(churnRate * 100).toFixed(1)}%/month estimated from ${churned} customers inactive > ${options.inactiveAfterMonths ?? 6} months`;
    } else {
      chosen = 'historical';
      reason = `${prefix}historical CLV (margin to date)${method === 'formula' ? ': no churn observed, so the formula CLV is unbounded' : ''}`;
    }
    const monthlyDiscount = (1 + annual) ** (1 / 12) - 1;
    for (const r of rows) {
      const hist = r.totalValue * margin;
      if (chosen === 'formula') {
        const months = Math.max(1, (r.T * perUnitDays) / monthDays);
        const arpa = r.totalValue / months;
        const f = formulaClv({
          arpa,
          margin,
          churnRate,
          discountRate: monthlyDiscount,
          horizon: horizonMonths,
        });
        customers.push({
          customerId: r.customerId,
          value: f.value,
          expectedPurchases: null,
          probabilityAlive: null,
          averageValue: r.totalValue / (r.frequency + 1),
          historicalValue: hist,
          explanation: f.explanation,
        });
      } else {
        customers.push({
          customerId: r.customerId,
          value: hist,
          expectedPurchases: null,
          probabilityAlive: null,
          averageValue: r.totalValue / (r.frequency + 1),
          historicalValue: hist,
          explanation: `historical value: ${money(r.totalValue)} revenue over ${r.frequency + 1} purchase day(s) × ${(margin * 100).toFixed(0)}% margin = ${money(hist)}`,
        });
      }
    }
  }
  customers.sort((a, b) => {
    const av = a.value ?? Number.NEGATIVE_INFINITY;
    const bv = b.value ?? Number.NEGATIVE_INFINITY;
    if (av !== bv) return bv - av;
    return a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0;
  });
  const vals = Float64Array.from(
    customers.filter((c) => c.value !== null && Number.isFinite(c.value)),
    (c) => c.value as number,
  ).sort();
  let total = 0;
  for (const v of vals) total += v;
  const distribution =
    vals.length === 0
      ? empty
      : {
          n: vals.length,
          total,
          mean: total / vals.length,
          p10: quantileSorted(vals, 0.1),
          median: quantileSorted(vals, 0.5),
          p90: quantileSorted(vals, 0.9),
          max: vals[vals.length - 1] as number,
        };
  return { method: chosen, reason, model, spendModel, customers, distribution, warnings };
}
