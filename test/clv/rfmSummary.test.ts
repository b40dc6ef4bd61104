import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { rfmSummary } from '../../src/clv/rfmSummary';
import type { CustomerEvent } from '../../src/events/types';
import { cdnowAvailable, cdnowDir, loadCdnowSummary } from '../helpers/sharedData';

const DAY = 86_400_000;
const d = (y: number, m: number, day: number, h = 0): number => Date.UTC(y, m - 1, day, h);
const buy = (customerId: string, timestamp: number, value?: number): CustomerEvent =>
  value === undefined
    ? { customerId, type: 'purchase', timestamp }
    : { customerId, type: 'purchase', timestamp, value };

describe('rfmSummary', () => {
  it('computes frequency, recency, T and repeat-purchase mean value in weeks', () => {
    const s = rfmSummary(
      [
        buy('a', d(2024, 1, 1), 10),
        buy('a', d(2024, 1, 15), 30),
        buy('a', d(2024, 1, 22), 50),
        buy('b', d(2024, 1, 8), 20),
      ],
      { asOf: d(2024, 1, 29), timeUnit: 'weeks' },
    );
    expect(s.customers.map((c) => c.customerId)).toEqual(['a', 'b']);
    const a = s.customers[0]!;
    // a: 3 purchase days → x = 2; t_x = 21 days = 3 weeks; T = 28 days = 4 weeks; mean repeat = (30+50)/2
    expect(a.frequency).toBe(2);
    expect(a.recency).toBe(3);
    expect(a.T).toBe(4);
    expect(a.monetaryValue).toBe(40);
    expect(a.totalValue).toBe(90);
    const b = s.customers[1]!;
    expect([b.frequency, b.recency, b.T, b.monetaryValue]).toEqual([0, 0, 3, 0]);
    expect(Array.from(s.columns.T)).toEqual([4, 3]);
  });

  it('counts same-day purchases once and sums their value', () => {
    const s = rfmSummary(
      [
        buy('a', d(2024, 1, 1, 9), 5),
        buy('a', d(2024, 1, 1, 18), 7),
        buy('a', d(2024, 1, 3, 1), 4),
        buy('a', d(2024, 1, 3, 23), 6),
      ],
      { asOf: d(2024, 1, 11), timeUnit: 'days' },
    );
    const a = s.customers[0]!;
    expect(a.frequency).toBe(1);
    expect(a.recency).toBe(2);
    expect(a.T).toBe(10);
    expect(a.monetaryValue).toBe(10); // 4 + 6 on the repeat day
    expect(a.firstValue).toBe(12);
  });

  it('splits calibration and holdout, leaving out customers first seen in the holdout', () => {
    const s = rfmSummary(
      [
        buy('a', d(2024, 1, 1), 10),
        buy('a', d(2024, 2, 5), 20),
        buy('a', d(2024, 2, 6), 30),
        buy('b', d(2024, 2, 10), 5),
      ],
      { asOf: d(2024, 3, 1), calibrationEnd: d(2024, 1, 29), timeUnit: 'weeks' },
    );
    expect(s.customers).toHaveLength(1);
    expect(s.ignored.newInHoldout).toBe(1);
    const a = s.customers[0]!;
    expect(a.frequency).toBe(0);
    expect(a.T).toBe(4);
    expect(a.holdoutFrequency).toBe(2);
    expect(a.holdoutMonetaryValue).toBe(25);
    // Jan 29 → Mar 1 = 32 days
    expect(s.holdoutDuration).toBeCloseTo(32 / 7, 12);
  });

  it('ignores non-purchases and purchases after asOf, and counts a missing value as 0 (missing-data policy)', () => {
    const s = rfmSummary(
      [
        buy('a', d(2024, 1, 1)),
        buy('a', d(2024, 1, 8), 8),
        { customerId: 'a', type: 'login', timestamp: d(2024, 1, 9) },
        buy('a', d(2024, 3, 1), 100),
      ],
      { asOf: d(2024, 2, 1), timeUnit: 'days' },
    );
    expect(s.ignored).toEqual({ afterAsOf: 1, newInHoldout: 0, nonPurchase: 1, refundsWithoutPurchase: 0 });
    expect(s.customers[0]!.totalValue).toBe(8);
    expect(rfmSummary([], { asOf: 0 }).customers).toEqual([]);
  });

  it('does not depend on the input order', () => {
    const ev = [
      buy('x', d(2024, 1, 3), 1),
      buy('y', d(2024, 1, 1), 2),
      buy('x', d(2024, 1, 1), 3),
      buy('x', d(2024, 1, 9), 4),
    ];
    const a = rfmSummary(ev, { asOf: d(2024, 2, 1) });
    const b = rfmSummary([...ev].reverse(), { asOf: d(2024, 2, 1) });
    expect(b.customers).toEqual(a.customers);
  });

  it('validates options', () => {
    expect(() => rfmSummary([], { asOf: 'not a date' })).toThrow(/rfmSummary: option "asOf"/);
    expect(() => rfmSummary([], { asOf: 0, timeUnit: 'years' as never })).toThrow(ValidationError);
    expect(() => rfmSummary([], { asOf: 0, calibrationEnd: DAY })).toThrow(/calibrationEnd/);
  });
});

describe.skipIf(!cdnowAvailable)('rfmSummary on CDNOW', () => {
  it('reproduces the published 2,357-customer calibration summary (x, t_x, T, zbar) exactly', () => {
    const text = cdnowAvailable ? readFileSync(resolve(cdnowDir, 'CDNOW_sample.txt'), 'utf8') : '';
    const events: CustomerEvent[] = text
      .trim()
      .split(/\r?\n/)
      .map((line) => {
        const [, sid, ymd, , dollars] = line.trim().split(/\s+/) as string[];
        const ts = Date.UTC(Number(ymd!.slice(0, 4)), Number(ymd!.slice(4, 6)) - 1, Number(ymd!.slice(6, 8)));
        return { customerId: String(Number(sid)), type: 'purchase', timestamp: ts, value: Number(dollars) };
      });
    const s = rfmSummary(events, { asOf: d(1998, 6, 30), calibrationEnd: d(1997, 9, 30), timeUnit: 'weeks' });
    expect(s.customers).toHaveLength(2357);
    expect(s.holdoutDuration).toBe(39);
    const byId = new Map(s.customers.map((c) => [c.customerId, c]));
    let mismatches = 0;
    for (const r of loadCdnowSummary()) {
      const c = byId.get(String(r.id));
      if (
        !c ||
        c.frequency !== r.x ||
        Math.abs(c.recency - r.tx) > 0.0051 ||
        Math.abs(c.T - r.T) > 0.0051 ||
        Math.abs(c.monetaryValue - r.zbar) > 0.0051
      )
        mismatches++;
    }
    expect(mismatches).toBe(0);
  });
});
