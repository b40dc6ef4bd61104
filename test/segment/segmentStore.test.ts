/**
 * The segment functions that read events take an EventStore (#13) and read its columns:
 * rfmScores / rfmSegments (purchase and refund totals), lifecycleStage (activity, subscriptions,
 * the `plan` column) and customerFeedbackSentiment (the `text` / `comment` columns). The store
 * gives the result of its events; these functions do not depend on the input order (rfmScores'
 * monetary sums follow the input order on arrays: equal scores, sums equal to the last bits).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { storeRevenueTotals } from '../../src/clv/_storeRevenue';
import { compareEvents } from '../../src/events/groupByCustomer';
import type { CustomerEvent } from '../../src/events/types';
import {
  customerFeedbackSentiment,
  lifecycleStage,
  type RfmResult,
  rfmScores,
  rfmSegments,
} from '../../src/segment/index';
import { rfmFromTotals } from '../../src/segment/rfmScores';
import { storeEvents, toEventStore } from '../../src/store/index';
import { at, DAY, HOUR, shuffled } from '../helpers/events';

const T0 = at('2025-01-01');

const TYPES = [
  'purchase',
  'order',
  'refund',
  'login',
  'session',
  'feature_used',
  'subscription_started',
  'subscription_changed',
  'subscription_cancelled',
  'invoice_paid',
  'feedback',
  'nps_response',
  'csat_response',
  'survey',
] as const;
// Values whose float sums depend on the order; negative and missing values too.
const VALUES = [0.1, 0.2, 0.3, 1e6 + 0.01, 7, -3, 0, 12.5];
const TEXTS = [
  'The export is broken and support never answers.',
  'Love the new dashboard, great work!',
  'ok',
  '',
  '   ',
  'Das Produkt ist leider sehr langsam.',
  'Terrible, slow and confusing.',
];
const rawArb = fc.record({
  customer: fc.constantFrom('a', 'b', 'c', 'd', '__proto__', 'é'),
  type: fc.constantFrom(...TYPES),
  // 12-hour grid over 200 days: many events share an instant
  slot: fc.integer({ min: 0, max: 400 }),
  value: fc.option(fc.constantFrom(...VALUES), { nil: undefined }),
  plan: fc.option(fc.constantFrom('pro', 'Trial plan', '', 5), { nil: undefined }),
  text: fc.option(fc.constantFrom(...TEXTS), { nil: undefined }),
  note: fc.option(fc.constantFrom(...TEXTS), { nil: undefined }),
  eventId: fc.option(fc.constantFrom('e1', 'e2', 'e3'), { nil: undefined }),
});
type Raw = typeof rawArb extends fc.Arbitrary<infer T> ? T : never;

function toEvent(r: Raw): CustomerEvent {
  const e: { -readonly [K in keyof CustomerEvent]: CustomerEvent[K] } = {
    customerId: r.customer,
    type: r.type,
    timestamp: T0 + r.slot * 12 * HOUR,
  };
  if (r.value !== undefined) e.value = r.value;
  if (r.eventId !== undefined) e.eventId = `${r.customer}-${r.eventId}-${r.slot}-${r.type}`;
  const props: Record<string, unknown> = {};
  if (r.plan !== undefined) props.plan = r.plan;
  if (r.text !== undefined) props[r.type === 'feedback' ? 'text' : 'comment'] = r.text;
  if (r.note !== undefined) props.note = r.note; // not a store column: only with keepProperties
  if (Object.keys(props).length > 0) e.properties = props;
  return e;
}

/** The events as a store holds them: per customer, in compareEvents order. */
function storeOrder(events: readonly CustomerEvent[]): CustomerEvent[] {
  return [...events].sort(
    (a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0) || compareEvents(a, b),
  );
}

/** Scores and everything but the monetary sums, which may differ in the last bits by input order. */
function withoutSums(r: RfmResult) {
  return {
    ...r,
    customers: r.customers.map((c) => ({ ...c, monetary: 0 })),
    cutoffs: { ...r.cutoffs, monetary: [] },
    warnings: r.warnings.map((w) => w.code),
  };
}

