/**
 * The preparation of a health run, shared by scoreHealth, healthHistory, evaluateHealth and the store
 * and SQL paths: options read and checked, the scorecard chosen (the purchase scorecard for
 * purchase-only data), events grouped in the window the scorecards reach. Re-exported by scoreHealth.ts.
 * @module
 */

import { optionError, ValidationError, zodIssues } from '../_lib/errors';
import { profileSourceBits, SourceSet } from '../_lib/sources';
import { type DateInput, MS_PER_DAY, requireEpochMs } from '../_lib/time';
import type { CustomerEvent, CustomerTimelines } from '../events/types';
import type { ResolvedOverride } from './_assembleScore';
import { type EventGroups, groupEvents, type IdRange } from './_groupEvents';
import { toProfileMap } from './_scorecardChoice';
import { ScoringContext } from './_scoreEngine';
import { type CompiledSet, compileScorecards } from './compileScorecard';
import { defaultScorecard } from './defaultScorecard';
import { purchaseScorecard } from './purchaseScorecard';
import { OverrideSchema } from './scorecardSchema';
import type { HealthRun, ScoreHealthOptions } from './scoreHealth';

function resolveOverrides(list: unknown, fn: string): ResolvedOverride[] | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) throw optionError(fn, 'overrides', 'must be an array', 'not_an_array');
  return list.map((o, i) => {
    const parsed = OverrideSchema.safeParse(o);
    if (!parsed.success) {
      throw new ValidationError(
        fn,
        zodIssues(parsed.error).map((x) => ({ ...x, index: i })),
        'override',
      );
    }
    const v = parsed.data;
    return {
      customerId: v.customerId,
      score: v.score,
      reason: v.reason,
      expiresAt: requireEpochMs(v.expiresAt, fn, `overrides[${i}].expiresAt`),
      setAt:
        v.setAt === undefined
          ? Number.NEGATIVE_INFINITY
          : requireEpochMs(v.setAt, fn, `overrides[${i}].setAt`),
    };
  });
}

/** Latest instant a JS Date can hold (±8.64e15 ms, year ±275760). */
const MAX_INSTANT = 8.64e15;

/**
 * A required date option as epoch ms, inside the range a JS Date can hold.
 * @throws ValidationError (`required`, `invalid_date`, `out_of_range`) naming the option.
 * @internal
 */
export function requireInstant(value: unknown, fn: string, field: string): number {
  const t = requireEpochMs(value as DateInput | undefined, fn, field);
  if (Math.abs(t) > MAX_INSTANT)
    throw optionError(
      fn,
      field,
      `is outside the valid date range (±8.64e15 ms): ${String(value)}`,
      'out_of_range',
    );
  return t;
}

function readShare(value: unknown, fn: string, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1))
    throw optionError(fn, field, `must be a number from 0 to 1, got ${String(value)}`, 'out_of_range');
  return value;
}

/** @internal (also used by the store and SQL row paths) */
export const AUTO_SCORECARD_MESSAGE =
  'The data holds purchases but no product activity or subscriptions: scored with the built-in ' +
  '"purchases" scorecard (recency, frequency, spend trend, net spend, refunds). Pass a scorecard to choose another.';

/** The scorecard(s) of a run: the given one, else the default, or the purchase scorecard for purchase-only data. @internal */
export function chooseDefault(given: unknown, sources: SourceSet): { card: unknown; auto: boolean } {
  if (given !== undefined) return { card: given, auto: false };
  const purchaseOnly = sources.has('purchases') && !sources.has('activity') && !sources.has('subscriptions');
  return purchaseOnly ? { card: purchaseScorecard, auto: true } : { card: defaultScorecard, auto: false };
}

/**
 * Instants whose user ids (`from`) and feature ids (`featureFrom`) the run's signals can read, up
 * to `to`: the dates, back by the longest user (feature) window plus the longest baseline lag.
 * Baseline passes read a subset of the scorecard's requests, so these bound them too. @internal
 */
export function idWindow(
  set: CompiledSet,
  dates: readonly number[],
): { from: number; to: number; featureFrom: number } {
  if (dates.length === 0)
    return {
      from: Number.NEGATIVE_INFINITY,
      to: Number.POSITIVE_INFINITY,
      featureFrom: Number.NEGATIVE_INFINITY,
    };
  let userReach = 0;
  let featureReach = 0;
  for (const sc of set.all) {
    const lag = sc.lags.length > 0 ? (sc.lags[sc.lags.length - 1] as number) * MS_PER_DAY : 0;
    userReach = Math.max(userReach, sc.plan.userMs + lag);
    featureReach = Math.max(featureReach, sc.plan.featureMs + lag);
  }
  const first = Math.min(...dates);
  return { from: first - userReach, to: Math.max(...dates), featureFrom: first - featureReach };
}

/**
 * Groups the events, scans the data set's sources, chooses the default scorecard (purchase-only
 * data gets `purchaseScorecard`) and validates the options common to the health functions.
 * `dates` are the instants the run will score (they bound the id lookups of the grouping).
 * @internal
 */
export function prepareHealth(
  events: readonly CustomerEvent[] | CustomerTimelines,
  options: Omit<ScoreHealthOptions, 'asOf'>,
  fn: string,
  dates: readonly number[],
): HealthRun {
  return prepareHealthWith((idRange) => groupEvents(events, fn, idRange), options, fn, dates);
}

/**
 * {@link prepareHealth} with the grouping given as a function of the id window (the store path
 * groups its columns directly). @internal
 */
export function prepareHealthWith(
  group: (idRange: IdRange) => EventGroups,
  options: Omit<ScoreHealthOptions, 'asOf'>,
  fn: string,
  dates: readonly number[],
): HealthRun {
  const profiles = toProfileMap(options.profiles, fn);
  const minCoverage = readShare(options.minCoverage, fn, 'minCoverage', 0.5);
  const drivers = options.drivers ?? 3;
  if (!Number.isInteger(drivers) || drivers < 0 || drivers > 1000) {
    throw optionError(fn, 'drivers', `must be an integer from 0 to 1000, got ${String(drivers)}`);
  }
  const overrides = resolveOverrides(options.overrides, fn);
  const profileBits = profileSourceBits(profiles.values());
  let sources = new SourceSet(profileBits, Number.NaN, Number.NaN);
  let set: CompiledSet | undefined;
  let auto = false;
  const decide = (mask: number, first: number, last: number): ReturnType<IdRange> => {
    sources = new SourceSet(mask | profileBits, first, last);
    const chosen = chooseDefault(options.scorecard, sources);
    auto = chosen.auto;
    set = compileScorecards(chosen.card, options.signals, fn);
    return idWindow(set, dates);
  };
  const groups = group(decide);
  if (set === undefined) decide(groups.sourceMask, groups.firstTimestamp, groups.lastTimestamp);
  sources = new SourceSet(sources.mask, groups.firstTimestamp, groups.lastTimestamp);
  const ctx = new ScoringContext(sources, minCoverage, groups);
  if (auto) ctx.warnings.set('auto_scorecard', { code: 'auto_scorecard', message: AUTO_SCORECARD_MESSAGE });
  const resolved = { set: set as unknown as CompiledSet, profiles, overrides, drivers, minCoverage };
  return { groups, resolved, ctx };
}
