/**
 * The single pass over one customer's events that feeds every built-in signal: running totals
 * snapshotted when the pass crosses each window's start, so each event costs O(1) whatever the
 * number of windows, and nothing is allocated per event.
 * @module
 */
import { MS_PER_DAY } from '../_lib/time';
import type { CustomerEvent, CustomerProfile } from '../events/types';
import { F, NF, type SignalPlan } from './signalPlan';
import type { PassFacts, PassState } from './signalState';
import { writeValues } from './signalValues';

function isHighPriority(p: unknown): boolean {
  if (typeof p !== 'string') return false;
  const s = p.toLowerCase();
  return s === 'high' || s === 'urgent' || s === 'critical' || s === 'p1' || s === 'p0';
}

/** Snapshots the running totals into window `k` (the pass just crossed its start). */
function snapshot(st: PassState, k: number): void {
  const b = k * NF;
  const tot = st.tot;
  for (let f = 0; f < NF; f++) st.snap[b + f] = tot[f] as number;
  st.snapMrr[k] = st.mrr;
  st.snapDay[k] = st.lastDay;
}

/** An activity event (login, session, feature_used). */
function onActivity(st: PassState, plan: SignalPlan, e: CustomerEvent, i: number, asOf: number): void {
  const t = e.timestamp;
  const tot = st.tot;
  st.lastActivity = t;
  const day = Math.floor(t / MS_PER_DAY);
  if (st.pendHi > st.pendLo) {
    // First activity after crossing window starts: a day shared with the last activity before the
    // start is still an active day inside the window.
    if (day === st.lastDay) for (let k = st.pendLo; k < st.pendHi; k++) st.dayCorr[k] = 1;
    st.pendLo = st.pendHi;
  }
  if (day !== st.lastDay) {
    st.lastDay = day;
    tot[F.actDays] = (tot[F.actDays] as number) + 1;
  }
  tot[F.act] = (tot[F.act] as number) + 1;
  const type = e.type;
  if (type === 'login') tot[F.logins] = (tot[F.logins] as number) + 1;
  else if (type === 'feature_used') tot[F.featUses] = (tot[F.featUses] as number) + (e.value ?? 1);
  const age = asOf - t;
  if (plan.needUsers) trackUser(st, plan, e, i, age);
  if (plan.needFeatures && type === 'feature_used' && age < plan.featureMs) {
    const f = e.properties?.feature;
    if (typeof f === 'string') st.features.set(f, i);
  }
  if (age < plan.slopeDays * MS_PER_DAY) {
    const d = Math.floor(age / MS_PER_DAY);
    st.daily[d] = (st.daily[d] as number) + 1;
  }
}

/** Remembers the last event index of each user inside the longest user window (indexes: no allocation). */
function trackUser(st: PassState, plan: SignalPlan, e: CustomerEvent, i: number, age: number): void {
  const u = e.properties?.userId;
  if (age < plan.userMs) {
    if (typeof u === 'string') {
      st.users.set(u, i);
      st.sawUser = true;
    } else if (typeof u === 'number') {
      st.users.set(String(u), i);
      st.sawUser = true;
    }
  } else if (!st.sawUser && u !== undefined) st.sawUser = true;
}

/** A support event. */
function onTicket(st: PassState, events: readonly CustomerEvent[], e: CustomerEvent, i: number): void {
  const p = e.properties;
  const id = p?.ticketId;
  const key = typeof id === 'string' ? id : typeof id === 'number' ? String(id) : undefined;
  if (e.type === 'ticket_opened') {
    if (key !== undefined) st.openTickets.set(key, i);
    st.tot[F.tickets] = (st.tot[F.tickets] as number) + 1;
    if (isHighPriority(p?.priority)) st.tot[F.high] = (st.tot[F.high] as number) + 1;
    return;
  }
  if (key === undefined) return;
  const j0 = st.openTickets.get(key);
  if (j0 === undefined) return;
  st.openTickets.delete(key);
  st.addResolution(e.timestamp, e.timestamp - (events[j0] as CustomerEvent).timestamp);
}

