import * as z from 'zod';
import { checkOptions, optionError, ValidationError, zodIssues } from '../_lib/errors';
import { fmtMoney, isCurrencyCode } from '../_lib/format';
import { lazy } from '../_lib/lazy';
import { compareCodeUnits } from '../_lib/order';
import { countAbove, fmtNum, fmtPct } from './_util';

/** A value tier: customers whose rank falls within the top `top` share of customers. */
export interface ValueTierDefinition {
  name: string;
  /** Cumulative share of customers (by value, highest first) that ends this tier, in (0, 1]. */
  top: number;
}

/** Options of {@link valueTiers}. */
export interface ValueTiersOptions {
  /**
   * Tiers from the highest value down, with increasing `top`; the last must be 1.
   * @default [{ name: 'Platinum', top: 0.05 }, { name: 'Gold', top: 0.2 }, { name: 'Silver', top: 0.5 }, { name: 'Bronze', top: 1 }]
   */
  tiers?: readonly ValueTierDefinition[];
  /** Customer shares for the concentration view. @default [0.01, 0.05, 0.1, 0.2, 0.5] */
  concentration?: readonly number[];
  /** ISO 4217 code: values are money and read `€1,234.50` in reasons; without it, plain numbers. @default none */
  currency?: string;
}

/** One customer's tier. */
export interface ValueTierAssignment {
  customerId: string;
  value: number;
  tier: string;
  /** 1-based rank by value, highest first; tied values share the best rank. */
  rank: number;
  /** Share of customers with a strictly higher value. */
  above: number;
  reason: string;
}

/** Summary of one tier. */
export interface ValueTierSummary {
  name: string;
  top: number;
  count: number;
  total: number;
  /** total / overall total, or null when the overall total is not positive. */
  valueShare: number | null;
  min: number | null;
  max: number | null;
}

/** "The top x% of customers hold y% of value". */
export interface ConcentrationPoint {
  customerShare: number;
  customers: number;
  valueShare: number | null;
}

/** Result of {@link valueTiers}. */
export interface ValueTiersResult {
  customers: ValueTierAssignment[];
  tiers: ValueTierSummary[];
  concentration: ConcentrationPoint[];
  /** Gini coefficient of the values (0 = equal, → 1 = concentrated); null with < 2 customers or total ≤ 0. */
  gini: number | null;
  total: number;
  n: number;
  /** Ids skipped because their value was missing, not finite or beyond ±1e300 (totals would overflow). */
  skipped: string[];
  reason: string | null;
}

/**
 * Largest |value| taken (larger ones are skipped): totals of up to 1.8e8 customers stay finite.
 */
const MAX_VALUE = 1e300;

/**
 * Gini coefficient of ascending values with a positive `total`: Σ (2i − n − 1)·xᵢ / (n·Σx), i = 1..n.
 * When the weighted sum overflows (values near 1e300), it is taken in units of the largest |x|.
 */
function giniOfSorted(sorted: Float64Array, total: number): number {
  const n = sorted.length;
  let acc = 0;
  for (let i = 0; i < n; i++) acc += (2 * (i + 1) - n - 1) * (sorted[i] as number);
  if (Number.isFinite(acc)) return acc / n / total; // n·total may overflow where acc/n does not
  const unit = Math.max(Math.abs(sorted[0] as number), Math.abs(sorted[n - 1] as number));
  let a = 0;
  let t = 0;
  for (let i = 0; i < n; i++) {
    const x = (sorted[i] as number) / unit;
    a += (2 * (i + 1) - n - 1) * x;
    t += x;
  }
  return a / n / t;
}

/** The default tiers of {@link valueTiers}. */
export const DEFAULT_VALUE_TIERS: readonly ValueTierDefinition[] = [
  { name: 'Platinum', top: 0.05 },
  { name: 'Gold', top: 0.2 },
  { name: 'Silver', top: 0.5 },
  { name: 'Bronze', top: 1 },
];

const FN = 'valueTiers';

