import { checkOptions, optionError, ValidationError, type ValidationIssue } from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';
import { requireEpochMs } from '../_lib/time';
import { type EventLike, eventTimes } from '../actions/_eventRows';
import { wilson } from '../actions/_stats';
import { compareEvents } from '../events/groupByCustomer';
import type { CustomerEvent } from '../events/types';
import { isCheckedStore, StorePropReader } from '../segment/_storeInput';
import type { EventStore } from '../store/EventStore';
import type { AsOfOptions, VitalsWarning } from '../types';

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

const PERIOD_RE = { month: /^\d{4}-(0[1-9]|1[0-2])$/, quarter: /^\d{4}-Q[1-4]$/, year: /^\d{4}$/ } as const;

function periodKey(t: number, period: 'month' | 'quarter' | 'year'): string {
  const d = new Date(t);
  const y = String(d.getUTCFullYear()).padStart(4, '0');
  const m = d.getUTCMonth();
  if (period === 'year') return y;
  if (period === 'quarter') return `${y}-Q${Math.floor(m / 3) + 1}`;
  return `${y}-${String(m + 1).padStart(2, '0')}`;
}

interface Cust {
  channel: string | null;
  acquiredAt: number;
  startMrr: number | null;
  /** Σ purchase values (in event order) and their number. */
  purchaseSum: number;
  purchaseCount: number;
  trialAt: number;
  visitAt: number;
  paidAt: number;
  purchasedAt: number;
}

function newCust(): Cust {
  return {
    channel: null,
    acquiredAt: Infinity,
    startMrr: null,
    purchaseSum: 0,
    purchaseCount: 0,
    trialAt: Infinity,
    visitAt: Infinity,
    paidAt: Infinity,
    purchasedAt: Infinity,
  };
}

// What the loop does with an event type.
const T_OTHER = 0;
const T_VISIT = 1;
const T_SIGNUP = 2;
const T_TRIAL = 3;
const T_SUB = 4;
const T_PURCHASE = 5;

function typeKind(type: string): number {
  switch (type) {
    case 'visit':
      return T_VISIT;
    case 'signup':
      return T_SIGNUP;
    case 'trial_started':
      return T_TRIAL;
    case 'subscription_started':
      return T_SUB;
    case 'purchase':
      return T_PURCHASE;
    default:
      return T_OTHER;
  }
}

/**
 * Adds one event (kind from {@link typeKind}, not T_OTHER; events of a customer in time order, ties
 * in `compareEvents` order) to its customer. `value` is the event's value when a finite number.
 * @returns true for a subscription start.
 */
function addEvent(c: Cust, kind: number, t: number, value: number | undefined, ch: unknown): boolean {
  if (c.channel === null && typeof ch === 'string' && ch.length > 0 && kind !== T_PURCHASE) c.channel = ch;
  if (kind === T_VISIT) c.visitAt = Math.min(c.visitAt, t);
  else if (kind === T_TRIAL) c.trialAt = Math.min(c.trialAt, t);
  else if (kind === T_SUB) {
    if (c.paidAt === Infinity) {
      c.paidAt = t;
      c.startMrr = value ?? null;
    }
    return true;
  } else if (kind === T_PURCHASE) {
    if (c.purchasedAt === Infinity) c.purchasedAt = t;
    if (value !== undefined) {
      c.purchaseSum += value;
      c.purchaseCount++;
    }
  }
  return false;
}

/** Has what `compareEvents` reads with a validated event's types (raw rows fall back to input order). */
function comparable(e: EventLike): boolean {
  const x = e as { timestamp: unknown; value?: unknown; eventId?: unknown };
  return (
    typeof x.timestamp === 'number' &&
    (x.value === undefined || typeof x.value === 'number') &&
    (x.eventId === undefined || typeof x.eventId === 'string')
  );
}

