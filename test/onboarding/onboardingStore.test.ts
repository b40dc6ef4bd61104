/**
 * onboardingProgress takes an EventStore (#13): each customer's rows go through one reused record
 * holding the fields the milestones read (dictionary columns such as `properties.userId` /
 * `feature`, other properties from `keepProperties`). Same result as the events in any order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CustomerEvent } from '../../src/events/types';
import { onboardingProgress } from '../../src/onboarding/index';
import { generateOnboardingEvents, SAMPLE_MILESTONES } from '../../src/sample/index';
import { toEventStore } from '../../src/store/index';
import { at, DAY, HOUR, shuffled } from '../helpers/events';

const T0 = at('2025-01-01');
const MILESTONES = [
  { id: 'first_login', when: 'type == login' },
  { id: 'users_2', when: 'type == login', distinct: 'properties.userId', count: 2 },
  { id: 'reports', when: { all: ['type == feature_used', 'properties.feature == reports'] } },
  { id: 'big', when: 'value >= 10' },
  { id: 'tagged', when: 'properties.tag == vip' },
];
const rawArb = fc.record({
  customer: fc.constantFrom('a', 'b', 'c', 'd'),
  type: fc.constantFrom('signup', 'trial_started', 'login', 'feature_used', 'purchase'),
  // 6-hour grid over 30 days: ties with the start instant
  slot: fc.integer({ min: 0, max: 120 }),
  userId: fc.option(fc.constantFrom('u1', 'u2', 'U1', 7, '7'), { nil: undefined }),
  feature: fc.option(fc.constantFrom('reports', 'export'), { nil: undefined }),
  value: fc.option(fc.constantFrom(1, 10, 25), { nil: undefined }),
  tag: fc.option(fc.constantFrom('vip', 'std'), { nil: undefined }),
});
type Raw = typeof rawArb extends fc.Arbitrary<infer T> ? T : never;

function toEvent(r: Raw): CustomerEvent {
  const e: { -readonly [K in keyof CustomerEvent]: CustomerEvent[K] } = {
    customerId: r.customer,
    type: r.type,
    timestamp: T0 + r.slot * 6 * HOUR,
  };
  if (r.value !== undefined) e.value = r.value;
  const props: Record<string, unknown> = {};
  if (r.userId !== undefined) props.userId = r.userId;
  if (r.feature !== undefined) props.feature = r.feature;
  if (r.tag !== undefined) props.tag = r.tag;
  if (Object.keys(props).length > 0) e.properties = props;
  return e;
}

describe('onboardingProgress on an EventStore', () => {
  it('equals the events in any input order (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(rawArb, { maxLength: 60, size: 'max' }),
        fc.integer({ min: 0, max: 125 }),
        fc.integer(),
        fc.boolean(),
        (raw, asOfSlot, seed, withTag) => {
          const events = raw.map(toEvent);
          const milestones = withTag ? MILESTONES : MILESTONES.slice(0, 4);
          const options = { milestones, asOf: T0 + asOfSlot * 6 * HOUR, stallDays: 3, windowDays: 20 };
          const viaStore = onboardingProgress(
            toEventStore(shuffled(events, seed), { keepProperties: withTag }),
            options,
          );
          expect(viaStore).toEqual(onboardingProgress(events, options));
          expect(viaStore).toEqual(onboardingProgress(shuffled(events, seed + 1), options));
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });

  it('the generated sample with the sample milestones: the same funnels and curves from the store', () => {
    const s = generateOnboardingEvents({ customers: 300, seed: 4 });
    const options = { milestones: [...SAMPLE_MILESTONES], asOf: '2025-05-01' };
    const r = onboardingProgress(toEventStore(s.events as CustomerEvent[]), options);
    expect(r.customers.length).toBeGreaterThan(100);
    expect(r).toEqual(onboardingProgress(s.events, options));
  });

  it('by hand: a milestone at the start instant counts even when its row sorts before the start row', () => {
    // 'login' sorts before 'signup' at the same instant in the store; the event path walks from the time.
    const events: CustomerEvent[] = [
      { customerId: 'a', type: 'signup', timestamp: T0 },
      { customerId: 'a', type: 'login', timestamp: T0 },
    ];
    const options = { milestones: [{ id: 'first_login', when: 'type == login' }], asOf: T0 + DAY };
    const r = onboardingProgress(toEventStore(events), options);
    expect(r.customers[0]?.timeToValueDays).toBe(0);
    expect(r).toEqual(onboardingProgress(events, options));
  });

  it('refuses what a store cannot answer: a property it did not keep, the whole properties object; a forged store', () => {
    const events: CustomerEvent[] = [{ customerId: 'a', type: 'signup', timestamp: T0 }];
    const asOf = T0 + DAY;
    expect(() =>
      onboardingProgress(toEventStore(events), {
        milestones: [{ id: 't', when: 'properties.tag == vip' }],
        asOf,
      }),
    ).toThrow(/^onboardingProgress: .*properties\.tag.*keepProperties: true/);
    expect(() =>
      onboardingProgress(toEventStore(events, { keepProperties: true }), {
        milestones: [{ id: 'p', when: 'properties exists' }],
        asOf,
      }),
    ).toThrow(/whole properties object/);
    expect(() =>
      onboardingProgress({ kind: 'event-store' } as never, {
        milestones: [{ id: 'x', when: 'type == login' }],
        asOf,
      }),
    ).toThrow(/^onboardingProgress: .*not an EventStore/);
  });
});
