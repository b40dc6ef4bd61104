import { checkOptions } from '../_lib/errors';
import { createRng } from '../_lib/random';
import { optionError, requireEpochMs } from '../_lib/time';
import type { EventInput, ProfileInput } from '../events/types';
import { simulateAccount } from './_simulateAccount';
import type { SaasSample, SaasSampleOptions, SaasTruth } from './types';

/** Most accounts {@link generateSaasEvents} generates (each has about 1,300 events over two years). */
const MAX_SAAS_CUSTOMERS = 10_000;

/**
 * Generates a realistic, seeded SaaS data set: accounts on three plans (starter, growth, enterprise)
 * differing in engagement, seats and price; daily logins and feature use by several users with
 * weekday seasonality; support tickets (with first response, resolution and occasional reopening),
 * NPS, CSAT and CES surveys with comment text, monthly invoices with failed payments, upgrades and
 * downgrades, cancellations and some reactivations.
 *
 * How churn happens (so models can be checked against ground truth): each account has a latent
 * engagement e ~ Beta(3, 2) and a monthly hazard of entering a decline that grows with (1 − e) and
 * depends on the plan. A decline lasts 3–10 weeks; during it usage decays towards zero, tickets and
 * failed payments become more frequent and survey scores drop; it ends in `subscription_cancelled`.
 * 15% of cancelled accounts return 1–4 months later. Each account draws from its own random stream
 * (seeded by `seed` and its index), so account i is the same whatever `customers` is.
 *
 * @param options number of accounts, seed and date range.
 * @returns raw events (canonical vocabulary, epoch-ms timestamps, unique eventIds), profiles as of
 *   `end`, and the ground truth per account.
 * @throws {ValidationError} when `start`/`end` are not valid dates, `end <= start`, or `customers` is not a whole number
 *   (at most 10,000), or an option is unknown.
 * @example
 * ```ts
 * const { events, truth } = generateSaasEvents({ customers: 50, seed: 1 });
 * events.length; // => about 60,000 (deterministic for the seed)
 * truth.filter((t) => t.churnedAt !== null).length; // => about 15
 * ```
 */
export function generateSaasEvents(options: SaasSampleOptions = {}): SaasSample {
  checkOptions('generateSaasEvents', options, ['customers', 'seed', 'start', 'end']);
  const customers = options.customers ?? 200;
  const seed = options.seed ?? 42;
  const start = requireEpochMs(options.start ?? '2024-01-01', 'generateSaasEvents', 'start');
  const end = requireEpochMs(options.end ?? '2026-01-01', 'generateSaasEvents', 'end');
  if (!(end > start)) throw optionError('generateSaasEvents', 'end', 'must be after "start"');
  if (!Number.isInteger(customers) || customers < 0)
    throw optionError('generateSaasEvents', 'customers', 'must be a whole number >= 0');
  if (customers > MAX_SAAS_CUSTOMERS)
    throw optionError(
      'generateSaasEvents',
      'customers',
      `must be at most ${MAX_SAAS_CUSTOMERS} (about 1,300 events each: ${MAX_SAAS_CUSTOMERS} accounts are already ~13 million events)`,
      'too_many',
    );
  const events: EventInput[] = [];
  const profiles: ProfileInput[] = [];
  const truth: SaasTruth[] = [];
  const width = Math.max(4, String(customers).length);
  for (let i = 0; i < customers; i++) {
    const id = `acct_${String(i + 1).padStart(width, '0')}`;
    const r = simulateAccount(id, createRng(`${seed}:saas:${i}`), start, end, events);
    profiles.push(r.profile);
    truth.push(r.truth);
  }
  return { events, profiles, truth, start, end };
}
