import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { EXPR_KEYS } from '../../src/events/_compileExpr';
import { compileMapping, parseEvents } from '../../src/events/index';

/** The error of a call that must throw a ValidationError. */
function errorOf(f: () => unknown): ValidationError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('did not throw');
}

// `then` is a key of the mapping syntax: build cases from JSON, as a mapping file would be read.
const cases = (json: string) => JSON.parse(json) as never;
const row = {
  CustomerID: '17850',
  InvoiceNo: '536365',
  InvoiceDate: '2010-12-01 08:26:00',
  Quantity: '6',
  UnitPrice: '2.55',
  Country: 'United Kingdom',
};
const retail = {
  fields: { customerId: 'CustomerID', timestamp: 'InvoiceDate', eventId: 'InvoiceNo' },
  derive: {
    value: { abs: { product: ['Quantity', 'UnitPrice'] } },
    type: cases(
      '{"cases":[{"when":{"field":"InvoiceNo","op":"starts_with","value":"C"},"then":{"const":"refund"}},{"when":"Quantity < 0","then":{"const":"refund"}}],"else":{"const":"purchase"}}',
    ),
    'properties.country': 'Country',
  },
};

describe('mapping: derived fields', () => {
  it('computes value = |Quantity × UnitPrice| and the type from the rules, on the raw row', () => {
    const r = parseEvents(
      [
        row,
        { ...row, InvoiceNo: 'C536379', Quantity: '-1', UnitPrice: '27.50' },
        { ...row, InvoiceNo: '536380', Quantity: '-2' },
      ],
      { mapping: retail },
    );
    expect(r.rejected).toEqual([]);
    // 6 × 2.55 = 15.3; |-1 × 27.50| = 27.5; |-2 × 2.55| = 5.1
    expect(r.events.map((e) => [e.type, e.value])).toEqual([
      ['purchase', expect.closeTo(15.3, 9)],
      ['refund', 27.5],
      ['refund', expect.closeTo(5.1, 9)],
    ]);
    expect(r.events[0]?.properties).toEqual({ country: 'United Kingdom' });
  });
  it('supports sum, concat, coalesce, negate, number, lower/upper/trim and const', () => {
    const r = parseEvents([{ id: ' ACME ', a: '1', b: '2.5', t: '2024-03-01', kind: 'Login', alt: '' }], {
      mapping: {
        derive: {
          customerId: { lower: { trim: 'id' } },
          type: { lower: 'kind' },
          timestamp: 't',
          value: { negate: { sum: ['a', 'b', { const: -10 }] } },
          eventId: { concat: ['id', { const: '-' }, { number: 'a' }] },
          'properties.label': { coalesce: ['alt', { upper: 'kind' }] },
        },
      },
    });
    expect(r.rejected).toEqual([]);
    // -(1 + 2.5 - 10) = 6.5
    expect(r.events[0]).toMatchObject({ customerId: 'acme', type: 'login', value: 6.5, eventId: 'ACME -1' });
    expect(r.events[0]?.properties).toEqual({ label: 'LOGIN' });
  });
  it('rejects a row whose expression fails, with a located issue', () => {
    const r = parseEvents(
      [
        { ...row, Quantity: 'six' },
        { ...row, UnitPrice: '' },
      ],
      { mapping: retail },
    );
    expect(r.rejected.map((x) => [x.index, x.issues[0]?.path.join('.'), x.issues[0]?.code])).toEqual([
      [0, 'value', 'expression_failed'],
      [1, 'value', 'expression_failed'],
    ]);
    expect(r.rejected[0]?.issues[0]?.message).toContain('"six" is not a plain number');
    expect(r.rejected[1]?.issues[0]?.message).toContain('"UnitPrice" is empty');
  });
  it('reads decimal commas, thousands and currency symbols with numberFormat, and rejects what does not match', () => {
    const mapping = {
      fields: { customerId: 'c', timestamp: 't', type: 'k', value: 'v' },
      numberFormat: { decimal: ',', thousands: '.', currency: true },
    } as const;
    const base = { c: 'a', t: '2024-03-01', k: 'purchase' };
    const r = parseEvents(
      [
        { ...base, v: '1.234,56' },
        { ...base, v: '€12' },
        { ...base, v: '12,5 EUR' },
        { ...base, v: '1,234.56' },
      ],
      { mapping },
    );
    expect(r.events.map((e) => e.value)).toEqual([1234.56, 12, 12.5]);
    expect(r.rejected[0]?.index).toBe(3);
    expect(r.rejected[0]?.issues[0]).toMatchObject({ path: ['value'], code: 'invalid_number' });
  });
  it('without numberFormat, names the format ambiguous numeric text appears to use', () => {
    const base = { customerId: 'a', timestamp: '2024-03-01', type: 'purchase' };
    const r = parseEvents([
      { ...base, value: '1.234,56' },
      { ...base, value: '1,234' },
    ]);
    expect(r.rejected[0]?.issues[0]?.message).toContain('decimal comma with "." thousands');
    expect(r.rejected[1]?.issues[0]?.message).toContain('"," is ambiguous here');
  });
});

