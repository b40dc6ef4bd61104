/**
 * Same input, same output: DuckDB aggregates in parallel (here 4 threads over 30 Parquet row
 * groups), and a parallel SUM of doubles adds in a different order on each run. The generated SQL
 * sums values exactly (Dialect.exact), so two runs give bit-identical rows and byte-identical CLI
 * output. (With plain double sums this data gave 1,603 RFM-summary, 2,724 health, 2,041 churn and
 * 492 RFM-score cells that differed between two runs.) Skipped visibly without @duckdb/node-api.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbColumns } from '../../src/cli/engines/duckdb';
import type { SqlQueryKind } from '../../src/sql/toSql';
import { duckdbAvailable } from '../sql/_duck';
import { run } from './run';

const hasDuck = await duckdbAvailable();
if (!hasDuck) console.warn('[duckdb] @duckdb/node-api is not installed: the determinism tests are SKIPPED.');

const dir = mkdtempSync(join(tmpdir(), 'cv-det-'));
const file = join(dir, 'events.parquet');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ASOF = Date.UTC(2025, 6, 1);

beforeAll(async () => {
  if (!hasDuck) return;
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  // 600,000 events of 2,000 customers; values with many decimals (x / 7), 20,000 rows per row group.
  await con.run(`COPY (
    SELECT 'c' || lpad(CAST(hash(i, 1) % 2000 AS VARCHAR), 5, '0') AS customer_id,
      CASE hash(i, 2) % 6 WHEN 0 THEN 'purchase' WHEN 1 THEN 'refund' WHEN 2 THEN 'nps_response'
        WHEN 3 THEN 'feature_used' ELSE 'login' END AS type,
      CAST(1735689600000 + hash(i, 3) % 15552000000 AS DOUBLE) AS timestamp,
      CAST(hash(i, 4) % 100000 AS DOUBLE) / 7 AS value,
      'u' || CAST(hash(i, 5) % 5 AS VARCHAR) AS user_id
    FROM range(600000) t(i)
  ) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 20000)`);
  con.closeSync();
  inst.closeSync();
}, 60_000);

/** Every numeric cell of a result, as bits (NaN-safe), in result order. */
async function cells(query: SqlQueryKind): Promise<{ n: number; bits: string[] }> {
  const cols = await duckdbColumns({ file, asOf: ASOF, query, threads: 4 });
  const bits: string[] = [];
  for (const name of cols.names()) {
    const c = cols.column(name);
    if (c instanceof Float64Array)
      bits.push(`${name}:${Buffer.from(c.buffer, c.byteOffset, c.byteLength).toString('base64')}`);
    else bits.push(`${name}:${JSON.stringify(c)}`);
  }
  return { n: cols.length, bits };
}

describe('DuckDB engine determinism', () => {
  for (const query of ['rfmSummary', 'rfmScores', 'healthSignals', 'churnFeatures'] as const) {
    it.skipIf(!hasDuck)(
      `${query}: two runs give bit-identical rows`,
      async () => {
        const a = await cells(query);
        const b = await cells(query);
        expect(a.n).toBeGreaterThan(900);
        expect(a.bits).toEqual(b.bits);
      },
      60_000,
    );
  }
  it.skipIf(!hasDuck)(
    'health and segment print byte-identical JSON twice',
    async () => {
      const env = { CUSTOMER_VITALS_DUCKDB_THREADS: '4' };
      for (const cmd of ['segment', 'health']) {
        const args = [cmd, file, '--engine', 'duckdb', '--as-of', '2025-07-01', '--json'];
        const a = await run(args, { env });
        const b = await run(args, { env });
        expect(a.code, a.stderr).toBe(0);
        expect(a.stdout.length).toBeGreaterThan(10_000);
        expect(b.stdout).toBe(a.stdout);
      }
    },
    120_000,
  );
});
