/**
 * actionEffect takes an EventStore (#13): action, outcome and subscription rows from its columns,
 * `properties.action` from the properties the store kept. Same result as the events in any order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionEffect } from '../../src/actions/index';
import type { CustomerEvent } from '../../src/events/types';
import { generateActionEvents } from '../../src/sample/index';
import { toEventStore } from '../../src/store/index';
import { at, DAY, shuffled } from '../helpers/events';

const T0 = at('2025-01-01');
const CUSTOMERS = ['a', 'b', 'c', 'd', 'e', 'f'];
const rawArb = fc.record({
  customer: fc.constantFrom(...CUSTOMERS),
  type: fc.constantFrom('cs_action', 'subscription_started', 'subscription_cancelled', 'login', 'churned'),
  day: fc.integer({ min: 0, max: 200 }),
  action: fc.option(fc.constantFrom('call', 'email', 3), { nil: undefined }),
});
const stateArb = fc.record({
  customerId: fc.constantFrom(...CUSTOMERS),
  day: fc.integer({ min: 0, max: 200 }),
  band: fc.constantFrom('green', 'red'),
  churnProbability: fc.constantFrom(0.05, 0.25, 0.6),
});

describe('actionEffect on an EventStore', () => {
  it('equals the events in any input order (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(rawArb, { maxLength: 60, size: 'max' }),
        fc.array(stateArb, { maxLength: 30 }),
        fc.integer(),
        fc.constantFrom('subscription_cancelled', 'churned'),
        fc.constantFrom(30, 60),
        (raw, rawStates, seed, outcome, horizonDays) => {
          const events: CustomerEvent[] = raw.map((r) => ({
            customerId: r.customer,
            type: r.type,
            timestamp: T0 + r.day * DAY,
            ...(r.action === undefined ? {} : { properties: { action: r.action } }),
          }));
          const states = rawStates.map((s) => ({ ...s, at: T0 + s.day * DAY }));
          const options = {
            action: 'call',
            states,
            asOf: T0 + 200 * DAY,
            outcome,
            horizonDays,
            maxStateAgeDays: 60,
          };
          const viaStore = actionEffect(
            toEventStore(shuffled(events, seed), { keepProperties: true }),
            options,
          );
          expect(viaStore).toEqual(actionEffect(events, options));
          expect(viaStore).toEqual(actionEffect(shuffled(events, seed + 1), options));
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });

  it('the generated sample: the same effect, strata and warnings from the store', () => {
    const s = generateActionEvents({ customers: 400, seed: 9, effect: 0.4 });
    const events = s.events as CustomerEvent[];
    const options = { action: 'success_call', states: s.states, asOf: s.end };
    const r = actionEffect(toEventStore(events, { keepProperties: true }), options);
    expect(r.treated).toBeGreaterThan(10);
    expect(r).toEqual(actionEffect(events, options));
  });

  it('a store without kept properties reads the action from its column; a forged store is refused at the door', () => {
    const events: CustomerEvent[] = [
      { customerId: 'a', type: 'cs_action', timestamp: T0, properties: { action: 'call' } },
    ];
    const options = { action: 'call', states: [], asOf: T0 + 100 * DAY };
    expect(actionEffect(toEventStore(events), options)).toEqual(actionEffect(events, options));
    expect(() => actionEffect({ kind: 'event-store' } as never, options)).toThrow(
      /^actionEffect: .*not an EventStore/,
    );
  });
});
