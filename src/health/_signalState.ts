/**
 * The working memory of a signal pass, one object per scoring call (no module-level buffers): the
 * running totals, their snapshots at each window start, the daily activity counts of the slope,
 * the resolution times and the user / feature / open-ticket tables (typed arrays indexed by the
 * dense ids of the event columns, with a list of the entries touched by the current timeline, so a
 * reset costs what the timeline used). Re-used for every timeline of the call: the pass allocates
 * nothing per event.
 * @module
 */
import { quantileSorted } from '../_lib/order';
import { MAX_SLOPE_DAYS, MAX_WINDOWS, NF } from './_signalPlan';

/** Facts about the timeline gathered by the last pass, besides the requested signals. @internal */
export interface PassFacts {
  /** Events at or before asOf. */
  events: number;
  firstTs: number;
  /** The last subscription event at or before asOf was a cancellation. */
  cancelled: boolean;
}

/** Per-call state of the signal pass. @internal */
export class PassState {
  readonly tot = new Float64Array(NF);
  readonly snap = new Float64Array(MAX_WINDOWS * NF);
  readonly snapMrr = new Float64Array(MAX_WINDOWS);
  readonly snapDay = new Float64Array(MAX_WINDOWS);
  readonly dayCorr = new Float64Array(MAX_WINDOWS);
  readonly boundary = new Float64Array(MAX_WINDOWS);
  readonly daily = new Float64Array(MAX_SLOPE_DAYS + 1);
  readonly weekly = new Float64Array(54);
  readonly pairSlopes = new Float64Array((54 * 53) / 2);
  resTs = new Float64Array(64);
  resDur = new Float64Array(64);
  readonly resScratch: number[] = [];
  /** Per user id: index of its last activity event inside the user window, or -1. */
  readonly userLast: Int32Array;
  readonly usersTouched: Int32Array;
  nUsers = 0;
  /** Per feature id: index of its last use inside the feature window, or -1. */
  readonly featureLast: Int32Array;
  readonly featuresTouched: Int32Array;
  nFeatures = 0;
  /** Per ticket id: index of the event that opened it if open, else -1. */
  readonly ticketOpen: Int32Array;
  readonly ticketsTouched: Int32Array;
  nTickets = 0;
  openCount = 0;
  readonly facts: PassFacts = { events: 0, firstTs: Number.NaN, cancelled: false };
  // Per-timeline scalars, reset by `reset()`.
  nextK = 0;
  pendLo = 0;
  pendHi = 0;
  lastDay = -1;
  nRes = 0;
  count = 0;
  firstTs = Number.NaN;
  lastActivity = Number.NaN;
  lastPurchase = Number.NaN;
  sawUser = false;
  mrr = Number.NaN;
  seats = Number.NaN;
  nps = Number.NaN;
  csm = Number.NaN;
  cancelled = false;
  billing = false;

  /** Tables sized for `users`, `features` and `tickets` distinct ids (from the event columns). */
  constructor(users = 0, features = 0, tickets = 0) {
    this.userLast = new Int32Array(users).fill(-1);
    this.usersTouched = new Int32Array(users);
    this.featureLast = new Int32Array(features).fill(-1);
    this.featuresTouched = new Int32Array(features);
    this.ticketOpen = new Int32Array(tickets).fill(-1);
    this.ticketsTouched = new Int32Array(tickets);
  }

  /** Clears the per-timeline state before a pass (only the table entries the last pass touched). */
  reset(slope: boolean): void {
    this.tot.fill(0);
    if (slope) this.daily.fill(0);
    for (let k = 0; k < this.nUsers; k++) this.userLast[this.usersTouched[k] as number] = -1;
    for (let k = 0; k < this.nFeatures; k++) this.featureLast[this.featuresTouched[k] as number] = -1;
    for (let k = 0; k < this.nTickets; k++) this.ticketOpen[this.ticketsTouched[k] as number] = -1;
    this.nUsers = 0;
    this.nFeatures = 0;
    this.nTickets = 0;
    this.openCount = 0;
    this.nextK = 0;
    this.pendLo = 0;
    this.pendHi = 0;
    this.lastDay = -1;
    this.nRes = 0;
    this.count = 0;
    this.firstTs = Number.NaN;
    this.lastActivity = Number.NaN;
    this.lastPurchase = Number.NaN;
    this.sawUser = false;
    this.mrr = Number.NaN;
    this.seats = Number.NaN;
    this.nps = Number.NaN;
    this.csm = Number.NaN;
    this.cancelled = false;
    this.billing = false;
  }

  /** Records one resolved ticket (resolution time and instant), growing the buffers by doubling. */
  addResolution(t: number, duration: number): void {
    const n = this.nRes;
    if (n === this.resTs.length) {
      const a = new Float64Array(n * 2);
      a.set(this.resTs);
      this.resTs = a;
      const d = new Float64Array(n * 2);
      d.set(this.resDur);
      this.resDur = d;
    }
    this.resTs[n] = t;
    this.resDur[n] = duration;
    this.nRes = n + 1;
  }

  /** Median resolution (ms) of the tickets resolved after `start`; NaN when none. */
  medianResolution(start: number): number {
    const list = this.resScratch;
    list.length = 0;
    for (let j = 0; j < this.nRes; j++) {
      if ((this.resTs[j] as number) > start) list.push(this.resDur[j] as number);
    }
    if (list.length === 0) return Number.NaN;
    return quantileSorted(
      list.sort((a, b) => a - b),
      0.5,
    );
  }

  /** Theil–Sen slope of weekly activity counts (week 0 = oldest) as % of the mean week; NaN when empty. */
  theilSenWeekly(days: number): number {
    const weeks = Math.max(2, Math.floor(days / 7));
    const weekly = this.weekly;
    weekly.fill(0, 0, weeks);
    let total = 0;
    for (let d = 0; d < weeks * 7 && d < days; d++) {
      const c = this.daily[d] as number;
      const w = weeks - 1 - Math.floor(d / 7); // age in days → week index from the oldest week
      weekly[w] = (weekly[w] as number) + c;
      total += c;
    }
    if (total === 0) return Number.NaN;
    let m = 0;
    for (let i = 0; i < weeks; i++) {
      for (let j = i + 1; j < weeks; j++) {
        this.pairSlopes[m++] = ((weekly[j] as number) - (weekly[i] as number)) / (j - i);
      }
    }
    return (medianTyped(this.pairSlopes, m) / (total / weeks)) * 100;
  }
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
