import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { parseSegmentRules } from '../../src/segment/parseSegmentRules';
import { segmentByRules } from '../../src/segment/segmentByRules';

const customers = [
  { customerId: 'a', plan: 'enterprise', mrr: 900, health: { score: 32 }, tags: ['beta'] },
  { customerId: 'b', plan: 'starter', mrr: 40, health: { score: 81 } },
  { customerId: 'c', plan: 'growth', mrr: 300 }, // no health
  { customerId: 'd', plan: 'enterprise', mrr: 1200, health: { score: 'n/a' } },
];

describe('segmentByRules', () => {
  const rules = {
    segments: [
      {
        name: 'Rescue',
        when: {
          all: [
            'health.score < 40',
            { any: [{ field: 'plan', op: '==', value: 'enterprise' }, 'mrr >= 1000'] },
          ],
        },
      },
      {
        name: 'Champions',
        when: { all: ['health.score >= 75', { not: { field: 'plan', op: '==', value: 'enterprise' } }] },
      },
      { name: 'Big', when: 'mrr > 500' },
      { name: 'No health', when: 'health.score missing' },
    ],
    default: 'Other',
  };

  it('evaluates nested all/any/not, first match, with reasons', () => {
    const res = segmentByRules(customers, rules);
    const by = Object.fromEntries(res.customers.map((c) => [c.customerId, c]));
    expect(by.a?.segment).toBe('Rescue');
    expect(by.a?.reason).toBe('Rescue: health.score 32 < 40 and plan "enterprise" == "enterprise"');
    expect(by.b?.segment).toBe('Champions');
    expect(by.b?.reason).toBe('Champions: health.score 81 >= 75 and not (plan "starter" != "enterprise")');
    expect(by.c?.segment).toBe('No health');
    expect(by.d?.segment).toBe('Big');
    expect(res.counts.get('Rescue')).toBe(1);
    expect(res.unassigned).toBe(0);
  });

  it('treats a missing field or a mistyped value as false, even for != and not_in', () => {
    const r = (when: unknown) =>
      segmentByRules(customers, { segments: [{ name: 'X', when }] })
        .customers.filter((c) => c.segment === 'X')
        .map((c) => c.customerId);
    expect(r('health.score != 50')).toEqual(['a', 'b', 'd']); // c has no health; d's string "n/a" != 50 is true
    expect(r('health.score < 100')).toEqual(['a', 'b']); // "n/a" < 100 is not comparable → false
    expect(r({ not: 'health.score < 100' })).toEqual(['c', 'd']);
    expect(r('tags contains "beta"')).toEqual(['a']);
    expect(r('plan in ["growth", "starter"]')).toEqual(['b', 'c']);
    expect(r('plan == growth')).toEqual(['c']); // bare word = string
    const none = segmentByRules(customers, { segments: [{ name: 'X', when: 'health.score < 40' }] });
    expect(none.customers.find((c) => c.customerId === 'c')).toMatchObject({
      segment: null,
      reason: 'no rule matched (X: health.score missing)',
    });
    expect(none.unassigned).toBe(3);
  });

  it('gives every matching segment in multi-label mode', () => {
    const res = segmentByRules(customers, { ...rules, mode: 'all' });
    expect(res.customers.find((c) => c.customerId === 'a')?.segments).toEqual(['Rescue', 'Big']);
    expect(res.customers.find((c) => c.customerId === 'b')?.segments).toEqual(['Champions']);
  });

  it('never reads the prototype chain and rejects __proto__ paths', () => {
    const evil = JSON.parse('{"customerId":"e","__proto__":{"admin":true}}');
    const res = segmentByRules([evil, { customerId: 'f' }], {
      segments: [
        { name: 'X', when: 'toString exists' },
        { name: 'Y', when: 'admin == true' },
      ],
    });
    // toString is inherited (not own) and admin sits on an own "__proto__" key, not on the record itself.
    expect(res.customers.map((c) => c.segment)).toEqual([null, null]);
    expect(() => parseSegmentRules({ segments: [{ name: 'X', when: '__proto__.polluted == 1' }] })).toThrow(
      /forbidden path segment "__proto__"/,
    );
    expect(() =>
      parseSegmentRules({ segments: [{ name: 'X', when: { field: 'a.constructor', op: 'exists' } }] }),
    ).toThrow(ValidationError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects invalid rules with located messages, all of them', () => {
    const bad = {
      segments: [
        { name: 'A', when: { all: [{ field: 'x', op: '=~', value: 1 }] } },
        { name: 'B', when: { any: [] } },
        { name: 'C', when: 'mrr >' },
        { name: 'D', when: { field: 'plan', op: 'in', value: 'x' } },
        { name: 'E', when: { nope: 1 } },
      ],
    };
    let err: ValidationError | undefined;
    try {
      segmentByRules(customers, bad);
    } catch (e) {
      err = e as ValidationError;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect(err?.message).toMatch(/^segmentByRules: invalid rules: field "segments\.0\.when\.all\.0\.op": /);
    expect(err?.issues.map((i) => i.path.join('.'))).toEqual([
      'segments.0.when.all.0.op',
      'segments.1.when.any',
      'segments.2.when',
      'segments.3.when.value',
      'segments.4.when',
    ]);
    expect(() => segmentByRules(customers, { segments: [] })).toThrow(/field "segments"/);
  });

  it('rejects nesting deeper than the limit instead of overflowing the stack', () => {
    let when: unknown = 'mrr > 1';
    for (let i = 0; i < 40; i++) when = { not: when };
    expect(() => parseSegmentRules({ segments: [{ name: 'Deep', when }] })).toThrow(
      /nested deeper than 32 levels/,
    );
  });

  it('accepts a Map of records and a custom id field', () => {
    const res = segmentByRules(new Map([['m1', { mrr: 10 }]]), {
      segments: [{ name: 'Small', when: 'mrr < 100' }],
    });
    expect(res.customers).toEqual([
      { customerId: 'm1', segment: 'Small', segments: ['Small'], reason: 'Small: mrr 10 < 100' },
    ]);
    const res2 = segmentByRules(
      [{ id: 'z', mrr: 1 }],
      { segments: [{ name: 'S', when: 'mrr < 100' }] },
      { idField: 'id' },
    );
    expect(res2.customers[0]?.customerId).toBe('z');
    expect(() => segmentByRules([{ mrr: 1 }], { segments: [{ name: 'S', when: 'mrr < 100' }] })).toThrow(
      /field "customers.0.customerId"/,
    );
  });

  it('property: not inverts any comparison, and multi-label mode extends the first match', () => {
    const value = fc.oneof(
      fc.integer({ min: -5, max: 5 }),
      fc.constantFrom('a', 'b'),
      fc.constant(null),
      fc.constant(undefined),
    );
    const op = fc.constantFrom('<', '<=', '>', '>=', '==', '!=', 'exists', 'missing');
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 20 }),
        op,
        fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom('a', 'b')),
        (xs, o, v) => {
          const records = xs.map((x, i) => ({ customerId: `c${i}`, m: { x } }));
          const cmp =
            o === 'exists' || o === 'missing' ? { field: 'm.x', op: o } : { field: 'm.x', op: o, value: v };
          const res = segmentByRules(records, {
            mode: 'all',
            segments: [
              { name: 'P', when: cmp },
              { name: 'N', when: { not: cmp } },
              { name: 'Any', when: { any: [cmp, { not: cmp }] } },
            ],
          });
          for (const c of res.customers) {
            expect(c.segments.includes('P')).toBe(!c.segments.includes('N'));
            expect(c.segments).toContain('Any');
            expect(c.segment).toBe(c.segments[0]);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('orders customers by id whatever the input order, and rejects unknown options (#18, #12)', () => {
    const recs = [
      { customerId: 'b', mrr: 600 },
      { customerId: 'a', mrr: 10 },
      { customerId: 'B', mrr: 900 },
    ];
    const res = segmentByRules(recs, rules);
    expect(res.customers.map((c) => c.customerId)).toEqual(['B', 'a', 'b']);
    expect(segmentByRules([...recs].reverse(), rules).customers).toEqual(res.customers);
    expect(() => segmentByRules(recs, rules, { idFeld: 'id' } as never)).toThrow(
      /segmentByRules: .*unknown option "idFeld"; did you mean "idField"\?/,
    );
  });

  it('reads shorthand numbers .5 and +50 as numbers and rejects 10k instead of comparing strings (#18)', () => {
    const res = segmentByRules(
      [
        { customerId: 'a', share: 0.4, mrr: 60 },
        { customerId: 'b', share: 0.6, mrr: 40 },
      ],
      {
        segments: [
          { name: 'Low share', when: 'share < .5' },
          { name: 'Paying', when: 'mrr >= +50' },
        ],
      },
    );
    expect(res.customers.map((c) => c.segment)).toEqual(['Low share', null]);
    const paying = segmentByRules([{ customerId: 'b', share: 0.6, mrr: 60 }], {
      segments: [{ name: 'Paying', when: 'mrr >= +50' }],
    });
    expect(paying.customers[0]?.segment).toBe('Paying');
    expect(() => segmentByRules([], { segments: [{ name: 'Big', when: 'mrr > 10k' }] })).toThrow(
      ValidationError,
    );
  });
});