const tiersSchema = lazy(() =>
  z
    .array(z.strictObject({ name: z.string().min(1).max(200), top: z.number().gt(0).lte(1) }))
    .min(1)
    .superRefine((tiers, ctx) => {
      for (let i = 1; i < tiers.length; i++) {
        if ((tiers[i] as ValueTierDefinition).top <= (tiers[i - 1] as ValueTierDefinition).top) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'top'],
            message: 'must be greater than the previous tier',
          });
        }
      }
      if ((tiers[tiers.length - 1] as ValueTierDefinition).top !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: [tiers.length - 1, 'top'],
          message: 'the last tier must have top = 1',
        });
      }
    }),
);

/**
 * Value tiers by quantile of CLV, MRR or any value, with the revenue concentration view.
 *
 * Customers are ranked by value, highest first. A customer's position is the share of customers with
 * a strictly higher value (`above`); it goes to the first tier with `above < top`. Equal values
 * therefore always share a tier, and the best customer is always in the first tier. The concentration
 * view sorts values descending and reports, for each customer share x, the share of the total held by
 * the top ⌈x·n⌉ customers; the Gini coefficient is G = Σᵢ (2i − n − 1)·vᵢ / (n·Σv) over ascending vᵢ.
 *
 * Missing data: null, undefined, non-finite and beyond-±1e300 values are skipped (listed in `skipped`); with no
 * customers, `n` is 0, shares and `gini` are null and `reason` says why. `customers` is in ascending
 * customer-id order whatever the input order.
 *
 * @param values a Map from customer id to value, or rows `{ customerId, value }`.
 * @param options tiers, concentration shares, and the `currency` of the values for reasons.
 * @returns tier per customer with reason, tier summaries, concentration points and Gini.
 * @throws ValidationError for invalid tiers (located, e.g. `field "tiers.2.top"`), an unknown option or
 *   an unknown currency code.
 * @example
 * ```ts
 * const res = valueTiers(new Map([['a', 100], ['b', 10], ['c', 10], ['d', 1]]), { tiers: [{ name: 'Top', top: 0.25 }, { name: 'Rest', top: 1 }] });
 * res.customers.map((c) => c.tier); // => ['Top', 'Rest', 'Rest', 'Rest']
 * res.concentration[0]; // => { customerShare: 0.01, customers: 1, valueShare: 0.826 }
 * ```
 */
export function valueTiers(
  values:
    | ReadonlyMap<string, number | null | undefined>
    | readonly { customerId: string; value: number | null | undefined }[],
  options: ValueTiersOptions = {},
): ValueTiersResult {
  checkOptions(FN, options, ['tiers', 'concentration', 'currency']);
  options ??= {};
  const { money, tiers, shares } = readTierOptions(options);
  const { ids, vals, skipped } = readValues(values);
  const n = ids.length;
  const sorted = Float64Array.from(vals).sort();
  let total = 0;
  for (let i = 0; i < n; i++) total += sorted[i] as number;
  const { customers, tierRows } = assignTiers(ids, vals, sorted, total, tiers, money);
  const positive = total > 0;
  const concentration: ConcentrationPoint[] = shares.map((s) => {
    const top = Math.min(n, Math.ceil(s * n - 1e-9));
    let sum = 0;
    for (let i = 0; i < top; i++) sum += sorted[n - 1 - i] as number;
    return { customerShare: s, customers: top, valueShare: positive && n > 0 ? sum / total : null };
  });
  const gini = n >= 2 && positive ? giniOfSorted(sorted, total) : null;
  // deterministic output whatever the input order: ascending customer id (UTF-16 code units)
  customers.sort((a, b) => compareCodeUnits(a.customerId, b.customerId));
  return {
    customers,
    tiers: tierRows,
    concentration,
    gini,
    total,
    n,
    skipped,
    reason: n === 0 ? 'no customer has a finite value' : null,
  };
}

