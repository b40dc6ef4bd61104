import { checkOptions } from '../_lib/errors';
import { compareCodeUnits } from '../_lib/order';
import type { DateInput } from '../_lib/time';
import type { CustomerEvent, CustomerProfile, CustomerTimelines } from '../events/types';
import { type EventStore, isEventStore } from '../store/EventStore';
import { scoreHealthOfStore } from '../store/scoreHealthFromStore';
import type { AsOfOptions, ProfilesOptions } from '../types';
import { assembleScore, type ResolvedOverride, scoreAndBand } from './_assembleScore';
import { rangeBuffer } from './_eventColumns';
import { type EventPlan, groupEventRange, planEvents } from './_eventPlan';
import { type EventGroups, requireEventArray } from './_groupEvents';
import {
  AUTO_SCORECARD_MESSAGE,
  chooseDefault,
  idWindow,
  prepareHealth,
  prepareHealthWith,
  requireInstant,
} from './_healthRun';
import { computeStates, rankPercentiles, type ScoringContext } from './_scoreEngine';
import type { CompiledSet, CustomSignals } from './compileScorecard';
import {
  type CustomerState,
  type HealthScore,
  type HealthScoreList,
  type HealthWarning,
  INSUFFICIENT_DATA,
} from './healthTypes';
import type { HealthOverride, Scorecard, ScorecardSet } from './scorecardSchema';

/** Options of {@link scoreHealth}. */
export interface ScoreHealthOptions extends AsOfOptions, ProfilesOptions<CustomerProfile> {
  /** The date to score as of; events after it are ignored, events at it count. */
  asOf: DateInput;
  /**
   * A scorecard, or a set of scorecards chosen per customer by profile conditions.
   * @default defaultScorecard, or purchaseScorecard for purchase-only data (stated in `warnings`)
   */
  scorecard?: Scorecard | ScorecardSet;
  /** Custom signals referenced by name from the scorecard's measures. @default none */
  signals?: CustomSignals;
  /** Manual overrides of the total, each valid from `setAt` until `expiresAt` (exclusive). @default none */
  overrides?: readonly HealthOverride[];
  /** Number of negative and of positive drivers in each explanation. @default 3 */
  drivers?: number;
  /**
   * Coverage (share of the applicable scorecard weight with data) below which a score's band is
   * `insufficient_data` instead of a colour. `0` turns it off. @default 0.5
   */
  minCoverage?: number;
}

/** Every option of {@link scoreHealth}. @internal */
export const SCORE_HEALTH_KEYS = [
  'asOf',
  'scorecard',
  'profiles',
  'signals',
  'overrides',
  'drivers',
  'minCoverage',
] as const;

/** Compiled options shared with history/evaluation. @internal */
export interface ResolvedHealthOptions {
  set: CompiledSet;
  profiles: ReadonlyMap<string, CustomerProfile>;
  overrides: ResolvedOverride[] | undefined;
  drivers: number;
  minCoverage: number;
}

/** Everything one health call works with: grouped events, resolved options, per-call context. @internal */
export interface HealthRun {
  groups: EventGroups;
  resolved: ResolvedHealthOptions;
  ctx: ScoringContext;
}

/** Scores every customer as of `asOf` with a prepared run. @internal */
export function scoreAt(run: HealthRun, asOf: number): HealthScore[] {
  const { groups, resolved, ctx } = run;
  return scoreStates(computeStates(groups, resolved.profiles, resolved.set, asOf, ctx), asOf, resolved, ctx);
}

/**
 * Explained scores of computed (and percentile-ranked) customer states, counting the scored,
 * low-coverage and not-applicable ones in `ctx` for {@link runWarnings}. Shared by `scoreHealth`
 * and the store and SQL-row paths. @internal
 */
export function scoreStates(
  states: readonly CustomerState[],
  asOf: number,
  resolved: HealthRun['resolved'],
  ctx: ScoringContext,
): HealthScore[] {
  const out: HealthScore[] = new Array(states.length);
  for (let i = 0; i < states.length; i++) {
    const s = assembleScore(
      states[i] as CustomerState,
      asOf,
      resolved.overrides,
      resolved.drivers,
      ctx.weights,
    );
    out[i] = s;
    tallyScore(ctx, s.band);
  }
  return out;
}

/**
 * Health scores in output order (lowest score first, unscored last, then customer id), each built
 * when asked for: what the CLI writes for a million customers without holding a million explained
 * scores (~3-9 KB each) at once. Scores, explanations, warnings and order equal the list's sorted
 * the same way (ranking computes each score without its explanation). @internal
 */
