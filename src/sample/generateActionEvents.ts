import { checkOptions, optionError } from '../_lib/errors';
import { createRng, type Rng } from '../_lib/random';
import type { DateInput } from '../_lib/time';
import { MS_PER_DAY, MS_PER_HOUR, requireEpochMs } from '../_lib/time';
import type { EventInput } from '../events/types';

/** Options of {@link generateActionEvents}. */
export interface ActionSampleOptions {
  /** Number of accounts. @default 2000 */
  customers?: number;
  /** Seed; the same seed gives the same data on every platform. @default 17 */
  seed?: number | string;
  /** First day of the simulated range. @default '2024-01-01' */
  start?: DateInput;
  /** End of the simulated range (exclusive). @default '2026-01-01' */
  end?: DateInput;
  /** Name of the customer-success action (`properties.action` of the `cs_action` events). @default 'success_call' */
  action?: string;
  /** True relative reduction of the churn probability within the horizon by the action (0 = no effect, 0.4 = 40% fewer churns). @default 0.4 */
  effect?: number;
  /** Follow-up horizon in days. @default 90 */
  horizonDays?: number;
}

/** Ground truth about one simulated account of {@link generateActionEvents}. */
export interface ActionTruth {
  customerId: string;
  /** When the account's state was measured (and, if treated, the action taken 1 hour later). */
  indexAt: number;
  /** True probability of churning within the horizon without the action. */
  baseProbability: number;
  band: string;
  treated: boolean;
  /** Potential outcomes (same uniform draw): churn within the horizon without / with the action. */
  churnWithout: boolean;
  churnWith: boolean;
}

/** A generated action data set. */
export interface ActionSample {
  /** `subscription_started`, `cs_action` and `subscription_cancelled` events (epoch-ms timestamps). */
  events: EventInput[];
  /** One state per account at its index time: `{ customerId, at, band, churnProbability }`. */
  states: { customerId: string; at: number; band: string; churnProbability: number }[];
  truth: ActionTruth[];
  /** Expected effect on the treated, as a risk difference: `−effect × mean(baseProbability | treated)`. */
  expectedEffect: number;
  /** Realised effect on the treated from the potential outcomes: `mean(churnWith − churnWithout | treated)`. */
  realisedEffect: number;
  action: string;
  horizonDays: number;
  start: number;
  end: number;
}

const KEYS = ['customers', 'seed', 'start', 'end', 'action', 'effect', 'horizonDays'];
/** Probability that CS takes the action, by band: the confounding (riskier accounts get it more). */
const TREAT_BY_BAND: Record<string, number> = { healthy: 0.1, watch: 0.35, at_risk: 0.6 };

/**
 * Generates accounts with a customer-success action whose **true effect on churn is known**, for
 * checking `actionEffect`. Each account signs up in the first half-year, has one measured state
 * (index time) with its true churn probability p ~ Beta(2, 6) over the next `horizonDays` and a band
 * read from a noisy p (healthy < 0.15 ≤ watch < 0.35 ≤ at_risk). CS takes the action 1 hour after
 * the state with a probability that depends on the band only (10% / 35% / 60%: riskier accounts get
 * it more, so a naive comparison is confounded). The account churns within the horizon when a
 * uniform draw u < p × (1 − effect) if treated, u < p if not (both potential outcomes are kept in
 * `truth`). Some accounts that survive the horizon cancel later.
 *
 * @param options accounts, seed, range, action name, effect and horizon.
 * @returns events, states, truth and the expected and realised effect on the treated.
 * @throws ValidationError for unknown options, bad dates or out-of-range numbers.
 * @example
 * ```ts
 * const s = generateActionEvents({ customers: 500, effect: 0.4 });
 * s.expectedEffect; // => about −0.12 (40% of a mean treated churn probability near 0.3)
 * ```
 */
export function generateActionEvents(options: ActionSampleOptions = {}): ActionSample {
  const o = readActionOptions(options);
  const { customers, action, effect, horizonDays, start, end } = o;
  const events: EventInput[] = [];
  const states: ActionSample['states'] = [];
  const truth: ActionTruth[] = [];
  const width = Math.max(4, String(customers).length);
  let sumP = 0;
  let sumReal = 0;
  let nT = 0;
  for (let i = 0; i < customers; i++) {
    const id = `acct_${String(i + 1).padStart(width, '0')}`;
    const t = simulateActionAccount(id, createRng(`${o.seed}:action:${i}`), o, events, states);
    truth.push(t);
    if (t.treated) {
      nT++;
      sumP += t.baseProbability;
      sumReal += Number(t.churnWith) - Number(t.churnWithout);
    }
  }
  events.sort((a, b) => (a.timestamp as number) - (b.timestamp as number));
  return {
    events,
    states,
    truth,
    expectedEffect: nT === 0 ? 0 : (-effect * sumP) / nT,
    realisedEffect: nT === 0 ? 0 : sumReal / nT,
    action,
    horizonDays,
    start,
    end,
  };
}

