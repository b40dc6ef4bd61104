/**
 * `toSql`: the per-customer aggregations (health signals, churn aggregates, RFM summary) as one SQL
 * query each, to run where the events live (DuckDB, PostgreSQL, BigQuery, Snowflake).
 * @module
 */
import { checkOptions, optionError, unknownKeyIssues, ValidationError } from '../_lib/errors';
import { type DateInput, requireEpochMs } from '../_lib/time';
import { type ChurnHorizon, horizonEnd } from '../churn/horizonEnd';
import type { TimeUnit } from '../clv/types';
import { compileScorecards } from '../health/compileScorecard';
import { defaultScorecard } from '../health/defaultScorecard';
import { HEALTH_SIGNALS } from '../health/healthSignals';
import { purchaseScorecard } from '../health/purchaseScorecard';
import type { Scorecard, ScorecardSet } from '../health/scorecardSchema';
import { churnFeaturesQuery } from './_churnFeaturesSql';
import { churnLabelsQuery } from './_churnLabelsSql';
import { rfmScoresQuery } from './_rfmScoresSql';
import { rfmSummaryQuery } from './_rfmSummarySql';
import {
  dialectOf,
  eventRelation,
  lit,
  MAPPING_KEYS,
  num,
  type SqlColumn,
  type SqlDialect,
  type SqlMapping,
} from './dialect';
import {
  healthSignalsQuery,
  type ResolvedSignal,
  type SqlSignalRequest,
  signalColumn,
} from './healthSignalsSql';

/** Which aggregation to generate. */
export type SqlQueryKind = 'healthSignals' | 'churnFeatures' | 'churnLabels' | 'rfmSummary' | 'rfmScores';

/** Options of {@link toSql}. */
export interface ToSqlOptions {
  /** Target dialect. */
  dialect: SqlDialect;
  /** Which per-customer aggregation. */
  query: SqlQueryKind;
  /** The events table (`schema.table` is quoted part by part) or a raw relation `{ sql: 'SELECT ...' }`. */
  table: SqlColumn;
  /** The instant of the analysis: events at it count, later ones are ignored. */
  asOf: DateInput;
  /** Where the event fields live in the table. @default snake_case column names (see `SqlMapping`) */
  mapping?: SqlMapping;
  /**
   * healthSignals: the signals to compute (name, or `{ signal, days }`).
   * @default every built-in signal at its default window (what `computeSignals` returns), plus the
   *   signals `defaultScorecard` and `purchaseScorecard` read
   */
  signals?: readonly (string | SqlSignalRequest)[];
  /** healthSignals: compute exactly the signals this scorecard (or set) reads. @default undefined */
  scorecard?: Scorecard | ScorecardSet;
  /** rfmSummary: unit of recency and T. @default 'weeks' */
  timeUnit?: TimeUnit;
  /** rfmSummary: end of calibration; purchases in (calibrationEnd, asOf] are the holdout. @default undefined */
  calibrationEnd?: DateInput;
  /** rfmSummary: event type counted as a purchase. @default 'purchase' */
  purchaseType?: string;
  /** rfmSummary: event type whose |value| is subtracted as a refund. @default 'refund' */
  refundType?: string;
  /** churnFeatures: ticket priorities (lower case) counted as high. @default ['high', 'urgent', 'critical'] */
  highPriorities?: readonly string[];
  /** churnLabels: length of the outcome window `(asOf, asOf + horizon]` (days, or `{ days, weeks, months }`). @default 30 */
  horizon?: ChurnHorizon;
}

const KNOWN = [
  'dialect',
  'query',
  'table',
  'asOf',
  'mapping',
  'signals',
  'scorecard',
  'timeUnit',
  'calibrationEnd',
  'purchaseType',
  'refundType',
  'highPriorities',
  'horizon',
] as const;

