import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { inferMapping, parseEvents } from '../../src/events/index';

describe('inferMapping', () => {
  it('proposes month-first US dates when a value settles it, with the evidence', () => {
    const draft = inferMapping([
      {
        CustomerID: '17850',
        InvoiceNo: '536365',
        InvoiceDate: '12/13/2010 8:26',
        Quantity: '6',
        UnitPrice: '2.55',
      },
      {
        CustomerID: 'NA',
        InvoiceNo: 'C536379',
        InvoiceDate: '12/1/2010 9:41',
        Quantity: '-1',
        UnitPrice: '27.50',
      },
    ]);
    expect(draft.mapping.fields).toEqual({
      customerId: 'CustomerID',
      timestamp: 'InvoiceDate',
      eventId: 'InvoiceNo',
    });
    expect(draft.mapping.timestamp).toEqual({ format: 'M/d/yyyy H:mm' });
    expect(draft.reasons.find((r) => r.path === 'timestamp.format')?.reason).toContain(
      '"12/13/2010 8:26" has a day above 12',
    );
    expect(draft.mapping.placeholderIds).toEqual(['NA', '']);
  });
  it('warns instead of guessing when day and month order is not settled', () => {
    const draft = inferMapping([
      { user_id: 'a', event: 'login', date: '1/2/2024' },
      { user_id: 'b', event: 'login', date: '3/4/2024' },
    ]);
    expect(draft.mapping.timestamp).toBeUndefined();
    expect(draft.warnings.map((w) => w.code)).toEqual(['ambiguous_date']);
    expect(draft.mapping.fields).toMatchObject({ customerId: 'user_id', type: 'event', timestamp: 'date' });
  });
  it('proposes the unit of epoch-second columns and an amount column', () => {
    const draft = inferMapping([
      { account_id: 'a', ts: '1735787045', type: 'purchase', amount: '10' },
      { account_id: 'b', ts: '1735787999', type: 'purchase', amount: '12.5' },
    ]);
    expect(draft.mapping.timestamp).toEqual({ unit: 's' });
    expect(draft.mapping.fields).toMatchObject({
      customerId: 'account_id',
      timestamp: 'ts',
      value: 'amount',
      type: 'type',
    });
  });
  it('reads id columns that hold numbers (a JSON export) as text, so that parseEvents accepts the rows', () => {
    const rows = [
      {
        CustomerID: 17850,
        InvoiceNo: 536365,
        InvoiceDate: '2010-12-01 08:26:00',
        type: 'purchase',
        amount: 15.3,
      },
      {
        CustomerID: 17850,
        InvoiceNo: 536366,
        InvoiceDate: '2010-12-01 08:28:00',
        type: 'purchase',
        amount: 11.1,
      },
      {
        CustomerID: 13047,
        InvoiceNo: 536367,
        InvoiceDate: '2010-12-01 08:34:00',
        type: 'purchase',
        amount: 54.08,
      },
      {
        CustomerID: 'NA',
        InvoiceNo: 536368,
        InvoiceDate: '2010-12-01 08:35:00',
        type: 'purchase',
        amount: 3,
      },
    ];
    const draft = inferMapping(rows);
    expect(draft.mapping.fields?.customerId).toBeUndefined();
    expect(draft.mapping.derive).toMatchObject({
      customerId: { concat: ['CustomerID'] },
      eventId: { concat: ['InvoiceNo'] },
    });
    expect(draft.reasons.find((r) => r.path === 'derive.customerId')?.reason).toContain(
      'it holds numbers in 3 of 4 rows',
    );
    // With the draft, every row but the placeholder id goes in, ids as text.
    const parsed = parseEvents(rows, { mapping: draft.mapping });
    expect(parsed.stats).toMatchObject({ received: 4, accepted: 3, rejected: 1 });
    expect(parsed.rejected[0]?.issues[0]?.code).toBe('placeholder_id');
    expect(parsed.events.map((e) => [e.customerId, e.eventId])).toEqual([
      ['17850', '536365'],
      ['17850', '536366'],
      ['13047', '536367'],
    ]);
    // A mapping naming the column directly refuses the numbers (ids are text), as before.
    expect(
      parseEvents(rows, {
        mapping: {
          ...draft.mapping,
          fields: { ...draft.mapping.fields, customerId: 'CustomerID' },
          derive: { eventId: { concat: ['InvoiceNo'] } },
        },
      }).stats.accepted,
    ).toBe(0);
  });
  it('takes a numeric column whose name ends with an amount word as the amount (dollar_value), and then every row as a purchase', () => {
    const draft = inferMapping([
      { customer_id: '00001', date: '19970101', number_of_cds: '1', dollar_value: '11.77' },
      { customer_id: '00002', date: '19970112', number_of_cds: '2', dollar_value: '89.00' },
      { customer_id: '00002', date: '19970112', number_of_cds: '5', dollar_value: '57.50' },
    ]);
    expect(draft.mapping.fields).toEqual({
      customerId: 'customer_id',
      timestamp: 'date',
      value: 'dollar_value',
    });
    expect(draft.mapping.derive).toEqual({ type: { const: 'purchase' } });
    expect(draft.warnings.map((w) => w.code)).not.toContain('no_type');
    // A name that only contains the word elsewhere is not taken (valued_customer is no amount).
    const other = inferMapping([{ customer_id: 'a', date: '19970101', valued_customer: '1' }]);
    expect(other.mapping.fields?.value).toBeUndefined();
  });
  it('rejects input that is not rows', () => {
    expect(() => inferMapping(null as never)).toThrow(ValidationError);
    expect(() => inferMapping([1, 2] as never)).toThrow(/at least one row/);
  });
});
