import type { DateInput } from '../_lib/time';
import type { EventInput, ProfileInput } from '../events/types';

/** Options of `generateSaasEvents`. */
export interface SaasSampleOptions {
  /** Number of accounts. @default 200 */
  customers?: number;
  /** Seed; the same seed gives the same data on every platform. @default 42 */
  seed?: number | string;
  /** First day of the simulated range. @default '2024-01-01' */
  start?: DateInput;
  /** Last day of the simulated range (exclusive). @default '2026-01-01' */
  end?: DateInput;
}

/** Ground truth about one simulated SaaS account. */
export interface SaasTruth {
  customerId: string;
  plan: string;
  /** Latent engagement level in (0, 1]: how active the account is when healthy. */
  engagement: number;
  /** Latent monthly risk of entering a decline that ends in cancellation. */
  risk: number;
  signupAt: number;
  /** Start of the usage decline that preceded a cancellation, if any. */
  declineStartedAt: number | null;
  /** Time of the first `subscription_cancelled`, or null if the account never cancelled. */
  churnedAt: number | null;
  /** Time the account came back with a new `subscription_started`, or null. */
  reactivatedAt: number | null;
  /** Every cancellation time, in order. */
  cancellations: number[];
}

/** A generated SaaS data set: canonical events (epoch-ms timestamps), profiles and ground truth. */
export interface SaasSample {
  events: EventInput[];
  profiles: ProfileInput[];
  truth: SaasTruth[];
  start: number;
  end: number;
}

/** Options of `generateRetailTransactions`. */
export interface RetailSampleOptions {
  /** Number of customers. @default 1000 */
  customers?: number;
  /** @default 7 */
  seed?: number | string;
  /** Start of the cohort's acquisition window. @default '2024-01-01' */
  start?: DateInput;
  /** Length of the acquisition window in weeks (first purchases spread over it). @default 12 */
  acquisitionWeeks?: number;
  /** Length of the observed range in weeks from `start`. @default 78 */
  weeks?: number;
  /**
   * Pareto/NBD purchase-and-dropout parameters (r, alpha: purchase-rate gamma; s, beta: dropout-rate
   * gamma; rates per week) and Gamma-Gamma spend parameters (p, q, gamma).
   * @default { r: 0.55, alpha: 10.6, s: 0.61, beta: 11.7, p: 6.25, q: 3.74, gamma: 15.44 }
   */
  params?: Partial<RetailParams>;
}

export interface RetailParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
  p: number;
  q: number;
  gamma: number;
}

/** Ground truth about one simulated retail customer. */
export interface RetailTruth {
  customerId: string;
  /** Purchase rate per week while alive. */
  lambda: number;
  /** Dropout rate per week. */
  mu: number;
  firstPurchaseAt: number;
  /** When the customer became inactive for good (may be after the observed range). */
  dropoutAt: number;
  /** Mean spend per transaction. */
  meanSpend: number;
}

/** A generated retail data set: `purchase` events with `value` = amount, plus ground truth. */
export interface RetailSample {
  events: EventInput[];
  truth: RetailTruth[];
  params: RetailParams;
  start: number;
  end: number;
}