/** A survey answer: latest NPS, and the sum and count of each survey. */
function onSurvey(st: PassState, e: CustomerEvent): void {
  const v = e.value;
  if (v === undefined || !Number.isFinite(v)) return;
  const f = e.type === 'nps_response' ? F.npsSum : e.type === 'csat_response' ? F.csatSum : F.cesSum;
  if (f === F.npsSum) st.nps = v;
  st.tot[f] = (st.tot[f] as number) + v;
  st.tot[f + 1] = (st.tot[f + 1] as number) + 1;
}

/** A purchase or a refund: orders count line items at one instant once. */
function onPurchase(st: PassState, e: CustomerEvent): void {
  const v = e.value !== undefined && Number.isFinite(e.value) ? Math.abs(e.value) : 0;
  const tot = st.tot;
  if (e.type === 'refund') {
    tot[F.refunded] = (tot[F.refunded] as number) + v;
    return;
  }
  if (e.timestamp !== st.lastPurchase) tot[F.orders] = (tot[F.orders] as number) + 1;
  tot[F.bought] = (tot[F.bought] as number) + v;
  st.lastPurchase = e.timestamp;
}

/** Billing, subscription, seats and CSM events. */
function onAccount(st: PassState, e: CustomerEvent): void {
  const v = e.value;
  const has = v !== undefined && Number.isFinite(v);
  switch (e.type) {
    case 'payment_failed':
      st.billing = true;
      st.tot[F.failed] = (st.tot[F.failed] as number) + 1;
      break;
    case 'invoice_paid':
      st.billing = true;
      break;
    case 'subscription_started':
    case 'subscription_changed':
    case 'subscription_renewed':
      st.billing = true;
      st.cancelled = false;
      if (has) st.mrr = v as number;
      break;
    case 'subscription_cancelled':
      st.billing = true;
      st.cancelled = true;
      st.mrr = 0;
      break;
    case 'seats_changed':
      if (has) st.seats = v as number;
      break;
    case 'csm_rating':
      if (has) st.csm = v as number;
      break;
    default:
      break;
  }
}

/** Dispatches one event at or before asOf. */
function onEvent(
  st: PassState,
  plan: SignalPlan,
  events: readonly CustomerEvent[],
  e: CustomerEvent,
  i: number,
  asOf: number,
): void {
  switch (e.type) {
    case 'login':
    case 'session':
    case 'feature_used':
      onActivity(st, plan, e, i, asOf);
      break;
    case 'ticket_opened':
    case 'ticket_resolved':
      onTicket(st, events, e, i);
      break;
    case 'nps_response':
    case 'csat_response':
    case 'ces_response':
      onSurvey(st, e);
      break;
    case 'purchase':
    case 'refund':
      onPurchase(st, e);
      break;
    default:
      onAccount(st, e);
  }
}

/**
 * Runs the single pass over `events[from..to)` (one customer's events sorted by time; only those
 * at or before `asOf` are read: an event stamped exactly at `asOf` counts) and writes one value per
 * request into `values[offset + i]` (NaN = no data) and a detail into `aux[offset + i]` (see
 * `MeasureScore.detail`). Windows are `(asOf − N days, asOf]`.
 * @internal
 */
export function runSignalPass(
  plan: SignalPlan,
  st: PassState,
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
  st.reset(plan.needUsers, plan.needFeatures, plan.slopeDays > 0);
  for (let k = 0; k < nw; k++) {
    st.boundary[k] = asOf - (plan.windowMs[k] as number);
    st.dayCorr[k] = 0;
  }
  for (let i = from; i < to; i++) {
    const e = events[i] as CustomerEvent;
    const t = e.timestamp;
    if (t > asOf) break;
    // Crossing into one or more windows: snapshot the running totals.
    while (st.nextK < nw && t > (st.boundary[st.nextK] as number)) {
      snapshot(st, st.nextK);
      if (st.pendHi === st.pendLo) st.pendLo = st.nextK;
      st.pendHi = st.nextK + 1;
      st.nextK++;
    }
    if (st.count === 0) st.firstTs = t;
    st.count++;
    onEvent(st, plan, events, e, i, asOf);
  }
  // Windows whose start was never crossed hold no event.
  while (st.nextK < nw) snapshot(st, st.nextK++);
  writeValues(plan, st, events, profile, asOf, values, aux, offset);
  const facts = st.facts;
  facts.events = st.count;
  facts.firstTs = st.firstTs;
  facts.cancelled = st.cancelled;
  return facts;
}
