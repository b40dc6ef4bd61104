/**
 * The metrics read an EventStore's typed columns (#13): every metric on a store gives what it gives
 * on the same events as objects. Bit-identical in the store's row order; in any other input order
 * identical too, except what the API documents as input-ordered (the `rejected` ticket events, the
 * order of `surveyScores`) and float sums (here made exact by dyadic values; the samples compare to
 * 1e-12 relative).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEvents } from '../../src/events/parseEvents';
import { parseProfiles } from '../../src/events/parseProfiles';
import type { CustomerEvent, CustomerProfile } from '../../src/events/types';
import {
  activeCustomers,
  ces,
  chooseMetrics,
  cohortRetention,
  csat,
  EventIndex,
  type EventsInput,
  featureAdoption,
  indexEvents,
  licenseUtilization,
  logoRetention,
  mrrMovements,
  nps,
  periodSeries,
  revenueRetention,
  stickiness,
  supportMetrics,
  supportSeries,
  surveyScores,
  transactionalMetrics,
} from '../../src/metrics/index';
import { generateRetailTransactions, generateSaasEvents } from '../../src/sample/index';
import { storeEvents, toEventStore } from '../../src/store/index';
import { at, DAY, HOUR, shuffled } from '../helpers/events';

const T0 = at('2025-01-01');

/** Every metric over one input, with the same options. */
function all(x: EventsInput, o: { from: number; to: number; asOf: number; profiles: CustomerProfile[] }) {
  const range = { from: o.from, to: o.to };
  const series = { ...range, period: 'month' as const };
  const weekly = { ...range, period: 'week' as const, timeZone: 'America/New_York' };
  const window = { from: o.from, to: o.asOf + 1 };
  return {
    choice: chooseMetrics(x, { profiles: o.profiles }),
    nps: nps(surveyScores(x, 'nps_response', window)),
    csat: csat(surveyScores(x, 'csat_response', window)),
    ces: ces(surveyScores(x, 'ces_response')),
    npsScores: [...surveyScores(x, 'nps_response')].sort((a, b) => a - b),
    transactional: transactionalMetrics(x, window),
    transactionalAll: transactionalMetrics(x),
    mrr: mrrMovements(x, series),
    mrrWeekly: mrrMovements(x, weekly),
    nrr: revenueRetention(x, series),
    logos: logoRetention(x, weekly),
    cohortsLogo: cohortRetention(x, { ...series, by: 'logo' }),
    cohortsRevenue: cohortRetention(x, { ...weekly, by: 'revenue' }),
    active: activeCustomers(x, { ...series, count: 'users' }),
    activeDaily: activeCustomers(x, { ...range, period: 'day' }),
    stickyUsers: stickiness(x, series),
    stickyCustomers: stickiness(x, { ...weekly, level: 'customers' }),
    adoption: featureAdoption(x, window),
    adoptionAll: featureAdoption(x, { customers: 10 }),
    licenses: licenseUtilization(x, { ...series, profiles: o.profiles }),
    support: sortRejected(supportMetrics(x, { asOf: o.asOf })),
    supportWindow: sortRejected(supportMetrics(x, { asOf: o.asOf, from: o.from, to: o.asOf + 1 })),
    supportSeries: supportSeries(x, { ...series, asOf: o.asOf }).map((p) => ({
      ...p,
      result: sortRejected(p.result),
    })),
    periods: periodSeries(x, (evs, w) => transactionalMetrics(evs, w), {
      ...series,
      types: ['purchase', 'refund'],
    }).map((p) => ({ ...p, result: p.result.orders })),
  };
}

/** `rejected` lists events in index order (documented): compared as a set. */
function sortRejected<R extends { rejected: { customerId: string; type: string; timestamp: number }[] }>(
  r: R,
): R {
  const key = (x: R['rejected'][number]) => JSON.stringify(x);
  return { ...r, rejected: [...r.rejected].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)) };
}

