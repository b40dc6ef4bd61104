import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DATA_USED, dataUsed, minimise, pseudonymise } from '../../src/privacy/index';
import { generateSaasEvents } from '../../src/sample/index';

const EVENTS = [
  { customerId: 'acme', type: 'login', timestamp: 1, properties: { userId: 'ann@acme.com', ip: '10.0.0.1' } },
  { customerId: 'acme', type: 'purchase', timestamp: 2, value: 20, properties: { email: 'ann@acme.com' } },
  { customerId: 'beta', type: 'feedback', timestamp: 3, properties: { text: 'Call me on 555-1234' } },
  { customerId: 'beta', type: 'login', timestamp: 4, properties: { userId: 7 } },
];

describe('pseudonymise', () => {
  it('replaces customer and user ids with keyed HMAC-SHA-256 pseudonyms, stable for a key', async () => {
    const r = await pseudonymise(EVENTS, { key: 'secret' });
    const expected = createHmac('sha256', 'secret').update('acme').digest('hex').slice(0, 12);
    expect(r.events[0]?.customerId).toBe(`c_${expected}`);
    expect(r.events[1]?.customerId).toBe(r.events[0]?.customerId);
    const user = createHmac('sha256', 'secret').update('user:ann@acme.com').digest('hex').slice(0, 12);
    expect(r.events[0]?.properties?.userId).toBe(`u_${user}`);
    expect(r.events[3]?.properties?.userId).toMatch(/^u_[0-9a-f]{12}$/);
    expect(r.events[0]?.properties?.ip).toBe('10.0.0.1'); // not an id property: minimise drops it
    expect([r.customers, r.ids, r.length]).toEqual([2, 2, 12]);
    expect(EVENTS[0]?.customerId).toBe('acme'); // input untouched
    const again = await pseudonymise(EVENTS, { key: 'secret' });
    expect(again.events).toEqual(r.events);
    const other = await pseudonymise(EVENTS, { key: 'other' });
    expect(other.events[0]?.customerId).not.toBe(r.events[0]?.customerId);
  });
  it('keeps every account distinct with a short pseudonym', async () => {
    const s = generateSaasEvents({ customers: 30, seed: 2, start: '2025-01-01', end: '2025-03-01' });
    const r = await pseudonymise(s.events as { customerId: string }[], {
      key: new Uint8Array([1, 2, 3]),
      length: 8,
    });
    expect(new Set(r.events.map((e) => e.customerId)).size).toBe(30);
    expect(r.length).toBeGreaterThanOrEqual(8);
  });
  it('rejects a missing key, unknown options and bad rows at once (validation is synchronous)', () => {
    expect(() => pseudonymise(EVENTS, {} as never)).toThrow(/"key" is required/);
    expect(() => pseudonymise(EVENTS, { key: '' })).toThrow(/"key"/);
    expect(() => pseudonymise(EVENTS, { key: 'k', lenght: 8 } as never)).toThrow(/did you mean "length"/);
    expect(() => pseudonymise([{ customerId: '' }], { key: 'k' })).toThrow(/row 0/);
  });
});

describe('minimise', () => {
  it('keeps only what the listed modules read', () => {
    const r = minimise(EVENTS, { for: ['clv'] });
    expect(r.events).toEqual([{ customerId: 'acme', type: 'purchase', timestamp: 2, value: 20 }]);
    expect(r.droppedEvents).toBe(3);
    expect(r.droppedFields).toEqual(['properties.email']);
    const h = minimise(EVENTS, { for: ['health'] });
    expect(h.events.map((e) => e.type)).toEqual(['login', 'purchase', 'login']);
    expect(h.events[0]?.properties).toEqual({ userId: 'ann@acme.com' });
    expect(h.droppedFields).toEqual(['properties.email', 'properties.ip']);
    const s = minimise(EVENTS, { for: ['sentiment'], keepProperties: ['ip'] });
    expect(s.events.map((e) => e.type)).toEqual(['feedback']);
    expect(s.kept).toContain('properties.text');
  });
  it('rejects unknown modules with a suggestion', () => {
    expect(() => minimise(EVENTS, { for: ['helth'] } as never)).toThrow(/did you mean "health"/);
    expect(() => minimise(EVENTS, {} as never)).toThrow(/"for"/);
    expect(() => minimise([3] as never, { for: ['clv'] })).toThrow(/row 0/);
  });
});

describe('dataUsed', () => {
  it('lists the union of the fields and types the modules read', () => {
    const d = dataUsed(['clv', 'actions']);
    expect(d.fields).toEqual(['customerId', 'properties.action', 'timestamp', 'type', 'value']);
    expect(d.types).toEqual([
      'purchase',
      'refund',
      'cs_action',
      'subscription_started',
      'subscription_cancelled',
    ]);
    expect(Object.keys(d.notes)).toEqual(['clv', 'actions']);
    expect(Object.keys(DATA_USED).length).toBeGreaterThanOrEqual(8);
    expect(() => dataUsed(['clvv'] as never)).toThrow(/did you mean "clv"/);
  });
});
