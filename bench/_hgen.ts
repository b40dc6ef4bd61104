import { createRng } from "../src/_lib/random";
import { MS_PER_DAY } from "../src/_lib/time";
import type { CustomerEvent } from "../src/events/types";
const CUSTOMERS = Number(process.env.C ?? 10000), EVENTS = Number(process.env.E ?? 1000000); const asOf = Date.UTC(2025, 6, 1); const span = 365 * MS_PER_DAY; const FEATURES = ["dashboards", "reports", "alerts", "exports", "integrations", "workflows", "api", "sso"];
function props(entries: Record<string, unknown>): Readonly<Record<string, unknown>> {
  const o = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(entries)) o[k] = entries[k];
  return o;
}
function generate(): CustomerEvent[] {
  const rng = createRng('health-bench');
  const perCustomer = EVENTS / CUSTOMERS;
  const lists: CustomerEvent[][] = [];
  let k = 0;
  for (let c = 0; c < CUSTOMERS && k < EVENTS; c++) {
    const customerId = `c${String(c).padStart(6, '0')}`;
    const n =
      c === CUSTOMERS - 1 ? EVENTS - k : Math.min(EVENTS - k, Math.round(perCustomer * (0.3 + 1.4 * rng.next())));
    const users = 1 + rng.int(6);
    const userProps = Array.from({ length: users }, (_, u) => props({ userId: `${customerId}-u${u}` }));
    const featProps = FEATURES.map((feature, f) => props({ feature, userId: `${customerId}-u${f % users}` }));
    const start = asOf - span + Math.floor(rng.next() * span * 0.5);
    const decline = rng.next() < 0.2;
    const step = (asOf - start) / Math.max(1, n);
    let t = start;
    const list: CustomerEvent[] = new Array(n);
    for (let i = 0; i < n; i++) {
      t += step * (decline && i > n * 0.7 ? 2.5 : 1) * (0.5 + rng.next());
      const u = rng.next();
      const ts = Math.floor(t);
      let e: CustomerEvent;
      if (u < 0.35) e = { customerId, type: 'login', timestamp: ts, properties: userProps[rng.int(users)] };
      else if (u < 0.5) e = { customerId, type: 'session', timestamp: ts, value: 12, properties: userProps[rng.int(users)] };
      else if (u < 0.95)
        e = { customerId, type: 'feature_used', timestamp: ts, value: 1, properties: featProps[rng.int(FEATURES.length)] };
      else if (u < 0.965)
        e = {
          customerId,
          type: 'ticket_opened',
          timestamp: ts,
          properties: props({ ticketId: `t${i}`, priority: rng.next() < 0.2 ? 'high' : 'normal' }),
        };
      else if (u < 0.98) e = { customerId, type: 'ticket_resolved', timestamp: ts, properties: props({ ticketId: `t${i - 3}` }) };
      else if (u < 0.985) e = { customerId, type: 'nps_response', timestamp: ts, value: rng.int(11) };
      else if (u < 0.99) e = { customerId, type: 'csat_response', timestamp: ts, value: 1 + rng.int(5) };
      else if (u < 0.995) e = { customerId, type: 'invoice_paid', timestamp: ts, value: 100 };
      else e = { customerId, type: 'payment_failed', timestamp: ts, value: 100 };
      list[i] = e;
    }
    lists.push(list);
    k += n;
  }
  // Interleave customers round by round, like a log in time order (each customer's events stay in
  // time order, customers are mixed), then disorder 1% of customers' events as late arrivals.
  const events: CustomerEvent[] = new Array(k);
  let p = 0;
  for (let round = 0; p < k; round++) {
    for (const list of lists) if (round < list.length) events[p++] = list[round] as CustomerEvent;
  }
  for (let i = 0; i < k; i += 100) {
    const j = Math.min(k - 1, i + 1 + rng.int(50));
    const x = events[i] as CustomerEvent;
    events[i] = events[j] as CustomerEvent;
    events[j] = x;
  }
  return events;
}
export const gen = generate;