export interface OrderedHealthScores {
  readonly length: number;
  readonly warnings: HealthWarning[];
  readonly scorecard: string;
  /** The `i`-th score in output order (a new object per call). */
  at(i: number): HealthScore;
}

/** {@link OrderedHealthScores} of the states of a run (percentiles already ranked). @internal */
export function orderedScores(
  states: readonly CustomerState[],
  asOf: number,
  run: HealthRun,
): OrderedHealthScores {
  const { resolved, ctx } = run;
  const n = states.length;
  const key = new Float64Array(n);
  // Ranked on the score alone: each explanation is built once, when its score is asked for.
  for (let i = 0; i < n; i++) {
    const { score, band } = scoreAndBand(states[i] as CustomerState, asOf, resolved.overrides, ctx.weights);
    tallyScore(ctx, band);
    key[i] = score ?? 101;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) =>
      (key[a] as number) - (key[b] as number) ||
      compareCodeUnits((states[a] as CustomerState).customerId, (states[b] as CustomerState).customerId),
  );
  return {
    length: n,
    warnings: runWarnings(run),
    scorecard: resolved.set.fallback.id,
    at: (i) =>
      assembleScore(
        states[order[i] as number] as CustomerState,
        asOf,
        resolved.overrides,
        resolved.drivers,
        ctx.weights,
      ),
  };
}

/** Counts one score's band into the run's totals (what the run's warnings report). @internal */
export function tallyScore(ctx: ScoringContext, band: string | null): void {
  ctx.scored++;
  if (band === INSUFFICIENT_DATA) ctx.lowCoverage++;
  if (ctx.weights.applicable === 0) ctx.notApplicable++;
}

/** The run's warnings, in a fixed order (scorecard choice, sources, history, coverage). @internal */
export function runWarnings(run: HealthRun): HealthWarning[] {
  const { ctx, resolved } = run;
  const out = Array.from(ctx.warnings.values());
  if (ctx.lowCoverage > 0) {
    out.push({
      code: 'insufficient_data',
      message:
        `${ctx.lowCoverage} of ${ctx.scored} scores have data for less than ${Math.round(resolved.minCoverage * 100)}% ` +
        'of the applicable scorecard: their band is insufficient_data.',
    });
  }
  if (ctx.notApplicable > 0) {
    out.push({
      code: 'no_applicable_measure',
      message: `${ctx.notApplicable} of ${ctx.scored} customers have no score: no measure of their scorecard applies to this data set.`,
    });
  }
  return out;
}

/** Attaches the run's warnings and default scorecard to a result array. @internal */
export function toScoreList(scores: HealthScore[], run: HealthRun): HealthScoreList {
  const list = scores as HealthScoreList;
  list.warnings = runWarnings(run);
  list.scorecard = run.resolved.set.fallback.id;
  return list;
}

/**
 * Scores every customer 0–100 as of `asOf` with a weighted scorecard, and says why.
 *
 * Each measure maps one signal (see `HEALTH_SIGNALS`, or a custom signal) to 0–100 with its curve.
 * Effective weights are the nominal weights re-normalised over the measures that have data (or are
 * imputed), recursively through the groups, so they sum to 1; each measure's
 * `contribution = effectiveWeight × score` and the score is the sum of the contributions (exact by
 * construction). `impact = effectiveWeight × (score − neutralScore)` ranks the drivers; each driver
 * carries one sentence with the real numbers ("Logins fell 62% (50 → 19) over the last 30 days");
 * measures whose impact rounds to 0.0 points are not drivers.
 *
 * The data set decides what applies: a measure whose source is absent from the whole input (no
 * ticket, survey, billing or seat data anywhere) or whose comparison reaches back before the first
 * event (a 63-day baseline on a 30-day log) is `not_applicable`: its weight is re-spread, it does not
 * count in coverage, and one warning per run says so. A customer without tickets in a data set that
 * has tickets is a good sign, scored as such. Without a scorecard, purchase-only data (purchases, no
 * activity, no subscriptions) is scored with `purchaseScorecard` (recency, frequency, spend trend,
 * net spend, refunds), named in each result and in a warning.
 *
 * Missing data: per measure, `skip` (default: weight re-spread within the group; a group without any
 * data is re-spread within its parent), `neutral` or `poor`. `coverage` is the share of applicable
 * nominal weight that had real data; below `minCoverage` (default 0.5) the band is
 * `insufficient_data`. A customer with no measure data gets `score: null` and a `reason`. Customers
 * whose first event is after `asOf` are left out; profiles without events are not scored. An event
 * stamped exactly at `asOf` counts. An override in force replaces `score` (and `band`);
 * `computedScore` keeps the scorecard's value. Results are sorted by customer id and do not depend
 * on the input order; a customer's score depends on other customers only through `percentile`
 * curves and the data set's sources.
 *
 * Warnings (`result.warnings`, each at most once): `source_absent`, `short_history`,
 * `insufficient_data`, `auto_scorecard` (see {@link HealthWarningCode}).
 *
 * @param events validated events (`parseEvents(rows).events`), timelines from `groupByCustomer`,
 *   or an `EventStore` (read from its columns, as `scoreHealthFromStore` does: same result, no event
 *   object built).
 * @param options see {@link ScoreHealthOptions}.
 * @returns one {@link HealthScore} per customer, in customer-id order, as a {@link HealthScoreList}
 *   (an array that also carries `warnings` and the default `scorecard` id).
 * @throws ValidationError when the events are not an array, a Map of timelines or an EventStore, an option is
 *   unknown or invalid, the scorecard is invalid (unknown keys with the closest valid one, nesting
 *   deeper than 32 groups, weights above 1e6), or a date is invalid.
 * @example
 * ```ts
 * const scores = scoreHealth(events, { asOf: '2025-06-01' });
 * scores[0].score; // => 41.7
 * scores[0].band; // => 'at risk'
 * scores[0].explanation.negative[0].sentence; // => 'Logins fell 62% (50 → 19) over the last 30 days'
 * scores.warnings; // => [{ code: 'source_absent', message: 'The data holds no CSAT answers ...' }]
 * ```
 */
