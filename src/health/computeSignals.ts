import { optionError } from '../_lib/errors';
import { quantileSorted } from '../_lib/order';
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
  /** Longest window of the user-based / feature-based signals (ms). */
  readonly userMs: number;
  readonly featureMs: number;
  readonly needUsers: boolean;
  readonly needFeatures: boolean;
  readonly slopeDays: number;
}

/** Running-total fields (snapshotted at each window start). */
const F_ACT = 0;
const F_ACT_DAYS = 1;
const F_LOGINS = 2;
const F_FEAT_USES = 3;
const F_TICKETS = 4;
const F_HIGH = 5;
const F_FAILED = 6;
const F_NPS_SUM = 7;
// Each survey sum is followed by its answer count (field + 1): fields 8, 10 and 12.
const F_CSAT_SUM = 9;
const F_CES_SUM = 11;
const NF = 13;
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
  let userDays = 0;
  let featureDays = 0;
  let slopeDays = 0;
  for (const r of requests) {
    if (r.days > 0) days.add(r.days);
    if (r.code === C.usageTrend) days.add(r.days * 2);
    if (r.code === C.usageVsBaseline) days.add(r.days * 4);
    if (r.code === C.activeUsers || r.code === C.licenseUtilisation || r.code === C.activityPerUser) {
      userDays = Math.max(userDays, r.days);
    }
    if (r.code === C.featureBreadth || r.code === C.featureDepth) featureDays = Math.max(featureDays, r.days);
    if (r.code === C.usageSlope) slopeDays = Math.max(slopeDays, Math.min(r.days, MAX_SLOPE_DAYS));
  }
  const sorted = Array.from(days).sort((a, b) => b - a);
  if (sorted.length > MAX_WINDOWS) {
    throw optionError('scoreHealth', 'scorecard', `may use at most ${MAX_WINDOWS} distinct windows`);
  }
  const windowMs = Float64Array.from(sorted, (d) => d * MS_PER_DAY);
  const win = new Int32Array(requests.length).fill(-1);
  const win2 = new Int32Array(requests.length).fill(-1);
  requests.forEach((r, i) => {
    if (r.days > 0) win[i] = sorted.indexOf(r.days);
    if (r.code === C.usageTrend) win2[i] = sorted.indexOf(r.days * 2);
    if (r.code === C.usageVsBaseline) win2[i] = sorted.indexOf(r.days * 4);
  });
  return {
    requests,
    win,
    win2,
    windowMs,
    userMs: userDays * MS_PER_DAY,
    featureMs: featureDays * MS_PER_DAY,
    needUsers: userDays > 0,
    needFeatures: featureDays > 0,
    slopeDays,
  };
}

// Reused buffers: the pass allocates nothing per event.
const tot = new Float64Array(NF);
const snap = new Float64Array(MAX_WINDOWS * NF);
const snapMrr = new Float64Array(MAX_WINDOWS);
const snapDay = new Float64Array(MAX_WINDOWS);
const dayCorr = new Float64Array(MAX_WINDOWS);
const boundary = new Float64Array(MAX_WINDOWS);
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
  return quantileSorted(
    values.sort((a, b) => a - b),
    0.5,
  );
}

/** Median of a[0..n) by quickselect, in place (reorders the prefix; allocates nothing). */
function medianTyped(a: Float64Array, n: number): number {
  const hi = select(a, n, n >> 1);
  if (n % 2 === 1) return hi;
  let lo = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n >> 1; i++) if ((a[i] as number) > lo) lo = a[i] as number;
  return (lo + hi) / 2;
}

