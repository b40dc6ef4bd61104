import { describe, expect, it } from 'vitest';
import { historicalClv } from '../../src/clv/historicalClv';
import type { CustomerEvent } from '../../src/events/types';

const DAY = 86_400_000;
const t0 = Date.UTC(2024, 0, 1);

describe('historicalClv', () => {
  it('sums net margin to date (refunds subtracted) and gives a monthly run rate', () => {
    const events: CustomerEvent[] = [
      { customerId: 'a', type: 'purchase', timestamp: t0, value: 20 },
      { customerId: 'a', type: 'purchase', timestamp: t0 + 10 * DAY, value: 20 },
      { customerId: 'b', type: 'purchase', timestamp: t0 + 170 * DAY, value: 10 },
      { customerId: 'b', type: 'refund', timestamp: t0 + 171 * DAY, value: 10 },
    ];
    const r = historicalClv(events, { asOf: t0 + 182 * DAY, margin: 0.3 });
    // a: 40 × 0.3 = 12 over 182 days = 5.98 months → 2.006/month;
    // b: (10 bought − 10 refunded) × 0.3 = 0 over 12 days (1 month minimum) → 0/month
    expect(r.customers[0]).toEqual({
      customerId: 'a',
      value: 12,
      purchases: 2,
      tenureDays: 182,
      monthlyValue: 12 / (182 / (365.25 / 12)),
    });
    expect(r.customers[1]!.value).toBe(0);
    expect(r.customers[1]!.monthlyValue).toBe(0);
    expect(r.total).toBeCloseTo(12, 12);
    expect(r.warnings).toEqual([]);
  });

  it('gives an empty result without purchases', () => {
    expect(historicalClv([], { asOf: t0 })).toEqual({ customers: [], total: 0, warnings: [] });
  });

  it('counts an event stamped exactly at asOf and ignores a later one (asOf rule)', () => {
    const events: CustomerEvent[] = [
      { customerId: 'a', type: 'purchase', timestamp: t0, value: 20 },
      { customerId: 'a', type: 'purchase', timestamp: t0 + 10 * DAY, value: 5 },
      { customerId: 'a', type: 'purchase', timestamp: t0 + 10 * DAY + 1, value: 100 },
    ];
    const r = historicalClv(events, { asOf: t0 + 10 * DAY });
    expect(r.customers[0]).toMatchObject({ value: 25, purchases: 2 }); // 20 + 5; the 100 is after asOf
  });

  it('rejects unknown options with the closest name and an invalid margin', () => {
    expect(() => historicalClv([], { asOf: t0, margn: 0.3 } as never)).toThrow(
      /historicalClv: unknown option "margn"; did you mean "margin"\?/,
    );
    expect(() => historicalClv([], { asOf: t0, margin: Number.NaN })).toThrow(/option "margin" must be/);
  });
});
