/**
 * The single pass over one customer's events that feeds every built-in signal: running totals
 * snapshotted when the pass crosses each window's start, so each event costs O(1) whatever the
 * number of windows. The pass reads the typed event columns only (no object, no property lookup,
 * no allocation per event).
 * @module
 */
import { MS_PER_DAY } from '../_lib/time';
import type { CustomerProfile } from '../events/types';
import { type EventColumns, FLAG_HAS_USER, FLAG_HIGH_PRIORITY, K } from './_eventColumns';
import { F, NF, type SignalPlan } from './_signalPlan';
import type { PassFacts, PassState } from './_signalState';
import { writeValues } from './_signalValues';

/** Snapshots the running totals into window `k` (the pass just crossed its start). */
function snapshot(st: PassState, k: number): void {
  const b = k * NF;
  const tot = st.tot;
  for (let f = 0; f < NF; f++) st.snap[b + f] = tot[f] as number;
  st.snapMrr[k] = st.mrr;
  st.snapDay[k] = st.lastDay;
}

/** An activity event (login, session, feature_used). */
function onActivity(
  st: PassState,
  plan: SignalPlan,
  c: EventColumns,
  i: number,
  kind: number,
  asOf: number,
): void {
  const t = c.ts[i] as number;
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
  if (kind === K.login) tot[F.logins] = (tot[F.logins] as number) + 1;
  else if (kind === K.feature) {
    const v = c.val[i] as number;
    tot[F.featUses] = (tot[F.featUses] as number) + (Number.isNaN(v) ? 1 : v);
  }
  const age = asOf - t;
  if (plan.needUsers) trackUser(st, plan, c, i, age);
  if (plan.needFeatures && kind === K.feature && age < plan.featureMs) {
    const f = c.feat[i] as number;
    if (f >= 0) {
      if ((st.featureLast[f] as number) < 0) st.featuresTouched[st.nFeatures++] = f;
      st.featureLast[f] = i;
    }
  }
  if (age < plan.slopeDays * MS_PER_DAY) {
    const d = Math.floor(age / MS_PER_DAY);
    st.daily[d] = (st.daily[d] as number) + 1;
  }
}

/** Remembers the last event index of each user inside the longest user window. */
function trackUser(st: PassState, plan: SignalPlan, c: EventColumns, i: number, age: number): void {
  if (age < plan.userMs) {
    const u = c.user[i] as number;
    if (u < 0) return;
    if ((st.userLast[u] as number) < 0) st.usersTouched[st.nUsers++] = u;
    st.userLast[u] = i;
    st.sawUser = true;
  } else if (!st.sawUser && ((c.flag[i] as number) & FLAG_HAS_USER) !== 0) st.sawUser = true;
}

/** A support event: opened (counted, high priority, open by ticket id) or resolved (resolution time). */
function onTicket(st: PassState, c: EventColumns, i: number, kind: number): void {
  const id = c.tkt[i] as number;
  if (kind === K.ticketOpened) {
    if (id >= 0) {
      const was = st.ticketOpen[id] as number;
      if (was < 0) {
        st.openCount++;
        st.ticketsTouched[st.nTickets++] = id;
      }
      st.ticketOpen[id] = i;
    }
    st.tot[F.tickets] = (st.tot[F.tickets] as number) + 1;
    if (((c.flag[i] as number) & FLAG_HIGH_PRIORITY) !== 0) st.tot[F.high] = (st.tot[F.high] as number) + 1;
    return;
  }
  if (id < 0) return;
  const j0 = st.ticketOpen[id] as number;
  if (j0 < 0) return;
  st.ticketOpen[id] = -1;
  st.openCount--;
  const t = c.ts[i] as number;
  st.addResolution(t, t - (c.ts[j0] as number));
}