/** The event order of the loop: time, then (validated events) `compareEvents`, then input order. */
function eventOrder(events: readonly EventLike[], times: Float64Array): number[] {
  return Array.from({ length: events.length }, (_, i) => i).sort((a, b) => {
    const d = (times[a] as number) - (times[b] as number);
    if (d !== 0) return d;
    const ea = events[a] as EventLike;
    const eb = events[b] as EventLike;
    if (comparable(ea) && comparable(eb)) {
      const c = compareEvents(ea as CustomerEvent, eb as CustomerEvent);
      if (c !== 0) return c;
    }
    return a - b;
  });
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
  const issues: ValidationIssue[] = [];
  const spend = new Map<string, number>(); // period \0 channel
  options.spend.forEach((r: unknown, i) => {
    if (issues.length >= 100) return;
    if (!isPlainObject(r)) {
      issues.push({
        path: ['spend', i],
        code: 'not_plain_object',
        message: 'a spend row must be { period, channel?, amount }',
      });
      return;
    }
    const extra = Object.keys(r).filter((k) => !['period', 'channel', 'amount'].includes(k));
    for (const k of extra)
      issues.push({
        path: ['spend', i, k],
        code: 'unknown_key',
        message: `unknown key "${k.slice(0, 40)}" (period, channel, amount)`,
      });
    if (typeof r.period !== 'string' || !PERIOD_RE[period].test(r.period))
      issues.push({
        path: ['spend', i, 'period'],
        code: 'invalid_periods',
        message: `period must look like ${period === 'month' ? '2025-03' : period === 'quarter' ? '2025-Q1' : '2025'}`,
      });
    if (r.channel !== undefined && (typeof r.channel !== 'string' || r.channel.length === 0))
      issues.push({
        path: ['spend', i, 'channel'],
        code: 'invalid_type',
        message: 'channel must be a non-empty string',
      });
    if (typeof r.amount !== 'number' || !Number.isFinite(r.amount) || r.amount < 0)
      issues.push({
        path: ['spend', i, 'amount'],
        code: 'negative_amount',
        message: 'amount must be a finite number >= 0',
      });
    if (issues.length > 0) return;
    const key = `${r.period}\u0000${(r.channel as string | undefined) ?? '(all)'}`;
    spend.set(key, (spend.get(key) ?? 0) + (r.amount as number));
  });
  if (issues.length > 0) throw new ValidationError(FN, issues, 'spend');
  const clvMap = new Map<string, number>();
  if (options.clv !== undefined) {
    const entries: Iterable<[unknown, unknown]> =
      options.clv instanceof Map
        ? options.clv
        : Array.isArray(options.clv)
          ? options.clv.map((r) => [r?.customerId, r?.clv])
          : [];
    if (!(options.clv instanceof Map) && !Array.isArray(options.clv))
      throw optionError(FN, 'clv', 'must be a Map or an array of { customerId, clv }', 'invalid_type');
    let i = 0;
    for (const [id, v] of entries) {
      if (typeof id !== 'string' || typeof v !== 'number' || !Number.isFinite(v))
        throw new ValidationError(FN, [
          {
            path: ['clv', i],
            code: 'invalid_record',
            message: 'each clv entry needs a string customerId and a finite clv',
          },
        ]);
      clvMap.set(id, v);
      i++;
    }
  }
  const { custs, anySubs } = isCheckedStore(FN, events)
    ? storeCustomers(events, asOf)
    : eventCustomers(events, asOf);
  interface Acc {
    period: string;
    channel: string;
    ids: string[];
    trials: number;
    trialsPaid: number;
    visits: number;
    visitsBought: number;
  }
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
  const MONTH = 30.436875 * 86_400_000;
  const monthlyRevenue = (c: Cust): number | null => {
    if (anySubs) return c.startMrr;
    if (c.purchaseCount === 0) return null;
    return c.purchaseSum / Math.max(1, (asOf - c.acquiredAt) / MONTH);
  };
  const basis: AcquisitionCell['basis'] = anySubs ? 'mrr' : custs.size > 0 ? 'purchases' : 'none';
  const warnings: VitalsWarning<AcquisitionWarningCode>[] = [];
  const conv = (n: number, x: number, what: string): Conversion =>
    n === 0
      ? { n: 0, converted: 0, rate: null, interval: null, reason: `no ${what} in this period` }
      : { n, converted: x, rate: x / n, interval: wilson(x, n), reason: null };
  const build = (period: string, channel: string, list: Acc[]): AcquisitionCell => {
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
      const r = monthlyRevenue(c);
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
      basis,
      trialToPaid: conv(trials, tp, 'trial'),
      visitToPurchase: conv(visits, vb, 'visit'),
      reasons,
    };
  };
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
  const cells = all.map((a) => build(a.period, a.channel, [a]));
  const periods = [...new Set(all.map((a) => a.period))].map((p) =>
    build(
      p,
      '(all)',
      all.filter((a) => a.period === p),
    ),
  );
  const total = build('(all)', '(all)', all);
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
  return {
    cells,
    periods,
    total,
    ltvSource: clvMap.size === 0 ? null : (options.clvSource ?? 'the clv you passed'),
    dataUsed: ['customerId', 'type', 'timestamp', 'value', 'properties.channel'],
    warnings,
  };
}

/** The event path: one {@link Cust} per customer (ascending id) from the events at or before asOf. */
function eventCustomers(
  events: readonly EventLike[],
  asOf: number,
): { custs: Map<string, Cust>; anySubs: boolean } {
  const times = eventTimes(FN, events);
  const byId = new Map<string, Cust>();
  // Events in time order so "first" is well defined whatever the input order.
  const order = eventOrder(events, times);
  let anySubs = false;
  for (const i of order) {
    const t = times[i] as number;
    if (t > asOf) break;
    const e = events[i] as EventLike;
    const kind = typeKind(e.type);
    if (kind === T_OTHER) continue;
    let c = byId.get(e.customerId);
    if (c === undefined) {
      c = newCust();
      byId.set(e.customerId, c);
    }
    const v = typeof e.value === 'number' && Number.isFinite(e.value) ? e.value : undefined;
    if (addEvent(c, kind, t, v, e.properties?.channel)) anySubs = true;
  }
  const custs = new Map<string, Cust>();
  for (const id of [...byId.keys()].sort()) custs.set(id, byId.get(id) as Cust);
  return { custs, anySubs };
}

/** The store path: the same customers from the store's columns (rows in the loop's order). */
function storeCustomers(store: EventStore, asOf: number): { custs: Map<string, Cust>; anySubs: boolean } {
  const { time, typeCode, value, hasValue, offsets } = store;
  const kinds = Uint8Array.from(store.types, typeKind);
  const custs = new Map<string, Cust>();
  let anySubs = false;
  let channels: StorePropReader | null = null;
  for (let c = 0; c < store.customerIds.length; c++) {
    let cust: Cust | null = null;
    const end = offsets[c + 1] as number;
    for (let i = offsets[c] as number; i < end; i++) {
      const t = time[i] as number;
      if (t > asOf) break;
      const kind = kinds[typeCode[i] as number] as number;
      if (kind === T_OTHER) continue;
      if (cust === null) {
        cust = newCust();
        custs.set(store.customerIds[c] as string, cust);
      }
      channels ??= new StorePropReader(FN, store, 'channel');
      const v = hasValue[i] === 1 ? (value[i] as number) : undefined;
      if (addEvent(cust, kind, t, v, kind === T_PURCHASE ? undefined : channels.at(i))) anySubs = true;
    }
  }
  return { custs, anySubs };
}
