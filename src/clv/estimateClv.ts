import { optionError } from '../_lib/errors';
import { fmtMoney, isCurrencyCode } from '../_lib/format';
import { requireEpochMs } from '../_lib/time';
import type { CustomerEvent } from '../events/types';
import { type EventStore, isEventStore } from '../store/EventStore';
import type { AsOfOptions, VitalsWarning } from '../types';
import { checkOptions, optEnum, optNumber, optString, requireEvents } from './_errors';
import {
  type ClvSettings,
  emptyDistribution,
  fallbackCustomers,
  fitSpendModel,
  modelCustomers,
  pickPurchaseModel,
  rankAndSummarise,
} from './_estimate';
import { requireStoreColumns } from './_storeRevenue';
import type { GammaGammaModel } from './GammaGammaModel';
import type { MBGNBDModel } from './MBGNBDModel';
import type { ParetoNBDModel } from './ParetoNBDModel';
import { DAYS_PER_UNIT, type RfmSummary, rfmSummary } from './rfmSummary';
import type { ClvWarningCode, TimeUnit } from './types';

/** Options of {@link estimateClv}. */
export interface EstimateClvOptions extends Required<AsOfOptions> {
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
  /** Event type subtracted as a refund (net revenue, as in `rfmSummary`). @default 'refund' */
  refundType?: string;
  /** ISO 4217 currency of the amounts, used in every sentence via `Intl.NumberFormat` (`GBP` → £1,234.50); plain numbers without it. @default none */
  currency?: string;
  /** |frequency–spend correlation| above which the Gamma-Gamma independence assumption is flagged (`spend_frequency_correlated`). @default 0.3 */
  correlationThreshold?: number;
}

const KNOWN_OPTIONS = [
  'asOf',
  'horizonMonths',
  'annualDiscountRate',
  'margin',
  'timeUnit',
  'method',
  'minCustomers',
  'minRepeatCustomers',
  'inactiveAfterMonths',
  'type',
  'refundType',
  'currency',
  'correlationThreshold',
] as const;

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
  /** Margin generated so far: net revenue (purchases − refunds) × margin; may be ≤ 0. */
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
  /** What the data could not support, with a code and a sentence (empty when all is well); see the function. */
  warnings: VitalsWarning<ClvWarningCode>[];
}

/** An amount for a sentence: `Intl.NumberFormat` in `currency`, else a plain number (no invented symbol). */
function moneyFormatter(currency: string | undefined): (v: number) => string {
  return (v) =>
    fmtMoney(v, currency === undefined ? { fractionDigits: Math.abs(v) >= 100 ? 0 : 2 } : { currency });
}

const CORRELATION_DEFAULT = 0.3;

type GivenSummary = Omit<RfmSummary, 'ignored' | 'warnings'> & { warnings?: RfmSummary['warnings'] };

const SUMMARY_FIELDS = ['frequency', 'recency', 'T', 'monetaryValue'] as const;

/**
 * A ready summary (e.g. `rfmSummaryFromRows`), checked at the door: customers with finite fields,
 * columns of the same length, a known time unit. Anything else is a `ValidationError`, not a TypeError.
 */
function requireSummary(fn: string, value: unknown): GivenSummary {
  const bad = (problem: string) =>
    optionError(fn, 'events', `must be an array of events or an rfmSummary result: ${problem}`);
  if (value === null || typeof value !== 'object') throw bad(`got ${value === null ? 'null' : typeof value}`);
  const s = value as Partial<GivenSummary>;
  if (!Array.isArray(s.customers)) throw bad('"customers" is not an array');
  if (typeof s.timeUnit !== 'string' || !Object.hasOwn(DAYS_PER_UNIT, s.timeUnit))
    throw bad('"timeUnit" must be days, weeks or months');
  if (s.warnings !== undefined && !Array.isArray(s.warnings)) throw bad('"warnings" is not an array');
  const n = s.customers.length;
  const cols = s.columns as Record<string, unknown> | undefined;
  if (cols === null || typeof cols !== 'object') throw bad('"columns" is missing');
  for (const f of SUMMARY_FIELDS) {
    const col = cols[f];
    if (!(col instanceof Float64Array) || col.length !== n)
      throw bad(`"columns.${f}" must be a Float64Array of ${n} values`);
    for (let i = 0; i < n; i++) if (!Number.isFinite(col[i])) throw bad(`"columns.${f}[${i}]" is not finite`);
  }
  s.customers.forEach((c: unknown, i) => {
    const row = c as Record<string, unknown> | null;
    if (row === null || typeof row !== 'object' || typeof row.customerId !== 'string')
      throw bad(`customers[${i}] has no string customerId`);
    for (const f of SUMMARY_FIELDS)
      if (typeof row[f] !== 'number' || !Number.isFinite(row[f]))
        throw bad(`customers[${i}].${f} is not finite`);
  });
  return s as GivenSummary;
}

