import { checkOptions, optionError } from '../_lib/errors';
import { requireEpochMs } from '../_lib/time';
import type { EventLike } from '../actions/_eventRows';
import { wilson } from '../actions/_stats';
import { isCheckedStore } from '../segment/_storeInput';
import type { EventStore } from '../store/EventStore';
import type { AsOfOptions, VitalsWarning } from '../types';
import {
  type Cust,
  eventCustomers,
  PERIOD_RE,
  readClv,
  readSpend,
  storeCustomers,
} from './_acquisitionInput';

const FN = 'acquisitionMetrics';
const KEYS = ['spend', 'period', 'asOf', 'grossMargin', 'clv', 'clvSource', 'unknownChannel'];

/** Marketing and sales spend in one period (and channel). */
export interface AcquisitionSpendRow {
  /** `2025-03` (month), `2025-Q1` (quarter) or `2025` (year), matching the `period` option. */
  period: string;
  /** Acquisition channel (`ads`, `events`, `partners`, ...). @default '(all)' — spend not split by channel */
  channel?: string;
  /** Amount spent (≥ 0). */
  amount: number;
}

/** Options of {@link acquisitionMetrics}. */
export interface AcquisitionOptions extends AsOfOptions {
  /** Spend per period (and channel). Required. */
  spend: readonly AcquisitionSpendRow[];
  /** Period length of the spend rows. @default 'month' */
  period?: 'month' | 'quarter' | 'year';
  /** Gross margin on revenue, in (0, 1]. @default 1 (payback on revenue, stated in `basis`) */
  grossMargin?: number;
  /** Lifetime value per customer (e.g. `estimateClv` results) for LTV:CAC: a Map or `{ customerId, clv }[]`. @default none */
  clv?: ReadonlyMap<string, number> | readonly { customerId: string; clv: number }[];
  /** Which estimate `clv` is, for the sentence (`'BG/NBD + Gamma-Gamma, 12 months'`). @default 'the clv you passed' */
  clvSource?: string;
  /** Channel of customers whose events name none. @default '(unknown)' */
  unknownChannel?: string;
}

/** A rate with its numerator, denominator and Wilson 95% interval; null + reason when undefined. */
export interface Conversion {
  n: number;
  converted: number;
  rate: number | null;
  interval: [number, number] | null;
  reason: string | null;
}

/** Acquisition economics of one period × channel (or a total). */
export interface AcquisitionCell {
  period: string;
  channel: string;
  spend: number;
  /** Customers acquired (first `subscription_started` or first `purchase`) in the period through the channel. */
  newCustomers: number;
  /** spend / newCustomers; null when no customer was acquired. */
  cac: number | null;
  /** Mean monthly gross margin of one new customer: grossMargin × starting MRR, or × purchases per month observed. */
  monthlyMarginPerCustomer: number | null;
  /** CAC / monthly margin per customer: months to earn back the acquisition cost. */
  paybackMonths: number | null;
  /** Mean CLV of the new customers / CAC. */
  ltvToCac: number | null;
  /** `mrr` (subscriptions), `purchases` (purchase margin) or `none`. */
  basis: 'mrr' | 'purchases' | 'none';
  trialToPaid: Conversion;
  visitToPurchase: Conversion;
  /** Why a figure is null, in words. */
  reasons: string[];
}

/** Warning codes of `acquisitionMetrics`. */
export type AcquisitionWarningCode =
  | 'spend_without_customers'
  | 'customers_without_spend'
  | 'margin_assumed'
  | 'clv_missing';

/** Result of `acquisitionMetrics`. */
export interface AcquisitionResult {
  /** One cell per period × channel with spend or new customers, by period then channel. */
  cells: AcquisitionCell[];
  /** One cell per period (channels summed). */
  periods: AcquisitionCell[];
  /** Every period and channel together. */
  total: AcquisitionCell;
  /** How CLV entered LTV:CAC, in words. */
  ltvSource: string | null;
  dataUsed: string[];
  warnings: VitalsWarning<AcquisitionWarningCode>[];
}