/** A survey answer: latest NPS, and the sum and count of each survey. */
function onSurvey(st: PassState, c: EventColumns, i: number, kind: number): void {
  const v = c.val[i] as number;
  if (Number.isNaN(v)) return;
  const f = kind === K.nps ? F.npsSum : kind === K.csat ? F.csatSum : F.cesSum;
  if (f === F.npsSum) st.nps = v;
  st.tot[f] = (st.tot[f] as number) + v;
  st.tot[f + 1] = (st.tot[f + 1] as number) + 1;
}

/** A purchase or a refund: orders count line items at one instant once. */
function onPurchase(st: PassState, c: EventColumns, i: number, kind: number): void {
  const raw = c.val[i] as number;
  const v = Number.isNaN(raw) ? 0 : Math.abs(raw);
  const tot = st.tot;
  if (kind === K.refund) {
    tot[F.refunded] = (tot[F.refunded] as number) + v;
    return;
  }
  const t = c.ts[i] as number;
  if (t !== st.lastPurchase) tot[F.orders] = (tot[F.orders] as number) + 1;
  tot[F.bought] = (tot[F.bought] as number) + v;
  st.lastPurchase = t;
}

/** Billing, subscription, seats and CSM events. */
function onAccount(st: PassState, c: EventColumns, i: number, kind: number): void {
  const v = c.val[i] as number;
  const has = !Number.isNaN(v);
  switch (kind) {
    case K.paymentFailed:
      st.billing = true;
      st.tot[F.failed] = (st.tot[F.failed] as number) + 1;
      break;
    case K.invoicePaid:
      st.billing = true;
      break;
    case K.subStarted:
    case K.subChanged:
    case K.subRenewed:
      st.billing = true;
      st.cancelled = false;
      if (has) st.mrr = v;
      break;
    case K.subCancelled:
      st.billing = true;
      st.cancelled = true;
      st.mrr = 0;
      break;
    case K.seats:
      if (has) st.seats = v;
      break;
    case K.csm:
      if (has) st.csm = v;
      break;
    default:
      break;
  }
}

/** Dispatches one event at or before asOf by its type code. */
function onEvent(st: PassState, plan: SignalPlan, c: EventColumns, i: number, asOf: number): void {
  const kind = c.kind[i] as number;
  if (kind === K.other) return;
  if (kind <= K.feature) onActivity(st, plan, c, i, kind, asOf);
  else if (kind <= K.ticketResolved) onTicket(st, c, i, kind);
  else if (kind <= K.ces) onSurvey(st, c, i, kind);
  else if (kind <= K.refund) onPurchase(st, c, i, kind);
  else onAccount(st, c, i, kind);
}

/**
 * Runs the single pass over events `[from, to)` of the columns (one customer's events sorted by
 * time; only those at or before `asOf` are read: an event stamped exactly at `asOf` counts) and
 * writes one value per request into `values[offset + i]` (NaN = no data) and a detail into
 * `aux[offset + i]` (see `MeasureScore.detail`). Windows are `(asOf − N days, asOf]`.
 * @internal
 */
export function runSignalPass(
  plan: SignalPlan,
  st: PassState,
  c: EventColumns,
  from: number,
  to: number,
  profile: CustomerProfile | undefined,
  asOf: number,
  values: Float64Array,
  aux: Float64Array,
  offset: number,
): PassFacts {
  const nw = plan.windowMs.length;
  st.reset(plan.slopeDays > 0);
  for (let k = 0; k < nw; k++) {
    st.boundary[k] = asOf - (plan.windowMs[k] as number);
    st.dayCorr[k] = 0;
  }
  const ts = c.ts;
  for (let i = from; i < to; i++) {
    const t = ts[i] as number;
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
    onEvent(st, plan, c, i, asOf);
  }
  // Windows whose start was never crossed hold no event.
  while (st.nextK < nw) snapshot(st, st.nextK++);
  writeValues(plan, st, c, profile, asOf, values, aux, offset);
  const facts = st.facts;
  facts.events = st.count;
  facts.firstTs = st.firstTs;
  facts.cancelled = st.cancelled;
  return facts;
}
