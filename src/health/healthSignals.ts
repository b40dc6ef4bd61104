/**
 * The catalogue of built-in health signals: what each one reads, its default window, and what it
 * returns when there is no data. All are computed together in one pass per timeline by
 * `computeSignals`.
 * @module
 */
import type { CustomerProfile, CustomerTimeline } from '../events/types';

/** Description of one built-in signal. */
export interface HealthSignalSpec {
  /** Name used in a scorecard measure's `signal`. */
  readonly name: string;
  /** Internal column code. */
  readonly code: number;
  /** Default window in days (a measure's `days` overrides it), or null for signals without a window. */
  readonly defaultDays: number | null;
  /** Unit of the value. */
  readonly unit: string;
  /** What is computed, from which canonical events, and when the value is null. */
  readonly description: string;
}

const spec = (
  name: string,
  code: number,
  defaultDays: number | null,
  unit: string,
  description: string,
): HealthSignalSpec => Object.freeze({ name, code, defaultDays, unit, description });

/**
 * Every built-in signal, by name. Windows are `(asOf − days, asOf]`. "Activity" means `login`,
 * `session` and `feature_used` events. Counting signals are 0 when nothing happened in the window;
 * activity signals are null when the customer has no activity event at all up to `asOf` (no
 * tracking), so that the measure's missing-data policy applies instead of a misleading 0.
 */