// Random event sets: every type the metrics read, ties on the 6-hour grid (period boundaries
// included), values on a 1/4 grid (exact sums in any order), ids as strings, numbers, '' or missing.
const TYPES = [
  'login',
  'session',
  'feature_used',
  'purchase',
  'refund',
  'subscription_started',
  'subscription_changed',
  'subscription_renewed',
  'subscription_cancelled',
  'ticket_opened',
  'ticket_first_response',
  'ticket_resolved',
  'seats_changed',
  'nps_response',
  'csat_response',
  'ces_response',
  'my_custom_event',
] as const;
const SURVEY: Record<string, [number, number]> = {
  nps_response: [0, 10],
  csat_response: [1, 5],
  ces_response: [1, 7],
};
const idArb = (names: (string | number)[]) => fc.option(fc.constantFrom(...names), { nil: undefined });
const rawArb = fc.record({
  customer: fc.constantFrom('a', 'b', 'c', 'd', '__proto__', 'é'),
  type: fc.constantFrom(...TYPES),
  slot: fc.integer({ min: 0, max: 4 * 120 }),
  value: fc.option(fc.integer({ min: -8, max: 800 }), { nil: undefined }),
  survey: fc.integer({ min: 0, max: 100 }),
  userId: idArb(['u1', 'u2', 'U1', 7, '7', '']),
  feature: idArb(['reports', 'export', '', 3]),
  ticketId: idArb(['t1', 't2', 5, '5', '']),
  extra: fc.option(fc.constantFrom('x', 'y'), { nil: undefined }),
});
type Raw = typeof rawArb extends fc.Arbitrary<infer T> ? T : never;

function toEvent(r: Raw): CustomerEvent {
  const e: { -readonly [K in keyof CustomerEvent]: CustomerEvent[K] } = {
    customerId: r.customer,
    type: r.type,
    timestamp: T0 + r.slot * 6 * HOUR,
  };
  const survey = SURVEY[r.type];
  if (survey) e.value = survey[0] + (r.survey % (survey[1] - survey[0] + 1));
  else if (r.value !== undefined) e.value = r.value / 4;
  const props: Record<string, unknown> = {};
  if (r.userId !== undefined) props.userId = r.userId;
  if (r.feature !== undefined) props.feature = r.feature;
  if (r.ticketId !== undefined) props.ticketId = r.ticketId;
  if (r.extra !== undefined) props.segment = r.extra; // kept only in the store's `extra`
  if (Object.keys(props).length > 0) e.properties = props;
  return e;
}

const options = (asOfSlot: number, profiles: CustomerProfile[] = []) => ({
  from: at('2025-01-01'),
  to: at('2025-04-01'),
  asOf: T0 + asOfSlot * 6 * HOUR,
  profiles,
});

