import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHURN_FEATURES, churnFeatures } from '../../src/churn/churnFeatures';
import { featureRows } from '../../src/churn/featureRows';
import type { CustomerEvent, CustomerProfile } from '../../src/events/types';
import { DAY, evNoon, HOUR } from '../helpers/events';

const asOf = '2025-06-01T00:00:00Z';
const events: CustomerEvent[] = [
  evNoon('a', 'subscription_started', '2025-01-01', 100, { plan: 'pro' }),
  evNoon('a', 'seats_changed', '2025-01-01', 4),
  evNoon('a', 'nps_response', '2025-02-01', 9),
  evNoon('a', 'feature_used', '2025-04-01', 1, { feature: 'alerts', userId: 'u1' }),
  evNoon('a', 'login', '2025-04-10', undefined, { userId: 'u1' }),
  evNoon('a', 'subscription_changed', '2025-04-15', 150, { plan: 'pro' }),
  evNoon('a', 'invoice_paid', '2025-05-01', 150),
  evNoon('a', 'nps_response', '2025-05-01', 5),
  evNoon('a', 'payment_failed', '2025-05-02', 150),
  evNoon('a', 'ticket_opened', '2025-05-10T08:00:00Z', undefined, { ticketId: 't1', priority: 'High' }),
  evNoon('a', 'ticket_resolved', '2025-05-11T08:00:00Z', undefined, { ticketId: 't1' }),
  evNoon('a', 'login', '2025-05-20', undefined, { userId: 'u1' }),
  evNoon('a', 'feature_used', '2025-05-21', 1, { feature: 'reports', userId: 'u1' }),
  evNoon('a', 'ticket_opened', '2025-05-28', undefined, { ticketId: 't2', priority: 'normal' }),
  evNoon('a', 'login', '2025-05-30T11:00:00Z', undefined, { userId: 'u2' }),
  evNoon('a', 'login', '2025-05-30', undefined, { userId: 'u1' }),
  evNoon('c', 'purchase', '2025-03-15', 30),
  evNoon('c', 'purchase', '2025-05-01', 20),
  evNoon('e', 'login', '2025-06-02', undefined, { userId: 'x' }),
];
const profiles: CustomerProfile[] = [
  {
    customerId: 'a',
    signupDate: Date.parse('2025-01-01T00:00:00Z'),
    attributes: { industry: 'retail', employees: 40 },
  },
  { customerId: 'c', attributes: { industry: 'media' } },
];

function col(table: ReturnType<typeof churnFeatures>, name: string, id: string): number | null {
  const i = table.customerIds.indexOf(id);
  return (table.missing[name] as Uint8Array)[i] === 1
    ? null
    : ((table.columns[name] as Float64Array)[i] as number);
}