/**
 * One-call CLV: purchase and refund events → RFM summary (net revenue) → purchase model + spend
 * model → per-customer discounted CLV over a horizon, each with an explanation such as "expected
 * 3.1 more purchases over 12 months if still active × £42.00 average × 0.82 chance still active =
 * £107.00 (discounted)" (amounts in `currency` via `Intl.NumberFormat`; plain numbers without it).
 *
 * Revenue is **net revenue** (purchases − refunds, the one definition of `_lib/revenue`, as in
 * `rfmSummary`, `historicalClv`, `transactionalMetrics` and segment): `historicalValue` of a
 * customer whose orders were all refunded is 0.
 *
 * Model choice (`method: 'auto'`): Pareto/NBD, because unlike BG/NBD it does not declare customers
 * without repeat purchases certainly alive (BG/NBD's known flaw). If its fit is **degenerate**
 * (`degenerate_fit`: a parameter at the boundary, a flat likelihood, huge standard errors, or no
 * dropout identified so P(alive) ≈ 1 for everyone) or it does not converge, MBG/NBD is fitted
 * instead (`model_switched` says why); if that is degenerate too, the formula / historical CLV is
 * used, because a model that sees no dropout would value every customer as if they bought for
 * ever. Forcing `method: 'paretonbd'` or `'mbgnbd'` keeps the model and its warning.
 * Spend per purchase from a Gamma-Gamma model fitted on repeat customers with positive net spend
 * (when ≥ 10 of them and q > 1; customers with net repeat spend ≤ 0 are left out with a count and
 * valued with z̄ = 0, i.e. shrunk towards the population mean), else each customer's own mean net
 * purchase value (floored at 0). When the data cannot support a model (fewer than `minCustomers`
 * customers or `minRepeatCustomers` repeat buyers) it falls back to the formula CLV (monthly
 * ARPA × margin / churn, churn estimated as churned customers per customer-month of exposure, a
 * customer being churned after `inactiveAfterMonths` without purchase) or, when no churn can be
 * estimated, the historical CLV; `reason` says which and why.
 *
 * Warnings (`warnings`, each `{ code, message }`): `degenerate_fit` (from the purchase or spend
 * model), `standard_errors_unavailable`, `model_switched`, `model_failed`, `negative_net_revenue`
 * (customers left out of the spend model), `spend_frequency_correlated` (|ρ| between frequency and
 * spend above `correlationThreshold`: Gamma-Gamma assumes independence, so values may be biased),
 * `spend_model_unusable` (q ≤ 1).
 *
 * asOf rule: an event stamped exactly at `asOf` counts.
 * Missing-data policy: no purchase events → `method: 'none'`, `customers: []`, `distribution.n: 0`.
 * Values are never NaN or Infinity.
 *
 * @param events validated events; `purchase` events with `value` = order amount, `refund` events
 *   with the refunded amount. Or an `EventStore` (its columns are read, no event object is built;
 *   the same result as its events). Or a ready RFM summary (`rfmSummary`'s result, or `rfmSummaryFromRows`
 *   of rows computed in SQL), used as is with its own `timeUnit` (`timeUnit`, `type` and
 *   `refundType` options are then not read).
 * @param options see {@link EstimateClvOptions}; `asOf` is required.
 * @returns method, reason, fitted models, per-customer CLV with explanations, value distribution,
 *   warnings.
 * @throws {ValidationError} for unknown or invalid options, including an invalid `asOf` or `currency`.
 * @example
 * ```ts
 * const res = estimateClv(parseEvents(rows).events, { asOf: '2025-07-01', margin: 0.3, currency: 'EUR' });
 * res.method; // => 'paretonbd'
 * res.customers[0].explanation;
 * // => 'expected 4.2 more purchases over 12 months if still active × €38.10 average × 0.91 chance still active × 30% margin = €43.55 (discounted)'
 * ```
 */
