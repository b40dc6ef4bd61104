/**
 * `--engine duckdb` for health, churn, clv and segment: DuckDB reads the file (CSV, NDJSON or
 * Parquet, out of core) and runs the per-customer aggregation in SQL; the library scores, fits,
 * predicts and explains the rows with the same code as `--engine js`, and the result is written the
 * same way.
 *
 * DuckDB settings from the environment: CUSTOMER_VITALS_DUCKDB_MEMORY (DuckDB `memory_limit`, e.g.
 * `4GB`; default DuckDB's, 80% of RAM) and CUSTOMER_VITALS_DUCKDB_THREADS (default: all cores).
 * @module
 */
import { churnPredictionResult } from '../commands/churn';
import { clvResult } from '../commands/clv';
import { orderedHealthResult } from '../commands/health';
import { segmentResult } from '../commands/segment';
import type { Context } from '../context';
import { UsageError } from '../io';
import { loadProfiles, readMapping } from '../load';
import { type CommandResult, emitResult, type Format } from '../output';
import type { DuckDbSource } from './duckdb';

/** The commands `--engine duckdb` runs. */
export const DUCKDB_COMMANDS = ['health', 'churn', 'clv', 'segment'] as const;

const SQL_FIELDS: Record<string, string> = {
  customerId: 'customerId',
  type: 'type',
  timestamp: 'timestamp',
  value: 'value',
  eventId: 'eventId',
  'properties.userId': 'userId',
  'properties.feature': 'feature',
  'properties.ticketId': 'ticketId',
  'properties.priority': 'priority',
  'properties.plan': 'plan',
};

/** The `--mapping` file as DuckDB's column mapping: renames (`fields`) and `types` only. */
function toSqlMapping(
  m: Record<string, unknown> | undefined,
  file: string,
): Record<string, unknown> | undefined {
  if (m === undefined) return undefined;
  const extra = Object.keys(m).filter((k) => k !== 'fields' && k !== 'types');
  if (extra.length > 0) {
    throw new UsageError(
      `the mapping ${file} uses ${extra.map((k) => `"${k}"`).join(', ')}, which --engine duckdb does not apply (only "fields" renames and "types"); use --engine js`,
    );
  }
  const out: Record<string, unknown> = {};
  const fields = (m.fields ?? {}) as Record<string, unknown>;
  for (const [field, column] of Object.entries(fields)) {
    const key = SQL_FIELDS[field];
    if (key === undefined) {
      throw new UsageError(
        `the mapping ${file}: fields.${field} is not supported by --engine duckdb; use --engine js`,
      );
    }
    out[key] = column;
  }
  if (m.types !== undefined) out.types = m.types;
  return out;
}

/** DuckDB limits from the environment (see the module). */
function limits(ctx: Context): Pick<DuckDbSource, 'memoryLimit' | 'threads'> {
  const mem = ctx.io.env.CUSTOMER_VITALS_DUCKDB_MEMORY;
  const threads = ctx.io.env.CUSTOMER_VITALS_DUCKDB_THREADS;
  const n = threads === undefined ? Number.NaN : Number(threads);
  if (threads !== undefined && !(Number.isInteger(n) && n >= 1)) {
    throw new UsageError(`CUSTOMER_VITALS_DUCKDB_THREADS must be a whole number >= 1, got ${threads}`);
  }
  if (mem !== undefined && !/^\s*\d+(\.\d+)?\s*[KMGT]i?B\s*$/i.test(mem)) {
    throw new UsageError(`CUSTOMER_VITALS_DUCKDB_MEMORY must be a size such as 4GB, got ${mem}`);
  }
  return {
    ...(mem === undefined ? {} : { memoryLimit: mem.trim() }),
    ...(threads === undefined ? {} : { threads: n }),
  };
}

/** Runs `ctx.command` with `--engine duckdb` on `file`; resolves to the exit code. */
export async function duckdbRun(ctx: Context, file: string, format: Format): Promise<number> {
  const { opts, command } = ctx;
  if (!(DUCKDB_COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(
      `--engine duckdb runs ${DUCKDB_COMMANDS.join(', ')}, not ${command}; use --engine js`,
    );
  }
  if (file === '-') throw new UsageError('--engine duckdb reads files (CSV, NDJSON, Parquet), not stdin');
  const asOf = opts.date('as-of');
  if (asOf === undefined) {
    throw new UsageError(
      '--engine duckdb needs --as-of (the file is not read twice to find its latest event)',
    );
  }
  const mapping = toSqlMapping(readMapping(ctx), opts.string('mapping') ?? '');
  const profiles = await loadProfiles(ctx);
  const source: DuckDbSource = { file, ...(mapping ? { mapping } : {}), ...limits(ctx) };
  const currency = opts.currency('currency');
  ctx.progress.setPhase('duckdb');
  const duck = await import('./duckdb');
  let result: CommandResult<unknown>;
  if (command === 'health') {
    // Scores are built as they are written: 1M customers need only their states in the heap.
    const ordered = await duck.duckdbOrderedHealth({ ...source, asOf, profiles });
    result = orderedHealthResult(ordered, asOf) as CommandResult<unknown>;
  } else if (command === 'churn') {
    const horizon = opts.int('horizon', 1) ?? 30;
    const data = await duck.duckdbChurnData({ ...source, asOf, horizon, profiles });
    result = churnPredictionResult(data.train, data.rows, asOf, horizon) as CommandResult<unknown>;
  } else if (command === 'clv') {
    const summary = await duck.duckdbRfm({ ...source, asOf });
    result = clvResult(summary, asOf, currency) as CommandResult<unknown>;
  } else {
    const rfm = await duck.duckdbRfmScores({ ...source, asOf, ...(currency ? { currency } : {}) });
    result = segmentResult(rfm, asOf, currency) as CommandResult<unknown>;
  }
  return emitResult(ctx, result, format, { source: file, engine: 'duckdb' });
}
