/**
 * healthHistory, evaluateHealth and suggestWeights take an EventStore (#13): the store is grouped
 * from its columns (as scoreHealthFromStore does), so the run is the one the events give. Same
 * results as the events in any input order; custom signals still get one customer's events.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEvents } from '../../src/events/parseEvents';
import { parseProfiles } from '../../src/events/parseProfiles';
import type { CustomerEvent } from '../../src/events/types';
import { evaluateHealth, healthHistory, suggestWeights } from '../../src/health/index';
import { generateSaasEvents } from '../../src/sample/index';
import { feedbackSentimentSignal } from '../../src/segment/index';
import { toEventStore } from '../../src/store/index';
import { at, DAY, shuffled } from '../helpers/events';

const sample = generateSaasEvents({ customers: 30, seed: 21, start: '2024-01-01', end: '2025-06-01' });
const events = parseEvents(sample.events).events;
const profiles = parseProfiles(sample.profiles).profiles;
const store = toEventStore(shuffled(events, 4));
const mixed = shuffled(events, 9);

describe('health over time on an EventStore', () => {
  it('healthHistory: the same points, scores, explanations and warnings (with a custom signal)', () => {
    const options = {
      from: '2024-09-01',
      to: '2025-03-01',
      every: 'month' as const,
      profiles,
      signals: { feedback: feedbackSentimentSignal({ measure: 'negativeCount' }) },
    };
    const r = healthHistory(store, options);
    expect(r.length).toBeGreaterThan(20);
    expect(r).toEqual(healthHistory(events, options));
    expect(r).toEqual(healthHistory(mixed, options));
    expect(r.warnings).toEqual(healthHistory(events, options).warnings);
  });

  it('evaluateHealth and suggestWeights: the same AUCs, bands and fitted weights', () => {
    const eo = { asOf: ['2024-09-01', '2024-12-01'], horizon: 90, profiles };
    const e = evaluateHealth(store, eo);
    expect(e.n).toBeGreaterThan(20);
    expect(e).toEqual(evaluateHealth(mixed, eo));
    const so = { ...eo, seed: 3 };
    expect(suggestWeights(store, so)).toEqual(suggestWeights(mixed, so));
  });

  it('healthHistory: the store = the events in any order on small random sets (fast-check)', () => {
    const T0 = at('2025-01-01');
    const rawArb = fc.record({
      customer: fc.constantFrom('a', 'b', 'c'),
      type: fc.constantFrom(
        'login',
        'feature_used',
        'ticket_opened',
        'nps_response',
        'subscription_started',
        'subscription_cancelled',
        'invoice_paid',
      ),
      day: fc.integer({ min: 0, max: 90 }),
      value: fc.option(fc.constantFrom(0, 3, 9, 10, 49.5), { nil: undefined }),
      userId: fc.option(fc.constantFrom('u1', 'u2', 7), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(rawArb, { maxLength: 50, size: 'max' }), fc.integer(), (raw, seed) => {
        const evs: CustomerEvent[] = raw.map((r) => ({
          customerId: r.customer,
          type: r.type,
          timestamp: T0 + r.day * DAY,
          ...(r.value === undefined ? {} : { value: r.value }),
          ...(r.userId === undefined ? {} : { properties: { userId: r.userId, feature: 'x' } }),
        }));
        // dates on the event grid: events exactly at a date count
        const options = { from: T0 + 30 * DAY, to: T0 + 90 * DAY, every: 'week' as const };
        expect(healthHistory(toEventStore(shuffled(evs, seed)), options)).toEqual(
          healthHistory(evs, options),
        );
      }),
      { numRuns: 60, seed: 8 },
    );
  });

  it('a forged store is a ValidationError naming the function', () => {
    const forged = { kind: 'event-store', length: 2 } as never;
    expect(() => healthHistory(forged, { from: '2025-01-01', to: '2025-02-01' })).toThrow(
      /^healthHistory: .*not an EventStore/,
    );
    expect(() => evaluateHealth(forged, { asOf: '2025-01-01' })).toThrow(
      /^evaluateHealth: .*not an EventStore/,
    );
    expect(() => suggestWeights(forged, { asOf: '2025-01-01' })).toThrow(
      /^suggestWeights: .*not an EventStore/,
    );
  });
});
