/** compareEvents on values that are not validated events (#18 fuzz finding): a located error, not a TypeError. */
import { describe, expect, it } from 'vitest';
import { compareEvents } from '../../src/events/groupByCustomer';
import type { CustomerEvent } from '../../src/events/types';
import { validationMessage as messageOf } from '../helpers/errors';

const good: CustomerEvent = { customerId: 'a', type: 'login', timestamp: 5 };
const bad = (v: unknown) => v as CustomerEvent;

describe('compareEvents validates what it compares', () => {
  it('rejects undefined (sorting [row, undefined] used to throw "reading \'timestamp\'")', () => {
    expect(messageOf(() => compareEvents(good, bad(undefined)))).toBe(
      'compareEvents: event b is undefined, not a validated event (number timestamp, string type, optional string eventId and number value); pass parseEvents(rows).events',
    );
  });

  it('names the field that is wrong and which argument holds it', () => {
    expect(messageOf(() => compareEvents(bad({ type: 'x', timestamp: '5' }), good))).toContain(
      'event a has timestamp "5"',
    );
    expect(messageOf(() => compareEvents(good, bad({ type: 'x', timestamp: Number.NaN })))).toContain(
      'event b has timestamp NaN',
    );
    expect(messageOf(() => compareEvents(good, bad({ type: Symbol.iterator, timestamp: 5 })))).toContain(
      'event b has type a symbol',
    );
    expect(messageOf(() => compareEvents(good, bad({ type: 'x', timestamp: 5, eventId: 7 })))).toContain(
      'has eventId 7',
    );
    expect(messageOf(() => compareEvents(good, bad({ type: 'x', timestamp: 5, value: 10n })))).toContain(
      'has value 10n',
    );
  });

  it('still orders validated events (timestamp, then type)', () => {
    const used: CustomerEvent = { customerId: 'a', type: 'feature_used', timestamp: 5 };
    expect(compareEvents(good, used)).toBeGreaterThan(0);
    expect(compareEvents({ ...good, timestamp: 1 }, used)).toBeLessThan(0);
    expect(compareEvents(good, { ...good })).toBe(0);
  });
});
