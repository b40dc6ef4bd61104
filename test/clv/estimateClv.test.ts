import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { estimateClv } from '../../src/clv/estimateClv';
import { rfmSummary } from '../../src/clv/rfmSummary';
import { parseEvents } from '../../src/events/parseEvents';
import type { CustomerEvent } from '../../src/events/types';
import { generateRetailTransactions } from '../../src/sample/index';

const DAY = 86_400_000;
const buy = (customerId: string, day: number, value: number): CustomerEvent => ({
  customerId,
  type: 'purchase',
  timestamp: Date.UTC(2024, 0, 1) + day * DAY,
  value,
});

describe('estimateClv', () => {
  const sample = generateRetailTransactions({ customers: 1500, seed: 11 });
  const events = parseEvents(sample.events).events;
  const res = estimateClv(events, { asOf: sample.end, margin: 0.3, horizonMonths: 12, currency: 'USD' });

  it('fits Pareto/NBD + Gamma-Gamma on enough data and explains each value', () => {
    expect(res.method).toBe('paretonbd');
    expect(res.reason).toMatch(/Pareto\/NBD/);
    expect(res.spendModel).not.toBeNull();
    expect(res.customers).toHaveLength(new Set(events.map((e) => e.customerId)).size);
    const top = res.customers[0]!;
    expect(top.explanation).toMatch(
      /^expected \d+\.\d more purchases over 12 months if still active × \$[\d,.]+ average × 0\.\d\d chance still active × 30% margin = \$/,
    );
    expect(res.warnings).toEqual([]);
    // value = margin × average × discounted expected purchases ≤ margin × average × expected purchases
    expect(top.value as number).toBeLessThanOrEqual(
      0.3 * (top.averageValue as number) * (top.expectedPurchases as number) + 1e-9,
    );
    expect(top.value as number).toBeGreaterThan(
      0.9 * 0.3 * (top.averageValue as number) * (top.expectedPurchases as number),
    );
    for (let i = 1; i < res.customers.length; i++) {
      expect(res.customers[i - 1]!.value as number).toBeGreaterThanOrEqual(res.customers[i]!.value as number);
    }
  });

  it('recovers the generator parameters roughly and has a consistent value distribution', () => {
    const p = res.model!.params as { r: number; s: number };
    expect(p.r).toBeGreaterThan(0.3);
    expect(p.r).toBeLessThan(0.9);
    const d = res.distribution;
    expect(d.n).toBe(res.customers.length);
    expect(d.p10 as number).toBeLessThanOrEqual(d.median as number);
    expect(d.median as number).toBeLessThanOrEqual(d.p90 as number);
    expect(d.max).toBe(res.customers[0]!.value);
    for (const c of res.customers) expect(Number.isFinite(c.value)).toBe(true);
  });

  it('can be forced to MBG/NBD and then agrees with Pareto/NBD on the total within 10%', () => {
    const mbg = estimateClv(events, { asOf: sample.end, margin: 0.3, horizonMonths: 12, method: 'mbgnbd' });
    expect(mbg.method).toBe('mbgnbd');
    const a = mbg.distribution.total as number;
    const b = res.distribution.total as number;
    expect(Math.abs(a - b) / b).toBeLessThan(0.1);
  });

  it('falls back to the formula CLV with a stated reason when there are too few customers', () => {
    const few = [
      buy('a', 0, 10),
      buy('a', 30, 20),
      buy('a', 60, 30),
      buy('b', 0, 50),
      buy('c', 5, 40),
      buy('c', 200, 40),
    ];
    const r = estimateClv(few, { asOf: Date.UTC(2024, 0, 1) + 365 * DAY });
    expect(r.method).toBe('formula');
    expect(r.reason).toMatch(/^only 3 customers and 2 repeat buyers/);
    expect(r.reason).toMatch(/churn/);
    for (const c of r.customers) {
      expect(c.value === null || Number.isFinite(c.value)).toBe(true);
      expect(c.explanation).toMatch(/churn/);
    }
  });

  it('uses the historical CLV when no churn can be observed', () => {
    const r = estimateClv([buy('a', 0, 10), buy('a', 3, 20)], {
      asOf: Date.UTC(2024, 0, 1) + 10 * DAY,
      margin: 0.5,
    });
    expect(r.method).toBe('historical');
    expect(r.customers[0]!.value).toBe(15); // (10 + 20) × 0.5
    expect(r.customers[0]!.explanation).toMatch(/historical value/);
  });

  it('returns method "none" and n: 0 without purchases (missing-data policy)', () => {
    const r = estimateClv([{ customerId: 'a', type: 'login', timestamp: 0 }], { asOf: DAY });
    expect(r.method).toBe('none');
    expect(r.customers).toEqual([]);
    expect(r.distribution).toMatchObject({ n: 0, total: null, mean: null });
  });

  it('validates options', () => {
    expect(() => estimateClv([], { asOf: 0, horizonMonths: -1 })).toThrow(ValidationError);
    expect(() => estimateClv([], { asOf: 'yesterday' })).toThrow(/estimateClv: option "asOf"/);
  });

  it('takes a ready rfmSummary as input (same result as from the events) and rejects a malformed one', () => {
    const events = [
      { customerId: 'a', type: 'purchase', timestamp: 0, value: 10 },
      { customerId: 'a', type: 'purchase', timestamp: 7 * DAY, value: 20 },
      { customerId: 'b', type: 'purchase', timestamp: DAY, value: 5 },
    ];
    const opts = { asOf: 30 * DAY, method: 'historical' as const };
    const summary = rfmSummary(events, { asOf: 30 * DAY });
    expect(estimateClv(summary, opts)).toEqual(estimateClv(events, opts));
    const { warnings: _w, ...noWarnings } = summary;
    expect(estimateClv(noWarnings as never, opts).customers).toEqual(estimateClv(events, opts).customers);
    for (const bad of [
      {},
      { customers: [] },
      { ...summary, timeUnit: 'years' },
      { ...summary, warnings: 3 },
    ]) {
      expect(() => estimateClv(bad as never, opts)).toThrow(ValidationError);
    }
    const broken = {
      ...summary,
      customers: [{ ...summary.customers[0], T: Number.NaN }, summary.customers[1]],
    };
    expect(() => estimateClv(broken as never, opts)).toThrow(/customers\[0\]\.T is not finite/);
    const short = { ...summary, columns: { ...summary.columns, T: new Float64Array(1) } };
    expect(() => estimateClv(short as never, opts)).toThrow(/columns\.T/);
  });
});