export function scoreHealth(
  events: readonly CustomerEvent[] | CustomerTimelines | EventStore,
  options: ScoreHealthOptions,
): HealthScoreList {
  if (isEventStore(events)) return scoreHealthOfStore(events, options);
  const fn = 'scoreHealth';
  checkOptions(fn, options, SCORE_HEALTH_KEYS);
  const asOf = requireInstant(options?.asOf, fn, 'asOf');
  if (events instanceof Map) {
    const run = prepareHealth(events, options, fn, [asOf]);
    return toScoreList(scoreAt(run, asOf), run);
  }
  return scoreEventArray(events, options, fn, asOf);
}

/**
 * Customers grouped at a time by `scoreHealth` on an event array (at most this many events per
 * range; see {@link groupEventRange}): the typed columns the signal pass reads cost memory per
 * range (~38 bytes per row, one buffer per call), not per event.
 */
const RANGE_ROWS = 1 << 16;

/**
 * {@link scoreHealth} of an event array (options checked, `asOf` read): the events read once for
 * grouping ({@link planEvents}), then one range of customers at a time grouped into typed columns
 * and its customers' signals computed, percentiles ranked over everyone, and the scores explained.
 * `rangeRows` bounds the events per range. @internal
 */
export function scoreEventArray(
  events: unknown,
  options: ScoreHealthOptions,
  fn: string,
  asOf: number,
  rangeRows = RANGE_ROWS,
): HealthScoreList {
  const { run, states } = eventStates(events, options, fn, asOf, rangeRows);
  const { resolved, ctx } = run;
  // Percentiles rank the whole population, not one range.
  rankPercentiles(states, resolved.set);
  return toScoreList(scoreStates(states, asOf, resolved, ctx), run);
}

/**
 * The run and every customer's state (signals, measure scores; percentiles not ranked yet) of an
 * event array, range by range. Nothing of the grouping is reachable once this returns (not kept
 * while the scores are explained).
 */
function eventStates(
  events: unknown,
  options: ScoreHealthOptions,
  fn: string,
  asOf: number,
  rangeRows: number,
): { run: HealthRun; states: CustomerState[] } {
  let plan: EventPlan | undefined;
  const run = prepareHealthWith(
    (idRange) => {
      plan = planEvents(requireEventArray(events, fn), fn, idRange, rangeRows);
      return groupEventRange(plan, -1);
    },
    options,
    fn,
    [asOf],
  );
  const p = plan as EventPlan;
  const { resolved, ctx } = run;
  const buffer = rangeBuffer(p.maxRows);
  const states: CustomerState[] = [];
  for (let k = 0; k + 1 < p.bounds.length; k++) {
    const groups = groupEventRange(p, k, buffer);
    for (const st of computeStates(groups, resolved.profiles, resolved.set, asOf, ctx, false))
      states.push(st);
  }
  return { run, states };
}

export { AUTO_SCORECARD_MESSAGE, chooseDefault, idWindow, prepareHealth, prepareHealthWith, requireInstant };