describe('churnFeatures', () => {
  const t = churnFeatures(events, { asOf, profiles });

  it('lists customers seen before asOf only', () => {
    expect(t.customerIds).toEqual(['a', 'c']);
    expect(t.names.slice(0, CHURN_FEATURES.length)).toEqual(CHURN_FEATURES.map((f) => f.name));
  });

  it('computes recency, activity windows, breadth and licence use by hand', () => {
    // Last event: login 2025-05-30 12:00 → 1.5 days before asOf.
    expect(col(t, 'daysSinceLastEvent', 'a')).toBe(1.5);
    expect(col(t, 'daysSinceLastActivity', 'a')).toBe(1.5);
    // Tenure from the profile's signup 2025-01-01 00:00: 31+28+31+30+31 = 151 days.
    expect(col(t, 'tenureDays', 'a')).toBe(151);
    // Activity: logins 05-30 ×2, 05-20, 04-10; features 05-21, 04-01. 7d (from 05-25): 2;
    // 30d (from 05-02): 4; 90d (from 03-03): 6. Active days in 30d: 05-20, 05-21, 05-30.
    expect(col(t, 'activity7d', 'a')).toBe(2);
    expect(col(t, 'activity30d', 'a')).toBe(4);
    expect(col(t, 'activity90d', 'a')).toBe(6);
    expect(col(t, 'activeDays30d', 'a')).toBe(3);
    // (4 + 1) / ((6 − 4)/2 + 1) = 2.5
    expect(col(t, 'activityRatio30d', 'a')).toBe(2.5);
    expect(col(t, 'featureBreadth30d', 'a')).toBe(1);
    expect(col(t, 'featureBreadth90d', 'a')).toBe(2);
    expect(col(t, 'activeUsers30d', 'a')).toBe(2);
    expect(col(t, 'seats', 'a')).toBe(4);
    expect(col(t, 'licenseUtilisation', 'a')).toBe(0.5);
  });

  it('computes tickets, surveys, payments, MRR and renewal by hand', () => {
    expect(col(t, 'tickets30d', 'a')).toBe(2);
    expect(col(t, 'highPriorityTickets30d', 'a')).toBe(1); // 'High' matches case-insensitively
    expect(col(t, 'openTickets', 'a')).toBe(1); // t2
    expect(col(t, 'meanResolutionHours90d', 'a')).toBe(24);
    expect(col(t, 'npsLatest', 'a')).toBe(5);
    expect(col(t, 'npsMean', 'a')).toBe(7);
    expect(col(t, 'csatLatest', 'a')).toBeNull();
    expect(col(t, 'failedPayments90d', 'a')).toBe(1);
    expect(col(t, 'monetary', 'a')).toBe(150);
    expect(col(t, 'mrr', 'a')).toBe(150);
    // 90 days before asOf (2025-03-03) MRR was 100.
    expect(col(t, 'mrrChange90d', 'a')).toBe(50);
    // Term from 2025-01-01 12:00, no renewal after a month → annual → ends 2026-01-01 12:00:
    // 30+31+31+30+31+30+31 = 214 days + 12 h.
    expect(col(t, 'daysToRenewal', 'a')).toBe(214.5);
    expect(t.categorical.plan).toEqual(['pro', null]);
    expect(t.categorical['profile.industry']).toEqual(['retail', 'media']);
    expect(col(t, 'profile.employees', 'a')).toBe(40);
    expect(col(t, 'profile.employees', 'c')).toBeNull();
  });

  it('computes RFM for a purchase-only customer and marks what cannot be computed as missing', () => {
    expect(col(t, 'daysSinceLastPurchase', 'c')).toBe(30.5);
    expect(col(t, 'purchases', 'c')).toBe(2);
    expect(col(t, 'purchases90d', 'c')).toBe(2);
    expect(col(t, 'monetary', 'c')).toBe(50);
    expect(col(t, 'avgOrderValue', 'c')).toBe(25);
    expect(col(t, 'daysSinceLastActivity', 'c')).toBeNull();
    expect(col(t, 'npsLatest', 'c')).toBeNull();
    expect(col(t, 'licenseUtilisation', 'c')).toBeNull();
    const row = featureRows(t)[1];
    expect(row?.customerId).toBe('c');
    expect(row?.features.npsLatest).toBeNull();
    expect(row?.features.plan).toBeNull();
    expect(Object.getPrototypeOf(row?.features)).toBeNull();
    for (const name of t.names)
      for (const v of t.columns[name] as Float64Array) expect(Number.isFinite(v)).toBe(true);
  });

  it('measures the usage trend as the slope of weekly activity (falling usage → negative)', () => {
    // Weeks before asOf (0 = latest) hold 1, 2, 3, 4 logins; signup exactly 28 days before → slope −1/week.
    const a = Date.parse(asOf);
    const evs: CustomerEvent[] = [];
    for (let w = 0; w < 4; w++)
      for (let k = 0; k <= w; k++)
        evs.push({ customerId: 'z', type: 'login', timestamp: a - (7 * w + 1) * DAY - k * HOUR });
    const tt = churnFeatures(evs, { asOf, profiles: [{ customerId: 'z', signupDate: a - 28 * DAY }] });
    expect(col(tt, 'usageTrend', 'z')).toBeCloseTo(-1, 12);
    // Two weeks of tenure is too little for a trend: missing.
    const short = churnFeatures(evs.slice(0, 1), {
      asOf,
      profiles: [{ customerId: 'z', signupDate: a - 14 * DAY }],
    });
    expect(col(short, 'usageTrend', 'z')).toBeNull();
  });

  it('never reads events after asOf: adding future events changes nothing', () => {
    const future = [
      evNoon('a', 'subscription_cancelled', '2025-06-10'),
      evNoon('a', 'login', Date.parse(asOf) + 1, undefined, { userId: 'u9' }),
      evNoon('a', 'nps_response', '2025-06-02', 0),
      evNoon('c', 'purchase', '2025-07-01', 999),
      evNoon('a', 'ticket_resolved', '2025-06-03', undefined, { ticketId: 't2' }),
    ];
    const with_ = churnFeatures([...events, ...future], { asOf, profiles });
    expect(with_).toEqual(t);
  });

  it('counts an event stamped exactly at asOf (the one asOf rule: t <= asOf)', () => {
    const atAsOf = evNoon('a', 'login', asOf, undefined, { userId: 'u9' });
    const w = churnFeatures([...events, atAsOf], { asOf, profiles });
    const i = w.customerIds.indexOf('a');
    // One more active day in the last 7/30 days (asOf is a new day for customer a), a new user,
    // and the last event is now 0 days ago.
    expect(w.columns.activeDays30d?.[i]).toBe((t.columns.activeDays30d?.[i] as number) + 1);
    expect(w.columns.daysSinceLastEvent?.[i]).toBe(0);
    // A customer whose only event is at asOf is listed.
    const only = churnFeatures([evNoon('z', 'login', asOf)], { asOf });
    expect(only.customerIds).toEqual(['z']);
  });

  it('property: any events after asOf leave every feature unchanged', () => {
    const types = [
      'login',
      'purchase',
      'feature_used',
      'ticket_opened',
      'ticket_resolved',
      'nps_response',
      'subscription_cancelled',
      'subscription_started',
      'payment_failed',
      'seats_changed',
    ];
    const a = Date.parse(asOf);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            customerId: fc.constantFrom('a', 'c', 'new'),
            type: fc.constantFrom(...types),
            offset: fc.integer({ min: 1, max: 400 * 24 }),
            value: fc.integer({ min: 0, max: 10 }),
          }),
          { maxLength: 30 },
        ),
        (extra) => {
          const fut: CustomerEvent[] = extra.map((x) => ({
            customerId: x.customerId,
            type: x.type,
            timestamp: a + x.offset * HOUR,
            value: x.value,
            properties: { ticketId: 't2', userId: 'u7', feature: 'api', plan: 'gold' },
          }));
          expect(churnFeatures([...fut, ...events], { asOf, profiles })).toEqual(t);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('gives an empty table for no events', () => {
    const e = churnFeatures([], { asOf });
    expect(e.customerIds).toEqual([]);
    expect((e.columns.tenureDays as Float64Array).length).toBe(0);
  });
});

