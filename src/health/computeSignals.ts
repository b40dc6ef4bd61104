/**
 * Every built-in health signal for one timeline, in one pass.
 * @module
 */
import { checkOptions, ValidationError } from '../_lib/errors';
import { type DateInput, requireEpochMs } from '../_lib/time';
import type { CustomerProfile, CustomerTimeline } from '../events/types';
import type { AsOfOptions } from '../types';
import { groupEvents } from './_groupEvents';
import { runSignalPass } from './_signalPass';
import { buildSignalPlan } from './_signalPlan';
import { PassState } from './_signalState';
import { HEALTH_SIGNALS, SIGNAL_COUNT } from './healthSignals';

export { runSignalPass } from './_signalPass';
export { buildSignalPlan, type SignalPlan, type SignalRequest } from './_signalPlan';
export { type PassFacts, PassState } from './_signalState';

/** Options of {@link computeSignals}. */
export interface ComputeSignalsOptions extends AsOfOptions {
  /** The instant to compute the signals for; events after it are ignored, events at it count. */
  asOf: DateInput;
  /** The customer's profile (seats, MRR, renewal date, signup date fallbacks). @default undefined */
  profile?: CustomerProfile;
}

const KNOWN = ['asOf', 'profile'];

/**
 * Computes every built-in health signal (see `HEALTH_SIGNALS`) at its default window for one
 * customer, in a single pass over the timeline with no per-event allocation. An event stamped
 * exactly at `asOf` counts; windows are `(asOf − N days, asOf]`.
 *
 * Missing data: a signal without data is `null` (see each signal's description); counting signals
 * are 0 when nothing happened in their window. This function does not know the data set, so it
 * cannot tell an absent source from a quiet customer: `scoreHealth` does.
 *
 * @param timeline one customer's timeline (from `groupByCustomer`), or undefined for none.
 * @param options `asOf` and optional `profile`.
 * @returns a null-prototype record from signal name to value (`null` = no data).
 * @throws {ValidationError} when `asOf` is not a valid date, an option is unknown, or the timeline
 *   has no `events` array.
 * @example
 * ```ts
 * const s = computeSignals(timelines.get('acme'), { asOf: '2025-06-01' });
 * s.logins; // => 16
 * s.daysSinceActivity; // => 2.5
 * ```
 */
export function computeSignals(
  timeline: CustomerTimeline | undefined,
  options: ComputeSignalsOptions,
): Record<string, number | null> {
  const fn = 'computeSignals';
  checkOptions(fn, options, KNOWN);
  const asOf = requireEpochMs(options?.asOf, fn, 'asOf');
  const evs = timeline === undefined || timeline === null ? [] : timeline.events;
  if (!Array.isArray(evs)) {
    throw new ValidationError(fn, [
      {
        path: ['timeline'],
        code: 'invalid_type',
        message: 'timeline must be a CustomerTimeline (with an events array)',
      },
    ]);
  }
  const specs = Object.values(HEALTH_SIGNALS);
  const plan = buildSignalPlan(
    specs.map((s) => ({ code: s.code, days: s.defaultDays ?? 0 })),
    fn,
  );
  const values = new Float64Array(SIGNAL_COUNT);
  const aux = new Float64Array(SIGNAL_COUNT);
  const id = timeline?.customerId ?? '';
  const groups = groupEvents(new Map([[id, { events: evs } as unknown as CustomerTimeline]]), fn);
  const c = groups.cols;
  const st = new PassState(c.users, c.features, c.tickets);
  runSignalPass(plan, st, c, 0, evs.length, options.profile, asOf, values, aux, 0);
  const out = Object.create(null) as Record<string, number | null>;
  specs.forEach((s, i) => {
    const v = values[i] as number;
    out[s.name] = Number.isNaN(v) ? null : v;
  });
  return out;
}
