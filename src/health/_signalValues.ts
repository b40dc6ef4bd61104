/**
 * Turns the totals of a signal pass into the requested signal values (window sums are running
 * totals minus their snapshot at the window start).
 * @module
 */
import { MS_PER_DAY, MS_PER_HOUR } from '../_lib/time';
import type { CustomerProfile } from '../events/types';
import type { EventColumns } from './_eventColumns';
import { C, F, MAX_SLOPE_DAYS, NF, type SignalPlan, type SignalRequest } from './_signalPlan';
import type { PassState } from './_signalState';

/** Where one request's value and detail go. */
interface Out {
  values: Float64Array;
  aux: Float64Array;
  at: number;
}

/** Sum of running-total field `f` inside window `k`. */
function inWindow(st: PassState, k: number, f: number): number {
  return (st.tot[f] as number) - (st.snap[k * NF + f] as number);
}

/** Distinct touched ids whose last event (index in `last`) is after `start`. */
function distinctSince(
  touched: Int32Array,
  count: number,
  last: Int32Array,
  ts: Float64Array,
  start: number,
): number {
  let n = 0;
  for (let k = 0; k < count; k++) if ((ts[last[touched[k] as number] as number] as number) > start) n++;
  return n;
}

/** Activity signals (codes 0–9, 25, 26); null when the customer has no activity event at all. */
function activityValue(
  plan: SignalPlan,
  st: PassState,
  c: EventColumns,
  r: SignalRequest,
  i: number,
  asOf: number,
  o: Out,
): void {
  if (Number.isNaN(st.lastActivity)) return;
  const k = plan.win[i] as number;
  const start = asOf - (plan.windowMs[k] as number);
  switch (r.code) {
    case C.activeDays:
      o.values[o.at] = inWindow(st, k, F.actDays) + (st.dayCorr[k] as number);
      return;
    case C.logins:
      o.values[o.at] = inWindow(st, k, F.logins);
      return;
    case C.activityEvents:
      o.values[o.at] = inWindow(st, k, F.act);
      return;
    case C.usageTrend:
    case C.usageVsBaseline: {
      const cur = inWindow(st, k, F.act);
      const k2 = plan.win2[i] as number;
      const before = (st.snap[k * NF + F.act] as number) - (st.snap[k2 * NF + F.act] as number);
      // usageTrend: the N days before; usageVsBaseline: the daily rate of the 3N days before.
      const base = r.code === C.usageTrend ? before : before / 3;
      o.aux[o.at] = base;
      if (base > 0) o.values[o.at] = ((cur - base) / base) * 100;
      return;
    }
    case C.usageSlope:
      o.values[o.at] = st.theilSenWeekly(Math.min(r.days, MAX_SLOPE_DAYS));
      return;
    case C.featureBreadth:
    case C.featureDepth: {
      const f = distinctSince(st.featuresTouched, st.nFeatures, st.featureLast, c.ts, start);
      if (r.code === C.featureBreadth) o.values[o.at] = f;
      else if (f > 0) o.values[o.at] = inWindow(st, k, F.featUses) / f;
      return;
    }
    case C.daysSinceActivity:
      o.values[o.at] = (asOf - st.lastActivity) / MS_PER_DAY;
      return;
    default:
      userValue(st, c, r, k, start, o);
  }
}

/** Active users, licence utilisation and activity per user; null without any user id. */
function userValue(st: PassState, c: EventColumns, r: SignalRequest, k: number, start: number, o: Out): void {
  if (!st.sawUser) return;
  const u = distinctSince(st.usersTouched, st.nUsers, st.userLast, c.ts, start);
  if (r.code === C.activeUsers) o.values[o.at] = u;
  else if (r.code === C.activityPerUser) {
    if (u > 0) o.values[o.at] = inWindow(st, k, F.act) / u;
    o.aux[o.at] = u;
  } else if (st.seats > 0) {
    o.values[o.at] = u / st.seats;
    o.aux[o.at] = st.seats;
  }
}

/** Support and survey signals (codes 10–17). */
function supportValue(
  plan: SignalPlan,
  st: PassState,
  r: SignalRequest,
  i: number,
  asOf: number,
  o: Out,
): void {
  const k = plan.win[i] as number;
  const active = st.count > 0;
  switch (r.code) {
    case C.openTickets:
      if (active) o.values[o.at] = st.openCount;
      return;
    case C.ticketRate:
      if (active) o.values[o.at] = (inWindow(st, k, F.tickets) * 30) / r.days;
      return;
    case C.highPriorityTickets:
      if (active) o.values[o.at] = inWindow(st, k, F.high);
      return;
    case C.medianResolutionHours:
      o.values[o.at] = st.medianResolution(asOf - (plan.windowMs[k] as number)) / MS_PER_HOUR;
      return;
    case C.npsLatest:
      o.values[o.at] = st.nps;
      return;
    default: {
      const f = r.code === C.npsAverage ? F.npsSum : r.code === C.csatAverage ? F.csatSum : F.cesSum;
      const cnt = inWindow(st, k, f + 1);
      if (cnt > 0) o.values[o.at] = inWindow(st, k, f) / cnt;
      o.aux[o.at] = cnt;
    }
  }
}

