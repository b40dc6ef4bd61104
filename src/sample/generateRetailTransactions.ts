import { checkOptions } from '../_lib/errors';
import { createRng } from '../_lib/random';
import { showValue } from '../_lib/safe';
import { MS_PER_WEEK, optionError, requireEpochMs } from '../_lib/time';
import type { EventInput } from '../events/types';
import type { RetailParams, RetailSample, RetailSampleOptions, RetailTruth } from './types';

/** Defaults close to the published Pareto/NBD and Gamma-Gamma fits on CDNOW (per week). */
export const DEFAULT_RETAIL_PARAMS: Readonly<RetailParams> = Object.freeze({
  r: 0.55,
  alpha: 10.6,
  s: 0.61,
  beta: 11.7,
  p: 6.25,
  q: 3.74,
  gamma: 15.44,
});

/**
 * Generates seeded non-contractual purchase data from the Pareto/NBD model (Schmittlein, Morrison
 * & Colombo 1987) with Gamma-Gamma spend (Fader, Hardie & Lee 2005): each customer has a purchase
 * rate λ ~ Gamma(r, α) and a dropout rate μ ~ Gamma(s, β) (rate parameterisation, per week), makes a
 * first purchase uniformly in the acquisition window, then purchases as a Poisson(λ) process until an
 * exponential(μ) lifetime ends. Spend per transaction is Gamma(p, ν) with ν ~ Gamma(q, γ).
 *
 * @param options customers, seed, dates and model parameters.
 * @returns `purchase` events (value = amount, unique eventIds) and per-customer ground truth.
 * @throws {ValidationError} on invalid dates, non-positive parameters or an unknown option.
 * @example
 * ```ts
 * const { events, truth } = generateRetailTransactions({ customers: 1000, seed: 7 });
 * events.length; // => about 2,500 purchases over 78 weeks
 * ```
 */
export function generateRetailTransactions(options: RetailSampleOptions = {}): RetailSample {
  checkOptions('generateRetailTransactions', options, [
    'customers',
    'seed',
    'start',
    'acquisitionWeeks',
    'weeks',
    'params',
  ]);
  const customers = options.customers ?? 1000;
  const seed = options.seed ?? 7;
  const start = requireEpochMs(options.start ?? '2024-01-01', 'generateRetailTransactions', 'start');
  const acquisitionWeeks = options.acquisitionWeeks ?? 12;
  const weeks = options.weeks ?? 78;
  const params: RetailParams = { ...DEFAULT_RETAIL_PARAMS, ...options.params };
  for (const [k, v] of Object.entries(params)) {
    if (!(typeof v === 'number' && Number.isFinite(v) && v > 0))
      throw optionError(
        'generateRetailTransactions',
        `params.${k}`,
        `must be a positive number, got ${showValue(v)}`,
      );
  }
  if (!(weeks > acquisitionWeeks && acquisitionWeeks >= 0))
    throw optionError('generateRetailTransactions', 'weeks', 'must exceed "acquisitionWeeks"');
  const end = start + weeks * MS_PER_WEEK;
  const events: EventInput[] = [];
  const truth: RetailTruth[] = [];
  const width = Math.max(5, String(customers).length);
  for (let i = 0; i < customers; i++) {
    const rng = createRng(`${seed}:retail:${i}`);
    const id = `cust_${String(i + 1).padStart(width, '0')}`;
    const lambda = rng.gamma(params.r) / params.alpha;
    const mu = rng.gamma(params.s) / params.beta;
    const nu = rng.gamma(params.q) / params.gamma;
    const first = start + rng.next() * acquisitionWeeks * MS_PER_WEEK;
    const dropoutAt = first + rng.exponential(mu) * MS_PER_WEEK;
    truth.push({
      customerId: id,
      lambda,
      mu,
      firstPurchaseAt: Math.floor(first),
      dropoutAt,
      meanSpend: params.p / nu,
    });
    const spend = () => Math.max(0.01, Math.round((rng.gamma(params.p) / nu) * 100) / 100);
    let n = 0;
    events.push({
      customerId: id,
      type: 'purchase',
      timestamp: Math.floor(first),
      value: spend(),
      eventId: `${id}-${n++}`,
    });
    const stop = Math.min(dropoutAt, end);
    let t = first;
    for (;;) {
      t += rng.exponential(lambda) * MS_PER_WEEK;
      if (!(t < stop)) break;
      events.push({
        customerId: id,
        type: 'purchase',
        timestamp: Math.floor(t),
        value: spend(),
        eventId: `${id}-${n++}`,
      });
    }
  }
  return { events, truth, params, start, end };
}
