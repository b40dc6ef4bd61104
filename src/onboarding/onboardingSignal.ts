import { checkOptions, optionError } from '../_lib/errors';
import { MS_PER_DAY } from '../_lib/time';
import type { CustomerTimeline } from '../events/types';
import type { CustomSignal, SignalContext } from '../health/healthSignals';
import { milestoneTimes } from './_progress';
import { type MilestoneInput, parseMilestones } from './parseMilestones';

/** Options of {@link onboardingSignal}. */
export interface OnboardingSignalOptions {
  /** Days after the start during which the signal applies. @default 90 */
  windowDays?: number;
  /** Event types whose first occurrence starts onboarding. @default ['signup', 'trial_started', 'subscription_started'] */
  startTypes?: readonly string[];
}

/**
 * A custom health signal for customers in their first `windowDays` (default 90) days: the share of
 * onboarding milestones reached as of the scoring date, 0 to 100. Older customers (and customers
 * without a start event) get `null` — no data — so the measure's `missing` policy (use `skip`)
 * leaves them to the rest of the scorecard. Pass it to `scoreHealth`'s `signals` and name it in a
 * measure:
 *
 * ```ts no-run
 * const signals = { onboarding: onboardingSignal(milestones) };
 * scoreHealth(events, { asOf, signals, scorecard: { ...,
 *   measures: [{ id: 'onboarding', signal: 'onboarding', weight: 1, curve: { type: 'linear', worst: 0, best: 100 }, missing: 'skip' }] } });
 * ```
 *
 * Missing-data policy: null outside the window or without a start event; events after the scoring
 * date are ignored (events at it count).
 *
 * @param milestones the milestones (validated here).
 * @param options window and start types.
 * @returns a `CustomSignal` with a sentence ("3 of 5 onboarding milestones reached").
 * @throws ValidationError for bad milestones or options.
 * @example
 * ```ts
 * const s = onboardingSignal([{ id: 'first_login', when: 'type == login' }, { id: 'report', when: 'properties.feature == reports' }]);
 * s.describe?.(50, { days: undefined }); // => '50% of onboarding milestones reached'
 * ```
 */
export function onboardingSignal(
  milestones: readonly MilestoneInput[],
  options: OnboardingSignalOptions = {},
): CustomSignal {
  const fn = 'onboardingSignal';
  checkOptions(fn, options, ['windowDays', 'startTypes']);
  const ms = parseMilestones(milestones, fn, ['milestones']);
  const windowDays = options.windowDays ?? 90;
  if (typeof windowDays !== 'number' || !(windowDays > 0))
    throw optionError(fn, 'windowDays', 'must be a number > 0', 'out_of_range');
  const starts = new Set(options.startTypes ?? ['signup', 'trial_started', 'subscription_started']);
  return {
    compute(timeline: CustomerTimeline, ctx: SignalContext): number | null {
      let start = Number.NaN;
      for (const e of timeline.events) {
        if (e.timestamp > ctx.asOf) break;
        if (starts.has(e.type)) {
          start = e.timestamp;
          break;
        }
      }
      if (Number.isNaN(start) || ctx.asOf - start > windowDays * MS_PER_DAY) return null;
      const t = milestoneTimes(ms, timeline.events, start, ctx.asOf);
      let done = 0;
      for (const v of t) if (!Number.isNaN(v)) done++;
      return (100 * done) / ms.length;
    },
    describe: (v: number) => `${Math.round(v)}% of onboarding milestones reached`,
  };
}
