/**
 * Plain-English sentences for measure values, with the real numbers.
 * @module
 */
import { fmtNumber, fmtRate, fmtCount as plural } from '../_lib/format';
import { percentChange } from './applyCurve';
import type { CustomSignal } from './healthSignals';

/** What a sentence needs to know about a measure. @internal */
export interface MeasureDescriptor {
  label: string;
  signal: string;
  days: number | undefined;
  lagDays: number;
  curve: { type: string };
  custom: CustomSignal | undefined;
}

/** A count small enough that a percentage of it would dramatise (fewer than 10). */
function isSmallCount(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n < 10;
}

/** True when the data covers fewer days than the window (a sentence must not claim the window). */
function cutTo(days: number | undefined, covered: number | null): boolean {
  return days !== undefined && covered !== null && covered < days;
}

/** " in the last 30 days", or " in the 12 days of data" when the data is shorter than the window. */
function win(days: number | undefined, covered: number | null, word = 'in'): string {
  if (cutTo(days, covered)) return ` ${word} the ${fmtNumber(covered as number)} days of data`;
  return word === 'in' ? period(days) : ` over the last ${days} days`;
}

function period(days: number | undefined): string {
  return days === undefined ? '' : days === 1 ? ' in the last day' : ` in the last ${days} days`;
}

function ordinal(n: number): string {
  const r = Math.round(n);
  const s = r % 100 >= 11 && r % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][r % 10] ?? 'th');
  return `${r}${s}`;
}

/** Nouns for the baseline sentence ("Logins fell 62% (50 → 19) over the last 30 days"). */
const NOUNS: Record<string, string> = {
  activeDays: 'Active days',
  logins: 'Logins',
  activityEvents: 'Activity',
  activeUsers: 'Active users',
  licenseUtilisation: 'Licence utilisation',
  activityPerUser: 'Activity per user',
  featureBreadth: 'Features used',
  featureDepth: 'Feature depth',
  openTickets: 'Open tickets',
  ticketRate: 'Ticket rate',
  highPriorityTickets: 'High-priority tickets',
  medianResolutionHours: 'Median resolution time',
  npsLatest: 'NPS',
  npsAverage: 'Average NPS',
  csatAverage: 'Average CSAT',
  cesAverage: 'Average effort score',
  failedPayments: 'Failed payments',
  mrr: 'MRR',
  seats: 'Seats',
  csmRating: 'CSM rating',
};

/**
 * One sentence describing a measure's value. `previous` is the baseline reading for `baseline`
 * curves; `aux` the pass detail; `percentile` the rank for `percentile` curves; `coveredDays` how many
 * days before the score date the data reaches (a window longer than that is named as "the N days of
 * data", never as "the last 90 days").
 * @internal
 */
export function describeMeasure(
  m: MeasureDescriptor,
  value: number | null,
  previous: number | null,
  aux: number | null,
  percentile: number | null,
  coveredDays: number | null = null,
): string {
  if (value === null) return `${m.label}: no data`;
  if (m.curve.type === 'baseline' && previous !== null) {
    const noun = NOUNS[m.signal] ?? m.label;
    const ch = percentChange(value, previous);
    const span = ` over the last ${m.lagDays} days`;
    if (ch === null) return `${noun} unchanged at ${fmtNumber(value)}${span}`;
    // Small counts read as counts: "fell from 1 to 0", never "fell 100%".
    if (isSmallCount(previous) && isSmallCount(value) && previous !== value)
      return `${noun} ${value < previous ? 'fell' : 'rose'} from ${fmtNumber(previous)} to ${fmtNumber(value)}${span}`;
    if (ch === Number.POSITIVE_INFINITY) return `${noun} rose from 0 to ${fmtNumber(value)}${span}`;
    if (Math.abs(ch) < 0.5)
      return `${noun} held steady (${fmtNumber(previous)} → ${fmtNumber(value)})${span}`;
    return `${noun} ${ch < 0 ? 'fell' : 'rose'} ${Math.round(Math.abs(ch))}% (${fmtNumber(previous)} → ${fmtNumber(value)})${span}`;
  }
  let s = sentence(m, value, aux, coveredDays);
  if (percentile !== null) s += ` (${ordinal(percentile)} percentile among peers)`;
  return s;
}

