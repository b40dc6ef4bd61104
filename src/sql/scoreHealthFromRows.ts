/**
 * `scoreHealthFromRows`: health scores from per-customer signal rows computed in a database
 * (`toSql({ query: 'healthSignals' })`), with the scoring, percentile, weighting and explanation
 * code of `scoreHealth`.
 * @module
 */
import { checkOptions, optionError, ValidationError } from '../_lib/errors';
import { SourceSet } from '../_lib/sources';
import { MS_PER_DAY } from '../_lib/time';
import type { CustomerProfile } from '../events/types';
import { applicability, applicabilityWarnings } from '../health/_applicability';
import { chooseScorecard } from '../health/_scorecardChoice';
import { newTable, rankPercentiles, ScoringContext } from '../health/_scoreEngine';
import { applyCurve } from '../health/applyCurve';
import { type CompiledMeasure, type CompiledScorecard, compileScorecards } from '../health/compileScorecard';
import { HEALTH_SIGNALS } from '../health/healthSignals';
import type { CustomerState, HealthScoreList, ScoreTable } from '../health/healthTypes';
import {
  AUTO_SCORECARD_MESSAGE,
  chooseDefault,
  type HealthRun,
  type OrderedHealthScores,
  orderedScores,
  prepareHealth,
  requireInstant,
  type ScoreHealthOptions,
  scoreStates,
  toScoreList,
} from '../health/scoreHealth';
import { signalColumn } from './healthSignalsSql';
import { hasColumn, readBool, readNumber, rowId, type SqlRow } from './rows';
import { SqlColumns } from './SqlColumns';

/** Options of {@link scoreHealthFromRows}: those of `scoreHealth` except custom `signals`. */
export type ScoreHealthFromRowsOptions = Omit<ScoreHealthOptions, 'signals'>;

const KEYS = ['asOf', 'scorecard', 'profiles', 'overrides', 'drivers', 'minCoverage'] as const;

/** Signals whose value falls back to the profile (as in the JS pass). */
function withProfile(
  m: CompiledMeasure,
  row: SqlRow,
  col: string,
  v: number,
  a: number,
  profile: CustomerProfile | undefined,
  asOf: number,
): [number, number] {
  switch (m.signal) {
    case 'seats':
      return [Number.isNaN(v) && profile?.seats !== undefined ? profile.seats : v, a];
    case 'mrr':
      return [Number.isNaN(v) && profile?.mrr !== undefined ? profile.mrr : v, a];
    case 'csmRating': {
      const r = profile?.attributes?.csmRating;
      return [Number.isNaN(v) && typeof r === 'number' && Number.isFinite(r) ? r : v, a];
    }
    case 'daysToRenewal':
      return [profile?.renewalDate !== undefined ? (profile.renewalDate - asOf) / MS_PER_DAY : Number.NaN, a];
    case 'tenureDays': {
      const since = profile?.signupDate ?? readNumber(row, '__first_at');
      return [!Number.isNaN(since) && since <= asOf ? (asOf - since) / MS_PER_DAY : Number.NaN, a];
    }
    case 'licenseUtilisation': {
      let seats = readNumber(row, '__seats');
      if (Number.isNaN(seats) && profile?.seats !== undefined) seats = profile.seats;
      const u = readNumber(row, `${col}__users`);
      if (!Number.isNaN(u) && seats > 0) return [u / seats, seats];
      return [Number.NaN, Number.NaN];
    }
    default:
      return [v, a];
  }
}

/**
 * Scores customers 0–100 from per-customer signal rows, exactly as `scoreHealth` scores the events
 * those rows were computed from: same scorecard choice, profile fallbacks (seats, MRR, CSM rating,
 * renewal and signup dates), applicability (sources of the whole data set, from the rows'
 * `__ds_*` columns), percentiles (over the rows given: the population), weights, bands,
 * overrides, explanations and run warnings. The SQL path is: `toSql({ query: 'healthSignals',
 * scorecard })` in the database → rows → this function.
 *
 * Rows must come from `toSql({ query: 'healthSignals' })` with the same `asOf`, and hold every
 * signal the scorecard reads (the default query holds every built-in signal at its default window
 * plus those of `defaultScorecard` and `purchaseScorecard`; for another scorecard pass it to
 * `toSql`). Not supported from rows: custom signals (they need events) and `baseline` curves whose
 * lag differs from their window (they need a second pass at an earlier asOf).
 *
 * Missing-data policy and warnings: as `scoreHealth`.
 *
 * @param input per-customer rows (any order; numbers may be `bigint` or numeric strings).
 * @param options as `scoreHealth` (without `signals`).
 * @returns one score per row, in customer-id order, with the run's `warnings`.
 * @throws {ValidationError} for invalid options, a row without `customer_id`, a column the
 *   scorecard needs missing from the rows, or a scorecard the SQL path cannot compute.
 * @example
 * ```ts no-run
 * const rows = await db.all(toSql({ dialect: 'duckdb', query: 'healthSignals', table: 'events', asOf }));
 * const scores = scoreHealthFromRows(rows, { asOf, profiles });
 * ```
 */
