/**
 * The churn features read straight from an {@link EventStore}'s columns (#13): one typed-array pass
 * over each customer's run of rows, dictionary codes for users, features and tickets instead of
 * their values, no event object. Fills the same per-customer accumulator as the event-object loop
 * in `churnFeatures`, which then writes the row with the same code, so both paths give the same
 * numbers bit for bit. Private to the churn module.
 * @module
 */
import { MS_PER_DAY, MS_PER_HOUR } from '../_lib/time';
import { ACTIVITY_TYPES } from '../events/vocabulary';
import type { DictColumn, EventStore } from '../store/EventStore';

/** Weeks of the usage trend (feature `usageTrend`). @internal */
export const TREND_WEEKS = 12;

/**
 * One customer's running totals (NaN = never seen): the field initializers are the starting values.
 * The event-object loop and the store loop each take a fresh one per customer and count into its
 * fields directly; the row writer reads it. @internal
 */
export class FeatureAcc {
  first = Number.NaN;
  lastEvent = Number.NaN;
  lastActivity = Number.NaN;
  lastPurchase = Number.NaN;
  purchases = 0;
  purchases90 = 0;
  purchaseSum = 0;
  monetary = 0;
  a7 = 0;
  a30 = 0;
  a90 = 0;
  activeDays = 0;
  seats = Number.NaN;
  tickets30 = 0;
  tickets90 = 0;
  high30 = 0;
  resSum = 0;
  resCnt = 0;
  npsLast = Number.NaN;
  npsSum = 0;
  npsCnt = 0;
  csatLast = Number.NaN;
  csatSum = 0;
  csatCnt = 0;
  failed90 = 0;
  mrr = Number.NaN;
  mrrAt90 = Number.NaN;
  subSeen = false;
  termStart = Number.NaN;
  prevTermStart = Number.NaN;
  lastPlan: string | null = null;
  /** Distinct users on activity in the last 30 days. */
  users30 = 0;
  /** Distinct `feature_used` features (a missing feature counts as one) in the last 30 / 90 days. */
  feats30 = 0;
  feats90 = 0;
  /** Tickets opened and not resolved. */
  openTickets = 0;
  /** Activity per week, week 0 = the latest. */
  readonly weekly = new Float64Array(TREND_WEEKS);
}

// Kinds of event type, as the feature loop branches on them.
const K_OTHER = 0;
const K_ACTIVITY = 1;
const K_FEATURE = 2;
const K_PURCHASE = 3;
const K_INVOICE = 4;
const K_REFUND = 5;
const K_TICKET_OPENED = 6;
const K_TICKET_RESOLVED = 7;
const K_NPS = 8;
const K_CSAT = 9;
const K_PAYMENT_FAILED = 10;
const K_SEATS = 11;
const K_SUB_STARTED = 12;
const K_SUB_RENEWED = 13;
const K_SUB_CHANGED = 14;
const K_SUB_CANCELLED = 15;

const KIND_OF: Readonly<Record<string, number>> = Object.assign(
  Object.create(null) as Record<string, number>,
  {
    purchase: K_PURCHASE,
    invoice_paid: K_INVOICE,
    refund: K_REFUND,
    ticket_opened: K_TICKET_OPENED,
    ticket_resolved: K_TICKET_RESOLVED,
    nps_response: K_NPS,
    csat_response: K_CSAT,
    payment_failed: K_PAYMENT_FAILED,
    seats_changed: K_SEATS,
    subscription_started: K_SUB_STARTED,
    subscription_renewed: K_SUB_RENEWED,
    subscription_changed: K_SUB_CHANGED,
    subscription_cancelled: K_SUB_CANCELLED,
  },
);

/** The kind of each of the store's type codes. */
function typeKinds(types: readonly string[]): Uint8Array {
  const out = new Uint8Array(types.length);
  for (let k = 0; k < types.length; k++) {
    const type = types[k] as string;
    if (ACTIVITY_TYPES.has(type)) out[k] = type === 'feature_used' ? K_FEATURE : K_ACTIVITY;
    else out[k] = KIND_OF[type] ?? K_OTHER;
  }
  return out;
}

/**
 * A dictionary column read in ascending row order: dense columns by index, sparse ones with a
 * cursor that only moves forward (the loop visits customers, and rows within one, in store order).
 * @internal
 */