describe('segment functions on an EventStore', () => {
  it('rfmScores / rfmSegments: the store = its events in store order, bit for bit; = any input order up to float sums (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(rawArb, { maxLength: 80, size: 'max' }),
        fc.integer({ min: 0, max: 420 }),
        fc.integer(),
        fc.record({
          bins: fc.constantFrom(2, 3, 5),
          purchaseTypes: fc.constantFrom(['purchase'], ['purchase', 'order'], ['order', 'refund']),
          netOfRefunds: fc.boolean(),
          monetary: fc.constantFrom('total' as const, 'average' as const),
        }),
        fc.boolean(),
        (raw, asOfSlot, seed, opts, keepProperties) => {
          const events = raw.map(toEvent);
          const asOf = T0 + asOfSlot * 12 * HOUR;
          const options = { asOf, ...opts };
          const store = toEventStore(shuffled(events, seed), { keepProperties });
          const viaStore = rfmScores(store, options);
          expect(viaStore).toEqual(rfmScores(storeOrder(events), options));
          expect(viaStore).toEqual(rfmScores(storeEvents(store), options));
          expect(viaStore).toEqual(rfmScores(toEventStore(events), options));
          const fromShuffled = rfmScores(shuffled(events, seed + 1), options);
          expect(withoutSums(viaStore)).toEqual(withoutSums(fromShuffled));
          viaStore.customers.forEach((c, i) => {
            const m = fromShuffled.customers[i]?.monetary as number;
            expect(Math.abs(c.monetary - m)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(m)));
          });
          // = the CLI's store-native RFM (clv's revenue reader + rfmFromTotals) under default types
          if (opts.purchaseTypes.length === 1 && opts.purchaseTypes[0] === 'purchase' && opts.netOfRefunds) {
            const totals = storeRevenueTotals(store, asOf);
            expect(rfmFromTotals(totals, asOf, opts.bins, opts.monetary === 'average', undefined)).toEqual(
              viaStore,
            );
          }
          const segOptions = { asOf, bins: 5, netOfRefunds: opts.netOfRefunds };
          expect(rfmSegments(store, segOptions)).toEqual(rfmSegments(storeOrder(events), segOptions));
        },
      ),
      { numRuns: 300, seed: 13 },
    );
  });

  it('lifecycleStage and customerFeedbackSentiment: the store = the events in any order (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(rawArb, { maxLength: 80, size: 'max' }),
        fc.integer({ min: 0, max: 420 }),
        fc.integer(),
        fc.boolean(),
        fc.constantFrom(30, 90, 400),
        (raw, asOfSlot, seed, keepProperties, windowDays) => {
          const events = raw.map(toEvent);
          const asOf = T0 + asOfSlot * 12 * HOUR;
          const store = toEventStore(shuffled(events, seed), { keepProperties });
          const health = new Map([
            ['a', 35],
            ['b', 55],
            ['c', 80],
          ]);
          const profiles = [{ customerId: 'd', signupDate: T0 - 200 * DAY, plan: 'Trial' }];
          const lo = { asOf, health, profiles };
          const life = lifecycleStage(store, lo);
          expect(life).toEqual(lifecycleStage(events, lo));
          expect(life).toEqual(lifecycleStage(shuffled(events, seed + 1), lo));
          const fo = { asOf, windowDays };
          const fb = customerFeedbackSentiment(store, fo);
          expect(fb).toEqual(customerFeedbackSentiment(events, fo));
          expect(fb).toEqual(customerFeedbackSentiment(shuffled(events, seed + 2), fo));
          // A source field that is not a store column: read from the kept properties, or refused.
          const so = {
            asOf,
            windowDays,
            sources: [
              { type: 'survey', field: 'note' },
              { type: 'feedback', field: 'text' },
            ],
          };
          const hasSurvey = events.some((e) => e.type === 'survey');
          if (keepProperties || !hasSurvey)
            expect(customerFeedbackSentiment(store, so)).toEqual(customerFeedbackSentiment(events, so));
          else expect(() => customerFeedbackSentiment(store, so)).toThrow(/properties\.note.*keepProperties/);
        },
      ),
      { numRuns: 200, seed: 17 },
    );
  });

  it('by hand: an event at asOf counts, one after is ignored; refunds net; a plan from the plan column', () => {
    const asOf = at('2025-03-01');
    const events: CustomerEvent[] = [
      { customerId: 'a', type: 'purchase', timestamp: asOf - 10 * DAY, value: 0.1 },
      { customerId: 'a', type: 'purchase', timestamp: asOf, value: 0.2 }, // at asOf: counts
      { customerId: 'a', type: 'refund', timestamp: asOf, value: -0.05 }, // −|v|
      { customerId: 'a', type: 'purchase', timestamp: asOf + 1, value: 100 }, // after asOf: ignored
      { customerId: 'b', type: 'refund', timestamp: asOf - DAY, value: 5 }, // refunds only: not scored
      {
        customerId: 'c',
        type: 'subscription_started',
        timestamp: asOf - 5 * DAY,
        value: 0,
        properties: { plan: 'Free trial' },
      },
    ];
    const store = toEventStore(events);
    const r = rfmScores(store, { asOf });
    // a: 2 purchases, 0.1 + 0.2 − 0.05 = 0.25000000000000006 (float), last at asOf → 0 days
    expect(r.customers.map((c) => [c.customerId, c.frequency, c.recencyDays])).toEqual([['a', 2, 0]]);
    expect(r.customers[0]?.monetary).toBe(0.1 + 0.2 - 0.05);
    expect(r).toEqual(rfmScores(events, { asOf }));
    const life = lifecycleStage(store, { asOf });
    expect(life.customers.find((x) => x.customerId === 'c')?.reason).toBe('trial: plan "Free trial"');
    expect(life).toEqual(lifecycleStage(events, { asOf }));
  });

  it('an empty store, and a store with only refunds, give the event path’s empty results and reasons', () => {
    const asOf = at('2025-03-01');
    const empty = toEventStore([]);
    expect(rfmScores(empty, { asOf })).toEqual(rfmScores([], { asOf }));
    expect(rfmScores(empty, { asOf }).reason).toBe('no purchases on or before asOf');
    const refunds: CustomerEvent[] = [{ customerId: 'x', type: 'refund', timestamp: asOf, value: 3 }];
    expect(rfmScores(toEventStore(refunds), { asOf }).reason).toBe(
      'only refunds, no purchases, on or before asOf',
    );
    expect(lifecycleStage(empty, { asOf })).toEqual(lifecycleStage([], { asOf }));
    expect(customerFeedbackSentiment(empty, { asOf }).size).toBe(0);
  });

  it('a forged store is a located ValidationError naming the function', () => {
    const forged = { kind: 'event-store', length: 0 } as never;
    const asOf = at('2025-03-01');
    expect(() => rfmScores(forged, { asOf })).toThrow(ValidationError);
    expect(() => rfmScores(forged, { asOf })).toThrow(/^rfmScores: .*not an EventStore/);
    expect(() => rfmSegments(forged, { asOf })).toThrow(/^rfmSegments: .*not an EventStore/);
    expect(() => lifecycleStage(forged, { asOf })).toThrow(/^lifecycleStage: .*not an EventStore/);
    expect(() => customerFeedbackSentiment(forged, { asOf })).toThrow(
      /^customerFeedbackSentiment: .*not an EventStore/,
    );
    const store = toEventStore([
      { customerId: 'a', type: 'feedback', timestamp: asOf, properties: { text: 'hi' } },
    ]);
    const noText = {
      ...store,
      props: { ...store.props, text: { codes: new Int32Array(3), rows: null, values: [] } },
    };
    expect(() => customerFeedbackSentiment(noText as never, { asOf })).toThrow(/props\.text\.codes/);
  });
});
