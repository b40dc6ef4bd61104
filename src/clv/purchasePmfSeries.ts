import { checkOptions, ValidationError } from '../_lib/errors';
import type { VitalsWarning } from '../types';
import { compressRfm } from './compressRfm';
import type { RfmInput } from './types';

/** A model with the unconditional purchase distribution P(X(t) = n) (BG/NBD, MBG/NBD, Pareto/NBD). */
export interface PmfModel {
  probabilityOfPurchases(n: number, t: number): number;
}

/** Options of {@link purchasePmfSeries}. */
export interface PurchasePmfOptions {
  /** Frequencies 0..max−1 get their own row; the last row pools `max`+. @default 7 */
  max?: number;
}

/** One bar pair of the calibration fit histogram. */
export interface PmfPoint {
  /** Repeat purchases n (the last row means "n or more"). */
  frequency: number;
  label: string;
  /** Customers with this calibration frequency. */
  actual: number;
  /** Σ_i P(X(T_i) = n): customers the model expects with it, given each customer's own T. */
  expected: number;
}

/** Warning codes of {@link purchasePmfSeries}. */
export type PurchasePmfWarningCode = 'few_customers';

/** Result of {@link purchasePmfSeries}. */
export interface PurchasePmfSeries {
  points: PmfPoint[];
  customers: number;
  warnings: VitalsWarning<PurchasePmfWarningCode>[];
}

/**
 * Expected vs actual number of customers making 0, 1, …, max+ repeat purchases in the calibration
 * period — the calibration "fit histogram" of Fader, Hardie & Lee (2005, Figure 1; note "Creating a
 * fit histogram for the BG/NBD model"): expected(n) = Σ_i P(X(T_i) = n) over the customers' own
 * observation lengths T_i (computed once per distinct T), and the last row is the remainder so
 * both columns sum to the number of customers. Returned as data for any chart library.
 *
 * Missing-data policy: invalid rows throw (located); empty data gives rows of zeros. Warning:
 * `few_customers` (fewer than 30: the histogram says little).
 *
 * @param model a fitted BG/NBD, MBG/NBD or Pareto/NBD model.
 * @param data the calibration summary (rows, columns or compressed).
 * @param options `max` (default 7).
 * @returns `points`: one row per frequency 0..max−1 and a pooled `max+` row; `customers`; `warnings`.
 * @throws {ValidationError} for invalid rows or options.
 * @example
 * ```ts
 * import { fitBGNBD, purchasePmfSeries } from 'customer-vitals';
 * const rows = [];
 * for (let i = 0; i < 200; i++) rows.push({ frequency: i % 4, recency: i % 4 ? 10 : 0, T: 20 });
 * const pmf = purchasePmfSeries(fitBGNBD(rows), rows, { max: 3 });
 * pmf.points.map((p) => [p.label, p.actual]); // => [['0', 50], ['1', 50], ['2', 50], ['3+', 50]]
 * ```
 */
export function purchasePmfSeries(
  model: PmfModel,
  data: RfmInput,
  options: PurchasePmfOptions = {},
): PurchasePmfSeries {
  const fn = 'purchasePmfSeries';
  checkOptions(fn, options, ['max']);
  const max = options?.max ?? 7;
  if (!Number.isInteger(max) || max < 1 || max > 1000)
    throw new ValidationError(fn, [
      { path: ['max'], code: 'out_of_range', message: 'option "max" must be an integer in [1, 1000]' },
    ]);
  if (typeof (model as PmfModel | null)?.probabilityOfPurchases !== 'function')
    throw new ValidationError(fn, [
      { path: ['model'], code: 'invalid_model', message: '"model" must have probabilityOfPurchases(n, t)' },
    ]);
  const c = compressRfm(data, { fn });
  const actual = new Float64Array(max + 1);
  const byT = new Map<number, number>();
  for (let i = 0; i < c.rows; i++) {
    const w = c.count[i] as number;
    const k = Math.min(max, c.x[i] as number);
    actual[k] = (actual[k] as number) + w;
    const T = c.T[i] as number;
    byT.set(T, (byT.get(T) ?? 0) + w);
  }
  const expected = new Float64Array(max + 1);
  for (const [T, w] of byT) {
    let head = 0;
    for (let n = 0; n < max; n++) {
      const p = model.probabilityOfPurchases(n, T);
      const v = Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0;
      expected[n] = (expected[n] as number) + w * v;
      head += v;
    }
    expected[max] = (expected[max] as number) + w * Math.max(0, 1 - head);
  }
  const out: PmfPoint[] = [];
  for (let n = 0; n <= max; n++)
    out.push({
      frequency: n,
      label: n === max ? `${max}+` : String(n),
      actual: actual[n] as number,
      expected: expected[n] as number,
    });
  const warnings: VitalsWarning<PurchasePmfWarningCode>[] = [];
  if (c.customers < 30)
    warnings.push({
      code: 'few_customers',
      message: `Only ${c.customers} customers: the fit histogram says little at this size.`,
    });
  return { points: out, customers: c.customers, warnings };
}
