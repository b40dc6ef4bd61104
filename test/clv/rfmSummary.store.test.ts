/**
 * rfmSummary, historicalClv, estimateClv and trackingData on an EventStore: read from the typed columns, no
 * event object built, and bit for bit the result of the event path, whatever the input order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { storeRevenueTotals } from '../../src/clv/_storeRevenue';
import { estimateClv } from '../../src/clv/estimateClv';
import { historicalClv } from '../../src/clv/historicalClv';
import { type RfmSummary, rfmSummary } from '../../src/clv/rfmSummary';
import { trackingData } from '../../src/clv/trackingData';
import { parseEventStream, parseEvents } from '../../src/events/index';
import type { CustomerEvent } from '../../src/events/types';
import { generateRetailTransactions } from '../../src/sample/index';
import { rfmFromTotals, rfmScores } from '../../src/segment/rfmScores';
import { type EventStore, EventStoreBuilder, storeEvents, toEventStore } from '../../src/store/index';
import { cdnowAvailable, loadCdnowMaster } from '../helpers/sharedData';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

/** Every number of a summary, exactly (Object.is: -0 and 0 differ, as bits do). */
function exact(s: RfmSummary) {
  return {
    customers: s.customers,
    columns: Object.fromEntries(
      Object.entries(s.columns).map(([k, v]) => [k, Array.from(v as Float64Array)]),
    ),
    rest: { ...s, customers: undefined, columns: undefined },
  };
}

/** A store that the event path never sees as events: a builder fed in `order`. */
function storeOf(events: readonly CustomerEvent[]): EventStore {
  const b = new EventStoreBuilder({ capacity: 16 });
  b.appendAll(events);
  return b.finish();
}