describe('metrics on an EventStore', () => {
  it('equal the event path: bit-identical in store order, and in every input order (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(rawArb, { maxLength: 60 }),
        fc.integer({ min: 0, max: 4 * 120 }),
        fc.boolean(),
        fc.integer(),
        fc.array(fc.record({ id: fc.constantFrom('a', 'c', 'zz'), seats: fc.integer({ min: 1, max: 9 }) }), {
          maxLength: 3,
        }),
        (raw, asOfSlot, keepProperties, seed, seatRows) => {
          const events = raw.map(toEvent);
          const profiles = seatRows.map((p) => ({ customerId: p.id, seats: p.seats }));
          const o = options(asOfSlot, profiles);
          const store = toEventStore(shuffled(events, seed), { keepProperties });
          const viaStore = all(store, o);
          // The store's own order, as objects: bit-identical.
          expect(viaStore).toEqual(all(storeEvents(store), o));
          // Any input order of the objects (and an index of the store): identical.
          expect(viaStore).toEqual(all(events, o));
          expect(viaStore).toEqual(all(shuffled(events, seed + 1), o));
          expect(viaStore).toEqual(all(indexEvents(store), o));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('counts an event stamped exactly at asOf, like the event path', () => {
    const asOf = at('2025-02-01');
    const events: CustomerEvent[] = [
      { customerId: 'a', type: 'ticket_opened', timestamp: asOf, properties: { ticketId: 't' } },
      { customerId: 'b', type: 'ticket_opened', timestamp: asOf + 1, properties: { ticketId: 't' } },
      { customerId: 'a', type: 'csat_response', timestamp: asOf, value: 5 },
      { customerId: 'b', type: 'csat_response', timestamp: asOf + 1, value: 1 },
      { customerId: 'a', type: 'purchase', timestamp: asOf, value: 10 },
    ];
    const store = toEventStore(events);
    const s = supportMetrics(store, { asOf });
    // One ticket (a's, at asOf), b's is after asOf; customers seen by asOf: a only.
    expect(s.opened).toBe(1);
    expect(s.customers).toBe(1);
    expect(s).toEqual(supportMetrics(events, { asOf }));
    expect(surveyScores(store, 'csat_response', { to: asOf + 1 })).toEqual([5]);
    expect(transactionalMetrics(store, { to: asOf + 1 }).orders).toBe(1);
  });

  it('rejects ticket events without a usable ticketId, as the event path does', () => {
    const t = at('2025-01-10');
    const events: CustomerEvent[] = [
      { customerId: 'a', type: 'ticket_opened', timestamp: t },
      { customerId: 'a', type: 'ticket_opened', timestamp: t, properties: { ticketId: '' } },
      { customerId: 'a', type: 'ticket_resolved', timestamp: t + HOUR, properties: { ticketId: 5 } },
      { customerId: 'a', type: 'ticket_opened', timestamp: t + 2 * HOUR, properties: { ticketId: '5' } },
      { customerId: 'b', type: 'ticket_first_response', timestamp: t, properties: { ticketId: 'x' } },
    ];
    const r = supportMetrics(toEventStore(events), { asOf: t + DAY });
    expect(r).toEqual(supportMetrics(events, { asOf: t + DAY }));
    // 5 and '5' are one ticket: its resolution precedes its opening (rejected); b's response has no open.
    expect(r.opened).toBe(1);
    expect(r.rejected.map((x) => x.reason)).toEqual([
      'no properties.ticketId',
      'no properties.ticketId',
      'resolution before the ticket was opened',
      'first response before the ticket was opened',
    ]);
  });

  it('reads userId, feature and ticketId from the columns; other properties (in `extra` or dropped) change nothing', () => {
    const t = at('2025-01-10');
    const events: CustomerEvent[] = [
      { customerId: 'a', type: 'login', timestamp: t, properties: { userId: 'u', team: 'x' } },
      { customerId: 'a', type: 'login', timestamp: t + 1 }, // no userId: customer level only
      {
        customerId: 'a',
        type: 'feature_used',
        timestamp: t + 2,
        value: 3,
        properties: { feature: 'r', userId: 7 },
      },
      { customerId: 'b', type: 'feature_used', timestamp: t + 3, properties: { feature: 'r', userId: '7' } },
      { customerId: 'b', type: 'feature_used', timestamp: t + 4, properties: { other: 'r' } },
    ];
    const range = { from: at('2025-01-01'), to: at('2025-02-01') };
    for (const keepProperties of [false, true]) {
      const store = toEventStore(events, { keepProperties });
      expect(activeCustomers(store, range)).toEqual(activeCustomers(events, range));
      expect(featureAdoption(store)).toEqual(featureAdoption(events));
    }
    const a = activeCustomers(toEventStore(events), range)[0];
    // Users: a/u, a/7, b/7 (userId 7 and '7' are one user within a customer).
    expect(a).toMatchObject({ activeCustomers: 2, activeUsers: 3, eventsWithoutUser: 2, n: 5 });
    const f = featureAdoption(toEventStore(events));
    expect(f.features).toEqual([{ feature: 'r', customers: 2, share: 1, users: 2, uses: 4 }]);
  });

  it('takes seats changed twice at one instant in the library event order, whatever the input order', () => {
    const t = at('2025-01-10');
    const seats = (value: number, eventId?: string): CustomerEvent => ({
      customerId: 'a',
      type: 'seats_changed',
      timestamp: t,
      value,
      ...(eventId === undefined ? {} : { eventId }),
    });
    const login = (userId: string): CustomerEvent => ({
      customerId: 'a',
      type: 'login',
      timestamp: t + HOUR,
      properties: { userId },
    });
    const range = { from: at('2025-01-01'), to: at('2025-02-01') };
    // No eventIds: by value, so 8 seats is the last change; with eventIds: 'e2' (4 seats) is last.
    for (const [pair, expected] of [
      [[seats(8), seats(4)], 8],
      [[seats(4, 'e2'), seats(8, 'e1')], 4],
    ] as const) {
      const events = [...pair, login('u1'), login('u2')];
      for (const order of [events, [...events].reverse()]) {
        const [p] = licenseUtilization(order, range);
        expect(p?.seats).toBe(expected);
        expect(p?.value).toBe(2 / expected);
        expect(licenseUtilization(toEventStore(order), range)).toEqual([p]);
      }
    }
  });

  it('gives the empty-input results on an empty store', () => {
    const o = options(10);
    expect(all(toEventStore([]), o)).toEqual(all([], o));
    expect(chooseMetrics(toEventStore([])).warnings[0]?.code).toBe('no_events');
  });

  it('builds no event object for the metrics that read columns (ofType is never called)', () => {
    const saas = generateSaasEvents({ customers: 20, seed: 3, end: '2025-06-01' });
    const ix = indexEvents(toEventStore(parseEvents(saas.events).events));
    const calls: string[] = [];
    const original = ix.ofType.bind(ix);
    ix.ofType = (type: string) => {
      calls.push(type);
      return original(type);
    };
    const o = { ...options(0, parseProfiles(saas.profiles).profiles), asOf: at('2025-06-01') };
    all(ix, o);
    expect(calls).toEqual([]);
  });

  it('rejects what is neither events, a store nor an index, and a forged store', () => {
    expect(() => mrrMovements({ kind: 'not-a-store' } as never, { from: T0, to: T0 + DAY })).toThrow(
      /an array of events, an EventStore or an EventIndex/,
    );
    const store = toEventStore([{ customerId: 'a', type: 'login', timestamp: T0 }]);
    for (const forged of [{ kind: 'event-store' }, { ...store, time: [T0] }, { ...store, length: 2 }]) {
      expect(() => activeCustomers(forged as never, { from: T0, to: T0 + DAY })).toThrow(
        /activeCustomers: .*not a valid EventStore/,
      );
    }
    expect(() => new EventIndex({ kind: 'event-store' } as never)).toThrow(
      /EventIndex: .*not a valid EventStore/,
    );
  });
});

/** Structural equality with numbers equal to 1e-12 relative (float sums in another order). */
function expectClose(a: unknown, b: unknown, path = '$'): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Object.is(a, b)) return;
    expect(Math.abs(a - b), path).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(a), Math.abs(b)));
    return;
  }
  if (a instanceof Map && b instanceof Map) {
    expectClose([...a], [...b], path);
    return;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    expect(Object.keys(a).sort(), path).toEqual(Object.keys(b).sort());
    for (const k of Object.keys(a))
      expectClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  expect(a, path).toEqual(b);
}

