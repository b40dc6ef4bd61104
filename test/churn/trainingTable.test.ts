import { describe, expect, it } from 'vitest';
import { churnTrainingTable } from '../../src/churn/_trainingTable';
import { churnTrainingRows, trainChurnModel } from '../../src/churn/index';
import { toChurnSource } from '../../src/churn/toTimelines';
import { churnPredictionResult, churnResult } from '../../src/cli/commands/churn';
import { parseEvents } from '../../src/events/parseEvents';
import { parseProfiles } from '../../src/events/parseProfiles';
import type { CustomerProfile } from '../../src/events/types';
import { generateSaasEvents } from '../../src/sample/index';
import { toEventStore } from '../../src/store/index';

/** The CLI's churn training set as columns (_trainingTable.ts) against churnTrainingRows' rows. */
describe('churnTrainingTable', () => {
  const raw = generateSaasEvents({ customers: 120, seed: 5 });
  const sample = { events: parseEvents(raw.events).events, profiles: parseProfiles(raw.profiles).profiles };
  const asOf = Date.UTC(2025, 9, 1);

  it('gives the model of churnTrainingRows, bit for bit (events and store, with profiles)', () => {
    for (const events of [sample.events, toEventStore(sample.events)]) {
      const source = toChurnSource(events, 'test');
      const rows = churnTrainingRows(source, { asOf, horizon: 30, profiles: sample.profiles }).rows;
      const table = churnTrainingTable(source, asOf, 30, sample.profiles);
      expect(table).not.toBeNull();
      expect(table?.churned.length).toBe(rows.length);
      expect(trainChurnModel(table as never).toJSON()).toStrictEqual(trainChurnModel(rows).toJSON());
    }
  });

  it('keeps the CLI result identical (title, rows, reasons, warnings)', () => {
    const source = toChurnSource(sample.events, 'test');
    const viaRows = churnPredictionResult(
      churnTrainingRows(source, { asOf, horizon: 30, profiles: sample.profiles }).rows,
      [],
      asOf,
      30,
    );
    const viaTable = churnPredictionResult(
      churnTrainingTable(source, asOf, 30, sample.profiles) as never,
      [],
      asOf,
      30,
    );
    expect(JSON.stringify({ ...viaTable, columns: undefined })).toBe(
      JSON.stringify({ ...viaRows, columns: undefined }),
    );
    const full = churnResult(sample.events, sample.profiles, asOf, 30);
    expect(full.title).toMatch(new RegExp(`, ${viaRows.meta?.trainingRows} rows\\)`));
  });

  it('leaves the rows path (and its advice) to too short a history or one class', () => {
    const source = toChurnSource(sample.events, 'test');
    expect(churnTrainingTable(source, Date.UTC(2024, 0, 15), 30, sample.profiles)).toBeNull();
    expect(() => churnResult(sample.events, sample.profiles, Date.UTC(2024, 0, 15), 30)).toThrow(
      /churnTrainingRows/,
    );
  });

  it('leaves the rows path to a column that is numeric in one snapshot and text in another', () => {
    // `tier` is a number for the customers who had an event by the oldest snapshot (asOf − 90 days)
    // and text for the later ones: a number column there, a text column in the newer snapshots.
    const oldest = asOf - 90 * 86_400_000;
    const early = new Set(sample.events.filter((e) => e.timestamp <= oldest).map((e) => e.customerId));
    const late = sample.profiles.filter((p) => !early.has(p.customerId)).length;
    expect(late).toBeGreaterThan(0);
    const profiles: CustomerProfile[] = sample.profiles.map((p, i) => ({
      ...p,
      attributes: { tier: early.has(p.customerId) ? i % 3 : `t${i % 3}` },
    }));
    const source = toChurnSource(sample.events, 'test');
    expect(churnTrainingTable(source, asOf, 30, profiles)).toBeNull();
    const rows = churnTrainingRows(source, { asOf, horizon: 30, profiles }).rows;
    expect(churnResult(sample.events, profiles, asOf, 30).meta?.trainingRows).toBe(rows.length);
  });
});