export class CodeCursor {
  readonly codes: Int32Array | null;
  readonly rows: Int32Array | null;
  j = 0;
  constructor(col: DictColumn<unknown>) {
    this.codes = col.codes instanceof Int32Array ? col.codes : null;
    this.rows = col.rows instanceof Int32Array ? col.rows : null;
  }
  /** The code of row `i` (-1: no such field), for rows asked in ascending order. */
  at(i: number): number {
    const codes = this.codes;
    if (codes === null) return -1;
    const rows = this.rows;
    if (rows === null) return i < codes.length ? (codes[i] as number) : -1;
    let j = this.j;
    const len = rows.length;
    while (j < len && (rows[j] as number) < i) j++;
    this.j = j;
    return j < len && rows[j] === i ? (codes[j] as number) : -1;
  }
}

/**
 * Runs the feature loop over the store's customers: `order[i]` is the store customer of output row
 * `i` (ascending; -1 for a customer known only from a profile), `emit(i, a)` is called once per row
 * with `a` holding that customer's totals. Reads rows at or before `asOf` only (an event exactly
 * at asOf counts). Property values are compared as the event loop compares them (a `Set`/`Map` of
 * values = SameValueZero), through their dictionary codes: the store interns each distinct value
 * once, so equal codes are equal values. @internal
 */
