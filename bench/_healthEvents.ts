/**
 * The health benchmark's event generator (shared by bench/health.bench.ts and ad-hoc A/B scripts):
 * events shaped exactly as `parseEvents` builds them (epoch-ms timestamps, a DISTINCT null-prototype
 * `properties` object per event, a fresh userId string per event), allocated in input order, in the
 * three orders real exports come in.
 * @module
 */
import { createRng } from '../src/_lib/random';
import { MS_PER_DAY } from '../src/_lib/time';
import type { CustomerEvent } from '../src/events/types';

export const asOf = Date.UTC(2025, 6, 1);
const span = 365 * MS_PER_DAY;
const FEATURES = ['dashboards', 'reports', 'alerts', 'exports', 'integrations', 'workflows', 'api', 'sso'];

/** A fresh null-prototype properties object, as parseEvents makes one per row. */
function props(entries: Record<string, unknown>): Readonly<Record<string, unknown>> {
  const o = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(entries)) o[k] = entries[k];
  return o;
}

interface Plan {
  customerId: string;
  /** Seconds since `start` of each event (time order). */
  times: Int32Array;
  start: number;
  users: number;
}

function makeEvent(rng: ReturnType<typeof createRng>, p: Plan, i: number): CustomerEvent {
  const customerId = p.customerId;
  const timestamp = p.start + (p.times[i] as number) * 1000;
  const u = rng.next();
  const userId = `${customerId}-u${rng.int(p.users)}`;
  if (u < 0.35) return { customerId, type: 'login', timestamp, properties: props({ userId }) };
  if (u < 0.5) return { customerId, type: 'session', timestamp, value: 12, properties: props({ userId }) };
  if (u < 0.95) {
    const feature = FEATURES[rng.int(FEATURES.length)] as string;
    return { customerId, type: 'feature_used', timestamp, value: 1, properties: props({ feature, userId }) };
  }
  if (u < 0.965) {
    const priority = rng.next() < 0.2 ? 'high' : 'normal';
    return {
      customerId,
      type: 'ticket_opened',
      timestamp,
      properties: props({ ticketId: `t${i}`, priority }),
    };
  }
  if (u < 0.98)
    return { customerId, type: 'ticket_resolved', timestamp, properties: props({ ticketId: `t${i - 3}` }) };
  if (u < 0.985) return { customerId, type: 'nps_response', timestamp, value: rng.int(11) };
  if (u < 0.99) return { customerId, type: 'csat_response', timestamp, value: 1 + rng.int(5) };
  if (u < 0.995) return { customerId, type: 'invoice_paid', timestamp, value: 100 };
  return { customerId, type: 'payment_failed', timestamp, value: 100 };
}

function plans(rng: ReturnType<typeof createRng>, EVENTS: number, CUSTOMERS: number): Plan[] {
  const perCustomer = EVENTS / CUSTOMERS;
  const out: Plan[] = [];
  let k = 0;
  for (let c = 0; c < CUSTOMERS && k < EVENTS; c++) {
    const customerId = `c${String(c).padStart(6, '0')}`;
    const n =
      c === CUSTOMERS - 1
        ? EVENTS - k
        : Math.min(EVENTS - k, Math.round(perCustomer * (0.3 + 1.4 * rng.next())));
    const start = asOf - span + Math.floor(rng.next() * span * 0.5);
    const decline = rng.next() < 0.2;
    const step = (asOf - start) / Math.max(1, n);
    const times = new Int32Array(n);
    let t = 0;
    for (let i = 0; i < n; i++) {
      t += step * (decline && i > n * 0.7 ? 2.5 : 1) * (0.5 + rng.next());
      times[i] = Math.floor(t / 1000);
    }
    out.push({ customerId, times, start, users: 1 + rng.int(6) });
    k += n;
  }
  return out;
}

export type Order = 'by time' | 'by customer' | 'shuffled';

/** Events in one order, each object allocated in that order (as a parser reading the file would). */
export function generate(order: Order, size: { events: number; customers: number }): CustomerEvent[] {
  const rng = createRng('health-bench');
  const ps = plans(rng, size.events, size.customers);
  const total = ps.reduce((a, p) => a + p.times.length, 0);
  const events: CustomerEvent[] = new Array(total);
  let k = 0;
  if (order === 'by customer') {
    for (const p of ps) for (let i = 0; i < p.times.length; i++) events[k++] = makeEvent(rng, p, i);
    return events;
  }
  // Slots in time order (customers interleaved), then optionally a seeded permutation of the slots,
  // and the objects are allocated in the final order.
  const slotPlan = new Int32Array(total);
  const slotIndex = new Int32Array(total);
  for (let round = 0; k < total; round++) {
    for (let c = 0; c < ps.length; c++) {
      if (round < (ps[c] as Plan).times.length) {
        slotPlan[k] = c;
        slotIndex[k++] = round;
      }
    }
  }
  if (order === 'shuffled') {
    const r = createRng('health-bench-shuffle');
    for (let i = total - 1; i > 0; i--) {
      const j = r.int(i + 1);
      const a = slotPlan[i] as number;
      slotPlan[i] = slotPlan[j] as number;
      slotPlan[j] = a;
      const b = slotIndex[i] as number;
      slotIndex[i] = slotIndex[j] as number;
      slotIndex[j] = b;
    }
  }
  for (let s = 0; s < total; s++)
    events[s] = makeEvent(rng, ps[slotPlan[s] as number] as Plan, slotIndex[s] as number);
  return events;
}