/** Resolves the signal list of a health query. @internal */
export function resolveSignals(
  fn: string,
  signals: readonly (string | SqlSignalRequest)[] | undefined,
  scorecard: Scorecard | ScorecardSet | undefined,
): ResolvedSignal[] {
  const out: ResolvedSignal[] = [];
  const seen = new Set<string>();
  const add = (signal: string, days: number | undefined, path: string): void => {
    const spec = Object.hasOwn(HEALTH_SIGNALS, signal) ? HEALTH_SIGNALS[signal] : undefined;
    if (spec === undefined) throw optionError(fn, path, `unknown signal "${signal}"`, 'unknown_signal');
    const d = spec.defaultDays === null ? 0 : (days ?? spec.defaultDays);
    if (!Number.isInteger(d) || d < 0 || (spec.defaultDays !== null && d === 0)) {
      throw optionError(fn, path, `days must be a positive integer, got ${String(days)}`);
    }
    const column = signalColumn(signal, spec.defaultDays === null ? null : d);
    if (seen.has(column)) return;
    seen.add(column);
    out.push({ spec, days: d, column });
  };
  if (scorecard !== undefined) {
    const set = compileScorecards(scorecard, undefined, fn);
    for (const sc of set.all) {
      for (const r of sc.plan.requests) {
        const spec = Object.values(HEALTH_SIGNALS).find((s) => s.code === r.code);
        if (spec !== undefined) add(spec.name, r.days === 0 ? undefined : r.days, 'scorecard');
      }
      if (sc.lags.length > 0) {
        throw optionError(
          fn,
          'scorecard',
          `baseline curves with a lag other than their window (${sc.lags.join(', ')} days) are not supported in SQL yet`,
        );
      }
    }
    return out;
  }
  if (signals === undefined) {
    // Every built-in signal at its default window, plus what the two built-in scorecards read.
    for (const name of Object.keys(HEALTH_SIGNALS)) add(name, undefined, 'signals');
    for (const card of [defaultScorecard, purchaseScorecard]) {
      for (const r of compileScorecards(card, undefined, fn).fallback.plan.requests) {
        const spec = Object.values(HEALTH_SIGNALS).find((s) => s.code === r.code);
        if (spec !== undefined) add(spec.name, r.days === 0 ? undefined : r.days, 'signals');
      }
    }
    return out;
  }
  const list = signals;
  list.forEach((s, i) => {
    if (typeof s === 'string') add(s, undefined, `signals[${i}]`);
    else if (s !== null && typeof s === 'object' && typeof s.signal === 'string')
      add(s.signal, s.days, `signals[${i}]`);
    else throw optionError(fn, `signals[${i}]`, 'must be a signal name or { signal, days }');
  });
  return out;
}

/** The purchase and refund types of the RFM queries (checked) and the SQL filter on them. */
function purchaseTypes(fn: string, options: ToSqlOptions): { type: string; refund: string; where: string } {
  const type = options.purchaseType ?? 'purchase';
  const refund = options.refundType ?? 'refund';
  if (typeof type !== 'string' || type === '')
    throw optionError(fn, 'purchaseType', 'must be a non-empty string');
  if (typeof refund !== 'string' || refund === type)
    throw optionError(fn, 'refundType', 'must be a string different from "purchaseType"');
  return { type, refund, where: `type IN (${lit(type)}, ${lit(refund)})` };
}

/**
 * Generates the SQL of one per-customer aggregation, so the O(events) work runs in the database
 * and only one row per customer comes back; the library's row adapters (`scoreHealthFromRows`,
 * `churnFeaturesFromRows`, `rfmSummaryFromRows`) then do the O(customers) work (scoring, profile
 * fallbacks, fitting) with the same code as the in-memory path.
 *
 * The rows are exactly what the JS path computes (the parity tests run the `duckdb` SQL against
 * `computeSignals`, `churnFeatures` and `rfmSummary` on generated data, to 1e-9):
 * - `healthSignals`: `customer_id`, one column per signal (named by `signalColumn`: the signal name at
 *   its default window, else `<signal>_<days>d`) and its `__detail` column, plus `__events`,
 *   `__first_at` (epoch ms) and `__cancelled`. Signals from profiles (`daysToRenewal`, the profile
 *   fallbacks of `mrr`, `seats`, `csmRating`, `tenureDays`) are applied by the adapter.
 * - `churnFeatures`: the raw per-customer aggregates (`churnFeaturesFromRows` turns them into the
 *   `ChurnFeatureTable`).
 * - `rfmSummary`: columns named like `RfmCustomer` (`customerId`, `frequency`, `recency`, `T`, ...).
 *
 * Every instant is handled as epoch milliseconds (UTC) and every window is half-open
 * `(asOf − days, asOf]`; an event exactly at `asOf` counts. The SQL is portable (no `FILTER`,
 * `QUALIFY`, or named windows); `duckdb` is tested by running it in every test run, `postgres` was
 * run against PostgreSQL 15 (test/sql/postgres.test.ts, with `CV_PG`), `bigquery` and `snowflake`
 * are generated and snapshot-tested but have NOT been run against a live server.
 * Known differences: a `userId`/`ticketId` that is neither a string nor a number (e.g. an object) is
 * treated as absent; numeric and string ids that print the same (`1` and `'1'`) are one id.
 *
 * @param options see {@link ToSqlOptions}.
 * @returns the SQL text (one statement, no trailing semicolon).
 * @throws {ValidationError} for unknown options, an unknown dialect, signal or mapping key, or an invalid date.
 * @example
 * ```ts
 * import { toSql } from 'customer-vitals/sql';
 * const sql = toSql({ dialect: 'duckdb', query: 'rfmSummary', table: 'events', asOf: '2025-01-01' });
 * sql.startsWith('WITH ev AS'); // => true
 * ```
 */
