/**
 * The churn functions given an EventStore build no event object (#13): every way the store module
 * materialises events (storeTimelines, storeEvents, storeSlice/storeRange, storeEvent) is replaced
 * here by one that fails the test, and the assembler of event objects is counted after the store is
 * built (the builder's sort uses it only to break exact ties).
 */
import { describe, expect, it, vi } from 'vitest';

const counts = vi.hoisted(() => ({ rowEvent: 0, counting: false }));

vi.mock('../../src/store/storeEvents', () => {
  const fail = (name: string) => () => {
    throw new Error(`${name} called: the store path materialised events`);
  };
  return {
    storeEvent: fail('storeEvent'),
    storeRange: fail('storeRange'),
    storeEvents: fail('storeEvents'),
    storeSlice: fail('storeSlice'),
    storeTimelines: fail('storeTimelines'),
  };
});
vi.mock('../../src/store/EventStore', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/store/EventStore')>();
  return {
    ...orig,
    rowEvent: (...args: Parameters<typeof orig.rowEvent>) => {
      if (counts.counting) counts.rowEvent++;
      return orig.rowEvent(...args);
    },
  };
});

const { backtest } = await import('../../src/churn/backtest');
const { churnFeatures } = await import('../../src/churn/churnFeatures');
const { churnLabels } = await import('../../src/churn/churnLabels');
const { churnTrainingRows } = await import('../../src/churn/churnTrainingRows');
const { churnResult } = await import('../../src/cli/commands/churn');
const { generateSaasEvents } = await import('../../src/sample/index');
const { parseEvents } = await import('../../src/events/parseEvents');
const { parseProfiles } = await import('../../src/events/parseProfiles');
const { toEventStore } = await import('../../src/store/toEventStore');

describe('churn from an EventStore materialises no event', () => {
  const sample = generateSaasEvents({ customers: 40, seed: 11, start: '2024-01-01', end: '2025-06-01' });
  const saas = {
    events: parseEvents(sample.events).events,
    profiles: parseProfiles(sample.profiles).profiles,
  };
  const store = toEventStore(saas.events);
  const asOf = Date.parse('2025-03-01T00:00:00Z');

  it('features, labels, training rows, backtest and the CLI result read columns only', () => {
    counts.counting = true;
    try {
      expect(churnFeatures(store, { asOf, profiles: saas.profiles }).customerIds.length).toBe(39); // one account starts after asOf
      expect(churnLabels(store, { asOf, horizon: 30 }).customerIds.length).toBeGreaterThan(0);
      expect(churnTrainingRows(store, { asOf, horizon: 30 }).rows.length).toBeGreaterThan(0);
      expect(backtest(store, { asOf, horizon: 30 }).nTest).toBeGreaterThan(0);
      expect(churnResult(store, saas.profiles, asOf, 30).items.length).toBeGreaterThan(0);
    } finally {
      counts.counting = false;
    }
    expect(counts.rowEvent).toBe(0);
  });

  it('the mocks bite: events as objects still work, and a store view would fail', async () => {
    expect(churnFeatures(saas.events, { asOf }).customerIds.length).toBe(39); // one account starts after asOf
    const { storeTimelines } = await import('../../src/store/storeEvents');
    expect(() => storeTimelines(store)).toThrow(/materialised events/);
  });
});
