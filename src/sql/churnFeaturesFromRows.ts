/**
 * Turns the rows of `toSql({ query: 'churnFeatures' })` into the `ChurnFeatureTable` that
 * `churnFeatures` builds from events (same columns, same missing-data policy).
 * @module
 */
import { linearRegression } from 'simple-statistics';
import { checkOptions, optionError } from '../_lib/errors';
import { compareCodeUnits } from '../_lib/order';
import { nullProtoObject } from '../_lib/safe';
import { type DateInput, MS_PER_DAY, requireEpochMs } from '../_lib/time';
import {
  addProfileAttributes,
  CHURN_FEATURES,
  type ChurnFeatureTable,
  daysToRenewal,
} from '../churn/churnFeatures';
import type { CustomerProfile } from '../events/types';
import { TREND_WEEKS } from './_churnFeaturesSql';
import { readBool, readNumber, readString, rowId, type SqlRow } from './rows';
import { SqlColumns } from './SqlColumns';

/** Options of {@link churnFeaturesFromRows}. */
export interface ChurnFeaturesFromRowsOptions {
  /** The `asOf` the rows were computed for (the same as given to `toSql`). */
  asOf: DateInput;
  /** Profiles, as for `churnFeatures`. @default [] */
  profiles?: readonly CustomerProfile[];
}

const NAMES = CHURN_FEATURES.map((f) => f.name);

/**
 * Builds the churn feature table from per-customer SQL rows (`toSql({ query: 'churnFeatures' })`),
 * applying the profile fallbacks (signup date, seats, MRR, plan, renewal date), the 12-week usage
 * trend regression, the calendar-month renewal dates and the `profile.<key>` attribute columns in
 * JS, exactly as `churnFeatures` does. Customers with a profile signed up before `asOf` but no row
 * get a row of empty aggregates, as in `churnFeatures`.
 *
 * Missing-data policy: as `churnFeatures` (0 in `columns`, 1 in `missing`).
 *
 * @param input rows from the database (any order; numbers may be `bigint`).
 * @param options `asOf` and `profiles`.
 * @returns a `ChurnFeatureTable`, ready for `trainChurnModel` / `predict`.
 * @throws {ValidationError} for an invalid `asOf`, unknown options, or a row without `customer_id`.
 * @example
 * ```ts no-run
 * const rows = await db.all(toSql({ dialect: 'duckdb', query: 'churnFeatures', table: 'events', asOf }));
 * const table = churnFeaturesFromRows(rows, { asOf, profiles });
 * ```
 */
export function churnFeaturesFromRows(
  input: readonly SqlRow[] | SqlColumns,
  options: ChurnFeaturesFromRowsOptions,
): ChurnFeatureTable {
  const fn = 'churnFeaturesFromRows';
  checkOptions(fn, options, ['asOf', 'profiles']);
  const asOf = requireEpochMs(options?.asOf, fn, 'asOf');
  const rows = input instanceof SqlColumns ? input.rows() : input;
  if (!Array.isArray(rows)) throw optionError(fn, 'rows', 'must be an array of rows');
  const profiles = new Map<string, CustomerProfile>();
  for (const p of options.profiles ?? []) profiles.set(p.customerId, p);
  const byId = new Map<string, SqlRow>();
  rows.forEach((r, i) => {
    byId.set(rowId(fn, r, 'customer_id', i), r);
  });
  const ids = Array.from(byId.keys());
  for (const [id, p] of profiles) {
    if (p.signupDate !== undefined && p.signupDate < asOf && !byId.has(id)) ids.push(id);
  }
  ids.sort(compareCodeUnits);
  const n = ids.length;
  const columns = nullProtoObject<Float64Array>();
  const missing = nullProtoObject<Uint8Array>();
  for (const name of NAMES) {
    columns[name] = new Float64Array(n);
    missing[name] = new Uint8Array(n);
  }
  const cols = NAMES.map((nm) => columns[nm] as Float64Array);
  const miss = NAMES.map((nm) => missing[nm] as Uint8Array);
  const set = (i: number, k: number, v: number | null): void => {
    if (v === null || !Number.isFinite(v)) (miss[k] as Uint8Array)[i] = 1;
    else (cols[k] as Float64Array)[i] = v;
  };
  const plan: (string | null)[] = new Array(n).fill(null);
  const empty: SqlRow = Object.create(null);
  for (let i = 0; i < n; i++) {
    const id = ids[i] as string;
    const r = byId.get(id) ?? empty;
    const prof = profiles.get(id);
    const users30 = activityFeatures(i, r, prof, asOf, set);
    plan[i] = accountFeatures(i, r, prof, asOf, set, users30);
  }
  const categorical = nullProtoObject<(string | null)[]>();
  categorical.plan = plan;
  const names = [...NAMES];
  addProfileAttributes({ asOf, customerIds: ids, names, columns, missing, categorical }, profiles);
  return { asOf, customerIds: ids, names, columns, missing, categorical };
}