/** Fisher-Yates with a fast-check-drawn seed list (deterministic per run). */
function shuffled<T>(list: readonly T[], draws: readonly number[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = (draws[i % draws.length] as number) % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

// Values whose sums depend on the order of addition in floating point (0.1 + 0.2 + 0.3 ≠ 0.3 + 0.2
// + 0.1), so a path that summed in another order would be caught.
const VALUES = [0.1, 0.2, 0.3, 0.7, 1e-3, 19.99, 1e6 + 0.01, 3, 0, 12.345];

const eventArb = fc.record({
  c: fc.integer({ min: 0, max: 3 }),
  // 0..9 days + a few instants: several events per day, often several at one instant, some at asOf
  day: fc.integer({ min: 0, max: 9 }),
  ms: fc.constantFrom(0, 0, 0, 1000, DAY - 1),
  kind: fc.constantFrom('purchase', 'purchase', 'purchase', 'refund', 'login', 'sale', 'credit'),
  v: fc.option(fc.constantFrom(...VALUES, -4.5), { nil: undefined }),
  id: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
  f: fc.option(fc.constantFrom('p', 'q'), { nil: undefined }),
});

function toEvents(
  spec: readonly { c: number; day: number; ms: number; kind: string; v?: number; id?: number; f?: string }[],
) {
  return spec.map(
    (s): CustomerEvent => ({
      customerId: `c${s.c}`,
      type: s.kind,
      timestamp: T0 + s.day * DAY + s.ms,
      ...(s.v === undefined ? {} : { value: s.v }),
      // eventIds repeat on purpose (the event path does not deduplicate; neither does a store)
      ...(s.id === undefined ? {} : { eventId: `e${s.id}` }),
      ...(s.f === undefined ? {} : { properties: { feature: s.f } }),
    }),
  );
}

const optionsArb = fc.record({
  // asOf exactly at an event instant (day 7, 00:00) or later in the day; calibration end at an
  // event instant too
  asOfMs: fc.constantFrom(7 * DAY, 7 * DAY + 1000, 9 * DAY + 3_600_000),
  cal: fc.option(fc.constantFrom(3 * DAY, 4 * DAY + 1000, 5 * DAY - 1), { nil: undefined }),
  unit: fc.constantFrom<'days' | 'weeks' | 'months'>('days', 'weeks', 'months'),
  // refund type sorting before the purchase type ('credit' < 'sale'): the store holds refunds
  // first at one instant, the summary must still take purchases first
  types: fc.constantFrom(['purchase', 'refund'] as const, ['sale', 'credit'] as const),
});

describe('rfmSummary on an EventStore', () => {
  it('property: bit-identical to the event path, over input orders, duplicates, refunds, same-day and same-instant events, asOf and calibrationEnd', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 80, size: 'max' }),
        fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 20 }),
        optionsArb,
        (spec, draws, o) => {
          const events = toEvents(spec);
          const options = {
            asOf: T0 + o.asOfMs,
            timeUnit: o.unit,
            type: o.types[0],
            refundType: o.types[1],
            ...(o.cal === undefined ? {} : { calibrationEnd: T0 + o.cal }),
          };
          const fromEvents = exact(rfmSummary(events, options));
          // the event path does not depend on the input order
          expect(exact(rfmSummary(shuffled(events, draws), options))).toEqual(fromEvents);
          expect(exact(rfmSummary([...events].reverse(), options))).toEqual(fromEvents);
          // the store path, from stores built in different orders, equals it
          expect(exact(rfmSummary(toEventStore(events), options))).toEqual(fromEvents);
          expect(exact(rfmSummary(storeOf(shuffled(events, [...draws].reverse())), options))).toEqual(
            fromEvents,
          );
          // trackingData (the evaluateClv series) reads the store too
          if (options.calibrationEnd !== undefined) {
            const store = toEventStore(events);
            expect(trackingData(store, rfmSummary(store, options), { type: options.type })).toEqual(
              trackingData(events, rfmSummary(events, options), { type: options.type }),
            );
          }
        },
      ),
      { numRuns: 400, seed: 20261130 },
    );
  });

  it('property: historicalClv and estimateClv (formula, historical) take the store and give the event path result', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 60, size: 'max' }), fc.boolean(), (spec, formula) => {
        const events = toEvents(spec);
        const store = toEventStore(events);
        const asOf = T0 + 8 * DAY;
        expect(historicalClv(store, { asOf, margin: 0.3 })).toEqual(
          historicalClv(events, { asOf, margin: 0.3 }),
        );
        const method = formula ? 'formula' : 'historical';
        const a = estimateClv(store, { asOf, method, inactiveAfterMonths: 0.1 });
        const b = estimateClv(events, { asOf, method, inactiveAfterMonths: 0.1 });
        expect(a).toEqual(b);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('estimateClv with a fitted model: the same models, values and sentences from the store (retail sample, refunds added)', () => {
    const sample = generateRetailTransactions({ customers: 400, seed: 5 });
    const parsed = parseEvents(sample.events).events;
    const events: CustomerEvent[] = [...parsed];
    // a refund of a third of every 7th purchase, stamped at the purchase
    parsed.forEach((e, i) => {
      if (i % 7 === 0) events.push({ ...e, type: 'refund', value: (e.value ?? 0) / 3 });
    });
    const asOf = sample.end;
    const a = estimateClv(toEventStore(events), { asOf, currency: 'EUR' });
    const b = estimateClv(events.reverse(), { asOf, currency: 'EUR' });
    expect(a.method).toBe(b.method);
    expect(a.model).not.toBeNull();
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.customers).toEqual(b.customers);
  });

  it('matches a parsed stream with eventId duplicates (parseEvents keeps one row per id, as the store sink does)', async () => {
    const rows: Record<string, unknown>[] = [];
    for (let i = 0; i < 300; i++) {
      const c = i % 7;
      rows.push({
        customerId: `c${c}`,
        type: i % 5 === 4 ? 'refund' : 'purchase',
        timestamp: new Date(T0 + (i % 11) * DAY + (i % 3) * 1000).toISOString(),
        value: VALUES[i % VALUES.length],
        // every 4th row repeats an earlier id, some with an earlier timestamp (that row is then kept)
        eventId: `e${i % 4 === 3 ? i - 3 : i}`,
      });
    }
    const parsed = parseEvents(rows);
    expect(parsed.stats.duplicates).toBe(75);
    const b = new EventStoreBuilder();
    await parseEventStream(rows, { into: b });
    const store = b.finish();
    const asOf = T0 + 10 * DAY;
    expect(exact(rfmSummary(store, { asOf }))).toEqual(exact(rfmSummary(parsed.events, { asOf })));
    expect(estimateClv(store, { asOf, minCustomers: 2 }).customers).toEqual(
      estimateClv(parsed.events, { asOf, minCustomers: 2 }).customers,
    );
  });

  it('hand-checked: refunds at the purchase instant belong to it; events at asOf count, later ones are ignored', () => {
    // customer a (weeks): day 0 purchase 10 (+ refund 4 stamped at the same instant, refund type
    // sorting before the purchase type), day 7 purchase 0.1 and 0.2 at one instant, day 14 at asOf
    // purchase 5, day 15 purchase 99 (after asOf: ignored). b: only a refund (ignored, counted).
    const ev = (c: string, type: string, day: number, value?: number): CustomerEvent => ({
      customerId: c,
      type,
      timestamp: T0 + day * DAY,
      ...(value === undefined ? {} : { value }),
    });
    const events = [
      ev('a', 'sale', 0, 10),
      ev('a', 'credit', 0, 4),
      ev('a', 'sale', 7, 0.2),
      ev('a', 'sale', 7, 0.1),
      ev('a', 'sale', 14, 5),
      ev('a', 'sale', 15, 99),
      ev('b', 'credit', 3, 1),
      ev('a', 'login', 2),
    ];
    const store = toEventStore(events);
    // the store holds a's day-0 rows as credit, then sale (type order)
    expect(
      storeEvents(store)
        .slice(0, 2)
        .map((e) => e.type),
    ).toEqual(['credit', 'sale']);
    const s = rfmSummary(store, { asOf: T0 + 14 * DAY, type: 'sale', refundType: 'credit' });
    // x = 3 purchase days - 1 = 2; t_x = 14 days = 2 weeks; T = 2 weeks; first day net 10 - 4 = 6;
    // repeat days 0.1 + 0.2 (value order) = 0.30000000000000004 and 5: mean (0.30000000000000004 + 5) / 2
    expect(s.customers).toEqual([
      {
        customerId: 'a',
        frequency: 2,
        recency: 2,
        T: 2,
        monetaryValue: (0.1 + 0.2 + 5) / 2,
        totalValue: 10 - 4 + 0.1 + 0.2 + 5,
        firstValue: 6,
        refunds: 4,
        firstPurchaseAt: T0,
        lastPurchaseAt: T0 + 14 * DAY,
      },
    ]);
    expect(s.ignored).toEqual({ afterAsOf: 1, newInHoldout: 0, nonPurchase: 1, refundsWithoutPurchase: 1 });
    expect(exact(s)).toEqual(
      exact(rfmSummary(events, { asOf: T0 + 14 * DAY, type: 'sale', refundType: 'credit' })),
    );
  });

  it('refuses an object that only claims to be a store, naming the function and the column', () => {
    const fake = {
      kind: 'event-store',
      length: 1,
      customerIds: ['a'],
      types: ['purchase'],
    } as unknown as EventStore;
    expect(() => rfmSummary(fake, { asOf: T0 })).toThrow(ValidationError);
    expect(() => rfmSummary(fake, { asOf: T0 })).toThrow(/rfmSummary: .*not an EventStore.*"offsets"/);
    expect(() => historicalClv(fake, { asOf: T0 })).toThrow(/historicalClv: .*not an EventStore/);
    expect(() => estimateClv(fake, { asOf: T0 })).toThrow(/estimateClv: .*not an EventStore/);
    const s = rfmSummary(toEventStore([]), { asOf: T0, calibrationEnd: T0 });
    expect(() => trackingData(fake, s)).toThrow(/trackingData: .*not an EventStore/);
    const short = {
      ...toEventStore([{ customerId: 'a', type: 'purchase', timestamp: T0 }]),
      value: new Float64Array(0),
    };
    expect(() => rfmSummary(short, { asOf: T0 })).toThrow(/"value" must be a Float64Array/);
  });

  it('an empty store, or one without purchases, gives no customers (method none)', () => {
    const none = toEventStore([{ customerId: 'a', type: 'login', timestamp: T0 }]);
    const s = rfmSummary(none, { asOf: T0 + DAY });
    expect(s.customers).toEqual([]);
    expect(s.ignored.nonPurchase).toBe(1);
    expect(estimateClv(toEventStore([]), { asOf: T0 }).method).toBe('none');
    expect(historicalClv(none, { asOf: T0 + DAY })).toEqual({ customers: [], total: 0, warnings: [] });
  });
});

