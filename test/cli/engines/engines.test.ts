/**
 * The optional engines: DuckDB over files (CSV / NDJSON / Parquet) gives the JS results, and
 * Parquet is readable on the JS path through hyparquet.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { churnFeatures } from '../../../src/churn/churnFeatures';
import { duckdbChurnFeatures, duckdbHealth, duckdbRfm, loadDuckDb } from '../../../src/cli/engines/duckdb';
import { readParquetRows } from '../../../src/cli/engines/parquet';
import { rfmSummary } from '../../../src/clv/rfmSummary';
import { parseEvents } from '../../../src/events/parseEvents';
import { scoreHealth } from '../../../src/health/scoreHealth';
import { generateRetailTransactions, generateSaasEvents } from '../../../src/sample';
import { duckdbAvailable } from '../../sql/_duck';

const hasDuck = await duckdbAvailable();
if (!hasDuck)
  console.warn('[engines] @duckdb/node-api is not installed: the DuckDB engine tests are SKIPPED.');

const dir = mkdtempSync(join(tmpdir(), 'cv-engines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasDuck)('duckdb engine over files', () => {
  const saas = generateSaasEvents({ customers: 15, seed: 21 });
  const events = parseEvents(saas.events).events;
  const asOf = '2025-07-01T00:00:00Z';
  // An export as a data team has it: ISO timestamps, nested properties.
  const ndjson = join(dir, 'events.ndjson');
  writeFileSync(
    ndjson,
    saas.events
      .map((e) => JSON.stringify({ ...e, timestamp: new Date(e.timestamp as number).toISOString() }))
      .join('\n'),
  );

  it('health from NDJSON (nested properties, ISO times) equals scoreHealth', async () => {
    const js = scoreHealth(events, { asOf });
    const db = await duckdbHealth({ file: ndjson, asOf });
    expect(db.map((s) => [s.customerId, s.band])).toEqual(js.map((s) => [s.customerId, s.band]));
    db.forEach((s, i) => {
      expect(s.score ?? -1).toBeCloseTo(js[i]?.score ?? -1, 9);
    });
    expect(db.warnings.map((w) => w.code)).toEqual(js.warnings.map((w) => w.code));
  });

  it('churn features from NDJSON equal churnFeatures (away from the asOf boundary)', async () => {
    const at = '2025-07-01T00:00:00.001Z';
    const js = churnFeatures(events, { asOf: at });
    const db = await duckdbChurnFeatures({ file: ndjson, asOf: at });
    expect(db.customerIds).toEqual(js.customerIds);
    for (const n of js.names)
      expect(Array.from(db.columns[n] as Float64Array).map((v) => Math.round(v * 1e6))).toEqual(
        Array.from(js.columns[n] as Float64Array).map((v) => Math.round(v * 1e6)),
      );
  });

  it('RFM from CSV and from Parquet (epoch-ms timestamps) equals rfmSummary; Parquet reads on the JS path', async () => {
    const retail = generateRetailTransactions({ customers: 80, seed: 2 });
    const rows = retail.events;
    const csv = join(dir, 'orders.csv');
    writeFileSync(
      csv,
      `customer_id,type,timestamp,amount\n${rows.map((e) => `${e.customerId},${e.type},${new Date(e.timestamp as number).toISOString()},${e.value}`).join('\n')}\n`,
    );
    const js = rfmSummary(parseEvents(rows).events, { asOf: '2025-01-01' });
    const fromCsv = await duckdbRfm({ file: csv, asOf: '2025-01-01', mapping: { value: 'amount' } });
    expect(fromCsv.customers.length).toBe(js.customers.length);
    fromCsv.customers.forEach((c, i) => {
      expect(c.customerId).toBe(js.customers[i]?.customerId);
      expect(c.T).toBeCloseTo(js.customers[i]?.T ?? -1, 9);
      expect(c.monetaryValue).toBeCloseTo(js.customers[i]?.monetaryValue ?? -1, 9);
    });
    // Parquet written by DuckDB from the CSV.
    const parquet = join(dir, 'orders.parquet');
    const duck = await loadDuckDb();
    const inst = await duck.DuckDBInstance.create(':memory:');
    const con = await inst.connect();
    await con.run(
      `COPY (SELECT customer_id AS customerId, type, CAST(epoch_ms(CAST("timestamp" AS TIMESTAMPTZ)) AS BIGINT) AS timestamp, amount AS value FROM read_csv('${csv}')) TO '${parquet}' (FORMAT parquet, ROW_GROUP_SIZE 100)`,
    );
    con.closeSync();
    inst.closeSync();
    const fromParquet = await duckdbRfm({ file: parquet, asOf: '2025-01-01' });
    // DuckDB sums in parallel threads, so the last bit of a sum may differ between two runs (or
    // files): equal to 1e-9, as the parity contract says, not bit for bit.
    expect(fromParquet.customers.length).toBe(fromCsv.customers.length);
    fromParquet.customers.forEach((c, i) => {
      const other = fromCsv.customers[i] as unknown as Record<string, unknown>;
      for (const [key, v] of Object.entries(c)) {
        if (typeof v === 'number') expect(v, `${c.customerId}.${key}`).toBeCloseTo(other[key] as number, 9);
        else expect(v, `${c.customerId}.${key}`).toEqual(other[key]);
      }
    });
    // JS path: hyparquet, in batches.
    const batches: Record<string, unknown>[][] = [];
    for await (const b of readParquetRows(parquet, { batchRows: 150 })) batches.push(b);
    expect(batches.length).toBeGreaterThan(1);
    const parsed = parseEvents(batches.flat());
    expect(parsed.rejected).toEqual([]);
    const viaParquet = rfmSummary(parsed.events, { asOf: '2025-01-01' });
    expect(viaParquet.customers).toEqual(js.customers);
  });
});