export function scoreHealthFromRows(
  input: readonly SqlRow[] | SqlColumns,
  options: ScoreHealthFromRowsOptions,
): HealthScoreList {
  const { asOf, run, states } = rowStates(input, options);
  return toScoreList(scoreStates(states, asOf, run.resolved, run.ctx), run);
}

/**
 * {@link scoreHealthFromRows}'s scores in output order (lowest first), each built when asked for (see
 * `OrderedHealthScores`): the DuckDB engine's writer never holds every explained score. @internal
 */
export function orderedHealthFromRows(
  input: readonly SqlRow[] | SqlColumns,
  options: ScoreHealthFromRowsOptions,
): OrderedHealthScores {
  const { asOf, run, states } = rowStates(input, options);
  return orderedScores(states, asOf, run);
}

/** The checked options, the run and every customer's state from the rows (percentiles ranked). */
function rowStates(
  input: readonly SqlRow[] | SqlColumns,
  options: ScoreHealthFromRowsOptions,
): { asOf: number; run: HealthRun; states: CustomerState[] } {
  const fn = 'scoreHealthFromRows';
  checkOptions(fn, options, KEYS);
  const asOf = requireInstant(options?.asOf, fn, 'asOf');
  const rows = input instanceof SqlColumns ? input.rows() : input;
  if (!Array.isArray(rows)) throw optionError(fn, 'rows', 'must be an array of rows', 'not_an_array');
  // Every row needs a customer_id (checked before any other cell is read).
  const ids = rows.map((r, i) => rowId(fn, r, 'customer_id', i));
  // Validates and resolves every option the way scoreHealth does (no events here).
  const base = prepareHealth([], options, fn, [asOf]);
  const profiles = base.resolved.profiles;
  const { ctx, set } = rowScorecards(rows, options, base, fn);
  // Rows in customer-id order, each with its scorecard.
  const order = ids
    .map((_, i) => i)
    .sort((a, b) => {
      const x = ids[a] as string;
      const y = ids[b] as string;
      return x < y ? -1 : x > y ? 1 : 0;
    });
  const cardOf: CompiledScorecard[] = new Array(rows.length);
  const count = new Map<CompiledScorecard, number>();
  for (const i of order) {
    const row = rows[i] as SqlRow;
    const sc = chooseScorecard(set, readNumber(row, '__first_at'), profiles.get(ids[i] as string), asOf);
    cardOf[i] = sc;
    count.set(sc, (count.get(sc) ?? 0) + 1);
  }
  const tables = new Map<CompiledScorecard, ScoreTable>();
  const columns = new Map<CompiledScorecard, MeasureColumns>();
  const firstRow = rows[0] ?? {};
  for (const [sc, n] of count) {
    const na = applicability(sc, ctx.sources, asOf);
    applicabilityWarnings(sc, na, ctx.sources, asOf, ctx.warnings);
    const coveredDays = Math.max(0, Math.floor((asOf - ctx.sources.firstTimestamp) / MS_PER_DAY));
    tables.set(sc, newTable(sc, n, na, coveredDays));
    columns.set(sc, measureColumns(sc, firstRow, fn));
  }
  const next = new Map<CompiledScorecard, number>();
  const states: CustomerState[] = [];
  for (const i of order) {
    const sc = cardOf[i] as CompiledScorecard;
    const r = next.get(sc) ?? 0;
    next.set(sc, r + 1);
    const customerId = ids[i] as string;
    states.push(
      rowState(rows[i] as SqlRow, customerId, profiles.get(customerId), sc, tables.get(sc) as ScoreTable, {
        at: r * sc.measures.length,
        columns: columns.get(sc) as MeasureColumns,
        asOf,
        minCoverage: ctx.minCoverage,
      }),
    );
  }
  rankPercentiles(states, set);
  const run: HealthRun = { groups: base.groups, resolved: { ...base.resolved, set }, ctx };
  return { asOf, run, states };
}