/** k-th smallest of a[0..n) (Hoare quickselect); afterwards a[0..k) <= a[k] <= a[k+1..n). */
function select(a: Float64Array, n: number, k: number): number {
  let left = 0;
  let right = n - 1;
  while (right > left) {
    const pivot = a[(left + right) >> 1] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return a[k] as number;
}

/**
 * Runs the single pass over `events[from..to)` (one customer's events sorted by time; only those
 * up to `asOf` are read) and writes one value per request into `values[offset + i]` (NaN = no data)
 * and a detail into `aux[offset + i]` (see `MeasureScore.detail`).
 *
 * Window sums are running totals minus the totals snapshotted when the pass crosses each window's
 * start, so each event costs O(1) whatever the number of windows.
 * @internal
 */
export function runSignalPass(
  plan: SignalPlan,
  events: readonly CustomerEvent[],
  from: number,
  to: number,
  profile: CustomerProfile | undefined,
  asOf: number,
  values: Float64Array,
  aux: Float64Array,
  offset: number,
): PassFacts {
  const nw = plan.windowMs.length;
  const windowMs = plan.windowMs;
  tot.fill(0);
  for (let k = 0; k < nw; k++) {
    boundary[k] = asOf - (windowMs[k] as number);
    dayCorr[k] = 0;
  }
  const needUsers = plan.needUsers;
  const needFeatures = plan.needFeatures;
  const userMs = plan.userMs;
  const featureMs = plan.featureMs;
  const slopeMs = plan.slopeDays * MS_PER_DAY;
  if (plan.slopeDays > 0) daily.fill(0);
  if (needUsers) users.clear();
  if (needFeatures) features.clear();
  openTicketMap.clear();
  let nextK = 0;
  let pendLo = 0;
  let pendHi = 0;
  let lastDay = -1;
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

  for (let i = from; i < to; i++) {
    const e = events[i] as CustomerEvent;
    const t = e.timestamp;
    if (t > asOf) break;
    // Crossing into one or more windows: snapshot the running totals.
    while (nextK < nw && t > (boundary[nextK] as number)) {
      const b = nextK * NF;
      for (let f = 0; f < NF; f++) snap[b + f] = tot[f] as number;
      snapMrr[nextK] = mrr;
      snapDay[nextK] = lastDay;
      if (pendHi === pendLo) pendLo = nextK;
      pendHi = nextK + 1;
      nextK++;
    }
    if (count === 0) firstTs = t;
    count++;
    const age = asOf - t;
    const type = e.type;
    if (type === 'login' || type === 'session' || type === 'feature_used') {
      lastActivity = t;
      const day = Math.floor(t / MS_PER_DAY);
      if (pendHi > pendLo) {
        // First activity after crossing window starts: a day shared with the last activity
        // before the start is still an active day inside the window.
        if (day === lastDay) for (let k = pendLo; k < pendHi; k++) dayCorr[k] = 1;
        pendLo = pendHi;
      }
      if (day !== lastDay) {
        lastDay = day;
        tot[F_ACT_DAYS] = (tot[F_ACT_DAYS] as number) + 1;
      }
      tot[F_ACT] = (tot[F_ACT] as number) + 1;
      if (type === 'login') tot[F_LOGINS] = (tot[F_LOGINS] as number) + 1;
      else if (type === 'feature_used') tot[F_FEAT_USES] = (tot[F_FEAT_USES] as number) + (e.value ?? 1);
      if (needUsers) {
        if (age < userMs) {
          const u = e.properties?.userId;
          // Values are event indexes (small integers), so updates allocate nothing.
          if (typeof u === 'string') {
            users.set(u, i);
            sawUser = true;
          } else if (typeof u === 'number') {
            users.set(String(u), i);
            sawUser = true;
          }
        } else if (!sawUser && e.properties?.userId !== undefined) sawUser = true;
      }
      if (needFeatures && type === 'feature_used' && age < featureMs) {
        const f = e.properties?.feature;
        if (typeof f === 'string') features.set(f, i);
      }
      if (age < slopeMs) {
        const d = Math.floor(age / MS_PER_DAY);
        daily[d] = (daily[d] as number) + 1;
      }
      continue;
    }
    switch (type) {
      case 'ticket_opened': {
        const p = e.properties;
        const id = p?.ticketId;
        if (typeof id === 'string' || typeof id === 'number') openTicketMap.set(String(id), i);
        tot[F_TICKETS] = (tot[F_TICKETS] as number) + 1;
        if (isHighPriority(p?.priority)) tot[F_HIGH] = (tot[F_HIGH] as number) + 1;
        break;
      }
      case 'ticket_resolved': {
        const id = e.properties?.ticketId;
        if (typeof id === 'string' || typeof id === 'number') {
          const key = String(id);
          const j0 = openTicketMap.get(key);
          if (j0 !== undefined) {
            const t0 = (events[j0] as CustomerEvent).timestamp;
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
        tot[f] = (tot[f] as number) + v;
        tot[f + 1] = (tot[f + 1] as number) + 1;
        break;
      }
      case 'payment_failed':
        billing = true;
        tot[F_FAILED] = (tot[F_FAILED] as number) + 1;
        break;
      case 'invoice_paid':
        billing = true;
        break;
      case 'subscription_started':
      case 'subscription_changed':
      case 'subscription_renewed':
        billing = true;
        cancelled = false;
        if (e.value !== undefined && Number.isFinite(e.value)) mrr = e.value;
        break;
      case 'subscription_cancelled':
        billing = true;
        cancelled = true;
        mrr = 0;
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
  // Windows whose start was never crossed hold no event.
  while (nextK < nw) {
    const b = nextK * NF;
    for (let f = 0; f < NF; f++) snap[b + f] = tot[f] as number;
    snapMrr[nextK] = mrr;
    snapDay[nextK] = lastDay;
    nextK++;
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
        if (hasActivity)
          v = (tot[F_ACT_DAYS] as number) - (snap[b + F_ACT_DAYS] as number) + (dayCorr[k] as number);
        break;
      case C.logins:
        if (hasActivity) v = (tot[F_LOGINS] as number) - (snap[b + F_LOGINS] as number);
        break;
      case C.activityEvents:
        if (hasActivity) v = (tot[F_ACT] as number) - (snap[b + F_ACT] as number);
        break;
      case C.activeUsers:
      case C.licenseUtilisation:
      case C.activityPerUser: {
        if (!sawUser) break;
        const start = asOf - (windowMs[k] as number);
        let u = 0;
        for (const j of users.values()) if ((events[j] as CustomerEvent).timestamp > start) u++;
        if (r.code === C.activeUsers) v = u;
        else if (r.code === C.activityPerUser) {
          if (u > 0) v = ((tot[F_ACT] as number) - (snap[b + F_ACT] as number)) / u;
          a = u;
        } else if (seats > 0) {
          v = u / seats;
          a = seats;
        }
        break;
      }
      case C.usageTrend:
      case C.usageVsBaseline: {
        if (!hasActivity) break;
        const cur = (tot[F_ACT] as number) - (snap[b + F_ACT] as number);
        const before = (snap[b + F_ACT] as number) - (snap[(plan.win2[i] as number) * NF + F_ACT] as number);
        // usageTrend: the N days before; usageVsBaseline: the daily rate of the 3N days before.
        const base = r.code === C.usageTrend ? before : before / 3;
        a = base;
        if (base > 0) v = ((cur - base) / base) * 100;
        break;
      }
      case C.usageSlope:
        v = theilSenWeekly(Math.min(r.days, MAX_SLOPE_DAYS));
        break;
      case C.featureBreadth:
      case C.featureDepth: {
        if (!hasActivity) break;
        const start = asOf - (windowMs[k] as number);
        let f = 0;
        for (const j of features.values()) if ((events[j] as CustomerEvent).timestamp > start) f++;
        if (r.code === C.featureBreadth) v = f;
        else if (f > 0) v = ((tot[F_FEAT_USES] as number) - (snap[b + F_FEAT_USES] as number)) / f;
        break;
      }
      case C.daysSinceActivity:
        if (hasActivity) v = (asOf - lastActivity) / MS_PER_DAY;
        break;
      case C.openTickets:
        if (active) v = openTicketMap.size;
        break;
      case C.ticketRate:
        if (active) v = (((tot[F_TICKETS] as number) - (snap[b + F_TICKETS] as number)) * 30) / r.days;
        break;
      case C.highPriorityTickets:
        if (active) v = (tot[F_HIGH] as number) - (snap[b + F_HIGH] as number);
        break;
      case C.medianResolutionHours: {
        const start = asOf - (windowMs[k] as number);
        resScratch.length = 0;
        for (let j = 0; j < nRes; j++) if ((resTs[j] as number) > start) resScratch.push(resDur[j] as number);
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
        const cnt = (tot[f + 1] as number) - (snap[b + f + 1] as number);
        if (cnt > 0) v = ((tot[f] as number) - (snap[b + f] as number)) / cnt;
        a = cnt;
        break;
      }
      case C.failedPayments:
        if (billing) v = (tot[F_FAILED] as number) - (snap[b + F_FAILED] as number);
        break;
      case C.mrrChange: {
        const start = snapMrr[k] as number;
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
 * @throws {ValidationError} when `asOf` is not a valid date.
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
  const evs = timeline?.events ?? [];
  runSignalPass(plan, evs, 0, evs.length, options.profile, asOf, values, aux, 0);
  const out = Object.create(null) as Record<string, number | null>;
  specs.forEach((s, i) => {
    const v = values[i] as number;
    out[s.name] = Number.isNaN(v) ? null : v;
  });
  return out;
}