export function storeFeatureLoop(
  store: EventStore,
  asOf: number,
  order: Int32Array,
  high: ReadonlySet<string>,
  emit: (i: number, a: FeatureAcc) => void,
): void {
  const { time, typeCode, value, hasValue, offsets } = store;
  const kind = typeKinds(store.types);
  const users = new CodeCursor(store.props.userId);
  const feats = new CodeCursor(store.props.feature);
  const tickets = new CodeCursor(store.props.ticketId);
  const prios = new CodeCursor(store.props.priority);
  const plans = new CodeCursor(store.props.plan);
  // Per dictionary code: what the event loop would decide from the value.
  const userValues = store.props.userId.values;
  const userOk = new Uint8Array(userValues.length);
  for (let c = 0; c < userValues.length; c++) userOk[c] = userValues[c] === null ? 0 : 1;
  const prioValues = store.props.priority.values;
  const isHigh = new Uint8Array(prioValues.length);
  for (let c = 0; c < prioValues.length; c++) {
    const pr = prioValues[c];
    isHigh[c] = typeof pr === 'string' && high.has(pr.toLowerCase()) ? 1 : 0;
  }
  const planValues = store.props.plan.values;
  const planOk = new Uint8Array(planValues.length);
  for (let c = 0; c < planValues.length; c++) {
    const pl = planValues[c];
    planOk[c] = typeof pl === 'string' && pl.length > 0 ? 1 : 0;
  }
  // Distinct values per customer: the stamp of a code is the row number + 1 of the customer that
  // last saw it (0 = not seen), so nothing is cleared between customers.
  const userSeen = new Int32Array(userValues.length);
  const feat30Seen = new Int32Array(store.props.feature.values.length);
  const feat90Seen = new Int32Array(store.props.feature.values.length);
  const ticketOpen = new Int32Array(store.props.ticketId.values.length);
  const ticketAt = new Float64Array(store.props.ticketId.values.length);
  const t7 = asOf - 7 * MS_PER_DAY;
  const t30 = asOf - 30 * MS_PER_DAY;
  const t90 = asOf - 90 * MS_PER_DAY;
  const tTrend = asOf - TREND_WEEKS * 7 * MS_PER_DAY;

  for (let i = 0; i < order.length; i++) {
    const c = order[i] as number;
    const stamp = i + 1;
    const a = new FeatureAcc(); // the customer's totals, written in place (initial values: the class)
    const weekly = a.weekly;
    let lastDay = -1;
    let lastPlan = -1;
    let noFeature30 = false;
    let noFeature90 = false;
    const lo = c < 0 ? 0 : (offsets[c] as number);
    const hi = c < 0 ? 0 : (offsets[c + 1] as number);
    for (let r = lo; r < hi; r++) {
      const t = time[r] as number;
      if (t > asOf) break; // sorted: nothing after asOf is read (an event at asOf counts)
      if (r === lo) a.first = t;
      a.lastEvent = t;
      const k = kind[typeCode[r] as number] as number;
      if (k === K_ACTIVITY || k === K_FEATURE) {
        a.lastActivity = t;
        if (t > t90) {
          a.a90++;
          if (t > t30) {
            a.a30++;
            if (t > t7) a.a7++;
            const day = Math.floor(t / MS_PER_DAY);
            if (day !== lastDay) {
              a.activeDays++;
              lastDay = day;
            }
            const u = users.at(r);
            if (u >= 0 && userOk[u] === 1 && userSeen[u] !== stamp) {
              userSeen[u] = stamp;
              a.users30++;
            }
          }
        }
        if (t > tTrend) {
          const w = Math.min(TREND_WEEKS - 1, Math.floor((asOf - t) / (7 * MS_PER_DAY)));
          weekly[w] = (weekly[w] as number) + 1;
        }
        if (k === K_FEATURE && t > t90) {
          const f = feats.at(r);
          if (f < 0) {
            // A feature_used without a feature: the event loop's Set holds `undefined` once.
            if (!noFeature90) {
              noFeature90 = true;
              a.feats90++;
            }
            if (t > t30 && !noFeature30) {
              noFeature30 = true;
              a.feats30++;
            }
          } else {
            if (feat90Seen[f] !== stamp) {
              feat90Seen[f] = stamp;
              a.feats90++;
            }
            if (t > t30 && feat30Seen[f] !== stamp) {
              feat30Seen[f] = stamp;
              a.feats30++;
            }
          }
        }
        continue;
      }
      switch (k) {
        case K_PURCHASE: {
          const v = value[r] as number; // 0 when absent, as `e.value ?? 0`
          a.purchases++;
          a.purchaseSum += v;
          a.monetary += v;
          a.lastPurchase = t;
          if (t > t90) a.purchases90++;
          break;
        }
        case K_INVOICE:
          a.monetary += value[r] as number;
          break;
        case K_REFUND:
          a.monetary -= value[r] as number;
          break;
        case K_TICKET_OPENED: {
          if (t > t90) {
            a.tickets90++;
            if (t > t30) {
              a.tickets30++;
              const p = prios.at(r);
              if (p >= 0 && isHigh[p] === 1) a.high30++;
            }
          }
          const tid = tickets.at(r);
          if (tid >= 0) {
            if (ticketOpen[tid] !== stamp) {
              ticketOpen[tid] = stamp;
              a.openTickets++;
            }
            ticketAt[tid] = t;
          }
          break;
        }
        case K_TICKET_RESOLVED: {
          const tid = tickets.at(r);
          if (tid >= 0 && ticketOpen[tid] === stamp) {
            if (t > t90) {
              a.resSum += (t - (ticketAt[tid] as number)) / MS_PER_HOUR;
              a.resCnt++;
            }
            ticketOpen[tid] = 0;
            a.openTickets--;
          }
          break;
        }
        case K_NPS:
          if (hasValue[r] === 1) {
            const v = value[r] as number;
            a.npsLast = v;
            a.npsSum += v;
            a.npsCnt++;
          }
          break;
        case K_CSAT:
          if (hasValue[r] === 1) {
            const v = value[r] as number;
            a.csatLast = v;
            a.csatSum += v;
            a.csatCnt++;
          }
          break;
        case K_PAYMENT_FAILED:
          if (t > t90) a.failed90++;
          break;
        case K_SEATS:
          if (hasValue[r] === 1) a.seats = value[r] as number;
          break;
        case K_SUB_STARTED:
        case K_SUB_RENEWED:
        case K_SUB_CHANGED: {
          a.subSeen = true;
          if (hasValue[r] === 1) a.mrr = value[r] as number;
          const pl = plans.at(r);
          if (pl >= 0 && planOk[pl] === 1) lastPlan = pl;
          if (k !== K_SUB_CHANGED) {
            a.prevTermStart = k === K_SUB_RENEWED ? a.termStart : Number.NaN;
            a.termStart = t;
          }
          if (t <= t90) a.mrrAt90 = a.mrr;
          break;
        }
        case K_SUB_CANCELLED:
          a.subSeen = true;
          a.mrr = 0;
          a.termStart = Number.NaN;
          a.prevTermStart = Number.NaN;
          if (t <= t90) a.mrrAt90 = 0;
          break;
        default:
          break;
      }
    }
    a.lastPlan = lastPlan < 0 ? null : (planValues[lastPlan] as string);
    emit(i, a);
  }
}