function sentence(m: MeasureDescriptor, v: number, aux: number | null, covered: number | null): string {
  const d = m.days;
  if (m.custom !== undefined) {
    return m.custom.describe !== undefined
      ? m.custom.describe(v, { days: d })
      : `${m.label}: ${fmtNumber(v)}`;
  }
  return (
    usageSentence(m.signal, v, aux, d, covered) ??
    supportSentence(m.signal, v, aux, d, covered) ??
    accountSentence(m.signal, v, aux, d, covered) ??
    `${m.label}: ${fmtNumber(v)}`
  );
}

/** One group's sentence for a signal's value; null when the signal is not in the group. */
type SentenceOf = (
  signal: string,
  v: number,
  aux: number | null,
  d: number | undefined,
  covered: number | null,
) => string | null;

/** {@link sentence} for the usage signals; null for another signal. */
const usageSentence: SentenceOf = (signal, v, aux, d, covered) => {
  switch (signal) {
    case 'activeDays':
      return `Active on ${fmtNumber(v)} of ${cutTo(d, covered) ? `the ${fmtNumber(covered as number)} days of data` : `the last ${d} days`}`;
    case 'logins':
      return `${plural(v, 'login', 'logins')}${win(d, covered)}`;
    case 'activityEvents':
      return `${plural(v, 'activity event', 'activity events')}${win(d, covered)}`;
    case 'activeUsers':
      return `${plural(v, 'active user', 'active users')}${win(d, covered)}`;
    case 'licenseUtilisation': {
      const seats = aux ?? 0;
      return `${fmtNumber(Math.round(v * seats))} of ${plural(seats, 'seat', 'seats')} active${win(d, covered)} (${Math.round(v * 100)}% utilisation)`;
    }
    case 'usageTrend': {
      const prev = aux ?? 0;
      const cur = Math.round(prev * (1 + v / 100));
      if (isSmallCount(prev) && isSmallCount(cur) && prev !== cur)
        return `Activity ${cur < prev ? 'fell' : 'rose'} from ${fmtNumber(prev)} to ${fmtNumber(cur)} events${win(d, covered)} vs the ${d} days before`;
      if (Math.abs(v) < 0.5)
        return `Activity held steady (${fmtNumber(prev)} → ${fmtNumber(cur)} events)${win(d, covered)} vs the ${d} days before`;
      return `Activity ${v < 0 ? 'fell' : 'rose'} ${Math.round(Math.abs(v))}% (${fmtNumber(prev)} → ${fmtNumber(cur)} events)${win(d, covered)} vs the ${d} days before`;
    }
    case 'usageVsBaseline': {
      const base = (aux ?? 0) / (d ?? 1); // aux: events per N days over the 3N days before
      const cur = base * (1 + v / 100);
      const before = Math.round((aux ?? 0) * 3); // events in the 3N days before
      const now = Math.round((aux ?? 0) * (1 + v / 100)); // events in the last N days
      if (isSmallCount(before) && Math.abs(v) >= 0.5)
        return `${plural(now, 'activity event', 'activity events')}${win(d, covered)} vs ${fmtNumber(before)} in the ${(d ?? 0) * 3} days before`;
      const rates = `(${fmtRate(base)} → ${fmtRate(cur)} events a day)`;
      if (Math.abs(v) < 0.5) return `Activity is at its usual rate ${rates}${win(d, covered)}`;
      return `Activity is ${Math.round(Math.abs(v))}% ${v < 0 ? 'below' : 'above'} its own ${(d ?? 0) * 3}-day baseline ${rates}${win(d, covered)}`;
    }
    case 'activityPerUser':
      return `${fmtNumber(v)} activity events per active user${win(d, covered)}`;
    case 'usageSlope':
      if (Math.abs(v) < 0.5) return `Weekly activity is flat over the last ${d} days`;
      return `Weekly activity is ${v < 0 ? 'falling' : 'rising'} ${fmtNumber(Math.abs(v))}% per week over the last ${d} days`;
    case 'featureBreadth':
      return `Used ${plural(v, 'distinct feature', 'distinct features')}${win(d, covered)}`;
    case 'featureDepth':
      return `${fmtNumber(v)} uses per feature used${win(d, covered)}`;
    case 'daysSinceActivity':
      return v < 1
        ? 'Active within the last day'
        : `Last activity ${plural(Math.floor(v), 'day', 'days')} ago`;
    default:
      return null;
  }
};

