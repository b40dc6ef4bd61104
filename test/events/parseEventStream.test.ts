import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { parseEventStream, parseEvents, type RejectedRow } from '../../src/events/index';

const ok = (i: number) => ({
  customerId: `c${i % 7}`,
  type: 'login',
  timestamp: Date.UTC(2024, 0, 1) + i * 1000,
  eventId: `e${i % 50}`,
});
const rows = Array.from({ length: 300 }, (_, i) => (i % 10 === 3 ? { ...ok(i), customerId: 'NA' } : ok(i)));

async function* chunks<T>(list: readonly T[], size: number): AsyncGenerator<T[]> {
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}

describe('parseEventStream', () => {
  it('gives the same events and stats as parseEvents, from async chunks', async () => {
    const whole = parseEvents(rows);
    const streamed = await parseEventStream(chunks(rows, 64));
    expect(streamed.events).toEqual(whole.events);
    expect(streamed.stats).toEqual(whole.stats);
  });
  it('reads a sync iterable of rows', async () => {
    const r = await parseEventStream(rows.values());
    expect(r.stats.accepted).toBe(parseEvents(rows).stats.accepted);
  });
  it('keeps at most maxRejected rejected rows, exact counts, and every rejected row in onRejected', async () => {
    const seen: RejectedRow[] = [];
    const r = await parseEventStream(chunks(rows, 50), { maxRejected: 5, onRejected: (x) => seen.push(x) });
    const whole = parseEvents(rows);
    expect(r.rejected).toHaveLength(5);
    expect(r.stats.rejected).toBe(whole.stats.rejected);
    expect(seen).toHaveLength(whole.stats.rejected);
    expect(new Set(seen.map((x) => x.index))).toEqual(new Set(whole.rejected.map((x) => x.index)));
    expect(r.stats.byIssue.get('placeholder_id')?.count).toBe(
      whole.stats.byIssue.get('placeholder_id')?.count,
    );
  });
  it('keeps the same duplicate whatever the order (deterministic dedup)', async () => {
    const a = { customerId: 'a', type: 'login', timestamp: Date.UTC(2024, 0, 2), eventId: 'x' };
    const b = { ...a, timestamp: Date.UTC(2024, 0, 1) };
    expect((await parseEventStream([[a, b]])).events).toEqual((await parseEventStream([[b, a]])).events);
  });
  it('checks the mapping against the given columns before reading rows', async () => {
    await expect(
      parseEventStream([[{ CustomerID: '1' }]], {
        mapping: { fields: { customerId: 'customer_id' } },
        columns: ['CustomerID'],
      }),
    ).rejects.toThrow(/did you mean "CustomerID"/);
  });
  it('rejects a source that is not iterable', async () => {
    await expect(parseEventStream(42 as never)).rejects.toBeInstanceOf(ValidationError);
  });
});
