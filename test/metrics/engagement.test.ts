import { describe, expect, it } from 'vitest';
import type { CustomerProfile } from '../../src/events/types';
import { activeCustomers, featureAdoption, licenseUtilization, stickiness } from '../../src/metrics/index';
import { at, ev, HOUR } from '../helpers/events';

const u = (userId: string, extra: Record<string, unknown> = {}) => ({ userId, ...extra });
const events = [
  ev('A', 'login', '2024-03-01', undefined, u('u1')),
  ev('A', 'login', '2024-03-01T10:00:00Z', undefined, u('u2')),
  ev('A', 'session', '2024-03-02', 30, u('u1')),
  ev('B', 'login', '2024-03-05'), // no userId
  ev('B', 'feature_used', '2024-03-20', undefined, u('u9', { feature: 'export' })),
  ev('A', 'feature_used', '2024-03-21', 3, u('u1', { feature: 'reports' })),
  ev('A', 'feature_used', '2024-03-22', undefined, u('u2', { feature: 'export' })),
  ev('C', 'purchase', '2024-03-10', 99), // not activity
  ev('A', 'login', '2024-04-02', undefined, u('u1')),
  ev('A', 'seats_changed', '2024-02-15', 5),
  ev('A', 'seats_changed', '2024-03-15', 2),
  ev('A', 'subscription_started', '2024-01-01', 100),
  ev('A', 'subscription_cancelled', '2024-04-15'),
];
const profiles: CustomerProfile[] = [
  { customerId: 'B', seats: 10 },
  { customerId: 'Z', seats: 3 },
];

describe('activeCustomers', () => {
  it('counts distinct active customers and users per month', () => {
    const s = activeCustomers(events, { from: '2024-03-01', to: '2024-05-01' });
    // March: customers A, B; users A/u1, A/u2, B/u9; 7 activity events, one without a userId.
    expect(s.map((p) => [p.value, p.activeCustomers, p.activeUsers, p.n, p.eventsWithoutUser])).toEqual([
      [2, 2, 3, 7, 1],
      [1, 1, 1, 1, 0],
    ]);
    expect(activeCustomers(events, { from: '2024-03-01', to: '2024-04-01', count: 'users' })[0]?.value).toBe(
      3,
    );
  });

  it('cuts days at local midnight across the New York spring-forward change', () => {
    const dst = [
      ev('A', 'login', '2024-03-10T04:59:00Z', undefined, u('u1')), // 03-09 23:59 EST
      ev('A', 'login', '2024-03-11T03:30:00Z', undefined, u('u1')), // 03-10 23:30 EDT
      ev('B', 'login', '2024-03-11T04:30:00Z', undefined, u('u7')), // 03-11 00:30 EDT
    ];
    const s = activeCustomers(dst, {
      from: '2024-03-09T05:00:00Z',
      to: '2024-03-12T04:00:00Z',
      period: 'day',
      timeZone: 'America/New_York',
    });
    expect(s.map((p) => [p.periodStart, p.periodEnd - p.periodStart, p.value])).toEqual([
      [at('2024-03-09T05:00:00Z'), 24 * HOUR, 1],
      [at('2024-03-10T05:00:00Z'), 23 * HOUR, 1],
      [at('2024-03-11T04:00:00Z'), 24 * HOUR, 1],
    ]);
    expect(s[2]?.activeUsers).toBe(1);
  });
});

describe('stickiness', () => {
  it('divides the average daily actives by the monthly actives', () => {
    const s = stickiness(events, { from: '2024-03-01', to: '2024-05-01' });
    // March user-days: 03-01 {u1, u2}, 03-02 {u1}, 03-20 {B/u9}, 03-21 {u1}, 03-22 {u2} = 6 → 6/31 per day;
    // MAU 3 → 6/31/3 = 0.064516. April: 1 user-day / 30 days / 1 user.
    expect(s.map((p) => [p.days, p.periodActive])).toEqual([
      [31, 3],
      [30, 1],
    ]);
    expect(s[0]?.averageDaily).toBeCloseTo(6 / 31, 12);
    expect(s[0]?.value).toBeCloseTo(6 / 31 / 3, 12);
    expect(s[1]?.value).toBeCloseTo(1 / 30, 12);
    // Customer level, March: A on 03-01, 03-02, 03-21, 03-22; B on 03-05, 03-20 → 6/31 over 2 customers.
    const c = stickiness(events, { from: '2024-03-01', to: '2024-04-01', level: 'customers' });
    expect(c[0]?.value).toBeCloseTo(6 / 31 / 2, 12);
  });

  it('returns null with a reason for a month without actives', () => {
    const s = stickiness(events, { from: '2024-01-01', to: '2024-02-01' });
    expect(s[0]).toMatchObject({ value: null, n: 0, reason: 'no active users in the period', days: 31 });
  });
});

describe('licenseUtilization', () => {
  it('divides active users by seats at period end, with profile seats as fallback', () => {
    const s = licenseUtilization(events, { from: '2024-01-01', to: '2024-05-01', profiles });
    // Jan: A subscribed but without seats yet; B (profile 10) and Z (profile 3, no events) → 0/13.
    // Feb: A 5 seats + B 10 + Z 3, no users → 0/18.
    // Mar: A 2 seats (changed 03-15) with u1, u2 → 2/2; B 1/10; Z 0/3 → 3/15 = 0.2; median of [1, 0.1, 0] = 0.1.
    // Apr: A cancelled on 04-15 → not licensed at period end; B 0/10, Z 0/3 → 0/13.
    expect(s.map((p) => [p.n, p.seats, p.activeUsers, p.value, p.overLicensed, p.underHalf])).toEqual([
      [2, 13, 0, 0, 0, 2],
      [3, 18, 0, 0, 0, 3],
      [3, 15, 3, 0.2, 0, 2],
      [2, 13, 0, 0, 0, 2],
    ]);
    expect(s[2]?.medianCustomerUtilization).toBeCloseTo(0.1, 12);
  });

  it('returns null with a reason when no customer has seats', () => {
    const s = licenseUtilization(events, { from: '2024-01-01', to: '2024-02-01' });
    expect(s[0]).toMatchObject({ n: 0, value: null, reason: 'no customer with seats at period end' });
  });
});

describe('featureAdoption', () => {
  it('gives each feature its share of active customers and each customer its breadth', () => {
    const r = featureAdoption(events, { from: '2024-03-01', to: '2024-04-01' });
    // Active: A, B. export: A (u2) and B (u9) → 2/2; reports: A (u1, used 3 times) → 1/2.
    expect(r.features).toEqual([
      { feature: 'export', customers: 2, share: 1, users: 2, uses: 2 },
      { feature: 'reports', customers: 1, share: 0.5, users: 1, uses: 3 },
    ]);
    // Breadth: A 2, B 1 → mean 1.5, median 1.5, distribution [0, 1, 1].
    expect(r.breadth).toEqual({ mean: 1.5, median: 1.5, max: 2, distribution: [0, 1, 1] });
    expect(r.value).toBe(1.5);
    expect(r.n).toBe(2);
    expect(r.byCustomer.get('B')).toBe(1);
  });

  it('uses a given denominator, and returns null with a reason without active customers', () => {
    const r = featureAdoption(events, { from: '2024-03-01', to: '2024-04-01', customers: 4 });
    expect(r.features[0]?.share).toBe(0.5);
    expect(r.value).toBe(0.75); // (2 + 1) / 4
    expect(featureAdoption(events, { from: '2024-01-01', to: '2024-02-01' })).toMatchObject({
      n: 0,
      value: null,
      reason: 'no active customers in the window',
    });
  });
});