describe('storeRevenueTotals (the segment RFM totals from the store)', () => {
  it('gives rfmScores on the store the scores of the events', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 60, size: 'max' }), (spec) => {
        const events = toEvents(spec);
        const asOf = T0 + 7 * DAY;
        const t = storeRevenueTotals(toEventStore(events), asOf);
        // the same totals the event path accumulates, in store order
        const byId = new Map<string, { count: number; spend: number; refunds: number; last: number }>();
        for (const e of storeEvents(toEventStore(events))) {
          if (e.timestamp > asOf || (e.type !== 'purchase' && e.type !== 'refund')) continue;
          const r = byId.get(e.customerId) ?? {
            count: 0,
            spend: 0,
            refunds: 0,
            last: Number.NEGATIVE_INFINITY,
          };
          const v = e.value ?? 0;
          if (e.type === 'purchase') {
            r.count++;
            r.spend += v;
            r.last = Math.max(r.last, e.timestamp);
          } else r.refunds += Math.abs(v);
          byId.set(e.customerId, r);
        }
        expect(t.ids).toEqual([...byId.keys()]);
        t.ids.forEach((id, i) => {
          const r = byId.get(id);
          expect([t.count[i], t.spend[i], t.refunds[i], t.last[i]]).toEqual([
            r?.count,
            r?.spend,
            r?.refunds,
            r?.last,
          ]);
        });
        expect(t.m).toBe(byId.size);
        // scored (the CLI's segment path), they give rfmScores of the store's events exactly
        expect(
          rfmFromTotals(storeRevenueTotals(toEventStore(events), asOf), asOf, 5, false, undefined),
        ).toEqual(rfmScores(storeEvents(toEventStore(events)), { asOf }));
      }),
      { numRuns: 150, seed: 11 },
    );
  });
});

describe.skipIf(!cdnowAvailable)('rfmSummary on CDNOW from a store', () => {
  it('gives the event path result bit for bit on all 69,659 transactions, in file and shuffled order', () => {
    const tx = cdnowAvailable ? loadCdnowMaster() : [];
    const events: CustomerEvent[] = tx.map((t) => ({
      customerId: t.customerId,
      type: 'purchase',
      timestamp: t.date,
      value: t.dollars,
    }));
    const options = {
      asOf: Date.UTC(1998, 5, 30),
      calibrationEnd: Date.UTC(1997, 8, 30),
      timeUnit: 'weeks' as const,
    };
    const fromEvents = exact(rfmSummary(events, options));
    expect(fromEvents.customers.length).toBe(23_570);
    expect(exact(rfmSummary(toEventStore(events), options))).toEqual(fromEvents);
    const draws = Array.from({ length: 97 }, (_, i) => (i * 7919) % 1000);
    expect(exact(rfmSummary(shuffled(events, draws), options))).toEqual(fromEvents);
  });
});