describe('metrics on the samples: store = events', () => {
  it('SaaS sample (120 customers): every metric', () => {
    const saas = generateSaasEvents({ customers: 120, seed: 11, end: '2025-06-01' });
    const events = parseEvents(saas.events).events;
    const profiles = parseProfiles(saas.profiles).profiles;
    const o = { from: at('2025-01-01'), to: at('2025-06-01'), asOf: at('2025-05-20'), profiles };
    const store = toEventStore(events);
    const viaStore = all(store, o);
    expect(viaStore).toEqual(all(storeEvents(store), o));
    expectClose(viaStore, all(events, o));
    expect(viaStore.choice.families).toEqual(['saas', 'engagement', 'support', 'surveys']);
    expect(viaStore.mrr.some((m) => m.endMrr > 0)).toBe(true);
  });

  it('retail sample (1,000 customers): every metric', () => {
    const events = parseEvents(generateRetailTransactions({ customers: 1000, seed: 5 }).events).events;
    const o = { from: at('2024-01-01'), to: at('2025-01-01'), asOf: at('2024-12-01'), profiles: [] };
    const store = toEventStore(events);
    const viaStore = all(store, o);
    expect(viaStore).toEqual(all(storeEvents(store), o));
    expectClose(viaStore, all(events, o));
    expect(viaStore.transactional.orders).toBeGreaterThan(100);
  });
});
