import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { valueTiers } from '../../src/segment/valueTiers';

describe('valueTiers', () => {
  it('skips values beyond ±1e300 and keeps the Gini finite for values near it (both gave Infinity/NaN)', () => {
    const r = valueTiers([
      { customerId: 'a', value: 1.7976931348623157e308 },
      { customerId: 'b', value: 1e300 },
      { customerId: 'c', value: 1e300 },
      { customerId: 'd', value: 0 },
    ]);
    expect(r.skipped).toEqual(['a']);
    expect(r.total).toBe(2e300);
    // Ascending 0, 1e300, 1e300: Σ(2i − n − 1)·v = (−2)·0 + 0·1e300 + 2·1e300 = 2e300; G = 2e300 / (3 · 2e300) = 1/3.
    expect(r.gini).toBeCloseTo(1 / 3, 12);
    // Half of n customers at 0, half at 1e300: Σ(2i − n − 1)·v = 1e300 · n²/4 and Σv = 1e300 · n/2, so
    // G = (n²/4) / (n · n/2) = 0.5. At n = 20,000, n·Σv (2e308) overflows; at n = 40,000, so does the
    // weighted sum (4e308), and the Gini is taken in units of the largest value.
    for (const n of [20_000, 40_000]) {
      const many = Array.from({ length: n }, (_, i) => ({
        customerId: `c${i}`,
        value: i % 2 === 0 ? 1e300 : 0,
      }));
      expect(valueTiers(many).gini).toBeCloseTo(0.5, 12);
    }
  });

  const values = new Map<string, number | null>([
    ['a', 500],
    ['b', 200],
    ['c', 100],
    ['d', 100],
    ['e', 50],
    ['f', 30],
    ['g', 10],
    ['h', 10],
    ['i', 0],
    ['j', 0],
    ['k', null],
  ]);
  const tiers = [
    { name: 'Top', top: 0.2 },
    { name: 'Middle', top: 0.5 },
    { name: 'Rest', top: 1 },
  ];

  it('assigns tiers by the share of customers strictly above, ties in the same tier', () => {
    const res = valueTiers(values, { tiers });
    const t = Object.fromEntries(res.customers.map((c) => [c.customerId, c.tier]));
    // n = 10. above: a 0, b 0.1 → Top; c, d 0.2 (not < 0.2) → Middle; e 0.4 → Middle; f 0.5 → Rest ...
    expect(t).toEqual({
      a: 'Top',
      b: 'Top',
      c: 'Middle',
      d: 'Middle',
      e: 'Middle',
      f: 'Rest',
      g: 'Rest',
      h: 'Rest',
      i: 'Rest',
      j: 'Rest',
    });
    expect(res.skipped).toEqual(['k']);
    expect(res.customers.find((c) => c.customerId === 'd')).toMatchObject({ rank: 3, above: 0.2 });
    expect(res.customers[0]?.reason).toBe('value 500 ranks 1 of 10 (0% of customers higher) → Top (top 20%)');
  });

  it('computes the concentration view and tier value shares', () => {
    const res = valueTiers(values, { tiers, concentration: [0.1, 0.2, 0.5] });
    // total 1000: top 1 holds 500 (50%), top 2 hold 700 (70%), top 5 hold 950 (95%).
    expect(res.total).toBe(1000);
    expect(res.concentration.map((p) => [p.customers, p.valueShare])).toEqual([
      [1, 0.5],
      [2, 0.7],
      [5, 0.95],
    ]);
    expect(res.tiers.map((x) => [x.name, x.count, x.valueShare])).toEqual([
      ['Top', 2, 0.7],
      ['Middle', 3, 0.25],
      ['Rest', 5, 0.05],
    ]);
  });

  it('computes the Gini coefficient by hand', () => {
    // ascending [1, 1, 2]: Σ(2i − n − 1)·v = (−2)·1 + 0·1 + 2·2 = 2; G = 2 / (3 · 4) = 1/6
    const res = valueTiers([
      { customerId: 'x', value: 1 },
      { customerId: 'y', value: 2 },
      { customerId: 'z', value: 1 },
    ]);
    expect(res.gini).toBeCloseTo(1 / 6);
  });

  it('returns n = 0 with null shares and a reason for no values', () => {
    const res = valueTiers(new Map([['a', Number.NaN]]));
    expect(res).toMatchObject({ n: 0, gini: null, reason: 'no customer has a finite value', skipped: ['a'] });
    expect(res.concentration.every((p) => p.valueShare === null)).toBe(true);
  });

  it('rejects invalid tiers with a located message', () => {
    const bad = [
      { name: 'A', top: 0.5 },
      { name: 'B', top: 0.3 },
    ];
    expect(() => valueTiers(values, { tiers: bad })).toThrow(ValidationError);
    expect(() => valueTiers(values, { tiers: bad })).toThrow(
      /field "tiers\.1\.top": must be greater than the previous tier/,
    );
  });

  it('orders customers by id whatever the input order, formats money with currency, rejects unknown options', () => {
    const rows = [
      { customerId: 'z', value: 1234.5 },
      { customerId: 'm', value: 10 },
      { customerId: 'a', value: 99 },
    ];
    const res = valueTiers(rows, { currency: 'EUR' });
    expect(res.customers.map((c) => c.customerId)).toEqual(['a', 'm', 'z']);
    expect(valueTiers([...rows].reverse(), { currency: 'EUR' }).customers).toEqual(res.customers);
    expect(res.customers[2]?.reason).toBe(
      'value €1,234.50 ranks 1 of 3 (0% of customers higher) → Platinum (top 5%)',
    );
    expect(() => valueTiers(rows, { tier: [] } as never)).toThrow(/valueTiers: .*did you mean "tiers"\?/);
    expect(() => valueTiers(rows, { currency: 'XXXX' })).toThrow(/option "currency"/);
  });
});