describe('mapping: validation before any row is read', () => {
  it('names a missing column, suggests the closest and lists the columns', () => {
    const e = errorOf(() =>
      compileMapping({ fields: { customerId: 'customer_id' } }, { columns: Object.keys(row) }),
    );
    expect(e.issues[0]).toMatchObject({ path: ['fields', 'customerId'], code: 'unknown_column' });
    expect(e.message).toContain('column "customer_id" not found; did you mean "CustomerID"?');
    expect(e.message).toContain('"InvoiceNo", "InvoiceDate"');
  });
  it('takes dotted columns (props.userId, props.feature) as the object a mapping names (props), as a CSV reader nests them', () => {
    const columns = ['account_id', 'event_name', 'props.userId', 'props.feature'];
    const fields = { customerId: 'account_id', type: 'event_name', properties: 'props' };
    expect(() => compileMapping({ fields }, { columns })).not.toThrow();
    // A prefix is not a dotted parent: "prop" is still missing, and "props" with no column under it.
    const e = errorOf(() => compileMapping({ fields: { ...fields, properties: 'prop' } }, { columns }));
    expect(e.message).toContain('column "prop" not found');
    expect(() =>
      compileMapping({ fields }, { columns: ['account_id', 'event_name', 'propsX.userId'] }),
    ).toThrow(/column "props" not found/);
  });
  it('refuses every expression whose argument is not of its kind with a located ValidationError (sum: 5 was a TypeError)', () => {
    const ops = EXPR_KEYS;
    const args: unknown[] = [5, 'a', null, true, {}, [], [null], [{}], Object.create(null), [[]]];
    for (const op of ops)
      for (const arg of args) {
        let error: unknown = null;
        try {
          compileMapping({ fields: { customerId: 'id' }, derive: { value: { [op]: arg } } } as never);
        } catch (e) {
          error = e;
        }
        // Some are valid (const: 5, negate: "a"); none throws anything but a ValidationError.
        if (error !== null) {
          expect(error, `${op}: ${String(JSON.stringify(arg))}`).toBeInstanceOf(ValidationError);
          expect((error as ValidationError).issues[0]?.path.slice(0, 2)).toEqual(['derive', 'value']);
        }
      }
    expect(
      errorOf(() => compileMapping({ fields: {}, derive: { value: { sum: 5 } } } as never)).message,
    ).toContain('derive.value.sum takes a list of 1 to 100 expressions');
  });
  it('checks the columns of the rows in parseEvents, also those used in conditions', () => {
    const bad = {
      ...retail,
      derive: {
        ...retail.derive,
        type: cases('{"cases":[{"when":"Qty < 0","then":{"const":"refund"}}],"else":{"const":"purchase"}}'),
      },
    };
    const e = errorOf(() => parseEvents([row], { mapping: bad }));
    expect(e.issues[0]?.path).toEqual(['derive', 'type', 'cases', 0, 'when']);
    expect(e.message).toContain('column "Qty" not found');
  });
  it('locates problems inside expressions and conditions (derive.type.cases.0.when.op)', () => {
    const e = errorOf(() =>
      compileMapping({
        derive: {
          type: cases(
            '{"cases":[{"when":{"field":"Quantity","op":"lt","value":0},"then":{"const":"refund"}}]}',
          ),
        },
      }),
    );
    expect(e.issues[0]?.path).toEqual(['derive', 'type', 'cases', 0, 'when', 'op']);
  });
  it('rejects unknown keys with the closest valid name', () => {
    const e = errorOf(() =>
      compileMapping({ feilds: {}, derive: { value: { prodcut: ['a', 'b'] } }, timestamp: { fromat: 'x' } }),
    );
    const messages = e.issues.map((i) => i.message);
    expect(messages).toContain('unknown mapping key "feilds"; did you mean "fields"?');
    expect(messages.some((m) => m.includes('unknown expression "prodcut"; did you mean "product"?'))).toBe(
      true,
    );
    expect(
      messages.some((m) => m.includes('unknown timestamp option "fromat"; did you mean "format"?')),
    ).toBe(true);
  });
  it('throws a ValidationError (not a TypeError) for a field mapped to an object', () => {
    const e = errorOf(() => parseEvents([row], { mapping: { fields: { customerId: {} as never } } }));
    expect(e.issues[0]).toMatchObject({ path: ['fields', 'customerId'] });
  });
  it('rejects two fields reading one column, an unknown time zone and a field both mapped and derived', () => {
    const e = errorOf(() =>
      compileMapping({
        fields: { customerId: 'id', eventId: 'id', value: 'v' },
        derive: { value: 'w' },
        timestamp: { timeZone: 'Mars/Olympus' },
      }),
    );
    const messages = e.issues.map((i) => i.message).join('\n');
    expect(messages).toContain('both read column "id"');
    expect(messages).toContain('"value" is both in fields and in derive');
    expect(messages).toContain('timeZone "Mars/Olympus" is not a time zone');
  });
  it('caps expression nesting', () => {
    let expr: unknown = 'a';
    for (let i = 0; i < 5000; i++) expr = { abs: expr };
    const e = errorOf(() => compileMapping({ derive: { value: expr as never } }));
    expect(e.issues.some((i) => i.code === 'too_deep')).toBe(true);
  });
  it('hints at the mapping when a required field has no column at all', () => {
    const r = parseEvents([row]);
    const message = r.rejected[0]?.issues.find((i) => i.path[0] === 'type')?.message;
    expect(message).toContain(
      'type is required: the rows have no "type" column; name one with mapping.fields.type or compute it with mapping.derive.type',
    );
  });
});

