/**
 * Private parts of {@link estimateClv}: the purchase-model choice, the spend model, the per-customer
 * values (model, formula or historical CLV) and the value distribution.
 */
import { ConvergenceError, InsufficientDataError } from '../_lib/errors';
import { quantileSorted } from '../_lib/order';
import type { VitalsWarning } from '../types';
import type { CustomerClv, EstimateClvOptions, EstimateClvResult } from './estimateClv';
import { fitGammaGamma } from './fitGammaGamma';
import { fitMBGNBD } from './fitMBGNBD';
import { fitParetoNBD } from './fitParetoNBD';
import { formulaClv } from './formulaClv';
import type { GammaGammaModel } from './GammaGammaModel';
import type { MBGNBDModel } from './MBGNBDModel';
import type { ParetoNBDModel } from './ParetoNBDModel';
import type { RfmSummary } from './rfmSummary';
import type { ClvWarningCode, TimeUnit } from './types';

/** The checked options of {@link estimateClv} with the quantities derived from them. */
export interface ClvSettings {
  asOf: number;
  unit: TimeUnit;
  perUnitDays: number;
  horizonMonths: number;
  /** Horizon in model time units. */
  H: number;
  annual: number;
  /** Continuous discount rate per model time unit. */
  delta: number;
  margin: number;
  minCustomers: number;
  minRepeat: number;
  inactiveMonths: number;
  corrThreshold: number;
  method: NonNullable<EstimateClvOptions['method']>;
  type: string;
  refundType: string;
  currency: string | undefined;
  /** An amount for a sentence (in `currency` when given). */
  money: (v: number) => string;
}

type Row = RfmSummary['customers'][number];
type Distribution = EstimateClvResult['distribution'];

/** The distribution of no customers. */
export function emptyDistribution(): Distribution {
  return { n: 0, total: null, mean: null, p10: null, median: null, p90: null, max: null };
}

/**
 * Gamma-Gamma spend model on repeat customers with positive net spend (when ≥ 10 of them), with its
 * warnings; null (each customer's own mean used) when too few, q ≤ 1 or the fit fails.
 */
export function fitSpendModel(
  rows: readonly Row[],
  corrThreshold: number,
  warnings: VitalsWarning<ClvWarningCode>[],
): GammaGammaModel | null {
  let positiveRepeaters = 0;
  let nonPositiveRepeaters = 0;
  for (const r of rows) {
    if (r.frequency > 0 && r.monetaryValue > 0) positiveRepeaters++;
    else if (r.frequency > 0) nonPositiveRepeaters++;
  }
  if (positiveRepeaters < 10) return null;
  try {
    const spendModel = fitGammaGamma(
      rows.map((r) => ({ frequency: r.frequency, monetaryValue: r.monetaryValue })),
      { standardErrors: true },
    );
    for (const w of spendModel.warnings) if (w.code === 'degenerate_fit') warnings.push(w);
    if (nonPositiveRepeaters > 0)
      warnings.push({
        code: 'negative_net_revenue',
        message: `${nonPositiveRepeaters} repeat customer${nonPositiveRepeaters === 1 ? '' : 's'} with net repeat spend <= 0 (refunds, or purchases worth 0) ${nonPositiveRepeaters === 1 ? 'was' : 'were'} left out of the Gamma-Gamma spend model; ${nonPositiveRepeaters === 1 ? 'its' : 'their'} spend is estimated from the population (mean spend taken as 0).`,
      });
    const rho = spendModel.report.frequencySpendCorrelation;
    if (rho !== null && Math.abs(rho) > corrThreshold)
      warnings.push({
        code: 'spend_frequency_correlated',
        message: `Purchase frequency and spend per purchase are correlated (ρ = ${rho.toFixed(2)}, above ${corrThreshold}); the Gamma-Gamma spend model assumes they are independent, so values of frequent buyers may be biased. Compare with each customer's own mean spend, or segment customers before estimating.`,
      });
    if (spendModel.expectedAverageValue() === null) {
      warnings.push({
        code: 'spend_model_unusable',
        message:
          "The Gamma-Gamma spend model has q <= 1 (mean spend undefined); each customer's own mean purchase value is used instead.",
      });
      return null;
    }
    return spendModel;
  } catch (err) {
    if (!(err instanceof ConvergenceError || err instanceof InsufficientDataError)) throw err;
    warnings.push({
      code: 'model_failed',
      message: `${err.message}; each customer's own mean purchase value is used instead.`,
    });
    return null;
  }
}

