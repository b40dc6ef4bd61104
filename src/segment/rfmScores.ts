import { checkOptions, optionError } from '../_lib/errors';
import { isCurrencyCode } from '../_lib/format';
import { IdIndex } from '../_lib/IdIndex';
import { signedRevenue } from '../_lib/revenue';
import { showValue } from '../_lib/safe';
import { type DateInput, requireEpochMs } from '../_lib/time';
import type { CustomerEvent, CustomerTimelines } from '../events/types';
import type { EventStore } from '../store/EventStore';
import type { VitalsWarning } from '../types';
import { requireEventsInput, timelineEvents } from './_input';
import { emptyRfmTotals, type RfmTotals, rfmFromTotals } from './_rfmScoring';
import { isCheckedStore, typeMask } from './_storeInput';

/** Options of {@link rfmScores}. */
export interface RfmScoresOptions {
  /** The "today" recency is measured from. Events after it are ignored. */
  asOf: DateInput;
  /** Number of quantile bins (scores run 1..bins). Integer from 2 to 9. @default 5 */
  bins?: number;
  /** Event types that count as purchases. @default ['purchase'] */
  purchaseTypes?: readonly string[];
  /**
   * Subtract `refund` values from the monetary total: the project's one net-revenue definition
   * (src/_lib/revenue.ts), so a customer who returned more than they bought has a negative
   * monetary value and the lowest M. @default true
   */
  netOfRefunds?: boolean;
  /** Monetary value per customer: total spend, or average spend per purchase. @default 'total' */
  monetary?: 'total' | 'average';
  /** ISO 4217 code for money in sentences (`warnings`); without it amounts are plain numbers. @default none */
  currency?: string;
}

/** One customer's RFM values and scores. */
export interface RfmScore {
  customerId: string;
  /** Whole days from the last purchase to `asOf` (floor). */
  recencyDays: number;
  /** Number of purchases on or before `asOf`. */
  frequency: number;
  /** Total (or average, see options) spend, net of refunds by default (may be negative). */
  monetary: number;
  /** Recency score 1..bins; more recent = higher. */
  r: number;
  /** Frequency score 1..bins; more purchases = higher. */
  f: number;
  /** Monetary score 1..bins; more spend = higher. */
  m: number;
  /** The three scores as a string, e.g. `"545"`. */
  code: string;
}

/**
 * Score thresholds: `frequency[s - 2]` is the smallest frequency that earns F ≥ s (null when no
 * customer reaches score s because of ties); `recency[s - 2]` is the largest number of days since the
 * last purchase that still earns R ≥ s.
 */
export interface RfmCutoffs {
  recency: (number | null)[];
  frequency: (number | null)[];
  monetary: (number | null)[];
}

/**
 * Warning codes of {@link rfmScores}:
 * - `no_spread`: every scored customer has the same recency, frequency or monetary value, so that
 *   score is the middle one for everybody and says nothing.
 * - `few_customers`: fewer scored customers than bins; the scores are ranks among very few.
 * - `stale_top_recency`: some customers with a top recency score (4-5 of 5 bins; the top one with
 *   fewer than 4 bins) last bought more than 365 days before `asOf`, so at least half of the
 *   customers have not bought for a year: high R scores (and segments built on them) are relative,
 *   not recent.
 */
export type RfmWarningCode = 'no_spread' | 'few_customers' | 'stale_top_recency';

/** Result of {@link rfmScores}. */
export interface RfmResult {
  /** Scored customers, in ascending customer-id order (UTF-16 code units), whatever the input order. */
  customers: RfmScore[];
  /** Number of scored customers. */
  n: number;
  bins: number;
  asOf: number;
  cutoffs: RfmCutoffs;
  /** Why nothing was scored, when `n` is 0. */
  reason: string | null;
  /** Degraded results, see {@link RfmWarningCode}; empty when all is well. */
  warnings: VitalsWarning<RfmWarningCode>[];
}

const FN = 'rfmScores';
const KNOWN_OPTIONS = ['asOf', 'bins', 'purchaseTypes', 'netOfRefunds', 'monetary', 'currency'] as const;

