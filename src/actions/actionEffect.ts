import { checkOptions } from '../_lib/errors';
import { isCheckedStore } from '../segment/_storeInput';
import type { EventStore } from '../store/EventStore';
import type { AsOfOptions, SeedOptions } from '../types';
import { customerLists, FN, readEffectOptions, readStates } from './_effectInput';
import { effectResult, placeUnits, pool } from './_effectStrata';
import { type EventLike, eventTimes } from './_eventRows';
import type { ActionEffectResult, CustomerState } from './types';

const KEYS = [
  'action',
  'outcome',
  'horizonDays',
  'asOf',
  'states',
  'bins',
  'maxStateAgeDays',
  'seed',
  'actionType',
];

/** Options of {@link actionEffect}. */
export interface ActionEffectOptions extends AsOfOptions, SeedOptions {
  /** The action to evaluate: `properties.action` of the action events. Required. */
  action: string;
  /** Event type of the action events. @default 'cs_action' */
  actionType?: string;
  /** Event type counted as the outcome within the horizon. @default 'subscription_cancelled' */
  outcome?: string;
  /** Follow-up horizon in days: outcome counted in `(index, index + horizonDays]`. @default 90 */
  horizonDays?: number;
  /**
   * Each customer's state over time (e.g. from `healthHistory` and a churn model's scores):
   * `{ customerId, at, band, churnProbability }`. Required: it is what "comparable" means.
   */
  states: readonly CustomerState[];
  /** Edges of the churn-probability bins, ascending from 0 to 1. @default [0, 0.1, 0.2, 0.3, 0.5, 1] */
  bins?: readonly number[];
  /** A state older than this before the index time is not used. @default 45 */
  maxStateAgeDays?: number;
}

/**
 * Estimates the effect of a customer-success action on churn within a horizon, against comparable
 * customers who did not get it. Method: stratification on health band × churn-probability bin at
 * the time (the latest state at or before the index, at most `maxStateAgeDays` old); the effect is
 * the weighted mean over strata of (treated rate − untreated rate), weights = treated per stratum
 * (the average effect on the treated, ATT; Rosenbaum & Rubin 1983 on subclassification):
 *
 *   effect = Σₛ nₜ,ₛ (p̂ₜ,ₛ − p̂꜀,ₛ) / Σₛ nₜ,ₛ,   SE² = Σₛ nₜ,ₛ² (Vₜ,ₛ + V꜀,ₛ) / (Σₛ nₜ,ₛ)²,
 *
 * with V = p̃(1−p̃)/n and p̃ = (x+1)/(n+2). Interval: effect ± 1.96·SE. A unit needs full
 * follow-up (`index + horizon ≤ asOf`, the asOf rule: events at asOf count) and, for the default
 * churn outcome, to be a customer at the index (its last subscription event before it is not a
 * cancellation). **Observational**: see `caveat`.
 *
 * Missing-data policy: treated customers without a recent state are left out (`no_state`); those
 * whose first action is less than the horizon before asOf too (`incomplete_follow_up`); treated in
 * strata with no untreated customer are left out of the estimate (`unmatched_treated`). With no
 * stratum holding both, `effect` is null with a `reason`. Fewer than 30 treated or controls:
 * `few_treated` / `few_controls`.
 *
 * Given an `EventStore`, the action, outcome and subscription rows are read from its columns (no
 * event object), with the same result (`properties.action` is one of the store's columns).
 *
 * @param events events with `cs_action` rows (`properties.action`) and outcome rows, or an `EventStore`.
 * @param options `action`, `states` and `asOf` are required.
 * @returns the effect with interval, strata, naive difference, method and caveat.
 * @throws ValidationError for bad options, events or states (every row located).
 * @example
 * ```ts
 * const s = generateActionEvents({ customers: 3000, effect: 0.4 });
 * const r = actionEffect(s.events, { action: 'success_call', states: s.states, asOf: s.end });
 * r.effect; // => −0.112, interval [−0.149, −0.076] (true effect on the treated s.expectedEffect = −0.123); r.naiveEffect => −0.020
 * ```
 */
export function actionEffect(
  events: readonly EventLike[] | EventStore,
  options: ActionEffectOptions,
): ActionEffectResult {
  checkOptions(FN, options, KEYS);
  const o = readEffectOptions(options);
  const store = isCheckedStore(FN, events) ? events : null;
  const times = store === null ? eventTimes(FN, events) : null;
  // States, validated and grouped per customer (sorted by time).
  const stateBy = readStates(options.states);
  // Per customer: action times, outcome times, subscription status changes (only events <= asOf).
  const custs = customerLists(events, store, times, o);
  const units = placeUnits(custs, stateBy, o);
  return effectResult(units, pool(units.strata), o);
}