/** Sets a feature of row `i` (`k` in CHURN_FEATURES order); `null` or non-finite marks it missing. */
type SetFeature = (i: number, k: number, v: number | null) => void;

/** The cell readers of one row: `g` as read (NaN when absent), `c` with absent as 0, `day` as days before asOf. */
function readers(r: SqlRow, asOf: number) {
  return {
    g: (k: string): number => readNumber(r, k),
    c: (k: string): number => {
      const v = readNumber(r, k);
      return Number.isNaN(v) ? 0 : v;
    },
    day: (ms: number): number | null => (Number.isNaN(ms) ? null : (asOf - ms) / MS_PER_DAY),
  };
}

/** Features 0–16: recency, purchases, tenure, activity counts and trend, features, users; returns users30. */
function activityFeatures(
  i: number,
  r: SqlRow,
  prof: CustomerProfile | undefined,
  asOf: number,
  set: SetFeature,
): number {
  const { g, c, day } = readers(r, asOf);
  const purchases = c('purchases');
  set(i, 0, day(g('last_t')));
  set(i, 1, day(g('last_activity')));
  set(i, 2, day(g('last_purchase')));
  set(i, 3, purchases);
  set(i, 4, c('purchases90'));
  set(i, 5, c('monetary'));
  set(i, 6, purchases > 0 ? c('purchase_sum') / purchases : null);
  const signup = prof?.signupDate !== undefined && prof.signupDate < asOf ? prof.signupDate : g('first_t');
  const tenure = day(signup);
  set(i, 7, tenure);
  const a30 = c('a30');
  const a90 = c('a90');
  set(i, 8, c('a7'));
  set(i, 9, a30);
  set(i, 10, a90);
  set(i, 11, c('active_days30'));
  const weeks = tenure === null ? 0 : Math.min(TREND_WEEKS, Math.floor(tenure / 7));
  if (weeks >= 3) {
    const pts: number[][] = [];
    for (let w = 0; w < weeks; w++) pts.push([-w, c(`w${w}`)]);
    set(i, 12, linearRegression(pts).m);
  } else set(i, 12, null);
  set(i, 13, (a30 + 1) / ((a90 - a30) / 2 + 1));
  set(i, 14, c('feats30'));
  set(i, 15, c('feats90'));
  const users30 = c('users30');
  set(i, 16, users30);
  return users30;
}

/** Features 17–31: seats and utilisation, tickets, surveys, payments, MRR, renewal; returns the plan. */
function accountFeatures(
  i: number,
  r: SqlRow,
  prof: CustomerProfile | undefined,
  asOf: number,
  set: SetFeature,
  users30: number,
): string | null {
  const { g, c } = readers(r, asOf);
  let seats = g('seats');
  if (Number.isNaN(seats) && prof?.seats !== undefined) seats = prof.seats;
  set(i, 17, Number.isNaN(seats) ? null : seats);
  set(i, 18, seats > 0 ? users30 / seats : null);
  set(i, 19, c('tickets30'));
  set(i, 20, c('tickets90'));
  set(i, 21, c('high30'));
  set(i, 22, c('open_tickets'));
  const res = g('mean_res90');
  set(i, 23, Number.isNaN(res) ? null : res);
  const npsCnt = c('nps_cnt');
  const csatCnt = c('csat_cnt');
  set(i, 24, npsCnt > 0 ? g('nps_last') : null);
  set(i, 25, npsCnt > 0 ? g('nps_mean') : null);
  set(i, 26, csatCnt > 0 ? g('csat_last') : null);
  set(i, 27, csatCnt > 0 ? g('csat_mean') : null);
  set(i, 28, c('failed90'));
  const subSeen = readBool(r, 'sub_seen');
  let mrr = g('mrr');
  if (!subSeen && prof?.mrr !== undefined) mrr = prof.mrr;
  const mrrAt90 = g('mrr_at90');
  set(i, 29, Number.isNaN(mrr) ? null : mrr);
  set(i, 30, Number.isNaN(mrr) || Number.isNaN(mrrAt90) ? null : mrr - mrrAt90);
  const termStart = g('term_start');
  const prevTermStart = g('prev_term_start');
  set(i, 31, daysToRenewal(termStart, prevTermStart, subSeen, prof, asOf));
  const lastPlan = readString(r, 'plan');
  return lastPlan ?? (subSeen ? null : (prof?.plan ?? null));
}
