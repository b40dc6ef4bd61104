import { findPeriod } from '../_lib/period';
import { showValue } from '../_lib/safe';
import { walkMrr } from './_mrr';
import { optionError, resolveSeries } from './_shared';
import { asIndex, type EventsInput } from './indexEvents';
import type { SeriesOptions } from './types';

/** Options of {@link cohortRetention}. */
export interface CohortRetentionOptions extends SeriesOptions {
  /** Which share each cell's `value` holds: customers still active, or MRR retained. @default 'logo' */
  by?: 'logo' | 'revenue';
}

/** One cell: the cohort `offset` periods after its signup period, measured at that period's end. */
export interface CohortCell {
  offset: number;
  periodStart: number;
  periodEnd: number;
  /** `logo` or `revenue` share, per the `by` option; null when the denominator is 0. */
  value: number | null;
  /** Cohort size (the denominator of the logo share). */
  n: number;
  /** Members with MRR > 0 at period end. */
  active: number;
  /** active / n; null for an empty cohort. */
  logo: number | null;
  /** Members' MRR at period end. */
  mrr: number;
  /** mrr / cohort initial MRR; null when that is 0. Can exceed 1 (expansion). */
  revenue: number | null;
}

/** One signup cohort (row of the matrix). */
export interface CohortRow {
  periodStart: number;
  periodEnd: number;
  /** Customers whose first ever MRR > 0 falls in this period. */
  size: number;
  /** Sum of their first MRR (the MRR set by the change that made them paying). */
  initialMrr: number;
  /** Offsets 0, 1, ... up to the last period of the range. */
  cells: CohortCell[];
}

/** Result of {@link cohortRetention}. */
export interface CohortRetentionResult {
  by: 'logo' | 'revenue';
  /** One row per period of the range, including empty cohorts (size 0, null values). */
  cohorts: CohortRow[];
}

/**
 * Signup-cohort × period-offset retention matrix, by logos and by revenue.
 *
 * A customer's cohort is the period of its first ever MRR > 0 (first paid start, per the state
 * machine of {@link mrrMovements}); only cohorts inside the range are shown. Cell (cohort, k) is
 * measured at the end of the k-th period after the signup period (offset 0 = end of the signup
 * period, so it can already be below 1):
 * `logo = members with MRR > 0 / cohort size`, `revenue = members' MRR / cohort initial MRR`.
 * Reactivated members count as active again; expansion can push revenue above 1. Cells stop at the
 * last period of the range (use `to` = "now" on a period boundary for complete cells).
 *
 * Missing data: an empty cohort has size 0 and cells with `value: null`; `revenue` is null when the
 * cohort's initial MRR is 0.
 *
 * @param events validated events, an `EventStore` or an {@link EventIndex} (subscription types are read).
 * @param options range, period (default month), time zone and `by`.
 * @returns cohort rows with their cells.
 * @throws ValidationError for an invalid range, period, time zone or `by`.
 * @example
 * ```ts
 * cohortRetention(events, { from: '2025-01-01', to: '2025-04-01', by: 'logo' }).cohorts[0].cells;
 * // => [{ offset: 0, value: 1, n: 10, active: 10, ... }, { offset: 1, value: 0.9, ... }, { offset: 2, value: 0.8, ... }]
 * ```
 */
export function cohortRetention(events: EventsInput, options: CohortRetentionOptions): CohortRetentionResult {
  const fn = 'cohortRetention';
  const { boundaries } = resolveSeries(options, fn, 'month', ['by']);
  const by = options.by ?? 'logo';
  if (by !== 'logo' && by !== 'revenue')
    throw optionError(fn, 'by', `must be "logo" or "revenue"; got ${showValue(by)}`);
  const k = boundaries.length - 1;
  const size = new Float64Array(k);
  const initial = new Float64Array(k);
  const active = new Float64Array(k * k);
  const cents = new Float64Array(k * k);
  walkMrr(asIndex(events, fn).mrrHistory(), boundaries, (_c, mrr, _ever, firstAt, firstCents) => {
    if (Number.isNaN(firstAt)) return;
    const cohort = findPeriod(boundaries, firstAt);
    if (cohort < 0) return;
    // First-ever positive must not predate the range (findPeriod >= 0 guarantees that).
    size[cohort] = (size[cohort] as number) + 1;
    initial[cohort] = (initial[cohort] as number) + firstCents;
    for (let p = cohort; p < k; p++) {
      const e = mrr[p + 1] as number;
      const cell = cohort * k + (p - cohort);
      if (e > 0) active[cell] = (active[cell] as number) + 1;
      cents[cell] = (cents[cell] as number) + e;
    }
  });
  const cohorts: CohortRow[] = [];
  for (let c = 0; c < k; c++) {
    const n = size[c] as number;
    const init = initial[c] as number;
    const cells: CohortCell[] = [];
    for (let off = 0; c + off < k; off++) {
      const a = active[c * k + off] as number;
      const m = cents[c * k + off] as number;
      const logo = n > 0 ? a / n : null;
      const revenue = init > 0 ? m / init : null;
      cells.push({
        offset: off,
        periodStart: boundaries[c + off] as number,
        periodEnd: boundaries[c + off + 1] as number,
        value: by === 'logo' ? logo : revenue,
        n,
        active: a,
        logo,
        mrr: m / 100,
        revenue,
      });
    }
    cohorts.push({
      periodStart: boundaries[c] as number,
      periodEnd: boundaries[c + 1] as number,
      size: n,
      initialMrr: init / 100,
      cells,
    });
  }
  return { by, cohorts };
}