/** Per-customer discounted CLV from the purchase model and the spend model (or the own mean). */
export function modelCustomers(
  rows: readonly Row[],
  model: ParetoNBDModel | MBGNBDModel,
  spendModel: GammaGammaModel | null,
  s: ClvSettings,
): CustomerClv[] {
  const { margin, money } = s;
  const customers: CustomerClv[] = [];
  const horizonText = `${s.horizonMonths} month${s.horizonMonths === 1 ? '' : 's'}`;
  for (const r of rows) {
    const h = { frequency: r.frequency, recency: r.recency, T: r.T };
    const ownMean = Math.max(0, r.totalValue / (r.frequency + 1));
    const avg =
      spendModel?.conditionalExpectedAverageValue(r.frequency, Math.max(0, r.monetaryValue)) ?? ownMean;
    const res = model.customerLifetimeValue(h, {
      valuePerTransaction: avg,
      discountRate: s.delta,
      horizon: s.H,
      margin,
    });
    const expected = finiteOr0(res.expectedTransactions ?? 0);
    const pa = finiteOr0(res.probabilityAlive);
    const value = finiteOr0(res.value);
    const ifAlive = pa > 0 ? expected / pa : 0;
    customers.push({
      customerId: r.customerId,
      value,
      expectedPurchases: expected,
      probabilityAlive: pa,
      averageValue: avg,
      historicalValue: r.totalValue * margin,
      explanation:
        `expected ${ifAlive.toFixed(1)} more purchases over ${horizonText} if still active × ${money(avg)} average × ` +
        `${pa.toFixed(2)} chance still active${margin !== 1 ? ` × ${(margin * 100).toFixed(0)}% margin` : ''} = ${money(value)} (discounted)`,
    });
  }
  return customers;
}

/** Churned customers per customer-month of exposure, a customer churned after `inactiveMonths` without purchase. */
function churnPerMonth(rows: readonly Row[], s: ClvSettings): { churned: number; churnRate: number } {
  const inactiveDays = s.inactiveMonths * (365.25 / 12);
  const monthDays = 365.25 / 12;
  let churned = 0;
  let exposure = 0;
  for (const r of rows) {
    const sinceLast = (s.asOf - r.lastPurchaseAt) / 86_400_000;
    const tenure = r.T * s.perUnitDays;
    if (sinceLast > inactiveDays) {
      churned++;
      exposure += Math.max(0, tenure - sinceLast) / monthDays + 1;
    } else exposure += tenure / monthDays + 1;
  }
  return { churned, churnRate: exposure > 0 ? churned / exposure : 0 };
}

/** Without a purchase model: formula CLV with churn per customer-month, else historical CLV. */
export function fallbackCustomers(
  rows: readonly Row[],
  pickedReason: string,
  s: ClvSettings,
): { chosen: EstimateClvResult['method']; reason: string; customers: CustomerClv[] } {
  const { method, margin, money, currency } = s;
  const monthDays = 365.25 / 12;
  const { churned, churnRate } = churnPerMonth(rows, s);
  const useFormula = method === 'formula' || (method !== 'historical' && churnRate > 0 && churnRate <= 1);
  const prefix = pickedReason ? `${pickedReason}; ` : '';
  let chosen: EstimateClvResult['method'];
  let reason: string;
  if (useFormula && churnRate > 0 && churnRate <= 1) {
    chosen = 'formula';
    reason = `${prefix}formula CLV (monthly ARPA × margin / churn) with churn ${(churnRate * 100).toFixed(1)}%/month estimated from ${churned} customers inactive > ${s.inactiveMonths} months`;
  } else {
    chosen = 'historical';
    reason = `${prefix}historical CLV (margin to date)${method === 'formula' ? ': no churn observed, so the formula CLV is unbounded' : ''}`;
  }
  const monthlyDiscount = (1 + s.annual) ** (1 / 12) - 1;
  const customers: CustomerClv[] = [];
  for (const r of rows) {
    const hist = r.totalValue * margin;
    const avgValue = r.totalValue / (r.frequency + 1);
    if (chosen === 'formula') {
      const months = Math.max(1, (r.T * s.perUnitDays) / monthDays);
      const arpa = Math.max(0, r.totalValue) / months;
      const f = formulaClv({
        arpa,
        margin,
        churnRate,
        discountRate: monthlyDiscount,
        horizon: s.horizonMonths,
        ...(currency === undefined ? {} : { currency }),
      });
      customers.push({
        customerId: r.customerId,
        value: f.value === null ? null : finiteOr0(f.value),
        expectedPurchases: null,
        probabilityAlive: null,
        averageValue: avgValue,
        historicalValue: hist,
        explanation: f.explanation,
      });
    } else {
      customers.push({
        customerId: r.customerId,
        value: hist,
        expectedPurchases: null,
        probabilityAlive: null,
        averageValue: avgValue,
        historicalValue: hist,
        explanation: `historical value: ${money(r.totalValue)} net revenue over ${r.frequency + 1} purchase day(s) × ${(margin * 100).toFixed(0)}% margin = ${money(hist)}`,
      });
    }
  }
  return { chosen, reason, customers };
}