export function toSql(options: ToSqlOptions): string {
  const fn = 'toSql';
  checkOptions(fn, options, KNOWN);
  if (options === undefined) throw optionError(fn, 'dialect', 'is required', 'required');
  const d = dialectOf(fn, options.dialect);
  const asOf = requireEpochMs(options.asOf, fn, 'asOf');
  const table = options.table;
  if (
    !(typeof table === 'string' && table.length > 0) &&
    !(table !== null && typeof table === 'object' && typeof table.sql === 'string')
  ) {
    throw optionError(fn, 'table', 'must be a table name or { sql }');
  }
  const mapping = options.mapping ?? {};
  if (mapping === null || typeof mapping !== 'object') throw optionError(fn, 'mapping', 'must be an object');
  const issues = unknownKeyIssues(
    mapping as Record<string, unknown>,
    MAPPING_KEYS,
    ['mapping'],
    'mapping key',
  );
  if (issues.length > 0) throw new ValidationError(fn, issues);
  switch (options.query) {
    case 'healthSignals': {
      const signals = resolveSignals(fn, options.signals, options.scorecard);
      // ev_all: every event (the data set's sources and time span); ev: those at or before asOf.
      return `WITH ev_all AS (\n${eventRelation(d, table, mapping, null)}\n),\nev AS (SELECT * FROM ev_all WHERE t <= ${num(asOf)}),\n${healthSignalsQuery(d, asOf, signals)}`;
    }
    case 'churnFeatures': {
      const high = options.highPriorities ?? ['high', 'urgent', 'critical'];
      return `WITH ev AS (\n${eventRelation(d, table, mapping, asOf)}\n),\n${churnFeaturesQuery(d, asOf, high)}`;
    }
    case 'churnLabels': {
      const end = horizonEnd(asOf, options.horizon ?? 30);
      if (end === null)
        throw optionError(fn, 'horizon', 'must be a positive length (days or { days, weeks, months })');
      return `WITH ev AS (\n${eventRelation(d, table, mapping, end)}\n)\n${churnLabelsQuery(d, asOf, end)}`;
    }
    case 'rfmScores': {
      const { type, refund, where } = purchaseTypes(fn, options);
      return `WITH ev AS (\n${eventRelation(d, table, mapping, asOf, where)}\n)\n${rfmScoresQuery(d, type, refund)}`;
    }
    case 'rfmSummary': {
      const unit = options.timeUnit ?? 'weeks';
      if (unit !== 'days' && unit !== 'weeks' && unit !== 'months')
        throw optionError(fn, 'timeUnit', `must be days, weeks or months, got ${String(unit)}`);
      const calEnd =
        options.calibrationEnd === undefined
          ? null
          : requireEpochMs(options.calibrationEnd, fn, 'calibrationEnd');
      if (calEnd !== null && calEnd > asOf)
        throw optionError(fn, 'calibrationEnd', 'must not be after "asOf"');
      const { type, refund, where } = purchaseTypes(fn, options);
      return `WITH ev AS (\n${eventRelation(d, table, mapping, asOf, where)}\n),\n${rfmSummaryQuery(d, asOf, calEnd, unit, type, refund)}`;
    }
    default:
      throw optionError(
        fn,
        'query',
        `must be healthSignals, churnFeatures, churnLabels, rfmSummary or rfmScores, got ${String(options.query)}`,
      );
  }
}
