import { describe, expect, it } from 'vitest';
import { periodSeries, transactionalMetrics } from '../../src/metrics/index';
import { at, ev } from '../helpers/events';

const events = [
  ev('X', 'purchase', '2024-01-05', 100),
  ev('X', 'purchase', '2024-01-20', 50),
  ev('Y', 'purchase', '2024-01-10', 30),
  ev('X', 'refund', '2024-01-25', 10),
  ev('Z', 'purchase', '2024-02-01', 20),
  ev('Z', 'login', '2024-01-02'),
];

describe('transactionalMetrics', () => {
  it('computes AOV, purchase frequency, revenue per customer and repeat-purchase rate', () => {
    // January: 3 orders (180 gross), 2 customers (X twice, Y once), refunds 10 → net 170.
    // AOV 180/3 = 60; frequency 3/2 = 1.5; revenue per customer 170/2 = 85; repeat 1/2.
    const r = transactionalMetrics(events, { from: '2024-01-01', to: '2024-02-01' });
    expect(r).toEqual({
      value: 60,
      n: 3,
      orders: 3,
      customers: 2,
      grossRevenue: 180,
      refunds: 10,
      netRevenue: 170,
      averageOrderValue: 60,
      purchaseFrequency: 1.5,
      revenuePerCustomer: 85,
      repeatCustomers: 1,
      repeatPurchaseRate: 0.5,
    });
  });

  it('returns nulls with a reason when there are no purchases', () => {
    const r = transactionalMetrics(events, { from: '2024-03-01', to: '2024-04-01' });
    expect(r).toMatchObject({ n: 0, value: null, purchaseFrequency: null, repeatPurchaseRate: null });
    expect(r.reason).toBe('no purchases in the window');
  });

  it('runs by month through periodSeries', () => {
    const s = periodSeries(events, transactionalMetrics, {
      from: '2024-01-01',
      to: '2024-03-01',
      select: (r) => r.repeatPurchaseRate,
    });
    // Jan: 1 of 2 repeat; Feb: Z once → 0 of 1.
    expect(s.map((p) => [p.periodStart, p.value, p.n])).toEqual([
      [at('2024-01-01'), 0.5, 3],
      [at('2024-02-01'), 0, 1],
    ]);
  });
});
