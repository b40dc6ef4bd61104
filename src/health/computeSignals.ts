/**
 * One-pass computation of every built-in health signal for one timeline.
 * @module
 */
import { type DateInput, MS_PER_DAY, MS_PER_HOUR, requireEpochMs } from '../_lib/time';
import type { CustomerEvent, CustomerProfile, CustomerTimeline } from '../events/types';
import { HEALTH_SIGNALS, SIGNAL_COUNT } from './healthSignals';

/** One signal request: a built-in signal code and its window in days (0 for signals without one). */
export interface SignalRequest {
  code: number;
  days: number;
}

/** A compiled set of requests: distinct windows sorted longest first, and what the pass must track. */
export interface SignalPlan {
  readonly requests: readonly SignalRequest[];
  /** Window index per request (and the 2N window for `usageTrend`), -1 when none. */
  readonly win: Int32Array;
  readonly win2: Int32Array;
  readonly windowMs: Float64Array;
  readonly needUsers: boolean;
  readonly needFeatures: boolean;
  readonly slopeDays: number;
}

/** Per-window accumulator fields. */
const F_ACT = 0;
const F_ACT_DAYS = 1;
const F_LOGINS = 2;
const F_FEAT_USES = 3;
const F_TICKETS = 4;
const F_HIGH = 5;
const F_FAILED = 6;
const F_NPS_SUM = 7;
const F_NPS_N = 8;
const F_CSAT_SUM = 9;
const F_CSAT_N = 10;
const F_CES_SUM = 11;
const F_CES_N = 12;
const F_MRR_START = 13; // NaN when unknown
const F_LAST_DAY = 14;
const NF = 15;
const MAX_WINDOWS = 32;
const MAX_SLOPE_DAYS = 371;

const C = {
  activeDays: 0,
  logins: 1,
  activityEvents: 2,
  activeUsers: 3,
  licenseUtilisation: 4,
  usageTrend: 5,
  usageSlope: 6,
  featureBreadth: 7,
  featureDepth: 8,
  daysSinceActivity: 9,
  openTickets: 10,
  ticketRate: 11,
  highPriorityTickets: 12,
  medianResolutionHours: 13,
  npsLatest: 14,
  npsAverage: 15,
  csatAverage: 16,
  cesAverage: 17,
  failedPayments: 18,
  mrrChange: 19,
  mrr: 20,
  seats: 21,
  daysToRenewal: 22,
  tenureDays: 23,
  csmRating: 24,
  usageVsBaseline: 25,
  activityPerUser: 26,
} as const;

/**
 * Compiles signal requests into a plan (distinct windows, what to track).
 * @internal
 */
export function buildSignalPlan(requests: readonly SignalRequest[]): SignalPlan {
  const days = new Set<number>();
  let needUsers = false;
  let needFeatures = false;
  let slopeDays = 0;
  for (const r of requests) {
    if (r.days > 0) days.add(r.days);
    if (r.code === C.usageTrend) days.add(r.days * 2);
    if (r.code === C.usageVsBaseline) days.add(r.days * 4);
    if (r.code === C.activeUsers || r.code === C.licenseUtilisation || r.code === C.activityPerUser) needUsers = true;
    if (r.code === C.featureBreadth || r.code === C.featureDepth) needFeatures = true;
    if (r.code === C.usageSlope) slopeDays = Math.max(slopeDays, Math.min(r.days, MAX_SLOPE_DAYS));
  }
  const sorted = Array.from(days).sort((a, b) => b - a);
  if (sorted.length > MAX_WINDOWS) {
    throw new RangeError(`scoreHealth: a scorecard may use at most ${MAX_WINDOWS} distinct windows`);
  }
  const windowMs = Float64Array.from(sorted, (d) => d * MS_PER_DAY);
  const win = new Int32Array(requests.length).fill(-1);
  const win2 = new Int32Array(requests.length).fill(-1);
  requests.forEach((r, i) => {
    if (r.days > 0) win[i] = sorted.indexOf(r.days);
    if (r.code === C.usageTrend) win2[i] = sorted.indexOf(r.days * 2);
    if (r.code === C.usageVsBaseline) win2[i] = sorted.indexOf(r.days * 4);
  });
  return { requests, win, win2, windowMs, needUsers, needFeatures, slopeDays };
}