function periodKey(t: number, period: 'month' | 'quarter' | 'year'): string {
  const d = new Date(t);
  const y = String(d.getUTCFullYear()).padStart(4, '0');
  const m = d.getUTCMonth();
  if (period === 'year') return y;
  if (period === 'quarter') return `${y}-Q${Math.floor(m / 3) + 1}`;
  return `${y}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * Acquisition economics per period and channel from events and the spend you give:
 * - **CAC** = spend / new customers acquired in the period through the channel (a customer is
 *   acquired at its first `subscription_started` or, without subscriptions, first `purchase`; its
 *   channel is `properties.channel` of its first `visit`, `signup`, `trial_started` or
 *   `subscription_started` event carrying one);
 * - **CAC payback (months)** = CAC / (gross margin × monthly revenue of a new customer), monthly
 *   revenue being the starting MRR (`subscription_started` value) or, for purchases, the
 *   customer's purchase revenue per month observed from acquisition to asOf (at least one month);
 * - **LTV:CAC** = mean CLV of the new customers (from `clv`, e.g. `estimateClv`; `ltvSource` says
 *   which) / CAC;
 * - **trial-to-paid** = share of customers who started a trial in the period and later subscribed
 *   (by asOf), **visit-to-purchase** = share of visitors in the period who later purchased, each
 *   with n, a Wilson 95% interval and `null` + reason when no trial or visit exists.
 * Definitions follow the usual SaaS metrics (e.g. Skok, "SaaS Metrics 2.0"). Events after asOf are
 * ignored (asOf rule: events at asOf count).
 *
 * Missing-data policy: a period × channel with spend but no new customer has `cac: null` and a
 * reason (`spend_without_customers`); new customers without spend rows give CAC 0-spend cells
 * flagged `customers_without_spend`; no `grossMargin` → revenue used (`margin_assumed`); no `clv` →
 * LTV:CAC null (`clv_missing`). Spend rows are validated (period format, amount ≥ 0) with located errors.
 *
 * Order: events of one customer are read in time order, events at one instant in `compareEvents`
 * order (type, eventId, value, properties), and customers in ascending id, so the result does not
 * depend on the input order. Given an `EventStore`, the rows are read from its columns in that order
 * (no event object; `properties.channel` is one of the store's columns).
 *
 * @param events events with subscriptions or purchases, and optionally trials, visits and channels,
 *   or an `EventStore`.
 * @param options `spend` and `asOf` required; `period`, `grossMargin`, `clv`, `clvSource`.
 * @returns cells per period × channel, per period and overall, with warnings.
 * @throws ValidationError for bad options, spend rows or events.
 * @example
 * ```ts
 * const events = [
 *   { customerId: 'a', type: 'signup', timestamp: '2025-01-03', properties: { channel: 'ads' } },
 *   { customerId: 'a', type: 'subscription_started', timestamp: '2025-01-05', value: 100 },
 *   { customerId: 'b', type: 'signup', timestamp: '2025-01-09', properties: { channel: 'ads' } },
 *   { customerId: 'b', type: 'subscription_started', timestamp: '2025-01-10', value: 50 },
 * ];
 * const r = acquisitionMetrics(events, { spend: [{ period: '2025-01', channel: 'ads', amount: 600 }], grossMargin: 0.8, asOf: '2025-02-01' });
 * r.cells[0].cac; // => 300 (600 / 2)
 * r.cells[0].paybackMonths; // => 5 (300 / (0.8 × 75))
 * ```
 */
export function acquisitionMetrics(
  events: readonly EventLike[] | EventStore,
  options: AcquisitionOptions,
): AcquisitionResult {
  checkOptions(FN, options, KEYS);
  if (options === undefined) throw optionError(FN, 'spend', 'is required', 'required');
  const asOf = requireEpochMs(options.asOf, FN, 'asOf');
  const period = options.period ?? 'month';
  if (!Object.hasOwn(PERIOD_RE, period))
    throw optionError(FN, 'period', 'must be "month", "quarter" or "year"');
  const margin = options.grossMargin ?? 1;
  if (typeof margin !== 'number' || !(margin > 0 && margin <= 1))
    throw optionError(FN, 'grossMargin', 'must be a number in (0, 1]', 'out_of_range');
  const unknownChannel = options.unknownChannel ?? '(unknown)';
  if (typeof unknownChannel !== 'string' || unknownChannel.length === 0)
    throw optionError(FN, 'unknownChannel', 'must be a non-empty string');
  if (!Array.isArray(options.spend))
    throw optionError(FN, 'spend', 'is required: an array of { period, channel?, amount }', 'required');
  const spend = readSpend(options.spend, period);
  const clvMap = readClv(options.clv);
  const { custs, anySubs } = isCheckedStore(FN, events)
    ? storeCustomers(events, asOf)
    : eventCustomers(events, asOf);
  const accs = accumulate(custs, anySubs, spend, period, unknownChannel);
  const MONTH = 30.436875 * 86_400_000;
  const monthlyRevenue = (c: Cust): number | null => {
    if (anySubs) return c.startMrr;
    if (c.purchaseCount === 0) return null;
    return c.purchaseSum / Math.max(1, (asOf - c.acquiredAt) / MONTH);
  };
  const basis: AcquisitionCell['basis'] = anySubs ? 'mrr' : custs.size > 0 ? 'purchases' : 'none';
  const ctx: CellContext = { spend, custs, clvMap, margin, basis, monthlyRevenue };
  const all = [...accs.values()].sort((a, b) =>
    a.period < b.period
      ? -1
      : a.period > b.period
        ? 1
        : a.channel < b.channel
          ? -1
          : a.channel > b.channel
            ? 1
            : 0,
  );
  const cells = all.map((a) => buildCell(ctx, a.period, a.channel, [a]));
  const periods = [...new Set(all.map((a) => a.period))].map((p) =>
    buildCell(
      ctx,
      p,
      '(all)',
      all.filter((a) => a.period === p),
    ),
  );
  const total = buildCell(ctx, '(all)', '(all)', all);
  return {
    cells,
    periods,
    total,
    ltvSource: clvMap.size === 0 ? null : (options.clvSource ?? 'the clv you passed'),
    dataUsed: ['customerId', 'type', 'timestamp', 'value', 'properties.channel'],
    warnings: acquisitionWarnings(cells, spend, options, clvMap),
  };
}

/** One period × channel: its new customers, trials and visits (with their conversions). */
interface Acc {
  period: string;
  channel: string;
  ids: string[];
  trials: number;
  trialsPaid: number;
  visits: number;
  visitsBought: number;
}

/**
 * The period × channel accumulators (`period \0 channel`), in customer order, then one per spend
 * row without customers. Sets each customer's `acquiredAt`.
 */
function accumulate(
  custs: Map<string, Cust>,
  anySubs: boolean,
  spend: Map<string, number>,
  period: 'month' | 'quarter' | 'year',
  unknownChannel: string,
): Map<string, Acc> {
  const accs = new Map<string, Acc>();
  const acc = (p: string, ch: string): Acc => {
    const key = `${p}\u0000${ch}`;
    let a = accs.get(key);
    if (!a) {
      a = { period: p, channel: ch, ids: [], trials: 0, trialsPaid: 0, visits: 0, visitsBought: 0 };
      accs.set(key, a);
    }
    return a;
  };
  const split = new Set([...spend.keys()].map((k) => k.split('\u0000')[1]));
  const onlyTotal = split.size === 1 && split.has('(all)');
  for (const [id, c] of custs) {
    const ch = onlyTotal ? '(all)' : (c.channel ?? unknownChannel);
    c.acquiredAt = anySubs ? c.paidAt : c.purchasedAt;
    if (c.acquiredAt !== Infinity) acc(periodKey(c.acquiredAt, period), ch).ids.push(id);
    if (c.trialAt !== Infinity) {
      const a = acc(periodKey(c.trialAt, period), ch);
      a.trials++;
      if (c.paidAt >= c.trialAt && c.paidAt !== Infinity) a.trialsPaid++;
    }
    if (c.visitAt !== Infinity) {
      const a = acc(periodKey(c.visitAt, period), ch);
      a.visits++;
      if (c.purchasedAt >= c.visitAt && c.purchasedAt !== Infinity) a.visitsBought++;
    }
  }
  for (const key of spend.keys()) {
    const [p, ch] = key.split('\u0000') as [string, string];
    acc(p, ch);
  }
  return accs;
}

/** What every cell reads. */
interface CellContext {
  spend: Map<string, number>;
  custs: Map<string, Cust>;
  clvMap: Map<string, number>;
  margin: number;
  basis: AcquisitionCell['basis'];
  monthlyRevenue: (c: Cust) => number | null;
}

function conversion(n: number, x: number, what: string): Conversion {
  return n === 0
    ? { n: 0, converted: 0, rate: null, interval: null, reason: `no ${what} in this period` }
    : { n, converted: x, rate: x / n, interval: wilson(x, n), reason: null };
}

/** The cell of `period` × `channel` over the accumulators in `list`. */
function buildCell(ctx: CellContext, period: string, channel: string, list: Acc[]): AcquisitionCell {
  const { spend, custs, clvMap, margin } = ctx;
  let sp = 0;
  for (const a of list) sp += spend.get(`${a.period}\u0000${a.channel}`) ?? 0;
  const ids = list.flatMap((a) => a.ids);
  const reasons: string[] = [];
  const n = ids.length;
  const cac = n > 0 ? sp / n : null;
  if (n === 0) reasons.push('no customer was acquired, so CAC is undefined');
  let revSum = 0;
  let revN = 0;
  let clvSum = 0;
  let clvN = 0;
  for (const id of ids) {
    const c = custs.get(id) as Cust;
    const r = ctx.monthlyRevenue(c);
    if (r !== null) {
      revSum += r;
      revN++;
    }
    const v = clvMap.get(id);
    if (v !== undefined) {
      clvSum += v;
      clvN++;
    }
  }
  const mm = revN > 0 ? (margin * revSum) / revN : null;
  let payback: number | null = null;
  if (cac !== null && mm !== null && mm > 0) payback = cac / mm;
  else if (cac !== null) reasons.push('no revenue from the new customers, so payback is undefined');
  let ltv: number | null = null;
  if (cac !== null && cac > 0 && clvN > 0) ltv = clvSum / clvN / cac;
  else if (cac !== null && clvMap.size === 0) reasons.push('no clv given, so LTV:CAC is undefined');
  else if (cac === 0) reasons.push('no spend, so LTV:CAC is undefined');
  else if (cac !== null) reasons.push('none of the new customers has a clv');
  let trials = 0;
  let tp = 0;
  let visits = 0;
  let vb = 0;
  for (const a of list) {
    trials += a.trials;
    tp += a.trialsPaid;
    visits += a.visits;
    vb += a.visitsBought;
  }
  return {
    period,
    channel,
    spend: sp,
    newCustomers: n,
    cac,
    monthlyMarginPerCustomer: mm,
    paybackMonths: payback,
    ltvToCac: ltv,
    basis: ctx.basis,
    trialToPaid: conversion(trials, tp, 'trial'),
    visitToPurchase: conversion(visits, vb, 'visit'),
    reasons,
  };
}

/** The warnings of the result: cells with spend and no customer (or the reverse), margin and clv missing. */
function acquisitionWarnings(
  cells: readonly AcquisitionCell[],
  spend: Map<string, number>,
  options: AcquisitionOptions,
  clvMap: Map<string, number>,
): VitalsWarning<AcquisitionWarningCode>[] {
  const warnings: VitalsWarning<AcquisitionWarningCode>[] = [];
  const noCust = cells.filter((c) => c.spend > 0 && c.newCustomers === 0);
  if (noCust.length > 0)
    warnings.push({
      code: 'spend_without_customers',
      message: `${noCust.length} period × channel cell(s) have spend but no new customer (CAC undefined): ${noCust
        .slice(0, 3)
        .map((c) => `${c.period}/${c.channel}`)
        .join(', ')}.`,
    });
  const noSpend = cells.filter((c) => c.newCustomers > 0 && !spend.has(`${c.period}\u0000${c.channel}`));
  if (noSpend.length > 0)
    warnings.push({
      code: 'customers_without_spend',
      message: `${noSpend.length} period × channel cell(s) have new customers but no spend row (CAC 0 there): ${noSpend
        .slice(0, 3)
        .map((c) => `${c.period}/${c.channel}`)
        .join(', ')}.`,
    });
  if (options.grossMargin === undefined)
    warnings.push({
      code: 'margin_assumed',
      message: 'No grossMargin given: payback is computed on revenue (margin 100%), which flatters it.',
    });
  if (clvMap.size === 0)
    warnings.push({
      code: 'clv_missing',
      message: 'No clv given: LTV:CAC is not computed (pass estimateClv results as clv).',
    });
  return warnings;
}