describe('mapping: placeholder ids', () => {
  const base = { type: 'login', timestamp: '2024-03-01' };
  it('rejects the default placeholders (case-insensitive, trimmed) with placeholder_id and counts them', () => {
    const ids = ['NA', ' n/a ', '#N/A', 'null', 'None', 'nan', 'undefined', '(blank)', '-', '', 'acme'];
    const r = parseEvents(ids.map((customerId) => ({ ...base, customerId })));
    expect(r.stats.accepted).toBe(1);
    expect(r.stats.byIssue.get('placeholder_id')?.count).toBe(10);
  });
  it('uses the given list, and [] turns it off', () => {
    expect(
      parseEvents([{ ...base, customerId: 'NA' }], { mapping: { placeholderIds: [] } }).stats.accepted,
    ).toBe(1);
    const r = parseEvents([{ ...base, customerId: 'guest' }], { mapping: { placeholderIds: ['GUEST'] } });
    expect(r.rejected[0]?.issues[0]?.code).toBe('placeholder_id');
  });
});

describe('stats.byIssue', () => {
  it('counts rejected rows per code with up to 3 examples, keeping 0-based input indexes', () => {
    const ok = { customerId: 'a', type: 'login', timestamp: '2024-03-01' };
    const rows = [
      ok,
      { ...ok, customerId: 'NA' },
      { ...ok, customerId: 'NA', timestamp: 'x' },
      { ...ok, customerId: 'NA' },
      { ...ok, customerId: 'NA' },
      { ...ok, timestamp: 'x' },
    ];
    const r = parseEvents(rows);
    expect(r.stats).toMatchObject({ received: 6, accepted: 1, rejected: 5 });
    const p = r.stats.byIssue.get('placeholder_id');
    expect(p?.count).toBe(4);
    expect(p?.examples.map((x) => x.index)).toEqual([1, 2, 3]);
    expect(r.stats.byIssue.get('invalid_timestamp')?.count).toBe(2);
    expect(r.stats.byIssue.get('invalid_timestamp')?.examples[1]?.row).toBe(rows[5]);
  });
  it('names the format of a non-ISO date column from all its values', () => {
    const rows = ['12/1/2010 8:26', '12/2/2010 9:00', '12/13/2010 10:26'].map((timestamp) => ({
      customerId: 'a',
      type: 'login',
      timestamp,
    }));
    const r = parseEvents(rows);
    // Row 0 alone cannot say month-first; the whole column can (13 in second place).
    expect(r.rejected[0]?.issues[0]?.message).toBe(
      'timestamp "12/1/2010 8:26" is not ISO 8601; the column looks like M/d/yyyy H:mm (month first: "12/13/2010 10:26" has a day above 12 in second place (1 of 3 values)): set mapping.timestamp.format to "M/d/yyyy H:mm"',
    );
  });
});