// Reused buffers: the pass allocates nothing per event.
const acc = new Float64Array(MAX_WINDOWS * NF);
const daily = new Float64Array(MAX_SLOPE_DAYS + 1);
const weekly = new Float64Array(54);
const pairSlopes = new Float64Array((54 * 53) / 2);
let resTs = new Float64Array(64);
let resDur = new Float64Array(64);
const resScratch: number[] = [];
const users = new Map<string, number>();
const features = new Map<string, number>();
const openTicketMap = new Map<string, number>();

/** Facts about the timeline gathered by the last pass, besides the requested signals. @internal */
export interface PassFacts {
  /** Events at or before asOf. */
  events: number;
  firstTs: number;
  /** The last subscription event at or before asOf was a cancellation. */
  cancelled: boolean;
}

const facts: PassFacts = { events: 0, firstTs: Number.NaN, cancelled: false };

function isHighPriority(p: unknown): boolean {
  if (typeof p !== 'string') return false;
  const s = p.toLowerCase();
  return s === 'high' || s === 'urgent' || s === 'critical' || s === 'p1' || s === 'p0';
}

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  const n = values.length;
  const mid = n >> 1;
  return n % 2 === 1 ? (values[mid] as number) : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
}

function medianTyped(a: Float64Array, n: number): number {
  const s = a.subarray(0, n).sort();
  const mid = n >> 1;
  return n % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * Runs the single pass over `timeline` (events up to `asOf`) and writes one value per request into
 * `values[offset + i]` (NaN = no data) and a detail into `aux[offset + i]` (previous count for
 * `usageTrend`, seats for `licenseUtilisation`, starting MRR for `mrrChange`, NaN otherwise).
 * @internal
 */
export function runSignalPass(
  plan: SignalPlan,
  timeline: CustomerTimeline | undefined,
  profile: CustomerProfile | undefined,
  asOf: number,
  values: Float64Array,
  aux: Float64Array,
  offset: number,
): PassFacts {
  const nw = plan.windowMs.length;
  const windowMs = plan.windowMs;
  acc.fill(0, 0, nw * NF);
  for (let k = 0; k < nw; k++) {
    acc[k * NF + F_MRR_START] = Number.NaN;
    acc[k * NF + F_LAST_DAY] = -1;
  }
  const maxWin = nw > 0 ? (windowMs[0] as number) : 0;
  const needUsers = plan.needUsers;
  const needFeatures = plan.needFeatures;
  const slopeMs = plan.slopeDays * MS_PER_DAY;
  if (plan.slopeDays > 0) daily.fill(0);
  users.clear();
  features.clear();
  openTicketMap.clear();
  let nRes = 0;
  let count = 0;
  let firstTs = Number.NaN;
  let lastActivity = Number.NaN;
  let sawUser = false;
  let mrr = Number.NaN;
  let seats = Number.NaN;
  let nps = Number.NaN;
  let csm = Number.NaN;
  let cancelled = false;
  let billing = false;

  const events: readonly CustomerEvent[] = timeline === undefined ? [] : timeline.events;
  const n = events.length;
  for (let i = 0; i < n; i++) {
    const e = events[i] as CustomerEvent;
    const t = e.timestamp;
    if (t > asOf) break;
    if (count === 0) firstTs = t;
    count++;
    const age = asOf - t;
    const type = e.type;
    if (type === 'login' || type === 'session' || type === 'feature_used') {
      lastActivity = t;
      const isLogin = type === 'login';
      const isFeature = type === 'feature_used';
      if (age < maxWin) {
        const day = Math.floor(t / MS_PER_DAY);
        const uses = isFeature ? (e.value ?? 1) : 0;
        for (let k = 0; k < nw; k++) {
          if (age >= (windowMs[k] as number)) break;
          const b = k * NF;
          acc[b + F_ACT] = (acc[b + F_ACT] as number) + 1;
          if (acc[b + F_LAST_DAY] !== day) {
            acc[b + F_LAST_DAY] = day;
            acc[b + F_ACT_DAYS] = (acc[b + F_ACT_DAYS] as number) + 1;
          }
          if (isLogin) acc[b + F_LOGINS] = (acc[b + F_LOGINS] as number) + 1;
          else if (isFeature) acc[b + F_FEAT_USES] = (acc[b + F_FEAT_USES] as number) + uses;
        }
        const props = e.properties;
        if (props !== undefined) {
          if (needUsers) {
            const u = props.userId;
            if (typeof u === 'string' || typeof u === 'number') {
              users.set(String(u), t);
              sawUser = true;
            }
          }
          if (needFeatures && isFeature) {
            const f = props.feature;
            if (typeof f === 'string') features.set(f, t);
          }
        }
      } else if (needUsers && !sawUser && e.properties !== undefined && e.properties.userId !== undefined) {
        sawUser = true;
      }
      if (age < slopeMs) daily[Math.floor(age / MS_PER_DAY)] = (daily[Math.floor(age / MS_PER_DAY)] as number) + 1;
      continue;
    }
    switch (type) {
      case 'ticket_opened': {
        const id = e.properties?.ticketId;
        if (typeof id === 'string' || typeof id === 'number') openTicketMap.set(String(id), t);
        if (age < maxWin) {
          const high = isHighPriority(e.properties?.priority);
          for (let k = 0; k < nw; k++) {
            if (age >= (windowMs[k] as number)) break;
            acc[k * NF + F_TICKETS] = (acc[k * NF + F_TICKETS] as number) + 1;
            if (high) acc[k * NF + F_HIGH] = (acc[k * NF + F_HIGH] as number) + 1;
          }
        }
        break;
      }
      case 'ticket_resolved': {
        const id = e.properties?.ticketId;
        if (typeof id === 'string' || typeof id === 'number') {
          const key = String(id);
          const t0 = openTicketMap.get(key);
          if (t0 !== undefined) {
            openTicketMap.delete(key);
            if (nRes === resTs.length) {
              const a = new Float64Array(nRes * 2);
              a.set(resTs);
              resTs = a;
              const d = new Float64Array(nRes * 2);
              d.set(resDur);
              resDur = d;
            }
            resTs[nRes] = t;
            resDur[nRes] = t - t0;
            nRes++;
          }
        }
        break;
      }
      case 'nps_response':
      case 'csat_response':
      case 'ces_response': {
        const v = e.value;
        if (v === undefined || !Number.isFinite(v)) break;
        const f = type === 'nps_response' ? F_NPS_SUM : type === 'csat_response' ? F_CSAT_SUM : F_CES_SUM;
        if (f === F_NPS_SUM) nps = v;
        for (let k = 0; k < nw; k++) {
          if (age >= (windowMs[k] as number)) break;
          acc[k * NF + f] = (acc[k * NF + f] as number) + v;
          acc[k * NF + f + 1] = (acc[k * NF + f + 1] as number) + 1;
        }
        break;
      }
      case 'payment_failed':
        billing = true;
        for (let k = 0; k < nw; k++) {
          if (age >= (windowMs[k] as number)) break;
          acc[k * NF + F_FAILED] = (acc[k * NF + F_FAILED] as number) + 1;
        }
        break;
      case 'subscription_started':
      case 'subscription_changed':
      case 'subscription_renewed':
      case 'subscription_cancelled': {
        billing = true;
        if (type === 'subscription_cancelled') {
          mrr = 0;
          cancelled = true;
        } else {
          cancelled = false;
          if (e.value !== undefined && Number.isFinite(e.value)) mrr = e.value;
        }
        for (let k = nw - 1; k >= 0; k--) {
          if (age < (windowMs[k] as number)) break;
          acc[k * NF + F_MRR_START] = mrr;
        }
        break;
      }
      case 'invoice_paid':
        billing = true;
        break;
      case 'seats_changed':
        if (e.value !== undefined && Number.isFinite(e.value)) seats = e.value;
        break;
      case 'csm_rating':
        if (e.value !== undefined && Number.isFinite(e.value)) csm = e.value;
        break;
      default:
        break;
    }
  }

  // Profile fallbacks.
  if (Number.isNaN(seats) && profile?.seats !== undefined) seats = profile.seats;
  if (Number.isNaN(mrr) && profile?.mrr !== undefined) mrr = profile.mrr;
  if (Number.isNaN(csm)) {
    const r = profile?.attributes?.csmRating;
    if (typeof r === 'number' && Number.isFinite(r)) csm = r;
  }
  const hasActivity = !Number.isNaN(lastActivity);
  const active = count > 0;

  const reqs = plan.requests;
  for (let i = 0; i < reqs.length; i++) {
    const r = reqs[i] as SignalRequest;
    const k = plan.win[i] as number;
    const b = k * NF;
    let v = Number.NaN;
    let a = Number.NaN;
    switch (r.code) {
      case C.activeDays:
        if (hasActivity) v = acc[b + F_ACT_DAYS] as number;
        break;
      case C.logins:
        if (hasActivity) v = acc[b + F_LOGINS] as number;
        break;
      case C.activityEvents:
        if (hasActivity) v = acc[b + F_ACT] as number;
        break;
      case C.activeUsers:
      case C.licenseUtilisation:
      case C.activityPerUser: {
        if (!sawUser) break;
        const from = asOf - (windowMs[k] as number);
        let u = 0;
        for (const ts of users.values()) if (ts > from) u++;
        if (r.code === C.activeUsers) v = u;
        else if (r.code === C.activityPerUser) {
          if (u > 0) v = (acc[b + F_ACT] as number) / u;
          a = u;
        } else if (seats > 0) {
          v = u / seats;
          a = seats;
        }
        break;
      }
      case C.usageTrend: {
        if (!hasActivity) break;
        const cur = acc[b + F_ACT] as number;
        const prev = (acc[(plan.win2[i] as number) * NF + F_ACT] as number) - cur;
        a = prev;
        if (prev > 0) v = ((cur - prev) / prev) * 100;
        break;
      }
      case C.usageVsBaseline: {
        if (!hasActivity) break;
        const cur = acc[b + F_ACT] as number;
        const before = (acc[(plan.win2[i] as number) * NF + F_ACT] as number) - cur;
        // Daily rates: the last N days vs the 3N days before.
        a = before / 3;
        if (before > 0) v = ((cur - before / 3) / (before / 3)) * 100;
        break;
      }
      case C.usageSlope:
        v = theilSenWeekly(Math.min(r.days, MAX_SLOPE_DAYS));
        break;
      case C.featureBreadth:
      case C.featureDepth: {
        if (!hasActivity) break;
        const from = asOf - (windowMs[k] as number);
        let f = 0;
        for (const ts of features.values()) if (ts > from) f++;
        if (r.code === C.featureBreadth) v = f;
        else if (f > 0) v = (acc[b + F_FEAT_USES] as number) / f;
        break;
      }
      case C.daysSinceActivity:
        if (hasActivity) v = (asOf - lastActivity) / MS_PER_DAY;
        break;
      case C.openTickets:
        if (active) v = openTicketMap.size;
        break;
      case C.ticketRate:
        if (active) v = ((acc[b + F_TICKETS] as number) * 30) / r.days;
        break;
      case C.highPriorityTickets:
        if (active) v = acc[b + F_HIGH] as number;
        break;
      case C.medianResolutionHours: {
        const from = asOf - (windowMs[k] as number);
        resScratch.length = 0;
        for (let j = 0; j < nRes; j++) if ((resTs[j] as number) > from) resScratch.push(resDur[j] as number);
        if (resScratch.length > 0) v = median(resScratch) / MS_PER_HOUR;
        break;
      }
      case C.npsLatest:
        v = nps;
        break;
      case C.npsAverage:
      case C.csatAverage:
      case C.cesAverage: {
        const f = r.code === C.npsAverage ? F_NPS_SUM : r.code === C.csatAverage ? F_CSAT_SUM : F_CES_SUM;
        const cnt = acc[b + f + 1] as number;
        if (cnt > 0) v = (acc[b + f] as number) / cnt;
        a = cnt;
        break;
      }
      case C.failedPayments:
        if (billing) v = acc[b + F_FAILED] as number;
        break;
      case C.mrrChange: {
        const start = acc[b + F_MRR_START] as number;
        a = start;
        if (start > 0 && !Number.isNaN(mrr)) v = ((mrr - start) / start) * 100;
        break;
      }
      case C.mrr:
        v = mrr;
        break;
      case C.seats:
        v = seats;
        break;
      case C.daysToRenewal:
        if (profile?.renewalDate !== undefined) v = (profile.renewalDate - asOf) / MS_PER_DAY;
        break;
      case C.tenureDays: {
        const since = profile?.signupDate ?? firstTs;
        if (!Number.isNaN(since) && since <= asOf) v = (asOf - since) / MS_PER_DAY;
        break;
      }
      case C.csmRating:
        v = csm;
        break;
      default:
        break;
    }
    values[offset + i] = v;
    aux[offset + i] = a;
  }
  facts.events = count;
  facts.firstTs = firstTs;
  facts.cancelled = cancelled;
  return facts;
}

/** Theil–Sen slope of weekly activity counts (week 0 = oldest) as % of the mean week; NaN when empty. */
function theilSenWeekly(days: number): number {
  const weeks = Math.max(2, Math.floor(days / 7));
  weekly.fill(0, 0, weeks);
  let total = 0;
  for (let d = 0; d < weeks * 7 && d < days; d++) {
    const c = daily[d] as number;
    // Age in days → week index counted from the oldest week.
    weekly[weeks - 1 - Math.floor(d / 7)] = (weekly[weeks - 1 - Math.floor(d / 7)] as number) + c;
    total += c;
  }
  if (total === 0) return Number.NaN;
  let m = 0;
  for (let i = 0; i < weeks; i++) {
    for (let j = i + 1; j < weeks; j++) {
      pairSlopes[m++] = ((weekly[j] as number) - (weekly[i] as number)) / (j - i);
    }
  }
  const slope = medianTyped(pairSlopes, m);
  const mean = total / weeks;
  return (slope / mean) * 100;
}

/** Options of {@link computeSignals}. */
export interface ComputeSignalsOptions {
  /** The instant to compute the signals for; later events are ignored. */
  asOf: DateInput;
  /** The customer's profile (seats, MRR, renewal date, signup date fallbacks). @default undefined */
  profile?: CustomerProfile;
}

/**
 * Computes every built-in health signal (see `HEALTH_SIGNALS`) at its default window for one
 * customer, in a single pass over the timeline with no per-event allocation.
 *
 * Missing data: a signal without data is `null` (see each signal's description); counting signals
 * are 0 when nothing happened in their window.
 *
 * @param timeline one customer's timeline (from `groupByCustomer`), or undefined for none.
 * @param options `asOf` and optional `profile`.
 * @returns a null-prototype record from signal name to value (`null` = no data).
 * @throws RangeError when `asOf` is not a valid date.
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
  const asOf = requireEpochMs(options.asOf, 'computeSignals', 'asOf');
  const specs = Object.values(HEALTH_SIGNALS);
  const plan = buildSignalPlan(specs.map((s) => ({ code: s.code, days: s.defaultDays ?? 0 })));
  const values = new Float64Array(SIGNAL_COUNT);
  const aux = new Float64Array(SIGNAL_COUNT);
  runSignalPass(plan, timeline, options.profile, asOf, values, aux, 0);
  const out = Object.create(null) as Record<string, number | null>;
  specs.forEach((s, i) => {
    const v = values[i] as number;
    out[s.name] = Number.isNaN(v) ? null : v;
  });
  return out;
}