describe('churnFeatures on events not from parseEvents', () => {
  it('reads a value that is not a finite number as no value, as the store does (a Symbol threw a TypeError)', () => {
    const asOf = Date.UTC(2025, 0, 31);
    // One event per customer: sorting would reject the events it compares.
    const hostile = [
      { customerId: 'c1', type: 'seats_changed', timestamp: Date.UTC(2025, 0, 10), value: 5, properties: {} },
      {
        customerId: 'c2',
        type: 'seats_changed',
        timestamp: Date.UTC(2025, 0, 11),
        value: Symbol('x'),
        properties: {},
      },
      {
        customerId: 'c3',
        type: 'purchase',
        timestamp: Date.UTC(2025, 0, 12),
        value: Number.NaN,
        properties: {},
      },
    ] as unknown as CustomerEvent[];
    const t = churnFeatures(hostile, { asOf });
    expect(t.customerIds).toEqual(['c1', 'c2', 'c3']);
    expect(Array.from(t.columns.seats as Float64Array).slice(0, 1)).toEqual([5]);
    expect(Array.from(t.missing.seats as Uint8Array)).toEqual([0, 1, 1]);
    expect(t.columns.purchases?.[2]).toBe(1);
    expect(t.columns.monetary?.[2]).toBe(0);
  });
});
