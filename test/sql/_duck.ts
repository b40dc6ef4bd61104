/** Test helper: load canonical events into an in-memory DuckDB table and run generated SQL. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CustomerEvent } from '../../src/events/types';

export type Row = Record<string, unknown>;

export interface Duck {
  query(sql: string): Promise<Row[]>;
  close(): void;
}

let available: boolean | undefined;
/** Whether the optional @duckdb/node-api is installed (tests skip visibly when not). */
export async function duckdbAvailable(): Promise<boolean> {
  if (available === undefined) {
    try {
      await import('@duckdb/node-api');
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

/** One flat row per event: the canonical columns the default SqlMapping reads (timestamp as epoch ms). */
export function flatten(e: CustomerEvent): Row {
  const p = e.properties;
  return {
    customer_id: e.customerId,
    type: e.type,
    timestamp: e.timestamp,
    value: e.value ?? null,
    event_id: e.eventId ?? null,
    user_id: str(p?.userId),
    feature: str(p?.feature),
    ticket_id: str(p?.ticketId),
    priority: typeof p?.priority === 'string' ? p.priority : null,
    plan: typeof p?.plan === 'string' ? p.plan : null,
  };
}

/** Opens DuckDB with a table `events` holding the given events (flattened). */
export async function openDuck(events: readonly CustomerEvent[]): Promise<Duck> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  const dir = mkdtempSync(join(tmpdir(), 'cv-sql-'));
  const file = join(dir, 'events.ndjson');
  writeFileSync(file, `${events.map((e) => JSON.stringify(flatten(e))).join('\n')}\n`);
  await con.run(`SET TimeZone = 'UTC'`);
  await con.run(
    `CREATE TABLE events AS SELECT * FROM read_json('${file}', format = 'newline_delimited', columns = {customer_id: 'VARCHAR', type: 'VARCHAR', timestamp: 'DOUBLE', value: 'DOUBLE', event_id: 'VARCHAR', user_id: 'VARCHAR', feature: 'VARCHAR', ticket_id: 'VARCHAR', priority: 'VARCHAR', plan: 'VARCHAR'})`,
  );
  rmSync(dir, { recursive: true, force: true });
  return {
    async query(sql: string): Promise<Row[]> {
      const r = await con.runAndReadAll(sql);
      return r.getRowObjects() as Row[];
    },
    close(): void {
      con.closeSync();
      inst.closeSync();
    },
  };
}
