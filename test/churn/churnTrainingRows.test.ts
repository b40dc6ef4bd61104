import { describe, expect, it } from 'vitest';
import { InsufficientDataError, ValidationError } from '../../src/_lib/errors';
import { churnTrainingRows } from '../../src/churn/churnTrainingRows';
import { trainChurnModel } from '../../src/churn/trainChurnModel';
import { parseEvents } from '../../src/events/parseEvents';
import { generateSaasEvents } from '../../src/sample/generateSaasEvents';

describe('churnTrainingRows', () => {
  // A 30-day log: the sample generator cut to December 2025.
  const sample = generateSaasEvents({ customers: 120, seed: 3, start: '2025-12-02', end: '2026-01-01' });
  const { events } = parseEvents(sample.events);
  const asOf = '2026-01-01T00:00:00Z';

  it('explains too little data even when an event lies outside the range a Date holds (it threw a RangeError)', () => {
    const hostile = [
      { customerId: 'c1', type: 'login', timestamp: Date.UTC(2025, 0, 1), value: 1, properties: {} },
      { customerId: 'c2', type: 'login', timestamp: -1e20, value: 1, properties: {} },
    ];
    expect(() => churnTrainingRows(hostile as never, { asOf: '2025-01-02' })).toThrow(
      /the events span \d+ days \(-100000000000000000000 to 2025-01-01\)/,
    );
  });

  it('on a 30-day log at the default 30-day horizon, names the span and a horizon that works', () => {
    try {
      churnTrainingRows(events, { asOf, horizon: 30 });
      throw new Error('expected an InsufficientDataError');
    } catch (e) {
      expect(e).toBeInstanceOf(InsufficientDataError);
      const m = (e as Error).message;
      expect(m).toMatch(
        /^churnTrainingRows: no training rows: the events span 30 days \(2025-12-02 to 2025-12-31\)/,
      );
      // 30 days of history, 3 windows + 1 horizon of history: floor(30 / 4) = 7.
      expect(m).toContain('a horizon of 7 days fits (horizon: 7; CLI --horizon 7)');
    }
  });

  it('the suggested horizon trains a model', () => {
    const { rows, snapshots, positives } = churnTrainingRows(events, { asOf, horizon: 7 });
    expect(snapshots).toEqual([
      Date.parse('2025-12-25T00:00:00Z'),
      Date.parse('2025-12-18T00:00:00Z'),
      Date.parse('2025-12-11T00:00:00Z'),
    ]);
    expect(positives).toBeGreaterThan(0);
    expect(positives).toBeLessThan(rows.length);
    expect(trainChurnModel(rows).nTrain).toBe(rows.length);
  });

  it('rejects unknown options and a bad window count', () => {
    expect(() => churnTrainingRows(events, { asOf, horizn: 7 } as never)).toThrow(/did you mean "horizon"/);
    expect(() => churnTrainingRows(events, { asOf, windows: 0 })).toThrow(ValidationError);
    expect(() => churnTrainingRows(null as never, { asOf })).toThrow(ValidationError);
  });
});
