import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { periodBoundaries } from '../../src/_lib/period';
import type { CustomerEvent } from '../../src/events/types';
import { mrrMovements } from '../../src/metrics/index';
import { at } from '../helpers/events';
import { scenario } from './_fixtures';

describe('mrrMovements', () => {
  const m = mrrMovements(scenario, { from: '2024-01-01', to: '2024-05-01' });

  it('decomposes each month into new, expansion, contraction, churned and reactivation', () => {
    const rows = m.map((p) => [
      p.startMrr,
      p.new,
      p.expansion,
      p.contraction,
      p.churned,
      p.reactivation,
      p.endMrr,
    ]);
    expect(rows).toEqual([
      // Jan: start B 50; A new 100 (E started and cancelled: nets to 0); B churns 50 → end 100.
      [50, 100, 0, 0, 50, 0, 100],
      // Feb: A 100 → 150 → 120 counts once as +20 expansion; C new 30.33 → end 150.33.
      [100, 30.33, 20, 0, 0, 0, 150.33],
      // Mar: A churns 120; C expands 9.77 (the boundary change belongs to March); E returns → reactivation 25.
      [150.33, 0, 9.77, 0, 120, 25, 65.1],
      // Apr: A back → reactivation 80; D new 10 (started exactly on the boundary) → end 155.10.
      [65.1, 10, 0, 0, 0, 80, 155.1],
    ]);
  });

  it('reconciles exactly in cents', () => {
    for (const p of m) {
      const c = p.cents;
      expect(c.start + c.new + c.expansion - c.contraction - c.churned + c.reactivation).toBe(c.end);
    }
    expect(m[2]?.cents).toEqual({
      start: 15033,
      new: 0,
      expansion: 977,
      contraction: 0,
      churned: 12000,
      reactivation: 2500,
      end: 6510,
    });
  });

  it('counts a cancelled-then-returned customer as churned, then as reactivation', () => {
    expect(m[2]?.customers.churned).toBe(1);
    expect(m[3]?.customers.reactivation).toBe(1); // A
    expect(m[2]?.customers.reactivation).toBe(1); // E, whose earlier stint netted out in January
    expect(m.map((p) => [p.value, p.n])).toEqual([
      [100, 1],
      [150.33, 2],
      [65.1, 2],
      [155.1, 4],
    ]);
  });

  it('reads period boundaries in the given time zone across DST', () => {
    // In New York, D's start (04-01 00:00Z = 03-31 20:00 EDT) is in March; April starts at 04:00Z.
    const ny = mrrMovements(scenario, {
      from: '2024-03-01T05:00:00Z',
      to: '2024-05-01T04:00:00Z',
      timeZone: 'America/New_York',
    });
    expect(ny.map((p) => p.periodStart)).toEqual([at('2024-03-01T05:00:00Z'), at('2024-04-01T04:00:00Z')]);
    // C's change at 03-01 00:00Z (= 02-29 19:00 EST) falls in February NY, so March NY starts at
    // A 120 + C 40.10 = 160.10 (vs 150.33 in UTC); then A churns 120, E returns 25, D is new 10 → 75.10.
    expect(ny[0]).toMatchObject({
      startMrr: 160.1,
      new: 10,
      expansion: 0,
      churned: 120,
      reactivation: 25,
      endMrr: 75.1,
    });
    expect(ny[1]?.new).toBe(0);
    expect(ny[1]?.reactivation).toBe(80);
  });

  it('handles a month with no customers at its start', () => {
    const early = mrrMovements(scenario, { from: '2023-11-01', to: '2024-01-01' });
    expect(early[0]).toMatchObject({ startMrr: 0, endMrr: 0, n: 0, new: 0 });
    expect(early[1]).toMatchObject({ startMrr: 0, new: 50, endMrr: 50, n: 1 });
  });

  it('validates its options', () => {
    expect(() =>
      mrrMovements(scenario, { from: '2024-01-01', to: '2024-05-01', period: 'year' as 'month' }),
    ).toThrow(/^mrrMovements: option "period" /);
    expect(() =>
      mrrMovements(scenario, { from: '2024-01-01', to: '2024-05-01', timeZone: 'Mars/Base' }),
    ).toThrow(/^mrrMovements: option "timeZone" /);
    expect(() => mrrMovements(scenario, { from: '2024-05-01', to: '2024-01-01' })).toThrow(
      /option "to" must be after/,
    );
  });
});

