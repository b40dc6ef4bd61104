import { describe, expect, it } from 'vitest';
import { historicalClv } from '../../src/clv/historicalClv';
import type { CustomerEvent } from '../../src/events/types';

const DAY = 86_400_000;
const t0 = Date.UTC(2024, 0, 1);

describe('historicalClv', () => {
  it('sums margin to date and gives a monthly run rate', () => {
    const events: CustomerEvent[] = [
      { customerId: 'a', type: 'purchase', timestamp: t0, value: 20 },
      { customerId: 'a', type: 'purchase', timestamp: t0 + 10 * DAY, value: 20 },
      { customerId: 'b', type: 'purchase', timestamp: t0 + 170 * DAY, value: 10 },
      { customerId: 'b', type: 'refund', timestamp: t0 + 171 * DAY, value: 10 },
    ];
    const r = historicalClv(events, { asOf: t0 + 182 * DAY, margin: 0.3 });
    // a: 40 × 0.3 = 12 over 182 days = 5.98 months → 2.006/month; b: 3 over 12 days → 1 month minimum
    expect(r.customers[0]).toEqual({
      customerId: 'a',
      value: 12,
      purchases: 2,
      tenureDays: 182,
      monthlyValue: 12 / (182 / (365.25 / 12)),
    });
    expect(r.customers[1]!.monthlyValue).toBeCloseTo(3, 12);
    expect(r.total).toBeCloseTo(15, 12);
  });

  it('gives an empty result without purchases', () => {
    expect(historicalClv([], { asOf: t0 })).toEqual({ customers: [], total: 0 });
  });
});