/** The checked options: the currency (null for plain numbers), the tiers and the concentration shares. */
function readTierOptions(options: ValueTiersOptions): {
  money: { currency: string } | null;
  tiers: ValueTierDefinition[];
  shares: readonly number[];
} {
  const currency = options.currency;
  if (currency !== undefined && !isCurrencyCode(currency)) {
    throw optionError(FN, 'currency', 'must be an ISO 4217 code such as "EUR"', 'invalid_value');
  }
  const money = currency === undefined ? null : { currency };
  const parsedTiers = tiersSchema().safeParse(options.tiers ?? DEFAULT_VALUE_TIERS);
  if (!parsedTiers.success) throw new ValidationError(FN, zodIssues(parsedTiers.error, ['tiers']), 'options');
  const tiers = parsedTiers.data;
  const shares = options.concentration ?? [0.01, 0.05, 0.1, 0.2, 0.5];
  shares.forEach((s, i) => {
    if (!(s > 0 && s <= 1)) {
      throw new ValidationError(
        FN,
        [{ path: ['concentration', i], code: 'invalid_value', message: 'must be in (0, 1]' }],
        'options',
      );
    }
  });
  return { money, tiers, shares };
}

/** Ids and values of the customers with a finite value (|v| ≤ 1e300), in input order; the others skipped. */
function readValues(
  values:
    | ReadonlyMap<string, number | null | undefined>
    | readonly { customerId: string; value: number | null | undefined }[],
): { ids: string[]; vals: number[]; skipped: string[] } {
  if (!(values instanceof Map) && !Array.isArray(values)) {
    throw optionError(
      FN,
      'values',
      'must be a Map from customer id to value or an array of { customerId, value }',
      'invalid_type',
    );
  }
  const ids: string[] = [];
  const vals: number[] = [];
  const skipped: string[] = [];
  const push = (id: string, v: number | null | undefined): void => {
    if (typeof id !== 'string') {
      throw optionError(FN, 'values', `customer ids must be strings, got ${typeof id}`, 'invalid_type');
    }
    if (typeof v === 'number' && Math.abs(v) <= MAX_VALUE) {
      ids.push(id);
      vals.push(v);
    } else skipped.push(id);
  };
  if (values instanceof Map) for (const [id, v] of values) push(id, v);
  else
    for (const row of values as readonly { customerId: string; value: number | null | undefined }[])
      push(row?.customerId, row?.value);
  return { ids, vals, skipped };
}

/** Each customer's tier (by the share of customers with a higher value) and each tier's summary. */
function assignTiers(
  ids: readonly string[],
  vals: readonly number[],
  sorted: Float64Array,
  total: number,
  tiers: readonly ValueTierDefinition[],
  money: { currency: string } | null,
): { customers: ValueTierAssignment[]; tierRows: ValueTierSummary[] } {
  const n = ids.length;
  const tierCount = new Float64Array(tiers.length);
  const tierTotal = new Float64Array(tiers.length);
  const tierMin = new Float64Array(tiers.length).fill(Number.POSITIVE_INFINITY);
  const tierMax = new Float64Array(tiers.length).fill(Number.NEGATIVE_INFINITY);
  const customers: ValueTierAssignment[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = vals[i] as number;
    const higher = countAbove(sorted, v);
    const above = higher / n;
    let t = 0;
    while (t < tiers.length - 1 && !(above < (tiers[t] as ValueTierDefinition).top)) t++;
    const tier = tiers[t] as ValueTierDefinition;
    tierCount[t] = (tierCount[t] as number) + 1;
    tierTotal[t] = (tierTotal[t] as number) + v;
    if (v < (tierMin[t] as number)) tierMin[t] = v;
    if (v > (tierMax[t] as number)) tierMax[t] = v;
    customers[i] = {
      customerId: ids[i] as string,
      value: v,
      tier: tier.name,
      rank: higher + 1,
      above,
      reason: `value ${money === null ? fmtNum(v) : fmtMoney(v, money)} ranks ${higher + 1} of ${n} (${fmtPct(above)} of customers higher) → ${tier.name} (top ${fmtPct(tier.top)})`,
    };
  }
  const positive = total > 0;
  const tierRows: ValueTierSummary[] = tiers.map((t, i) => ({
    name: t.name,
    top: t.top,
    count: tierCount[i] as number,
    total: tierTotal[i] as number,
    valueShare: positive ? (tierTotal[i] as number) / total : null,
    min: (tierCount[i] as number) > 0 ? (tierMin[i] as number) : null,
    max: (tierCount[i] as number) > 0 ? (tierMax[i] as number) : null,
  }));
  return { customers, tierRows };
}