/** Commercial and profile signals (codes 18–24). */
function accountValue(
  plan: SignalPlan,
  st: PassState,
  r: SignalRequest,
  i: number,
  profile: CustomerProfile | undefined,
  asOf: number,
  o: Out,
): void {
  const k = plan.win[i] as number;
  switch (r.code) {
    case C.failedPayments:
      if (st.billing) o.values[o.at] = inWindow(st, k, F.failed);
      return;
    case C.mrrChange: {
      const start = st.snapMrr[k] as number;
      o.aux[o.at] = start;
      if (start > 0 && !Number.isNaN(st.mrr)) o.values[o.at] = ((st.mrr - start) / start) * 100;
      return;
    }
    case C.mrr:
      o.values[o.at] = st.mrr;
      return;
    case C.seats:
      o.values[o.at] = st.seats;
      return;
    case C.daysToRenewal:
      if (profile?.renewalDate !== undefined) o.values[o.at] = (profile.renewalDate - asOf) / MS_PER_DAY;
      return;
    case C.tenureDays: {
      const since = profile?.signupDate ?? st.firstTs;
      if (!Number.isNaN(since) && since <= asOf) o.values[o.at] = (asOf - since) / MS_PER_DAY;
      return;
    }
    default:
      o.values[o.at] = st.csm;
  }
}

/** Purchase signals (codes 27–31); null without any purchase up to asOf. */
function purchaseValue(
  plan: SignalPlan,
  st: PassState,
  r: SignalRequest,
  i: number,
  asOf: number,
  o: Out,
): void {
  if (Number.isNaN(st.lastPurchase)) return;
  const k = plan.win[i] as number;
  switch (r.code) {
    case C.daysSincePurchase:
      o.values[o.at] = (asOf - st.lastPurchase) / MS_PER_DAY;
      return;
    case C.purchases:
      o.values[o.at] = inWindow(st, k, F.orders);
      return;
    case C.spend:
      o.values[o.at] = inWindow(st, k, F.bought) - inWindow(st, k, F.refunded);
      return;
    case C.spendTrend: {
      const cur = inWindow(st, k, F.bought);
      const k2 = plan.win2[i] as number;
      const before = (st.snap[k * NF + F.bought] as number) - (st.snap[k2 * NF + F.bought] as number);
      o.aux[o.at] = before;
      if (before > 0) o.values[o.at] = ((cur - before) / before) * 100;
      return;
    }
    default: {
      const bought = inWindow(st, k, F.bought);
      o.aux[o.at] = bought;
      if (bought > 0) o.values[o.at] = inWindow(st, k, F.refunded) / bought;
    }
  }
}

/** Applies the profile fallbacks (seats, MRR, CSM rating) after the pass. */
function profileFallbacks(st: PassState, profile: CustomerProfile | undefined): void {
  if (Number.isNaN(st.seats) && profile?.seats !== undefined) st.seats = profile.seats;
  if (Number.isNaN(st.mrr) && profile?.mrr !== undefined) st.mrr = profile.mrr;
  if (Number.isNaN(st.csm)) {
    const r = profile?.attributes?.csmRating;
    if (typeof r === 'number' && Number.isFinite(r)) st.csm = r;
  }
}

/** Writes every requested value (NaN = no data) and detail after a pass. @internal */
export function writeValues(
  plan: SignalPlan,
  st: PassState,
  c: EventColumns,
  profile: CustomerProfile | undefined,
  asOf: number,
  values: Float64Array,
  aux: Float64Array,
  offset: number,
): void {
  profileFallbacks(st, profile);
  const reqs = plan.requests;
  const o: Out = { values, aux, at: 0 };
  for (let i = 0; i < reqs.length; i++) {
    const r = reqs[i] as SignalRequest;
    o.at = offset + i;
    values[o.at] = Number.NaN;
    aux[o.at] = Number.NaN;
    const code = r.code;
    if (code <= C.daysSinceActivity || code === C.usageVsBaseline || code === C.activityPerUser)
      activityValue(plan, st, c, r, i, asOf, o);
    else if (code <= C.cesAverage) supportValue(plan, st, r, i, asOf, o);
    else if (code <= C.csmRating) accountValue(plan, st, r, i, profile, asOf, o);
    else purchaseValue(plan, st, r, i, asOf, o);
  }
}
