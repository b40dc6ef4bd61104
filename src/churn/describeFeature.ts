import { ValidationError } from '../_lib/errors';
import type { FeatureValue } from './types';

type Describer = (v: number) => string;

const plural = (v: number, one: string, many: string): string => `${fmt(v)} ${v === 1 ? one : many}`;

function fmt(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** Phrases for the features of `churnFeatures` (value → words). */
const PHRASES: ReadonlyMap<string, { say: Describer; missing: string }> = new Map([
  ['daysSinceLastEvent', { say: (v) => `last seen ${plural(v, 'day', 'days')} ago`, missing: 'never seen' }],
  [
    'daysSinceLastActivity',
    { say: (v) => `last active ${plural(v, 'day', 'days')} ago`, missing: 'no product activity yet' },
  ],
  [
    'daysSinceLastPurchase',
    { say: (v) => `last purchase ${plural(v, 'day', 'days')} ago`, missing: 'no purchase yet' },
  ],
  ['purchases', { say: (v) => plural(v, 'purchase', 'purchases'), missing: 'purchases unknown' }],
  [
    'purchases90d',
    { say: (v) => `${plural(v, 'purchase', 'purchases')} in the last 90 days`, missing: 'purchases unknown' },
  ],
  ['monetary', { say: (v) => `${fmt(v)} spent in total`, missing: 'spend unknown' }],
  ['avgOrderValue', { say: (v) => `average order ${fmt(v)}`, missing: 'no orders' }],
  ['tenureDays', { say: (v) => `customer for ${plural(v, 'day', 'days')}`, missing: 'tenure unknown' }],
  [
    'activity7d',
    {
      say: (v) => `${plural(v, 'activity event', 'activity events')} in the last 7 days`,
      missing: 'no activity data',
    },
  ],
  [
    'activity30d',
    {
      say: (v) => `${plural(v, 'activity event', 'activity events')} in the last 30 days`,
      missing: 'no activity data',
    },
  ],
  [
    'activity90d',
    {
      say: (v) => `${plural(v, 'activity event', 'activity events')} in the last 90 days`,
      missing: 'no activity data',
    },
  ],
  [
    'activeDays30d',
    { say: (v) => `active on ${plural(v, 'day', 'days')} of the last 30`, missing: 'no activity data' },
  ],
  [
    'usageTrend',
    {
      say: (v) => `weekly usage trend ${v >= 0 ? '+' : ''}${fmt(v)} events/week`,
      missing: 'too little usage history for a trend',
    },
  ],
  [
    'activityRatio30d',
    {
      say: (v) => `last-30-day activity at ${fmt(Math.round(v * 100))}% of the previous two months' pace`,
      missing: 'no activity data',
    },
  ],
  [
    'featureBreadth30d',
    {
      say: (v) => `${plural(v, 'feature', 'features')} used in the last 30 days`,
      missing: 'no feature data',
    },
  ],
  [
    'featureBreadth90d',
    {
      say: (v) => `${plural(v, 'feature', 'features')} used in the last 90 days`,
      missing: 'no feature data',
    },
  ],
  [
    'activeUsers30d',
    {
      say: (v) => `${plural(v, 'active user', 'active users')} in the last 30 days`,
      missing: 'no user data',
    },
  ],
  ['seats', { say: (v) => plural(v, 'licensed seat', 'licensed seats'), missing: 'seat count unknown' }],
  [
    'licenseUtilisation',
    { say: (v) => `${fmt(Math.round(v * 100))}% of seats active`, missing: 'seat use unknown' },
  ],
  [
    'tickets30d',
    { say: (v) => `${plural(v, 'ticket', 'tickets')} in the last 30 days`, missing: 'no ticket data' },
  ],
  [
    'tickets90d',
    { say: (v) => `${plural(v, 'ticket', 'tickets')} in the last 90 days`, missing: 'no ticket data' },
  ],
  [
    'highPriorityTickets30d',
    {
      say: (v) => `${plural(v, 'high-priority ticket', 'high-priority tickets')} in the last 30 days`,
      missing: 'no ticket data',
    },
  ],
  ['openTickets', { say: (v) => plural(v, 'open ticket', 'open tickets'), missing: 'no ticket data' }],
  [
    'meanResolutionHours90d',
    {
      say: (v) => `tickets took ${fmt(v)} h to resolve on average (90 days)`,
      missing: 'no resolved tickets in 90 days',
    },
  ],
  ['npsLatest', { say: (v) => `latest NPS ${fmt(v)}`, missing: 'no NPS response' }],
  ['npsMean', { say: (v) => `mean NPS ${fmt(v)}`, missing: 'no NPS response' }],
  ['csatLatest', { say: (v) => `latest CSAT ${fmt(v)}`, missing: 'no CSAT response' }],
  ['csatMean', { say: (v) => `mean CSAT ${fmt(v)}`, missing: 'no CSAT response' }],
  [
    'failedPayments90d',
    {
      say: (v) => `${plural(v, 'failed payment', 'failed payments')} in the last 90 days`,
      missing: 'no payment data',
    },
  ],
  ['mrr', { say: (v) => `MRR ${fmt(v)}`, missing: 'MRR unknown' }],
  [
    'mrrChange90d',
    { say: (v) => `MRR ${v >= 0 ? 'up' : 'down'} ${fmt(Math.abs(v))} in 90 days`, missing: 'no MRR history' },
  ],
  ['daysToRenewal', { say: (v) => `renewal in ${plural(v, 'day', 'days')}`, missing: 'no renewal date' }],
]);

/**
 * Words for a feature value, used in prediction sentences: known `churnFeatures` names get phrases
 * ("3 high-priority tickets in the last 30 days"); other features read `name = value`.
 *
 * @param feature feature name.
 * @param value the customer's value (`null` = missing).
 * @returns a short phrase.
 * @example
 * ```ts
 * describeFeature('tickets30d', 3); // => '3 tickets in the last 30 days'
 * describeFeature('plan', 'pro');   // => 'plan = pro'
 * ```
 */
export function describeFeature(feature: string, value: FeatureValue | undefined): string {
  const vt = typeof value;
  if (value !== null && value !== undefined && vt !== 'string' && vt !== 'number' && vt !== 'boolean')
    throw new ValidationError('describeFeature', [
      {
        path: ['value'],
        code: 'invalid_type',
        message: `value must be a number, string, boolean or null, got ${vt}`,
      },
    ]);
  if (typeof feature !== 'string')
    throw new ValidationError('describeFeature', [
      {
        path: ['feature'],
        code: 'invalid_type',
        message: `feature must be a string, got ${feature === null ? 'null' : typeof feature}`,
      },
    ]);
  const phrase = PHRASES.get(feature);
  const missing =
    value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value));
  if (phrase !== undefined) {
    if (missing) return phrase.missing;
    if (typeof value === 'number') return phrase.say(value);
  }
  if (missing) return `${feature} missing`;
  return `${feature} = ${typeof value === 'number' ? fmt(value) : String(value)}`;
}

/** @internal `+12 points` / `−0.4 points` for a probability change given in percentage points. */
export function formatPoints(points: number): string {
  const a = Math.abs(points);
  const s = a >= 1 ? a.toFixed(0) : a.toFixed(1);
  return `${points >= 0 ? '+' : '−'}${s} points`;
}
