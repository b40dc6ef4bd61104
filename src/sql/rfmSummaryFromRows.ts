/**
 * Turns the rows of `toSql({ query: 'rfmSummary' })` into the summary `rfmSummary` returns, ready
 * for the BTYD fitters and `estimateClv`.
 * @module
 */
import { checkOptions, optionError } from '../_lib/errors';
import { type DateInput, MS_PER_DAY, requireEpochMs } from '../_lib/time';
import { DAYS_PER_UNIT, type RfmCustomer, type RfmSummary } from '../clv/rfmSummary';
import type { TimeUnit } from '../clv/types';
import { readNumber, rowId, type SqlRow } from './rows';
import { SqlColumns } from './SqlColumns';

/** Options of {@link rfmSummaryFromRows}: the same `asOf`, `timeUnit` and `calibrationEnd` given to `toSql`. */
export interface RfmSummaryFromRowsOptions {
  asOf: DateInput;
  /** @default 'weeks' */
  timeUnit?: TimeUnit;
  /** @default undefined */
  calibrationEnd?: DateInput;
}

/** `rfmSummary`'s result without `ignored` (event counts the per-customer rows cannot know). */
export type RfmSummaryRows = Omit<RfmSummary, 'ignored'>;

const FIELDS = [
  'frequency',
  'recency',
  'T',
  'monetaryValue',
  'totalValue',
  'firstValue',
  'refunds',
  'firstPurchaseAt',
  'lastPurchaseAt',
] as const;

/**
 * Builds the RFM summary from per-customer SQL rows (columns named like `RfmCustomer`), sorted by
 * customer id, with the typed columns the fitters read and the `negative_net_revenue` warning.
 * `ignored` (counts of events left out) is not available from per-customer rows and is omitted.
 *
 * Missing-data policy: a NULL numeric cell is read as 0 (the SQL never produces one for a customer
 * it returns).
 *
 * @param input rows from the database (numbers may be `bigint`).
 * @param options `asOf`, `timeUnit`, `calibrationEnd` as given to `toSql`.
 * @returns the summary (see `rfmSummary`).
 * @throws {ValidationError} for invalid options or a row without `customerId`.
 * @example
 * ```ts
 * import { rfmSummaryFromRows } from 'customer-vitals/sql';
 * const s = rfmSummaryFromRows([{ customerId: 'a', frequency: 1, recency: 2, T: 4, monetaryValue: 30 }], {
 *   asOf: '2024-01-29',
 * });
 * s.columns.T[0]; // => 4
 * ```
 */
export function rfmSummaryFromRows(
  input: readonly SqlRow[] | SqlColumns,
  options: RfmSummaryFromRowsOptions,
): RfmSummaryRows {
  const fn = 'rfmSummaryFromRows';
  checkOptions(fn, options, ['asOf', 'timeUnit', 'calibrationEnd']);
  const asOf = requireEpochMs(options?.asOf, fn, 'asOf');
  const calEnd =
    options.calibrationEnd === undefined
      ? null
      : requireEpochMs(options.calibrationEnd, fn, 'calibrationEnd');
  if (calEnd !== null && calEnd > asOf) throw optionError(fn, 'calibrationEnd', 'must not be after "asOf"');
  const unit = options.timeUnit ?? 'weeks';
  if (!Object.hasOwn(DAYS_PER_UNIT, unit)) throw optionError(fn, 'timeUnit', 'must be days, weeks or months');
  const rows = input instanceof SqlColumns ? input.rows() : input;
  if (!Array.isArray(rows)) throw optionError(fn, 'rows', 'must be an array of rows');
  const customers: RfmCustomer[] = rows.map((r, i) => {
    const c: Record<string, unknown> = { customerId: rowId(fn, r, 'customerId', i) };
    for (const f of FIELDS) {
      const v = readNumber(r, f);
      c[f] = Number.isNaN(v) ? 0 : v;
    }
    if (calEnd !== null) {
      const hf = readNumber(r, 'holdoutFrequency');
      const hm = readNumber(r, 'holdoutMonetaryValue');
      c.holdoutFrequency = Number.isNaN(hf) ? 0 : hf;
      c.holdoutMonetaryValue = Number.isNaN(hm) ? 0 : hm;
    }
    return c as unknown as RfmCustomer;
  });
  customers.sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
  const m = customers.length;
  const columns = {
    frequency: new Float64Array(m),
    recency: new Float64Array(m),
    T: new Float64Array(m),
    monetaryValue: new Float64Array(m),
  };
  let negative = 0;
  customers.forEach((c, i) => {
    columns.frequency[i] = c.frequency;
    columns.recency[i] = c.recency;
    columns.T[i] = c.T;
    columns.monetaryValue[i] = c.monetaryValue;
    if (c.totalValue < 0 || (c.frequency > 0 && c.monetaryValue < 0)) negative++;
  });
  const warnings: RfmSummary['warnings'] = [];
  if (negative > 0)
    warnings.push({
      code: 'negative_net_revenue',
      message: `${negative} customer${negative === 1 ? '' : 's'} refunded more than they bought (negative net revenue in total or on their repeat purchases); their values stay negative here, and spend models leave them out.`,
    });
  const endDay = Math.floor((calEnd ?? asOf) / MS_PER_DAY);
  return {
    customers,
    columns,
    timeUnit: unit,
    asOf,
    calibrationEnd: calEnd,
    holdoutDuration: calEnd === null ? 0 : (Math.floor(asOf / MS_PER_DAY) - endDay) / DAYS_PER_UNIT[unit],
    warnings,
  };
}
