/**
 * CLV on real data: the UCI Online Retail sample (../shared, never copied). Net revenue is one
 * definition across rfmSummary, historicalClv, estimateClv, transactionalMetrics and rfmScores;
 * the Pareto/NBD fit that finds no dropout is reported as degenerate and estimateClv switches.
 */
import { describe, expect, it } from 'vitest';
import { netRevenueByCustomer } from '../../src/_lib/revenue';
import { estimateClv, fitParetoNBD, historicalClv, rfmSummary } from '../../src/clv/index';
import type { CustomerEvent } from '../../src/events/types';
import { transactionalMetrics } from '../../src/metrics/index';
import { rfmScores } from '../../src/segment/index';
import { loadOnlineRetailEvents, onlineRetailAvailable } from './_onlineRetail';

const asOf = Date.UTC(2011, 11, 10); // the day after the last invoice (2011-12-09 12:50)

/** Net revenue of one customer by each of the five functions. */
function fiveWays(events: readonly CustomerEvent[], id: string): number[] {
  const own = events.filter((e) => e.customerId === id);
  const rfm = rfmSummary(events, { asOf, timeUnit: 'days' }).customers.find((c) => c.customerId === id);
  const hist = historicalClv(events, { asOf }).customers.find((c) => c.customerId === id);
  const est = estimateClv(events, { asOf, method: 'historical' }).customers.find((c) => c.customerId === id);
  const tm = transactionalMetrics(own, { from: Date.UTC(2010, 0, 1), to: asOf });
  const seg = rfmScores(events, { asOf }).customers.find((c) => c.customerId === id);
  return [rfm?.totalValue, hist?.value, est?.historicalValue, tm.netRevenue, seg?.monetary].map(
    (v) => Math.round((v ?? Number.NaN) * 100) / 100,
  );
}

describe('net revenue: one definition (customer 12346 of the full UCI file, rebuilt)', () => {
  // 77,183.60 ordered on 2011-01-18 10:01 (invoice 541431) and cancelled at 10:17 (C541433).
  const events: CustomerEvent[] = [
    { customerId: '12346', type: 'purchase', timestamp: Date.UTC(2011, 0, 18, 10, 1), value: 77183.6 },
    { customerId: '12346', type: 'refund', timestamp: Date.UTC(2011, 0, 18, 10, 17), value: 77183.6 },
    { customerId: 'other', type: 'purchase', timestamp: Date.UTC(2011, 0, 20), value: 10 },
  ];
  it('comes out 0 in all five functions and in netRevenueByCustomer', () => {
    expect(fiveWays(events, '12346')).toEqual([0, 0, 0, 0, 0]);
    expect(netRevenueByCustomer(events, { to: asOf }).get('12346')).toEqual({
      gross: 77183.6,
      refunds: 77183.6,
      net: 0,
      purchases: 1,
      refundEvents: 1,
    });
  });
  it('does not count a refund after asOf, and counts one exactly at asOf (asOf rule)', () => {
    const at = Date.UTC(2011, 0, 18, 10, 17);
    const before = rfmSummary(events, { asOf: at - 1, timeUnit: 'days' }).customers[0]!;
    expect(before.totalValue).toBe(77183.6);
    const exactly = rfmSummary(events, { asOf: at, timeUnit: 'days' }).customers[0]!;
    expect(exactly.totalValue).toBe(0);
    expect(exactly.refunds).toBe(77183.6);
    expect(historicalClv(events, { asOf: at }).customers[0]!.value).toBe(0);
    expect(historicalClv(events, { asOf: at - 1 }).customers[0]!.value).toBe(77183.6);
  });
});

describe.skipIf(!onlineRetailAvailable)('Online Retail sample (20k lines)', () => {
  const events = onlineRetailAvailable ? loadOnlineRetailEvents() : [];

  it('gives the same net revenue in the five functions for three customers checked by hand', () => {
    // 16996: refund 1 × 2.95 (2010-12-16, before any order), orders 24 × 4.25 = 102.00 and
    //        15 × 4.95 = 74.25 → 176.25 − 2.95 = 173.30
    expect(fiveWays(events, '16996')).toEqual([173.3, 173.3, 173.3, 173.3, 173.3]);
    // 15125: 12 × 7.65 = 91.80, 100 × 0.72 = 72.00, refund 51 × 0.72 = 36.72, 40 × 0.85 = 34.00
    //        → 91.80 + 72.00 − 36.72 + 34.00 = 161.08
    expect(fiveWays(events, '15125')).toEqual([161.08, 161.08, 161.08, 161.08, 161.08]);
    // 13314: invoice 568394 = 12 × 0.42 + 24 × 0.55 = 18.24, refund 2 × 2.95 = 5.90, 25 × 0.42 = 10.50
    //        → 18.24 − 5.90 + 10.50 = 22.84
    expect(fiveWays(events, '13314')).toEqual([22.84, 22.84, 22.84, 22.84, 22.84]);
  });

  it('attributes each refund to the latest order at or before it (the first order if none)', () => {
    const s = rfmSummary(events, { asOf, timeUnit: 'days' });
    const c16996 = s.customers.find((c) => c.customerId === '16996')!;
    expect(c16996.firstValue).toBeCloseTo(102 - 2.95, 9); // refund before every order → first order
    expect(c16996.monetaryValue).toBeCloseTo(74.25, 9);
    const c15125 = s.customers.find((c) => c.customerId === '15125')!;
    // repeat days 2011-04-14 (72.00 − 36.72 refunded on 05-05) and 2011-05-16 (34.00): mean 34.64
    expect(c15125.frequency).toBe(2);
    expect(c15125.monetaryValue).toBeCloseTo((72 - 36.72 + 34) / 2, 9);
  });

  it('flags the Pareto/NBD fit that finds no dropout as degenerate, with what it means and what to do', () => {
    const s = rfmSummary(events, { asOf, timeUnit: 'weeks' });
    const m = fitParetoNBD(s); // accepts the object rfmSummary returns
    const w = m.warnings.find((x) => x.code === 'degenerate_fit');
    expect(w?.message).toMatch(/boundary/);
    expect(w?.message).toMatch(/no dropout/);
    expect(w?.message).toMatch(/What to do: use a longer observation window/);
    expect(m.standardErrorsReason).toMatch(/Hessian/);
    // What it means: a customer silent for 52 weeks is still "certainly alive".
    expect(m.probabilityAlive({ frequency: 1, recency: 1, T: 53 })).toBeGreaterThan(0.99);
  });

  it('estimateClv switches away from the degenerate model and says why; no NaN anywhere', () => {
    const r = estimateClv(events, { asOf, currency: 'GBP', margin: 0.3 });
    const codes = r.warnings.map((w) => w.code);
    expect(codes).toContain('degenerate_fit');
    expect(codes).toContain('model_switched');
    expect(codes).toContain('negative_net_revenue');
    expect(r.method).not.toBe('paretonbd');
    expect(r.reason).toMatch(/degenerate/);
    const sw = r.warnings.find((w) => w.code === 'model_switched')!;
    expect(sw.message).toMatch(/Pareto\/NBD/);
    for (const c of r.customers) {
      expect(Number.isFinite(c.value ?? 0)).toBe(true);
      expect(c.explanation).not.toMatch(/\$/);
    }
    expect(r.customers.some((c) => c.explanation.includes('£'))).toBe(true);
    console.log(
      `[online-retail] estimateClv: ${r.method} — ${r.reason}\n  ${r.warnings.map((w) => `${w.code}: ${w.message}`).join('\n  ')}`,
    );
  });
});