// Random histories: any mix of subscription events, timestamps and values.
const TYPES = [
  'subscription_started',
  'subscription_changed',
  'subscription_cancelled',
  'subscription_renewed',
] as const;
const eventArb = fc.record({
  customer: fc.constantFrom('a', 'b', 'c', 'd', '__proto__'),
  type: fc.constantFrom(...TYPES),
  t: fc.integer({ min: at('2023-06-01'), max: at('2024-09-01') }),
  value: fc.option(
    fc.oneof(
      fc.integer({ min: 0, max: 100_000 }).map((c) => c / 100),
      fc.double({ min: 0, max: 5000, noNaN: true }),
    ),
    {
      nil: undefined,
    },
  ),
});

function naiveMrrCents(events: readonly CustomerEvent[], before: number): number {
  // Replays each customer independently; same tie order as the library (timestamp, then type, then value).
  const byCustomer = new Map<string, CustomerEvent[]>();
  for (const e of events) {
    if (e.timestamp >= before) continue;
    byCustomer.set(e.customerId, [...(byCustomer.get(e.customerId) ?? []), e]);
  }
  let total = 0;
  for (const list of byCustomer.values()) {
    list.sort(
      (x, y) =>
        x.timestamp - y.timestamp ||
        (x.type < y.type ? -1 : x.type > y.type ? 1 : 0) ||
        (x.value ?? Number.NEGATIVE_INFINITY) - (y.value ?? Number.NEGATIVE_INFINITY),
    );
    let mrr = 0;
    for (const e of list) {
      if (e.type === 'subscription_cancelled') mrr = 0;
      else if (e.value !== undefined) mrr = Math.round(e.value * 100);
    }
    total += mrr;
  }
  return total;
}

describe('mrrMovements property', () => {
  it('reconciles start + movements = end exactly, chains periods, and matches a naive replay', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 40 }),
        fc.constantFrom('week', 'month', 'quarter') as fc.Arbitrary<'week' | 'month' | 'quarter'>,
        fc.constantFrom('UTC', 'America/New_York', 'Pacific/Kiritimati'),
        (raw, period, timeZone) => {
          const events: CustomerEvent[] = raw
            .filter(
              (r) =>
                r.type === 'subscription_cancelled' ||
                r.type === 'subscription_renewed' ||
                r.value !== undefined,
            )
            .map((r) => {
              const e: { customerId: string; type: string; timestamp: number; value?: number } = {
                customerId: r.customer,
                type: r.type,
                timestamp: r.t,
              };
              if (r.type !== 'subscription_cancelled' && r.value !== undefined) e.value = r.value;
              return e;
            });
          const from = at('2023-10-01');
          const to = at('2024-06-01');
          const m = mrrMovements(events, { from, to, period, timeZone });
          const b = periodBoundaries(from, to, period, { timeZone });
          expect(m).toHaveLength(b.length - 1);
          for (let p = 0; p < m.length; p++) {
            const c = (m[p] as (typeof m)[number]).cents;
            expect(c.start + c.new + c.expansion - c.contraction - c.churned + c.reactivation).toBe(c.end);
            for (const k of ['new', 'expansion', 'contraction', 'churned', 'reactivation'] as const) {
              expect(c[k]).toBeGreaterThanOrEqual(0);
              expect(Number.isInteger(c[k])).toBe(true);
            }
            expect(c.start).toBe(naiveMrrCents(events, b[p] as number));
            expect(c.end).toBe(naiveMrrCents(events, b[p + 1] as number));
            if (p > 0) expect(c.start).toBe(m[p - 1]?.cents.end);
          }
        },
      ),
      { numRuns: 300, seed: 20261123 },
    );
  });
});