describe('mapping: aggregate lines of one order', () => {
  const line = (invoice: string, customerId: string, q: string, p: string, at = '2011-01-01 10:00:00') => ({
    InvoiceNo: invoice,
    CustomerID: customerId,
    Quantity: q,
    UnitPrice: p,
    InvoiceDate: at,
    Country: 'UK',
  });
  const mapping = { ...retail, aggregate: { by: 'eventId' as const, value: 'sum' as const } };
  it('merges lines sharing an eventId into one event: earliest time, values summed', () => {
    const r = parseEvents(
      [
        line('1', 'a', '2', '1.5', '2011-01-01 10:01:00'),
        line('1', 'a', '1', '0.25'),
        line('2', 'a', '3', '1'),
      ],
      { mapping },
    );
    expect(r.stats).toMatchObject({ received: 3, accepted: 3, rejected: 0, merged: 1 });
    // 2 × 1.5 + 1 × 0.25 = 3.25, at the earlier line's 10:00
    expect(r.events).toEqual([
      {
        customerId: 'a',
        type: 'purchase',
        timestamp: Date.UTC(2011, 0, 1, 10),
        value: 3.25,
        eventId: '1',
        properties: { country: 'UK' },
      },
      {
        customerId: 'a',
        type: 'purchase',
        timestamp: Date.UTC(2011, 0, 1, 10),
        value: 3,
        eventId: '2',
        properties: { country: 'UK' },
      },
    ]);
  });
  it('gives the same event whatever the order of the lines', () => {
    const lines = [line('1', 'a', '3', '0.1'), line('1', 'a', '1', '0.2'), line('1', 'a', '7', '0.3')];
    const fwd = parseEvents(lines, { mapping }).events;
    const back = parseEvents([...lines].reverse(), { mapping }).events;
    expect(back).toEqual(fwd);
  });
  it('rejects every line of an order whose lines disagree on the customer', () => {
    const r = parseEvents([line('1', 'a', '1', '1'), line('1', 'b', '1', '1'), line('2', 'a', '1', '1')], {
      mapping,
    });
    expect(r.events.map((e) => e.eventId)).toEqual(['2']);
    expect(r.rejected.map((x) => [x.index, x.issues[0]?.code])).toEqual([
      [0, 'duplicate_event_id'],
      [1, 'duplicate_event_id'],
    ]);
    expect(r.rejected[0]?.issues[0]?.message).toContain('disagree on customerId');
    expect(r.stats.accepted + r.stats.rejected).toBe(3);
  });
});

describe('mapping: prototype safety of derived properties', () => {
  it('keeps a __proto__ key of the row properties as plain data when derive adds keys', () => {
    const rows = JSON.parse(
      '[{"customerId":"a","type":"login","timestamp":"2024-03-01","properties":{"__proto__":{"polluted":true},"x":1},"plan":"pro"}]',
    );
    const r = parseEvents(rows, { mapping: { derive: { 'properties.plan': 'plan' } } });
    const props = r.events[0]?.properties as Record<string, unknown>;
    expect(Object.hasOwn(props, '__proto__')).toBe(true);
    expect(props.plan).toBe('pro');
    expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('uses a null-prototype object when a derived key is __proto__', () => {
    const r = parseEvents([{ customerId: 'a', type: 'login', timestamp: '2024-03-01', p: 'x' }], {
      mapping: { derive: { 'properties.__proto__': 'p' } },
    });
    const props = r.events[0]?.properties as Record<string, unknown>;
    expect(Object.getPrototypeOf(props)).toBeNull();
    expect(Object.getOwnPropertyDescriptor(props, '__proto__')?.value).toBe('x');
  });
});