/** Sorts `customers` in place (descending value, ties by ascending id) and summarises their values. */
export function rankAndSummarise(customers: CustomerClv[]): Distribution {
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
  return vals.length === 0
    ? emptyDistribution()
    : {
        n: vals.length,
        total,
        mean: total / vals.length,
        p10: quantileSorted(vals, 0.1),
        median: quantileSorted(vals, 0.5),
        p90: quantileSorted(vals, 0.9),
        max: vals[vals.length - 1] as number,
      };
}

function finiteOr0(v: number): number {
  return Number.isFinite(v) ? v : 0;
}

function isDegenerate(m: { warnings: readonly VitalsWarning<ClvWarningCode>[] }): boolean {
  return m.warnings.some((w) => w.code === 'degenerate_fit');
}

/**
 * Chooses the purchase model: Pareto/NBD, else (degenerate or not converged) MBG/NBD, else none
 * (the caller falls back to the formula / historical CLV). Every switch is stated in a warning.
 */
export function pickPurchaseModel(
  data: RfmSummary['columns'],
  method: NonNullable<EstimateClvOptions['method']>,
  nCustomers: number,
  repeaters: number,
  minCustomers: number,
  minRepeat: number,
): {
  model: ParetoNBDModel | MBGNBDModel | null;
  chosen: EstimateClvResult['method'];
  reason: string;
  warnings: VitalsWarning<ClvWarningCode>[];
} {
  const warnings: VitalsWarning<ClvWarningCode>[] = [];
  const none = (reason: string) => ({ model: null, chosen: 'historical' as const, reason, warnings });
  if (method === 'formula' || method === 'historical') return none('');
  if (method === 'auto' && (nCustomers < minCustomers || repeaters < minRepeat))
    return none(
      `only ${nCustomers} customers and ${repeaters} repeat buyers (a model needs >= ${minCustomers} and >= ${minRepeat})`,
    );
  const fitted = `${nCustomers} customers (${repeaters} repeat buyers)`;
  const tryFit = (which: 'paretonbd' | 'mbgnbd'): ParetoNBDModel | MBGNBDModel | null => {
    try {
      const m = which === 'paretonbd' ? fitParetoNBD(data) : fitMBGNBD(data);
      warnings.push(...m.warnings);
      return m;
    } catch (err) {
      if (err instanceof ConvergenceError || err instanceof InsufficientDataError) {
        warnings.push({ code: 'model_failed', message: err.message });
        return null;
      }
      throw err;
    }
  };
  if (method === 'paretonbd' || method === 'mbgnbd') {
    const m = tryFit(method);
    if (m)
      return {
        model: m,
        chosen: method,
        reason: `${method === 'paretonbd' ? 'Pareto/NBD' : 'MBG/NBD'} fitted on ${fitted} (forced by method)`,
        warnings,
      };
    return none(`${method === 'paretonbd' ? 'Pareto/NBD' : 'MBG/NBD'} could not be fitted`);
  }
  const pareto = tryFit('paretonbd');
  if (pareto && !isDegenerate(pareto))
    return {
      model: pareto,
      chosen: 'paretonbd',
      reason: `Pareto/NBD fitted on ${fitted}; chosen over BG/NBD because it gives one-time buyers a realistic probability of being alive`,
      warnings,
    };
  const why = pareto
    ? 'the Pareto/NBD fit is degenerate (see degenerate_fit)'
    : 'Pareto/NBD did not converge';
  const mbg = tryFit('mbgnbd');
  if (mbg && !isDegenerate(mbg)) {
    warnings.push({
      code: 'model_switched',
      message: `Switched from Pareto/NBD to MBG/NBD because ${why}.`,
    });
    return { model: mbg, chosen: 'mbgnbd', reason: `MBG/NBD fitted on ${fitted} because ${why}`, warnings };
  }
  const why2 = mbg ? 'MBG/NBD is degenerate too' : 'MBG/NBD did not converge';
  warnings.push({
    code: 'model_switched',
    message: `No purchase model used: ${why} and ${why2}. A model that sees no dropout values every customer as if they kept buying for ever, so the formula or historical CLV is used instead; a longer observation window may identify the dropout rate.`,
  });
  return none(`no usable purchase model (${why}; ${why2})`);
}