export const HEALTH_SIGNALS: Readonly<Record<string, HealthSignalSpec>> = Object.freeze({
  activeDays: spec('activeDays', 0, 30, 'days', 'Distinct UTC days with activity in the window.'),
  logins: spec('logins', 1, 30, 'logins', '`login` events in the window.'),
  activityEvents: spec('activityEvents', 2, 30, 'events', 'Activity events in the window.'),
  activeUsers: spec(
    'activeUsers',
    3,
    30,
    'users',
    'Distinct `properties.userId` of activity events in the window; null when no activity event ever carried a userId.',
  ),
  licenseUtilisation: spec(
    'licenseUtilisation',
    4,
    30,
    'ratio',
    'Active users in the window / seats (latest `seats_changed` value, else profile `seats`); null without seats or user ids.',
  ),
  usageTrend: spec(
    'usageTrend',
    5,
    30,
    '%',
    'Percent change of activity events: last N days vs the N days before; null when the earlier window is empty.',
  ),
  usageSlope: spec(
    'usageSlope',
    6,
    90,
    '% per week',
    'Robust (Theil–Sen, median of pairwise slopes) slope of weekly activity counts over the window, as % of the mean week; null when the window has no activity.',
  ),
  featureBreadth: spec(
    'featureBreadth',
    7,
    30,
    'features',
    'Distinct `properties.feature` of `feature_used` events in the window.',
  ),
  featureDepth: spec(
    'featureDepth',
    8,
    30,
    'uses per feature',
    'Feature uses (sum of `value`, default 1) per distinct feature used in the window; null when no feature was used.',
  ),
  daysSinceActivity: spec('daysSinceActivity', 9, null, 'days', 'Days from the last activity event to asOf.'),
  openTickets: spec(
    'openTickets',
    10,
    null,
    'tickets',
    'Tickets opened (or reopened) and not resolved as of asOf, by `properties.ticketId`.',
  ),
  ticketRate: spec('ticketRate', 11, 90, 'tickets / 30 days', 'Tickets opened in the window, per 30 days.'),
  highPriorityTickets: spec(
    'highPriorityTickets',
    12,
    90,
    'tickets',
    'Tickets opened in the window with `properties.priority` high, urgent, critical, p1 or p0.',
  ),
  medianResolutionHours: spec(
    'medianResolutionHours',
    13,
    90,
    'hours',
    'Median hours from `ticket_opened` to `ticket_resolved` for tickets resolved in the window; null when none.',
  ),
  npsLatest: spec('npsLatest', 14, null, '0–10', 'Latest `nps_response` value; null when none.'),
  npsAverage: spec('npsAverage', 15, 365, '0–10', 'Mean `nps_response` value in the window; null when none.'),
  csatAverage: spec(
    'csatAverage',
    16,
    180,
    '1–5',
    'Mean `csat_response` value in the window; null when none.',
  ),
  cesAverage: spec(
    'cesAverage',
    17,
    180,
    '1–7',
    'Mean `ces_response` value in the window (1 = easy); null when none.',
  ),
  failedPayments: spec(
    'failedPayments',
    18,
    90,
    'payments',
    '`payment_failed` events in the window; null when the customer has no billing event (invoice, payment, subscription) up to asOf.',
  ),
  mrrChange: spec(
    'mrrChange',
    19,
    90,
    '%',
    'Percent change of MRR (from subscription events) from the window start to asOf; null when MRR at the start is unknown or 0.',
  ),
  mrr: spec(
    'mrr',
    20,
    null,
    'currency',
    'Current MRR from subscription events (0 after a cancellation), else profile `mrr`.',
  ),
  seats: spec(
    'seats',
    21,
    null,
    'seats',
    'Latest `seats_changed` value, else profile `seats`; null when unknown.',
  ),
  daysToRenewal: spec(
    'daysToRenewal',
    22,
    null,
    'days',
    'Days from asOf to profile `renewalDate` (negative when past); null when unknown.',
  ),
  tenureDays: spec('tenureDays', 23, null, 'days', 'Days since profile `signupDate`, else the first event.'),
  csmRating: spec(
    'csmRating',
    24,
    null,
    'rating',
    'Latest `csm_rating` event value (a manual CSM rating, any scale), else profile attribute `csmRating`; null when none.',
  ),
  usageVsBaseline: spec(
    'usageVsBaseline',
    25,
    21,
    '%',
    'Percent change of the activity rate: last N days vs the customer’s own rate over the 3N days before; null when that baseline is empty.',
  ),
  activityPerUser: spec(
    'activityPerUser',
    26,
    30,
    'events per user',
    'Activity events per distinct active user (`properties.userId`) in the window; null without active users.',
  ),
  daysSincePurchase: spec(
    'daysSincePurchase',
    27,
    null,
    'days',
    'Days from the last `purchase` to asOf; null when the customer has no purchase up to asOf.',
  ),
  purchases: spec(
    'purchases',
    28,
    365,
    'orders',
    'Orders in the window: `purchase` events, line items at the same instant counting once; null without any purchase up to asOf.',
  ),
  spend: spec(
    'spend',
    29,
    365,
    'currency',
    'Net spend in the window: `purchase` values minus `refund` values; null without any purchase up to asOf.',
  ),
  spendTrend: spec(
    'spendTrend',
    30,
    90,
    '%',
    'Percent change of the amount purchased: last N days vs the N days before; null when the earlier window has no purchase.',
  ),
  refundRate: spec(
    'refundRate',
    31,
    365,
    'ratio',
    'Refunded amount / purchased amount in the window; null when nothing was purchased in the window.',
  ),
});

/** Number of built-in signal codes. */
export const SIGNAL_COUNT = 32;

/** Context given to a custom signal. */
export interface SignalContext {
  /** The instant the signal is computed for (epoch ms). Ignore events after it. */
  asOf: number;
  profile: CustomerProfile | undefined;
  /** The measure's `days`, when given. */
  days: number | undefined;
}

/** A custom signal: a number (or null for "no data") for one customer as of `asOf`. */
export type SignalFn = (timeline: CustomerTimeline, context: SignalContext) => number | null;

/** A custom signal with an optional sentence for explanations. */
export interface CustomSignal {
  compute: SignalFn;
  /** One plain-English sentence describing a value, e.g. `(v) => \`${v} API calls this week\``. */
  describe?: (value: number, context: { days: number | undefined }) => string;
}
