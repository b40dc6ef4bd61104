import { optionError, ValidationError, zodIssues } from '../_lib/errors';
import { type DateInput, requireEpochMs } from '../_lib/time';
import type { CustomerEvent, CustomerProfile, CustomerTimelines } from '../events/types';
import { type CompiledSet, type CustomSignals, compileScorecards } from './compileScorecard';
import { defaultScorecard } from './defaultScorecard';
import { type EventGroups, groupEvents } from './groupEvents';
import { type HealthOverride, OverrideSchema, type Scorecard, type ScorecardSet } from './scorecardSchema';
import {
  assembleScore,
  computeStates,
  type HealthScore,
  type ResolvedOverride,
  toProfileMap,
} from './scoreEngine';

/** Options of {@link scoreHealth}. */
export interface ScoreHealthOptions {
  /** The date to score as of; events after it are ignored. */
  asOf: DateInput;
  /** A scorecard, or a set of scorecards chosen per customer by profile conditions. @default defaultScorecard */
  scorecard?: Scorecard | ScorecardSet;
  /** Customer profiles (plan, seats, MRR, renewal and signup dates, attributes). @default none */
  profiles?: readonly CustomerProfile[] | ReadonlyMap<string, CustomerProfile>;
  /** Custom signals referenced by name from the scorecard's measures. @default none */
  signals?: CustomSignals;
  /** Manual overrides of the total, each valid from `setAt` until `expiresAt` (exclusive). @default none */
  overrides?: readonly HealthOverride[];
  /** Number of negative and of positive drivers in each explanation. @default 3 */
  drivers?: number;
}

/** Compiled options shared with history/evaluation. @internal */
export interface ResolvedHealthOptions {
  set: CompiledSet;
  profiles: ReadonlyMap<string, CustomerProfile>;
  overrides: ResolvedOverride[] | undefined;
  drivers: number;
}

/** Validates the options common to the health functions. @internal */
export function resolveHealthOptions(
  options: Omit<ScoreHealthOptions, 'asOf'>,
  fn: string,
): ResolvedHealthOptions {
  const set = compileScorecards(options.scorecard ?? defaultScorecard, options.signals, fn);
  let overrides: ResolvedOverride[] | undefined;
  if (options.overrides !== undefined) {
    overrides = options.overrides.map((o, i) => {
      const parsed = OverrideSchema.safeParse(o);
      if (!parsed.success) {
        throw new ValidationError(
          fn,
          zodIssues(parsed.error).map((x) => ({ ...x, index: i })),
          'override',
        );
      }
      return {
        customerId: o.customerId,
        score: o.score,
        reason: o.reason,
        expiresAt: requireEpochMs(o.expiresAt, fn, `overrides[${i}].expiresAt`),
        setAt:
          o.setAt === undefined
            ? Number.NEGATIVE_INFINITY
            : requireEpochMs(o.setAt, fn, `overrides[${i}].setAt`),
      };
    });
  }
  const drivers = options.drivers ?? 3;
  if (!Number.isInteger(drivers) || drivers < 0) {
    throw optionError(fn, 'drivers', `must be a non-negative integer, got ${drivers}`);
  }
  return { set, profiles: toProfileMap(options.profiles), overrides, drivers };
}

/** Scores every customer of `timelines` as of `asOf` with resolved options. @internal */
export function scoreAt(groups: EventGroups, r: ResolvedHealthOptions, asOf: number): HealthScore[] {
  const states = computeStates(groups, r.profiles, r.set, asOf);
  const out: HealthScore[] = new Array(states.length);
  for (let i = 0; i < states.length; i++) {
    out[i] = assembleScore(states[i] as NonNullable<(typeof states)[number]>, asOf, r.overrides, r.drivers);
  }
  return out;
}

/**
 * Scores every customer 0–100 as of `asOf` with a weighted scorecard, and says why.
 *
 * Each measure maps one signal (see `HEALTH_SIGNALS`, or a custom signal) to 0–100 with its curve.
 * Effective weights are the nominal weights re-normalised over the measures that have data (or are
 * imputed), recursively through the groups, so they sum to 1; each measure's
 * `contribution = effectiveWeight × score` and the score is the sum of the contributions (exact by
 * construction). `impact = effectiveWeight × (score − neutralScore)` ranks the drivers; each driver
 * carries one sentence with the real numbers ("Logins fell 62% (50 → 19) over the last 30 days").
 *
 * Missing data: per measure, `skip` (default: weight re-spread within the group; a group without any
 * data is re-spread within its parent), `neutral` or `poor`. `coverage` is the share of nominal
 * weight that had real data; a customer with no measure data gets `score: null` and a `reason`.
 * Customers whose first event is after `asOf` are left out; profiles without events are not scored.
 * An override in force replaces `score` (and `band`); `computedScore` keeps the scorecard's value.
 * Results are sorted by customer id and do not depend on the input order; a customer's score depends
 * on other customers only through `percentile` curves.
 *
 * @param events validated events (`parseEvents(rows).events`) or timelines from `groupByCustomer`.
 * @param options see {@link ScoreHealthOptions}.
 * @returns one {@link HealthScore} per customer, in customer-id order.
 * @throws ValidationError when the scorecard or an override is invalid (every issue located).
 * @throws {ValidationError} when `asOf` or an override date is not a valid date.
 * @example
 * ```ts
 * const [acme] = scoreHealth(events, { asOf: '2025-06-01' });
 * acme.score; // => 41.7
 * acme.band; // => 'at risk'
 * acme.explanation.negative[0].sentence; // => 'Logins fell 62% (50 → 19) over the last 30 days'
 * ```
 */
export function scoreHealth(
  events: readonly CustomerEvent[] | CustomerTimelines,
  options: ScoreHealthOptions,
): HealthScore[] {
  const asOf = requireEpochMs(options.asOf, 'scoreHealth', 'asOf');
  const resolved = resolveHealthOptions(options, 'scoreHealth');
  return scoreAt(groupEvents(events), resolved, asOf);
}
