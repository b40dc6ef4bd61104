/**
 * Turns the rows of `toSql({ query: 'churnLabels' })` into the labels `churnLabels` returns.
 * @module
 */
import { checkOptions, optionError } from '../_lib/errors';
import { compareCodeUnits } from '../_lib/order';
import { type DateInput, requireEpochMs } from '../_lib/time';
import type { ChurnLabels } from '../churn/churnLabels';
import { type ChurnHorizon, horizonEnd } from '../churn/horizonEnd';
import { readNumber, rowId, type SqlRow } from './rows';
import { SqlColumns } from './SqlColumns';

/** Options of {@link churnLabelsFromRows}: the `asOf` and `horizon` given to `toSql`. */
export interface ChurnLabelsFromRowsOptions {
  asOf: DateInput;
  /** @default 30 */
  horizon?: ChurnHorizon;
}

/**
 * Churn labels from per-customer SQL rows, with `churnLabels`' default definition (`auto`):
 * a customer with a subscription event at or before `asOf` is contractual (labelled when the
 * latest subscription start is not before the latest cancellation; churned when a cancellation
 * falls in `(asOf, asOf + horizon]`); the others are non-contractual (labelled when they had an
 * activity or purchase at or before `asOf`; churned when they have none in the window).
 *
 * Missing-data policy: customers without a label are left out (as `churnLabels`).
 *
 * @param input rows of `toSql({ query: 'churnLabels', asOf, horizon })` (any order), or `SqlColumns`.
 * @param options the same `asOf` and `horizon`.
 * @returns labels in customer-id order (code units), as `churnLabels`.
 * @throws {ValidationError} for invalid options or a row without `customer_id`.
 * @example
 * ```ts
 * import { churnLabelsFromRows } from 'customer-vitals/sql';
 * const labels = churnLabelsFromRows(
 *   [{ customer_id: 'a', last_activity: Date.UTC(2025, 0, 5), active_after: 0 }],
 *   { asOf: '2025-01-10', horizon: 30 },
 * );
 * labels.churned; // => Uint8Array [1]
 * ```
 */
export function churnLabelsFromRows(
  input: readonly SqlRow[] | SqlColumns,
  options: ChurnLabelsFromRowsOptions,
): ChurnLabels {
  const fn = 'churnLabelsFromRows';
  checkOptions(fn, options, ['asOf', 'horizon']);
  const asOf = requireEpochMs(options?.asOf, fn, 'asOf');
  const end = horizonEnd(asOf, options.horizon ?? 30);
  if (end === null)
    throw optionError(fn, 'horizon', 'must be a positive length (days or { days, weeks, months })');
  const rows = input instanceof SqlColumns ? input.rows() : input;
  if (!Array.isArray(rows)) throw optionError(fn, 'rows', 'must be an array of rows');
  const labelled: { id: string; churned: number; def: 'contractual' | 'non-contractual' }[] = [];
  rows.forEach((r, i) => {
    const id = rowId(fn, r, 'customer_id', i);
    const start = readNumber(r, 'last_sub_start');
    const cancel = readNumber(r, 'last_cancel');
    if (!Number.isNaN(start) || !Number.isNaN(cancel)) {
      // Subscribed at asOf: the latest subscription event at or before it is not a cancellation.
      if (Number.isNaN(start) || (!Number.isNaN(cancel) && start < cancel)) return;
      labelled.push({ id, churned: readNumber(r, 'cancel_after') === 1 ? 1 : 0, def: 'contractual' });
      return;
    }
    if (Number.isNaN(readNumber(r, 'last_activity'))) return;
    labelled.push({ id, churned: readNumber(r, 'active_after') === 1 ? 0 : 1, def: 'non-contractual' });
  });
  labelled.sort((a, b) => compareCodeUnits(a.id, b.id));
  const churned = Uint8Array.from(labelled, (l) => l.churned);
  let positives = 0;
  for (const c of churned) positives += c;
  return {
    asOf,
    horizonEnd: end,
    customerIds: labelled.map((l) => l.id),
    churned,
    definition: labelled.map((l) => l.def),
    positives,
  };
}