/** The options with their defaults, checked. */
interface ActionSettings {
  customers: number;
  seed: number | string;
  start: number;
  end: number;
  action: string;
  effect: number;
  horizonDays: number;
  /** Whole days from start to end. */
  days: number;
}

function readActionOptions(options: ActionSampleOptions): ActionSettings {
  const fn = 'generateActionEvents';
  checkOptions(fn, options, KEYS);
  const customers = options.customers ?? 2000;
  const seed = options.seed ?? 17;
  const start = requireEpochMs(options.start ?? '2024-01-01', fn, 'start');
  const end = requireEpochMs(options.end ?? '2026-01-01', fn, 'end');
  const action = options.action ?? 'success_call';
  const effect = options.effect ?? 0.4;
  const horizonDays = options.horizonDays ?? 90;
  if (!Number.isInteger(customers) || customers < 0)
    throw optionError(fn, 'customers', 'must be a whole number >= 0');
  if (typeof action !== 'string' || action.length === 0)
    throw optionError(fn, 'action', 'must be a non-empty string');
  if (typeof effect !== 'number' || !(effect >= 0 && effect <= 1))
    throw optionError(fn, 'effect', 'must be in [0, 1]', 'out_of_range');
  if (!Number.isInteger(horizonDays) || horizonDays < 1)
    throw optionError(fn, 'horizonDays', 'must be an integer >= 1', 'out_of_range');
  const days = Math.floor((end - start) / MS_PER_DAY);
  if (days < 180 + 30 + horizonDays + 2)
    throw optionError(
      fn,
      'end',
      `must leave at least ${180 + 30 + horizonDays + 2} days after "start"`,
      'out_of_range',
    );
  return { customers, seed, start, end, action, effect, horizonDays, days };
}

/** One account from its own random stream: signup, measured state, action, churn; returns its truth. */
function simulateActionAccount(
  id: string,
  rng: Rng,
  o: ActionSettings,
  events: EventInput[],
  states: ActionSample['states'],
): ActionTruth {
  const { start, end, action, effect, horizonDays, days } = o;
  const signupDay = rng.int(180);
  const signupAt = start + signupDay * MS_PER_DAY + 9 * MS_PER_HOUR;
  const lastIndexDay = days - horizonDays - 1;
  const indexDay = signupDay + 30 + rng.int(Math.max(1, lastIndexDay - signupDay - 30));
  const indexAt = start + indexDay * MS_PER_DAY + 10 * MS_PER_HOUR;
  const p = rng.beta(2, 6);
  const noisy = p + 0.05 * rng.normal();
  const band = noisy < 0.15 ? 'healthy' : noisy < 0.35 ? 'watch' : 'at_risk';
  const treated = rng.next() < (TREAT_BY_BAND[band] as number);
  const u = rng.next();
  const churnWithout = u < p;
  const churnWith = u < p * (1 - effect);
  const churns = treated ? churnWith : churnWithout;
  let seq = 0;
  const emit = (type: string, t: number, value?: number, properties?: Record<string, unknown>) => {
    const e: EventInput = { customerId: id, type, timestamp: Math.floor(t), eventId: `${id}-${seq++}` };
    if (value !== undefined) e.value = value;
    if (properties !== undefined) e.properties = properties;
    events.push(e);
  };
  emit('subscription_started', signupAt, 50 + rng.int(450));
  states.push({ customerId: id, at: indexAt, band, churnProbability: p });
  const actionAt = indexAt + MS_PER_HOUR;
  if (treated) emit('cs_action', actionAt, undefined, { action, owner: 'csm' });
  const w = rng.next();
  if (churns)
    emit('subscription_cancelled', actionAt + MS_PER_HOUR + w * (horizonDays * MS_PER_DAY - 2 * MS_PER_HOUR));
  else if (w < 0.3) {
    const later = indexAt + (horizonDays + 1 + rng.int(200)) * MS_PER_DAY;
    if (later < end) emit('subscription_cancelled', later);
  }
  return { customerId: id, indexAt, baseProbability: p, band, treated, churnWithout, churnWith };
}