/**
 * The scoring context (sources of the whole data set from the first row's `__ds_*` columns) and the
 * scorecards (the default one chosen as scoreHealth does), refusing what rows cannot compute.
 */
function rowScorecards(
  rows: readonly SqlRow[],
  options: ScoreHealthFromRowsOptions,
  base: ReturnType<typeof prepareHealth>,
  fn: string,
): { ctx: ScoringContext; set: ReturnType<typeof compileScorecards> } {
  const profileMask = base.ctx.sources.mask;
  const first = rows[0];
  const sources =
    first === undefined
      ? base.ctx.sources
      : new SourceSet(
          readNumber(first, '__ds_sources') | profileMask,
          readNumber(first, '__ds_first_at'),
          readNumber(first, '__ds_last_at'),
        );
  const ctx = new ScoringContext(sources, base.resolved.minCoverage, base.groups);
  // Without a scorecard: the default one, or purchaseScorecard for purchase-only data (as scoreHealth).
  const chosen = chooseDefault(options.scorecard, sources);
  const set = compileScorecards(chosen.card, undefined, fn);
  if (chosen.auto)
    ctx.warnings.set('auto_scorecard', { code: 'auto_scorecard', message: AUTO_SCORECARD_MESSAGE });
  for (const sc of set.all) {
    if (sc.customs.length > 0)
      throw optionError(fn, 'scorecard', 'custom signals cannot be computed from SQL rows');
    if (sc.lags.length > 0)
      throw optionError(
        fn,
        'scorecard',
        `baseline curves with a lag other than their window (${sc.lags.join(', ')} days) cannot be computed from SQL rows`,
      );
  }
  return { ctx, set };
}

/** Per measure of a scorecard: its column, and its earlier-window column (`null` when none). */
interface MeasureColumns {
  col: string[];
  prev: (string | null)[];
}

/** The columns a scorecard's measures read; a `ValidationError` names the first one the rows lack. */
function measureColumns(sc: CompiledScorecard, firstRow: SqlRow, fn: string): MeasureColumns {
  const col: string[] = [];
  const prev: (string | null)[] = [];
  for (const m of sc.measures) {
    const spec = HEALTH_SIGNALS[m.signal];
    const days = spec?.defaultDays === null ? null : m.days;
    const c = signalColumn(m.signal, days);
    const needed = m.signal === 'licenseUtilisation' ? `${c}__users` : c;
    if (!hasColumn(firstRow, needed) && m.signal !== 'daysToRenewal') {
      throw new ValidationError(fn, [
        {
          path: ['rows', 0, needed],
          code: 'required',
          message: `the rows have no column "${needed}" (measure "${m.id}"): generate the SQL with toSql({ query: 'healthSignals', scorecard })`,
        },
      ]);
    }
    col.push(c);
    prev.push(m.prevSlot >= 0 ? signalColumn(m.signal, (m.days ?? 0) * 2) : null);
  }
  return { col, prev };
}

/** One customer's state: its row's values written into its scorecard's table at slot `at`. */
function rowState(
  row: SqlRow,
  customerId: string,
  profile: CustomerProfile | undefined,
  sc: CompiledScorecard,
  table: ScoreTable,
  o: { at: number; columns: MeasureColumns; asOf: number; minCoverage: number },
): CustomerState {
  const { at, asOf } = o;
  const { col, prev } = o.columns;
  const nm = sc.measures.length;
  for (let k = 0; k < nm; k++) {
    const m = sc.measures[k] as CompiledMeasure;
    const c = col[k] as string;
    const [v, a] = withProfile(m, row, c, readNumber(row, c), readNumber(row, `${c}__detail`), profile, asOf);
    table.values[at + k] = v;
    table.aux[at + k] = a;
    const p = prev[k];
    if (p !== null && p !== undefined) table.previous[at + k] = readNumber(row, p) - v;
    if (m.curve.type !== 'percentile') {
      const s = applyCurve(m.curve, v, table.previous[at + k] as number);
      table.raw[at + k] = s === null ? Number.NaN : s;
    }
  }
  return {
    customerId,
    profile,
    sc,
    table,
    base: at,
    group: -1,
    cancelled: readBool(row, '__cancelled'),
    events: readNumber(row, '__events'),
    minCoverage: o.minCoverage,
  };
}