/**
 * Recency–frequency–monetary scores by quantile.
 *
 * For each customer with at least one purchase on or before `asOf`: recency = whole days since the
 * last purchase, frequency = number of purchases, monetary = net revenue by the project's one
 * definition (src/_lib/revenue.ts: purchase values minus |refund values|, refunds of any date up to
 * `asOf`; it may be negative), or that net divided by the purchases with `monetary: 'average'`.
 *
 * **Scoring and ties (mid-ranks).** With `n` scored customers and `b` bins, a value `v` scores
 * `1 + floor(b · (worse(v) + tied(v) / 2) / n)` (at most `b`), where `worse(v)` is the number of
 * customers with a strictly worse value (lower frequency or spend; for recency, *more* days since the
 * last purchase) and `tied(v)` the number with exactly `v` (itself included): the score of the tied
 * group's middle position. Equal values always get equal scores; with distinct values the bins are
 * exact quantiles; a tie never pushes a whole group to the worst score: ten customers who each bought
 * once yesterday for $50 all score 3 ("333"), a single customer scores "333", and when 60% of
 * customers bought once they share F = 2 (their middle position is the 30th percentile). A column
 * without any spread is reported in `warnings` (`no_spread`), as is `n` below `bins` (`few_customers`).
 *
 * **Order.** `customers` is in ascending customer-id order, whatever the input order.
 *
 * Missing data: purchases with no finite `value` count for frequency and add 0 to monetary; events
 * after `asOf` and customers without a purchase are not scored. An event stamped exactly at `asOf`
 * counts. With no purchases, `n` is 0, `customers` is empty and `reason` says why. Runs in
 * O(E + n log n) with typed arrays.
 *
 * **Event store.** Given an `EventStore` (`toEventStore`, `EventStoreBuilder`), the totals are read
 * from its typed columns (no event object). Sums then run in the store's order (per customer, in
 * `compareEvents` order), so the result is that of the store's events and does not depend on the
 * order the events arrived in; from an event array, monetary sums run in input order and may differ
 * from the store's in the last bits (scores are equal: near-ties are ties).
 *
 * @param events events (any types; only purchases and refunds are read), timelines from
 * `groupByCustomer`, or an `EventStore`.
 * @param options see {@link RfmScoresOptions}.
 * @returns scores per customer, score cutoffs, and the customer count.
 * @throws ValidationError when `bins` is not an integer in 2..9, `asOf` is missing or invalid, or an
 * option is unknown.
 * @example
 * ```ts
 * const rfm = rfmScores(events, { asOf: '2025-01-01' });
 * rfm.customers[0]; // => { customerId: 'c1', recencyDays: 3, frequency: 7, monetary: 812.5, r: 5, f: 4, m: 5, code: '545' }
 * ```
 */
export function rfmScores(
  events: readonly CustomerEvent[] | CustomerTimelines | EventStore,
  options: RfmScoresOptions,
): RfmResult {
  checkOptions(FN, options, KNOWN_OPTIONS);
  if (options === undefined) throw optionError(FN, 'asOf', 'is required', 'required');
  const asOf = requireEpochMs(options.asOf, FN, 'asOf');
  const store = isCheckedStore(FN, events) ? events : null;
  if (store === null) requireEventsInput(FN, events);
  const bins = options.bins ?? 5;
  if (!Number.isInteger(bins) || bins < 2 || bins > 9) {
    throw optionError(FN, 'bins', `must be an integer from 2 to 9, got ${showValue(bins)}`);
  }
  const purchaseTypes = new Set(options.purchaseTypes ?? ['purchase']);
  const netOfRefunds = options.netOfRefunds ?? true;
  const average = (options.monetary ?? 'total') === 'average';
  const currency = options.currency;
  if (currency !== undefined && !isCurrencyCode(currency)) {
    throw optionError(FN, 'currency', 'must be an ISO 4217 code such as "EUR"', 'invalid_value');
  }
  if (store !== null)
    return rfmFromTotals(
      storeRfmTotals(store, asOf, purchaseTypes, netOfRefunds),
      asOf,
      bins,
      average,
      currency,
    );
  const totals = eventRfmTotals(
    events as readonly CustomerEvent[] | CustomerTimelines,
    asOf,
    purchaseTypes,
    netOfRefunds,
  );
  return rfmFromTotals(totals, asOf, bins, average, currency);
}

/**
 * The totals of {@link rfmScores} from events or timelines: per customer (first-seen order), purchases
 * at or before `asOf` (count, Σ value, last time) and, when netting refunds, Σ |refund|.
 */
