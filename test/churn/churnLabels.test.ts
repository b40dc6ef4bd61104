import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { churnLabels } from '../../src/churn/churnLabels';
import type { CustomerEvent } from '../../src/events/types';
import { evNoon, HOUR } from '../helpers/events';

const events: CustomerEvent[] = [
  // a: subscribed, cancels inside the horizon → churned.
  evNoon('a', 'subscription_started', '2025-01-01'),
  evNoon('a', 'login', '2025-05-30'),
  evNoon('a', 'subscription_cancelled', '2025-06-10'),
  // b: cancelled before asOf → not active, not labelled.
  evNoon('b', 'subscription_started', '2024-06-01'),
  evNoon('b', 'subscription_cancelled', '2025-03-01'),
  // f: cancelled then restarted before asOf → active; cancels after the horizon → retained.
  evNoon('f', 'subscription_started', '2024-06-01'),
  evNoon('f', 'subscription_cancelled', '2025-02-01'),
  evNoon('f', 'subscription_started', '2025-04-01'),
  evNoon('f', 'subscription_cancelled', '2025-08-01'),
  // c: buyer who buys again within 30 days → retained (non-contractual).
  evNoon('c', 'purchase', '2025-05-01'),
  evNoon('c', 'purchase', '2025-06-20'),
  // d: buyer who does not come back → churned.
  evNoon('d', 'purchase', '2025-02-01'),
  // e: first seen after asOf → not labelled.
  evNoon('e', 'purchase', '2025-06-02'),
];
const asOf = '2025-06-01T00:00:00Z';

describe('churnLabels', () => {
  it('labels contractual and non-contractual customers active at asOf (auto)', () => {
    const l = churnLabels(events, { asOf, horizon: 30 });
    expect(l.customerIds).toEqual(['a', 'c', 'd', 'f']);
    expect(Array.from(l.churned)).toEqual([1, 0, 1, 0]);
    expect(l.definition).toEqual(['contractual', 'non-contractual', 'non-contractual', 'contractual']);
    expect(l.positives).toBe(2);
    expect(l.horizonEnd).toBe(Date.parse('2025-07-01T00:00:00Z'));
  });

  it('accepts calendar horizons and a shorter one changes the outcome', () => {
    // 1 week: c's next purchase (06-20) is outside → churned; a's cancellation (06-10) too → retained.
    const l = churnLabels(events, { asOf, horizon: { weeks: 1 } });
    expect(Array.from(l.churned)).toEqual([0, 1, 1, 0]);
    const m = churnLabels(events, { asOf, horizon: { months: 3 } });
    expect(m.horizonEnd).toBe(Date.parse('2025-09-01T00:00:00Z'));
    expect(Array.from(m.churned)).toEqual([1, 0, 1, 1]); // f cancels 08-01
  });

  it('uses the forced definition and the active window', () => {
    const nc = churnLabels(events, { asOf, horizon: 30, definition: 'non-contractual' });
    // a is active (login 05-30) and has no activity in June → churned; f has no activity at all.
    expect(nc.customerIds).toEqual(['a', 'c', 'd']);
    expect(Array.from(nc.churned)).toEqual([1, 0, 1]);
    const recent = churnLabels(events, {
      asOf,
      horizon: 30,
      definition: 'non-contractual',
      activeWithinDays: 60,
    });
    expect(recent.customerIds).toEqual(['a', 'c']); // d's last purchase was 120 days ago
  });

  it('validates options and returns empty labels for no events', () => {
    expect(() => churnLabels(events, { asOf, horizon: 0 })).toThrow(ValidationError);
    expect(() => churnLabels(events, { asOf: 'yesterday', horizon: 5 })).toThrow(
      /churnLabels: option "asOf"/,
    );
    expect(churnLabels([], { asOf, horizon: 5 }).customerIds).toEqual([]);
  });

  it('property: events after the horizon never change a label', () => {
    const end = Date.parse('2025-07-01T00:00:00Z');
    const base = churnLabels(events, { asOf, horizon: 30 });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.constantFrom('a', 'b', 'c', 'd', 'f', 'z'),
            type: fc.constantFrom('purchase', 'login', 'subscription_cancelled', 'subscription_started'),
            h: fc.integer({ min: 1, max: 5000 }), // after the window (asOf, end]: an event at end is inside
          }),
        ),
        (extra) => {
          const more = extra.map((x) => ({
            customerId: x.id,
            type: x.type,
            timestamp: end + x.h * HOUR,
          }));
          expect(churnLabels([...events, ...more], { asOf, horizon: 30 })).toEqual(base);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('churnLabels and the one asOf rule (events at asOf are history; the window is (asOf, asOf + h])', () => {
  const asOf = Date.parse('2025-06-01T00:00:00Z');
  const end = asOf + 30 * 86_400_000;
  const evs: CustomerEvent[] = [
    // p: first event exactly at asOf → active at asOf (labelled), no later activity → churned.
    evNoon('p', 'login', asOf),
    // q: cancels exactly at asOf → history: no longer subscribed at asOf, so not labelled.
    evNoon('q', 'subscription_started', '2025-01-01'),
    evNoon('q', 'subscription_cancelled', asOf),
    // r: cancels exactly at the end of the window → inside (asOf, end] → churned.
    evNoon('r', 'subscription_started', '2025-01-01'),
    evNoon('r', 'subscription_cancelled', end),
    // s: cancels 1 ms after the window → retained.
    evNoon('s', 'subscription_started', '2025-01-01'),
    evNoon('s', 'subscription_cancelled', end + 1),
  ];
  it('labels p (active at asOf) and r (cancelled at the window end) as churned, s as retained, leaves q out', () => {
    const l = churnLabels(evs, { asOf, horizon: 30 });
    expect(l.customerIds).toEqual(['p', 'r', 's']);
    expect(Array.from(l.churned)).toEqual([1, 1, 0]);
  });
});