export function estimateClv(
  events: readonly CustomerEvent[] | EventStore | Omit<RfmSummary, 'ignored'>,
  options: EstimateClvOptions,
): EstimateClvResult {
  const fn = 'estimateClv';
  checkOptions(fn, options, KNOWN_OPTIONS);
  // A ready summary (e.g. rfmSummaryFromRows of SQL rows) is used as is: its own unit and asOf.
  const store = isEventStore(events) ? events : null;
  const given = store !== null || Array.isArray(events) ? null : requireSummary(fn, events);
  if (given === null && store === null) requireEvents(fn, events);
  if (store !== null) requireStoreColumns(fn, store);
  const s = readSettings(fn, options, given?.timeUnit);
  const warnings: VitalsWarning<ClvWarningCode>[] = [];
  const summary =
    given ??
    rfmSummary(store ?? (events as readonly CustomerEvent[]), {
      asOf: s.asOf,
      timeUnit: s.unit,
      type: s.type,
      refundType: s.refundType,
    });
  if (summary.warnings !== undefined) warnings.push(...summary.warnings);
  const rows = summary.customers;
  if (rows.length === 0) {
    return {
      method: 'none',
      reason: 'no purchase events up to asOf',
      model: null,
      spendModel: null,
      customers: [],
      distribution: emptyDistribution(),
      warnings,
    };
  }
  let repeaters = 0;
  for (const r of rows) if (r.frequency > 0) repeaters++;

  // Purchase model.
  const picked = pickPurchaseModel(
    summary.columns,
    s.method,
    rows.length,
    repeaters,
    s.minCustomers,
    s.minRepeat,
  );
  warnings.push(...picked.warnings);
  const model = picked.model;
  // Spend model, then per-customer values (formula / historical CLV without a purchase model).
  const spendModel = model ? fitSpendModel(rows, s.corrThreshold, warnings) : null;
  const valued = model
    ? { chosen: picked.chosen, reason: picked.reason, customers: modelCustomers(rows, model, spendModel, s) }
    : fallbackCustomers(rows, picked.reason, s);
  const distribution = rankAndSummarise(valued.customers);
  return {
    method: valued.chosen,
    reason: valued.reason,
    model,
    spendModel,
    customers: valued.customers,
    distribution,
    warnings,
  };
}

/** Reads and checks the options (after the input), in the order their errors are reported. */
function readSettings(fn: string, options: EstimateClvOptions, givenUnit: TimeUnit | undefined): ClvSettings {
  const asOf = requireEpochMs(options?.asOf, fn, 'asOf');
  const unit = givenUnit ?? optEnum<TimeUnit>(fn, options, 'timeUnit', 'weeks', ['days', 'weeks', 'months']);
  const perUnitDays = DAYS_PER_UNIT[unit];
  const horizonMonths = optNumber(fn, options, 'horizonMonths', 12, { gt: 0, max: 1200 });
  const monthInUnits = 365.25 / 12 / perUnitDays;
  const H = horizonMonths * monthInUnits;
  const annual = optNumber(fn, options, 'annualDiscountRate', 0.1, { min: 0, max: 100 });
  const delta = Math.log1p(annual) / (365.25 / perUnitDays);
  const margin = optNumber(fn, options, 'margin', 1, { min: -1e6, max: 1e6 });
  const minCustomers = optNumber(fn, options, 'minCustomers', 30, { integer: true, min: 2 });
  const minRepeat = optNumber(fn, options, 'minRepeatCustomers', 10, { integer: true, min: 1 });
  const inactiveMonths = optNumber(fn, options, 'inactiveAfterMonths', 6, { gt: 0, max: 1200 });
  const corrThreshold = optNumber(fn, options, 'correlationThreshold', CORRELATION_DEFAULT, {
    min: 0,
    max: 1,
  });
  const method = optEnum(fn, options, 'method', 'auto', [
    'auto',
    'paretonbd',
    'mbgnbd',
    'formula',
    'historical',
  ]);
  const type = optString(fn, options, 'type', 'purchase');
  const refundType = optString(fn, options, 'refundType', 'refund');
  const currency = options.currency;
  if (currency !== undefined && !isCurrencyCode(currency))
    throw optionError(
      fn,
      'currency',
      `must be an ISO 4217 code such as "EUR" or "GBP", got ${String(currency)}`,
    );
  return {
    asOf,
    unit,
    perUnitDays,
    horizonMonths,
    H,
    annual,
    delta,
    margin,
    minCustomers,
    minRepeat,
    inactiveMonths,
    corrThreshold,
    method,
    type,
    refundType,
    currency,
    money: moneyFormatter(currency),
  };
}