/** {@link sentence} for the support and survey signals; null for another signal. */
const supportSentence: SentenceOf = (signal, v, _aux, d, covered) => {
  switch (signal) {
    case 'openTickets':
      return v === 0
        ? 'No open support tickets'
        : `${plural(v, 'open support ticket', 'open support tickets')}`;
    case 'ticketRate':
      return `${fmtNumber(v)} support tickets per 30 days${win(d, covered, 'over')}`;
    case 'highPriorityTickets':
      return v === 0
        ? `No high-priority tickets${win(d, covered)}`
        : `${plural(v, 'high-priority ticket', 'high-priority tickets')}${win(d, covered)}`;
    case 'medianResolutionHours':
      return `Median ticket resolution took ${fmtNumber(v)} hours${win(d, covered)}`;
    case 'npsLatest':
      return `Latest NPS answer ${fmtNumber(v)}/10 (${v <= 6 ? 'detractor' : v <= 8 ? 'passive' : 'promoter'})`;
    case 'npsAverage':
      return `Average NPS answer ${fmtNumber(v)}/10${win(d, covered)}`;
    case 'csatAverage':
      return `Average CSAT ${fmtNumber(v)}/5${win(d, covered)}`;
    case 'cesAverage':
      return `Average effort score ${fmtNumber(v)}/7 (1 = easy)${win(d, covered)}`;
    default:
      return null;
  }
};

/** {@link sentence} for the billing, purchase and account signals; null for another signal. */
const accountSentence: SentenceOf = (signal, v, aux, d, covered) => {
  switch (signal) {
    case 'failedPayments':
      return v === 0
        ? `No failed payments${win(d, covered)}`
        : `${plural(v, 'failed payment', 'failed payments')}${win(d, covered)}`;
    case 'mrrChange': {
      const start = aux ?? 0;
      const now = start * (1 + v / 100);
      if (Math.abs(v) < 0.5)
        return `MRR held steady at ${fmtNumber(Math.round(now))} over the last ${d} days`;
      return `MRR ${v < 0 ? 'fell' : 'rose'} ${Math.round(Math.abs(v))}% (${fmtNumber(Math.round(start))} → ${fmtNumber(Math.round(now))}) over the last ${d} days`;
    }
    case 'mrr':
      return `MRR is ${fmtNumber(v)}`;
    case 'daysSincePurchase':
      return v < 1
        ? 'Bought within the last day'
        : `Last purchase ${plural(Math.floor(v), 'day', 'days')} ago`;
    case 'purchases':
      return `${plural(v, 'order', 'orders')}${win(d, covered)}`;
    case 'spend':
      return `Net spend ${fmtNumber(Math.round(v * 100) / 100)}${win(d, covered)}`;
    case 'spendTrend': {
      const prev = aux ?? 0;
      const now = prev * (1 + v / 100);
      const amounts = `(${fmtNumber(Math.round(prev))} → ${fmtNumber(Math.round(now))})`;
      if (Math.abs(v) < 0.5) return `Spend held steady ${amounts}${win(d, covered)} vs the ${d} days before`;
      return `Spend ${v < 0 ? 'fell' : 'rose'} ${Math.round(Math.abs(v))}% ${amounts}${win(d, covered)} vs the ${d} days before`;
    }
    case 'refundRate':
      return v === 0
        ? `No refunds${win(d, covered)}`
        : `Refunds were ${Math.round(v * 100)}% of the amount bought${win(d, covered)}`;
    case 'seats':
      return `${plural(v, 'seat', 'seats')} licensed`;
    case 'daysToRenewal':
      return v >= 0
        ? `Renewal in ${plural(Math.ceil(v), 'day', 'days')}`
        : `Renewal date passed ${plural(Math.floor(-v), 'day', 'days')} ago`;
    case 'tenureDays':
      return `Customer for ${plural(Math.floor(v), 'day', 'days')}`;
    case 'csmRating':
      return `CSM rating ${fmtNumber(v)}`;
    default:
      return null;
  }
};
