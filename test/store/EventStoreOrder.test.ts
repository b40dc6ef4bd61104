/**
 * EventStoreBuilder.finish() orders each customer's rows by time, equal times by the library's
 * event order (`compareEvents`), and otherwise keeps the append order — whatever path its sort
 * takes (typed keys for integer times, the comparator for fractional ones or short slices).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/_lib/random';
import { compareEvents } from '../../src/events/groupByCustomer';
import type { CustomerEvent } from '../../src/events/types';
import { storeEvents } from '../../src/store/storeEvents';
import { toEventStore } from '../../src/store/toEventStore';
import { ev } from '../helpers/events';

/** The reference: a stable sort by customer id (code units), time, then compareEvents. */
function reference(events: readonly CustomerEvent[]): CustomerEvent[] {
  return [...events].sort((a, b) => {
    if (a.customerId !== b.customerId) return a.customerId < b.customerId ? -1 : 1;
    if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
    return compareEvents(a, b);
  });
}

function randomEvents(seed: string, fractional: boolean): CustomerEvent[] {
  const rng = createRng(seed);
  const types = ['login', 'feature_used', 'purchase', 'ticket_opened'];
  const out: CustomerEvent[] = [];
  for (let i = 0; i < 3000; i++) {
    const customer = `c${rng.int(12)}`; // ~250 rows per customer: the typed-key path
    const t = 1_700_000_000_000 + rng.int(400) * 1000 + (fractional ? 0.5 : 0); // many equal times
    const type = types[rng.int(types.length)] as string;
    const roll = rng.int(4);
    out.push(
      roll === 0
        ? ev(customer, type, t, rng.int(3))
        : roll === 1
          ? ev(customer, type, t, undefined, { userId: `u${rng.int(3)}` })
          : ev(customer, type, t),
    );
  }
  return out;
}

describe('EventStoreBuilder row order', () => {
  it('sorts shuffled customers by time, ties by compareEvents, stably (integer times: typed keys)', () => {
    const events = randomEvents('store-order', false);
    const store = toEventStore(events, { keepProperties: true });
    expect(storeEvents(store)).toEqual(reference(events));
  });

  it('gives the same order through the comparator path (fractional times)', () => {
    const events = randomEvents('store-order-frac', true);
    const store = toEventStore(events, { keepProperties: true });
    expect(storeEvents(store)).toEqual(reference(events));
  });

  it('keeps the append order of events that compareEvents cannot tell apart', () => {
    // 20 identical logins then 20 identical purchases at one instant, interleaved with later rows.
    const events: CustomerEvent[] = [];
    for (let k = 0; k < 20; k++) {
      events.push(ev('a', 'purchase', 5000, 1));
      events.push(ev('a', 'login', 5000 + 1000 * (20 - k)));
      events.push(ev('a', 'login', 5000));
    }
    const rows = storeEvents(toEventStore(events));
    expect(rows.slice(0, 40).map((e) => e.type)).toEqual([
      ...Array(20).fill('login'),
      ...Array(20).fill('purchase'),
    ]);
    expect(rows.slice(40).map((e) => e.timestamp)).toEqual(
      Array.from({ length: 20 }, (_, k) => 6000 + 1000 * k),
    );
  });
});
