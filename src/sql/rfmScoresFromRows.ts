/**
 * Turns the rows of `toSql({ query: 'rfmScores' })` into the result `rfmScores` returns.
 * @module
 */
import { checkOptions, optionError } from '../_lib/errors';
import { isCurrencyCode } from '../_lib/format';
import { showValue } from '../_lib/safe';
import { type DateInput, requireEpochMs } from '../_lib/time';
import { type RfmResult, rfmFromTotals } from '../segment/rfmScores';
import { readNumber, rowId, type SqlRow } from './rows';
import { SqlColumns } from './SqlColumns';

/** Options of {@link rfmScoresFromRows}: `rfmScores`' scoring options. */
export interface RfmScoresFromRowsOptions {
  /** The same `asOf` given to `toSql`. */
  asOf: DateInput;
  /** Number of quantile bins (2–9). @default 5 */
  bins?: number;
  /** Monetary value per customer: net total, or net average per purchase. @default 'total' */
  monetary?: 'total' | 'average';
  /** ISO 4217 code for money in warnings. @default none */
  currency?: string;
}

/**
 * RFM scores from per-customer SQL rows (last purchase, purchases, spend, refunds), scored by the
 * same code as `rfmScores` (mid-rank quantile bins, cutoffs, `no_spread` / `few_customers`
 * warnings). Monetary is net of refunds (`rfmScores`' default).
 *
 * Missing-data policy: a NULL spend or refund cell reads as 0; rows without a purchase are skipped.
 *
 * @param input rows of `toSql({ query: 'rfmScores', asOf })` (any order), or `SqlColumns`.
 * @param options `asOf` (as given to `toSql`), `bins`, `monetary`, `currency`.
 * @returns the scores, in customer-id order, as `rfmScores`.
 * @throws {ValidationError} for invalid options or a row without `customerId`.
 * @example
 * ```ts
 * import { rfmScoresFromRows } from 'customer-vitals/sql';
 * const r = rfmScoresFromRows(
 *   [{ customerId: 'a', lastPurchaseAt: Date.UTC(2025, 0, 1), purchases: 2, spend: 30, refunds: 5 }],
 *   { asOf: '2025-01-11' },
 * );
 * r.customers[0].recencyDays; // => 10
 * ```
 */
export function rfmScoresFromRows(
  input: readonly SqlRow[] | SqlColumns,
  options: RfmScoresFromRowsOptions,
): RfmResult {
  const fn = 'rfmScoresFromRows';
  checkOptions(fn, options, ['asOf', 'bins', 'monetary', 'currency']);
  const asOf = requireEpochMs(options?.asOf, fn, 'asOf');
  const bins = options.bins ?? 5;
  if (!Number.isInteger(bins) || bins < 2 || bins > 9)
    throw optionError(fn, 'bins', `must be an integer from 2 to 9, got ${showValue(bins)}`);
  const monetary = options.monetary ?? 'total';
  if (monetary !== 'total' && monetary !== 'average')
    throw optionError(fn, 'monetary', 'must be total or average');
  if (options.currency !== undefined && !isCurrencyCode(options.currency))
    throw optionError(fn, 'currency', 'must be an ISO 4217 code such as "EUR"');
  const rows = input instanceof SqlColumns ? input.rows() : input;
  if (!Array.isArray(rows)) throw optionError(fn, 'rows', 'must be an array of rows');
  const n = rows.length;
  const ids: string[] = [];
  const last = new Float64Array(n);
  const count = new Float64Array(n);
  const spend = new Float64Array(n);
  const refunds = new Float64Array(n);
  let m = 0;
  rows.forEach((r, i) => {
    const id = rowId(fn, r, 'customerId', i);
    const c = readNumber(r, 'purchases');
    const t = readNumber(r, 'lastPurchaseAt');
    if (!(c > 0) || Number.isNaN(t)) return;
    const s = readNumber(r, 'spend');
    const f = readNumber(r, 'refunds');
    ids.push(id);
    last[m] = t;
    count[m] = c;
    spend[m] = Number.isNaN(s) ? 0 : s;
    refunds[m] = Number.isNaN(f) ? 0 : Math.abs(f);
    m++;
  });
  return rfmFromTotals(
    { ids, last, count, spend, refunds, m },
    asOf,
    bins,
    monetary === 'average',
    options.currency,
  );
}
