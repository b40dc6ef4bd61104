import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { inferMapping } from '../../src/events/index';

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
  it('rejects input that is not rows', () => {
    expect(() => inferMapping(null as never)).toThrow(ValidationError);
    expect(() => inferMapping([1, 2] as never)).toThrow(/at least one row/);
  });
});
