import { checkOptions, optionError } from '../_lib/errors';
import { createRng } from '../_lib/random';
import type { DateInput } from '../_lib/time';
import { MS_PER_DAY, MS_PER_HOUR, requireEpochMs } from '../_lib/time';
import type { EventInput } from '../events/types';

/** Options of {@link generateOnboardingEvents}. */
export interface OnboardingSampleOptions {
  /** Number of accounts. @default 1000 */
  customers?: number;
  /** @default 23 */
  seed?: number | string;
  /** First signup day. @default '2025-01-01' */
  start?: DateInput;
  /** Signups are spread over this many days. @default 180 */
  signupDays?: number;
  /** Probability of reaching each step, given the previous one: login, 3 users, integration. @default [0.9, 0.7, 0.6] */
  stepProbabilities?: readonly [number, number, number];
  /** Mean days between steps (exponential). @default 7 */
  meanDaysPerStep?: number;
}

/** Ground truth of one account. */
export interface OnboardingTruth {
  customerId: string;
  signupAt: number;
  /** When each step happens (first login, third active user, integration connected), or null if never. */
  steps: (number | null)[];
}

/** The milestones matching the generated events. */
export const SAMPLE_MILESTONES = [
  { id: 'first_login', label: 'First login', when: 'type == login' },
  {
    id: 'users_3',
    label: 'Three active users',
    when: 'type == login',
    distinct: 'properties.userId',
    count: 3,
  },
  {
    id: 'integration',
    label: 'Integration connected',
    when: { all: ['type == feature_used', 'properties.feature == integrations'] },
  },
] as const;

/**
 * Generates sign-ups that move through three onboarding milestones with **known completion
 * probabilities** (each step reached with `stepProbabilities[k]` given the previous one) and
 * exponential times between steps, for checking `onboardingProgress` (funnel shares,
 * Kaplan–Meier time-to-value, stalls). Events: `signup`, `login` (with `properties.userId`),
 * `feature_used` (`properties.feature`). Nothing is cut at an end date: pass `asOf` to the
 * analysis to censor.
 *
 * @param options accounts, seed, start, spread, step probabilities, mean days per step.
 * @returns events, truth and the matching milestones.
 * @throws ValidationError for unknown options or out-of-range values.
 * @example
 * ```ts
 * const s = generateOnboardingEvents({ customers: 100 });
 * s.truth.filter((t) => t.steps[2] !== null).length; // => about 100 × 0.9 × 0.7 × 0.6 ≈ 38
 * ```
 */
export function generateOnboardingEvents(options: OnboardingSampleOptions = {}): {
  events: EventInput[];
  truth: OnboardingTruth[];
  milestones: typeof SAMPLE_MILESTONES;
} {
  const fn = 'generateOnboardingEvents';
  checkOptions(fn, options, [
    'customers',
    'seed',
    'start',
    'signupDays',
    'stepProbabilities',
    'meanDaysPerStep',
  ]);
  const n = options.customers ?? 1000;
  const seed = options.seed ?? 23;
  const start = requireEpochMs(options.start ?? '2025-01-01', fn, 'start');
  const spread = options.signupDays ?? 180;
  const probs = options.stepProbabilities ?? [0.9, 0.7, 0.6];
  const mean = options.meanDaysPerStep ?? 7;
  if (!Number.isInteger(n) || n < 0) throw optionError(fn, 'customers', 'must be a whole number >= 0');
  if (!Number.isInteger(spread) || spread < 1)
    throw optionError(fn, 'signupDays', 'must be an integer >= 1', 'out_of_range');
  if (
    !Array.isArray(probs) ||
    probs.length !== 3 ||
    probs.some((p) => typeof p !== 'number' || !(p >= 0 && p <= 1))
  )
    throw optionError(fn, 'stepProbabilities', 'must be three probabilities in [0, 1]', 'out_of_range');
  if (typeof mean !== 'number' || !(mean > 0))
    throw optionError(fn, 'meanDaysPerStep', 'must be > 0', 'out_of_range');
  const events: EventInput[] = [];
  const truth: OnboardingTruth[] = [];
  const width = Math.max(4, String(n).length);
  for (let i = 0; i < n; i++) {
    const rng = createRng(`${seed}:onboarding:${i}`);
    const id = `acct_${String(i + 1).padStart(width, '0')}`;
    const signupAt = start + rng.int(spread) * MS_PER_DAY + 9 * MS_PER_HOUR;
    events.push({
      customerId: id,
      type: 'signup',
      timestamp: signupAt,
      properties: { channel: rng.pick(['ads', 'seo', 'partners']) },
    });
    const steps: (number | null)[] = [null, null, null];
    let t = signupAt;
    for (let k = 0; k < 3; k++) {
      if (rng.next() >= (probs[k] as number)) break;
      t += Math.max(MS_PER_HOUR, rng.exponential(1 / mean) * MS_PER_DAY);
      steps[k] = Math.floor(t);
      if (k === 0)
        events.push({
          customerId: id,
          type: 'login',
          timestamp: Math.floor(t),
          properties: { userId: `${id}_u1` },
        });
      else if (k === 1) {
        events.push({
          customerId: id,
          type: 'login',
          timestamp: Math.floor(t) - 1000,
          properties: { userId: `${id}_u2` },
        });
        events.push({
          customerId: id,
          type: 'login',
          timestamp: Math.floor(t),
          properties: { userId: `${id}_u3` },
        });
      } else
        events.push({
          customerId: id,
          type: 'feature_used',
          timestamp: Math.floor(t),
          properties: { feature: 'integrations', userId: `${id}_u1` },
        });
    }
    truth.push({ customerId: id, signupAt, steps });
  }
  return { events, truth, milestones: SAMPLE_MILESTONES };
}