function eventRfmTotals(
  events: readonly CustomerEvent[] | CustomerTimelines,
  asOf: number,
  purchaseTypes: ReadonlySet<string>,
  netOfRefunds: boolean,
): RfmTotals {
  // Columnar accumulation: one id lookup per event (none while the id repeats), no per-event allocation.
  const index = new IdIndex(
    Array.isArray(events) ? Math.min(events.length, 1 << 20) : (events as CustomerTimelines).size,
  );
  const ids = index.ids;
  // Pre-sized (like the id table) so that 1M customers do not allocate through repeated doubling:
  // typed-array memory is external to the JS heap and large churn there triggers full GCs.
  let cap = Math.max(
    1024,
    Array.isArray(events) ? Math.min(events.length, 1 << 20) : (events as CustomerTimelines).size,
  );
  let last = new Float64Array(cap).fill(Number.NEGATIVE_INFINITY);
  let count = new Float64Array(cap);
  let spend = new Float64Array(cap);
  let refunds = new Float64Array(cap);

  // Events usually arrive grouped by customer: reuse the last lookup when the id repeats.
  // Plain nested loops over local variables (no closure) keep the hot path in registers.
  const lists: (readonly CustomerEvent[])[] = [];
  if (Array.isArray(events)) lists.push(events as readonly CustomerEvent[]);
  else for (const [id, tl] of events as CustomerTimelines) lists.push(timelineEvents(FN, id, tl));
  let lastId: string | null = null;
  let lastIdx = -1;
  for (let L = 0; L < lists.length; L++) {
    const list = lists[L] as readonly CustomerEvent[];
    for (let k = 0; k < list.length; k++) {
      const e = list[k] as CustomerEvent;
      const t = e.timestamp;
      if (!(t <= asOf)) continue;
      const isPurchase = purchaseTypes.has(e.type);
      if (!isPurchase && !(netOfRefunds && e.type === 'refund')) continue;
      const id = e.customerId;
      const i = id === lastId ? lastIdx : index.indexOf(id);
      if (i >= cap) {
        const old = cap;
        while (i >= cap) cap *= 2;
        last = grow(last, cap);
        last.fill(Number.NEGATIVE_INFINITY, old);
        count = grow(count, cap);
        spend = grow(spend, cap);
        refunds = grow(refunds, cap);
      }
      lastId = id;
      lastIdx = i;
      // signed net revenue of the event: +value for a purchase, −|value| for a refund, 0 if missing
      const value = signedRevenue(e, isPurchase ? e.type : '', 'refund');
      if (isPurchase) {
        count[i] = (count[i] as number) + 1;
        spend[i] = (spend[i] as number) + value;
        if (t > (last[i] as number)) last[i] = t;
      } else {
        refunds[i] = (refunds[i] as number) - value;
      }
    }
  }
  return { ids, last, count, spend, refunds, m: ids.length };
}

/**
 * The totals of {@link rfmScores} read from a store's columns: per customer (ascending id, the
 * store's order), rows at or before `asOf` whose type is a purchase type, or `refund` when netting
 * refunds, summed in the store's row order. Purchases and refunds go to separate sums, so this is
 * the event loop's result over the store's events in store order, bit for bit.
 */
function storeRfmTotals(
  store: EventStore,
  asOf: number,
  purchaseTypes: ReadonlySet<string>,
  netOfRefunds: boolean,
): RfmTotals {
  const { time, typeCode, value, hasValue, offsets } = store;
  const isPurchase = typeMask(store, purchaseTypes);
  const isRefund = typeMask(store, netOfRefunds ? ['refund'] : []);
  const nc = store.customerIds.length;
  const totals = emptyRfmTotals(nc);
  const { ids, last, count, spend, refunds } = totals;
  let m = 0;
  for (let c = 0; c < nc; c++) {
    const end = offsets[c + 1] as number;
    let seen = false;
    for (let i = offsets[c] as number; i < end; i++) {
      const t = time[i] as number;
      if (!(t <= asOf)) break; // rows are time-ordered within a customer
      const k = typeCode[i] as number;
      if (isPurchase[k] === 1) {
        seen = true;
        count[m] = (count[m] as number) + 1;
        spend[m] = (spend[m] as number) + (hasValue[i] === 1 ? (value[i] as number) : 0);
        if (t > (last[m] as number)) last[m] = t;
      } else if (isRefund[k] === 1) {
        seen = true;
        // signedRevenue of a refund: −|value| (0 without one); refunds accumulate |value|
        refunds[m] = (refunds[m] as number) - (hasValue[i] === 1 ? -Math.abs(value[i] as number) : 0);
      }
    }
    if (!seen) continue;
    ids.push(store.customerIds[c] as string);
    m++;
  }
  totals.m = m;
  return totals;
}

function grow(a: Float64Array<ArrayBuffer>, cap: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

export { emptyRfmTotals, type RfmTotals, rfmFromTotals };
