/**
 * Internal: the per-customer MRR state machine shared by mrrMovements, revenueRetention,
 * logoRetention and cohortRetention.
 *
 * State = MRR in integer cents (starts at 0). Events, per customer in time order (ties broken by
 * `compareEvents`, the order groupByCustomer uses):
 * - `subscription_started`, `subscription_changed`: MRR := round(value · 100);
 * - `subscription_renewed` with a value: MRR := round(value · 100); without a value: unchanged;
 * - `subscription_cancelled`: MRR := 0.
 * Events without a finite, non-negative value where one is required are ignored.
 * @module
 */
import { compareCodeUnits } from '../_lib/order';
import { compareEvents } from '../events/groupByCustomer';
import type { CustomerEvent } from '../events/types';
import type { EventIndex } from './indexEvents';
import type { MrrAmounts, MrrMovementPoint } from './mrrMovements';

const STARTED = 'subscription_started';
const CHANGED = 'subscription_changed';
const RENEWED = 'subscription_renewed';
const CANCELLED = 'subscription_cancelled';

/** Every customer's MRR changes, flattened: customer c owns indices `offsets[c] .. offsets[c+1]`. */
export interface MrrHistory {
  ids: string[];
  offsets: Int32Array;
  times: Float64Array;
  /** MRR after the change, integer cents. */
  cents: Float64Array;
  /** Subscription events ignored for lack of a usable value. */
  ignored: number;
}

function mrrAfter(e: CustomerEvent): number {
  if (e.type === CANCELLED) return 0;
  const v = e.value;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return -1;
  return Math.round(v * 100);
}

export function buildMrrHistory(lists: readonly (readonly CustomerEvent[])[]): MrrHistory {
  const byCustomer = new Map<string, CustomerEvent[]>();
  let ignored = 0;
  let total = 0;
  for (const events of lists) {
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as CustomerEvent;
      const t = e.type;
      if (t !== STARTED && t !== CHANGED && t !== CANCELLED && t !== RENEWED) continue;
      if (t === RENEWED && e.value === undefined) continue;
      if (t !== CANCELLED && mrrAfter(e) < 0) {
        ignored++;
        continue;
      }
      total++;
      const list = byCustomer.get(e.customerId);
      if (list === undefined) byCustomer.set(e.customerId, [e]);
      else list.push(e);
    }
  }
  const ids = Array.from(byCustomer.keys()).sort(compareCodeUnits);
  const offsets = new Int32Array(ids.length + 1);
  const times = new Float64Array(total);
  const cents = new Float64Array(total);
  let j = 0;
  for (let c = 0; c < ids.length; c++) {
    offsets[c] = j;
    const list = byCustomer.get(ids[c] as string) as CustomerEvent[];
    let sorted = true;
    for (let i = 1; i < list.length; i++) {
      if (compareEvents(list[i - 1] as CustomerEvent, list[i] as CustomerEvent) > 0) {
        sorted = false;
        break;
      }
    }
    if (!sorted) list.sort(compareEvents);
    for (const e of list) {
      times[j] = e.timestamp;
      cents[j] = mrrAfter(e);
      j++;
    }
  }
  offsets[ids.length] = j;
  return { ids, offsets, times, cents, ignored };
}

/**
 * Walks every customer over the boundaries. For customer c, before `visit(c)` is called,
 * `mrr[b]` holds the MRR (cents) after every change strictly before `boundaries[b]`, `everPositive[b]`
 * is 1 when MRR was above 0 after any change strictly before `boundaries[b]`, and `firstPositive`
 * holds the time and cents of the first change that made MRR positive (NaN / 0 when none).
 * The buffers are reused between customers.
 */
export function walkMrr(
  h: MrrHistory,
  boundaries: Float64Array,
  visit: (
    c: number,
    mrr: Float64Array,
    everPositive: Uint8Array,
    firstPositiveAt: number,
    firstCents: number,
  ) => void,
): void {
  const nb = boundaries.length;
  const mrr = new Float64Array(nb);
  const ever = new Uint8Array(nb);
  for (let c = 0; c < h.ids.length; c++) {
    let j = h.offsets[c] as number;
    const end = h.offsets[c + 1] as number;
    let cur = 0;
    let wasPositive = 0;
    let firstAt = Number.NaN;
    let firstCents = 0;
    for (let b = 0; b < nb; b++) {
      const bt = boundaries[b] as number;
      while (j < end && (h.times[j] as number) < bt) {
        cur = h.cents[j] as number;
        if (cur > 0 && wasPositive === 0) {
          wasPositive = 1;
          firstAt = h.times[j] as number;
          firstCents = cur;
        }
        j++;
      }
      mrr[b] = cur;
      ever[b] = wasPositive;
    }
    // First positive change after the last boundary is irrelevant to every caller.
    visit(c, mrr, ever, firstAt, firstCents);
  }
}

/** @internal shared with revenueRetention / logoRetention. */
export function movementsOver(index: EventIndex, boundaries: Float64Array): MrrMovementPoint[] {
  const k = boundaries.length - 1;
  // Columns: 7 cent sums and 7 customer counts per period.
  const sums = new Float64Array(k * 7);
  const counts = new Float64Array(k * 7);
  const history = index.mrrHistory();
  walkMrr(history, boundaries, (_c, mrr, ever) => {
    for (let p = 0; p < k; p++) {
      const s = mrr[p] as number;
      const e = mrr[p + 1] as number;
      const o = p * 7;
      if (s > 0) {
        sums[o] = (sums[o] as number) + s;
        counts[o] = (counts[o] as number) + 1;
      }
      if (e > 0) {
        sums[o + 6] = (sums[o + 6] as number) + e;
        counts[o + 6] = (counts[o + 6] as number) + 1;
      }
      if (s === e) continue;
      if (s === 0) {
        const col = ever[p] === 1 ? 5 : 1;
        sums[o + col] = (sums[o + col] as number) + e;
        counts[o + col] = (counts[o + col] as number) + 1;
      } else if (e === 0) {
        sums[o + 4] = (sums[o + 4] as number) + s;
        counts[o + 4] = (counts[o + 4] as number) + 1;
      } else if (e > s) {
        sums[o + 2] = (sums[o + 2] as number) + e - s;
        counts[o + 2] = (counts[o + 2] as number) + 1;
      } else {
        sums[o + 3] = (sums[o + 3] as number) + s - e;
        counts[o + 3] = (counts[o + 3] as number) + 1;
      }
    }
  });
  const out: MrrMovementPoint[] = [];
  for (let p = 0; p < k; p++) {
    const o = p * 7;
    const cents = amounts(sums, o);
    const customers = amounts(counts, o);
    const endMrr = cents.end / 100;
    out.push({
      periodStart: boundaries[p] as number,
      periodEnd: boundaries[p + 1] as number,
      value: endMrr,
      n: customers.end,
      startMrr: cents.start / 100,
      endMrr,
      new: cents.new / 100,
      expansion: cents.expansion / 100,
      contraction: cents.contraction / 100,
      churned: cents.churned / 100,
      reactivation: cents.reactivation / 100,
      netChange: (cents.end - cents.start) / 100,
      cents,
      customers,
    });
  }
  return out;
}

function amounts(a: Float64Array, o: number): MrrAmounts {
  return {
    start: a[o] as number,
    new: a[o + 1] as number,
    expansion: a[o + 2] as number,
    contraction: a[o + 3] as number,
    churned: a[o + 4] as number,
    reactivation: a[o + 5] as number,
    end: a[o + 6] as number,
  };
}
