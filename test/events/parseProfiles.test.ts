import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { parseProfiles } from '../../src/events/index';

describe('parseProfiles', () => {
  it('normalises dates to epoch ms UTC and numeric strings to numbers', () => {
    const r = parseProfiles([
      {
        customerId: 'acme',
        plan: 'pro',
        mrr: '99',
        seats: 10,
        signupDate: '2024-01-15',
        renewalDate: '2025-01-15T00:00:00Z',
      },
    ]);
    expect(r.profiles).toEqual([
      {
        customerId: 'acme',
        plan: 'pro',
        mrr: 99,
        seats: 10,
        signupDate: Date.UTC(2024, 0, 15),
        renewalDate: Date.UTC(2025, 0, 15),
      },
    ]);
    expect(r.stats).toEqual({ received: 1, accepted: 1, rejected: 0, duplicates: 0, conflicts: 0 });
  });
  it('renames fields with a mapping', () => {
    const r = parseProfiles([{ id: 'a', tier: 'free', started: '2024-02-01' }], {
      mapping: { fields: { customerId: 'id', plan: 'tier', signupDate: 'started' } },
    });
    expect(r.profiles[0]).toEqual({ customerId: 'a', plan: 'free', signupDate: Date.UTC(2024, 1, 1) });
  });
  it.each([
    ['negative mrr', { customerId: 'a', mrr: -1 }, 'mrr', 'mrr must not be negative'],
    ['fractional seats', { customerId: 'a', seats: 1.5 }, 'seats', 'whole number'],
    [
      'bad signup date',
      { customerId: 'a', signupDate: 'soon' },
      'signupDate',
      'signupDate "soon" is not ISO 8601',
    ],
    [
      'impossible renewal date',
      { customerId: 'a', renewalDate: '2025-02-30' },
      'renewalDate',
      'February 2025 has 28 days',
    ],
    ['placeholder id', { customerId: 'N/A' }, 'customerId', 'is a placeholder'],
    [
      'nested attribute',
      { customerId: 'a', attributes: { x: { y: 1 } } },
      'attributes',
      'plain object of strings',
    ],
    ['missing id', { plan: 'x' }, 'customerId', 'customerId is required'],
  ])('rejects %s with a located message', (_n, row, field, message) => {
    const r = parseProfiles([row]);
    expect(r.stats.rejected).toBe(1);
    expect(r.rejected[0]?.issues[0]?.path).toEqual([field]);
    expect(r.rejected[0]?.issues[0]?.message).toContain(message);
  });
  it('drops identical duplicates but rejects every row of a customer with conflicting profiles', () => {
    const r = parseProfiles([
      { customerId: 'a', plan: 'x' },
      { customerId: 'a', plan: 'x' },
      { customerId: 'b', plan: 'x' },
      { customerId: 'b', plan: 'y' },
    ]);
    expect(r.profiles.map((p) => p.customerId)).toEqual(['a']);
    expect(r.stats).toEqual({ received: 4, accepted: 1, rejected: 3, duplicates: 1, conflicts: 2 });
    expect(r.rejected.map((x) => [x.index, x.issues[0]?.code])).toEqual([
      [1, 'duplicate_profile'],
      [2, 'conflicting_profile'],
      [3, 'conflicting_profile'],
    ]);
  });
  it('gives the same profiles whatever the input order', () => {
    const rows = [{ customerId: 'z' }, { customerId: 'b', plan: 'p' }, { customerId: 'm', mrr: 3 }];
    expect(parseProfiles([...rows].reverse()).profiles).toEqual(parseProfiles(rows).profiles);
  });
  it('copies attributes into a null-prototype object so __proto__ is plain data', () => {
    const r = parseProfiles(JSON.parse('[{"customerId":"a","attributes":{"__proto__":"x","tier":"gold"}}]'));
    const attrs = r.profiles[0]?.attributes ?? {};
    expect(Object.getPrototypeOf(attrs)).toBeNull();
    expect(attrs.tier).toBe('gold');
    expect(Object.hasOwn(attrs, '__proto__')).toBe(true);
  });
  it('throws a ValidationError naming the row in strict mode', () => {
    expect(() => parseProfiles([{ customerId: 'a' }, { customerId: '' }], { strict: true })).toThrow(
      ValidationError,
    );
    expect(() => parseProfiles([{ customerId: '' }], { strict: true })).toThrow(/row 0, field "customerId"/);
  });
});

describe('parseProfiles: the mapping language', () => {
  it('derives fields, reads dates in a format and numbers with a decimal comma', () => {
    const r = parseProfiles([{ Kunde: 'K1', Seit: '15.01.2024', Umsatz: '1.234,50', Tarif: ' PRO ' }], {
      mapping: {
        fields: { customerId: 'Kunde', signupDate: 'Seit', mrr: 'Umsatz' },
        derive: { plan: { lower: { trim: 'Tarif' } } },
        timestamp: { format: 'dd.MM.yyyy', timeZone: 'Europe/Berlin' },
        numberFormat: { decimal: ',', thousands: '.' },
      },
    });
    // 2024-01-15 00:00 in Berlin (CET, UTC+1) = 2024-01-14T23:00Z
    expect(r.profiles).toEqual([
      { customerId: 'K1', signupDate: Date.UTC(2024, 0, 14, 23), mrr: 1234.5, plan: 'pro' },
    ]);
  });
  it('names a missing column before reading rows', () => {
    expect(() => parseProfiles([{ id: 'a' }], { mapping: { fields: { customerId: 'ID_' } } })).toThrow(
      /column "ID_" not found; did you mean "id"\?/,
    );
  });
});
