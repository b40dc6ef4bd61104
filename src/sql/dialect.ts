/**
 * SQL dialects and the canonical event relation every generated query starts from.
 *
 * The generated queries read one relation `ev(cid, type, t, v, event_id, user_id, feature,
 * ticket_id, priority, plan)` built from the user's table by {@link eventRelation}: `t` is epoch
 * milliseconds as a double (so day arithmetic is the library's `floor(t / 86_400_000)`), strings are
 * text, `v` is a double. Only portable SQL is used (CTEs, `CASE`, `COUNT(DISTINCT ...)`,
 * `ROW_NUMBER()`/`LAG()` windows, no `FILTER`, no `QUALIFY`, no named windows); what differs by
 * dialect (types, identifier quoting, timestamp → epoch ms, code-unit collation) is here.
 * @module
 */
import { optionError } from '../_lib/errors';

/** A SQL dialect: `duckdb` is tested by running it; the others are generated and snapshot-tested. */
export type SqlDialect = 'duckdb' | 'postgres' | 'bigquery' | 'snowflake';

/** Dialect names accepted by `toSql`. */
export const SQL_DIALECTS: readonly SqlDialect[] = ['duckdb', 'postgres', 'bigquery', 'snowflake'];

/** How the timestamp column is stored: a SQL timestamp, or a number of seconds / milliseconds since 1970 (UTC). */
export type TimestampStorage = 'timestamp' | 'epoch_ms' | 'epoch_s';

/** A column of the user's table: a column name (`a.b` reads a nested field), or a raw SQL expression. */
export type SqlColumn = string | { sql: string };

/**
 * Where the event fields live in the user's table. Each field defaults to the column of the same
 * snake_case name (`customer_id`, `type`, `timestamp`, `value`, `event_id`, `user_id`, `feature`,
 * `ticket_id`, `priority`, `plan`); `null` says the table has no such column (read as NULL).
 * `types` renames raw event types to canonical ones (like `parseEvents`' type mapping).
 */
export interface SqlMapping {
  /** @default 'customer_id' */
  customerId?: SqlColumn;
  /** @default 'type' */
  type?: SqlColumn;
  /** @default 'timestamp' */
  timestamp?: SqlColumn;
  /** @default 'timestamp' (a SQL TIMESTAMP / TIMESTAMPTZ column, read as UTC) */
  timestampStorage?: TimestampStorage;
  /** @default 'value' */
  value?: SqlColumn | null;
  /** @default 'event_id' */
  eventId?: SqlColumn | null;
  /** The event's `properties.userId`. @default 'user_id' */
  userId?: SqlColumn | null;
  /** The event's `properties.feature`. @default 'feature' */
  feature?: SqlColumn | null;
  /** The event's `properties.ticketId`. @default 'ticket_id' */
  ticketId?: SqlColumn | null;
  /** The event's `properties.priority`. @default 'priority' */
  priority?: SqlColumn | null;
  /** The event's `properties.plan`. @default 'plan' */
  plan?: SqlColumn | null;
  /** Raw type → canonical type. @default {} */
  types?: Readonly<Record<string, string>>;
}

/** Mapping keys (for option checking). @internal */
export const MAPPING_KEYS = [
  'customerId',
  'type',
  'timestamp',
  'timestampStorage',
  'value',
  'eventId',
  'userId',
  'feature',
  'ticketId',
  'priority',
  'plan',
  'types',
] as const;

/** What a dialect spells differently. @internal */
export interface Dialect {
  name: SqlDialect;
  text: string;
  double: string;
  quote(ident: string): string;
  /** Epoch milliseconds (double) of a timestamp expression read as UTC. */
  epochMs(expr: string, storage: TimestampStorage): string;
  /** An expression compared in code-unit order (like JS `<` on strings). */
  binary(expr: string): string;
  /**
   * A double cast to the dialect's exact decimal type, for sums that must not depend on the order
   * the database adds the rows in (parallel aggregation): `SUM(exact(v))` is the same to the last
   * bit on every run. DuckDB and Snowflake round each value to 10 decimal places (|v| < 1e28).
   */
  exact(expr: string): string;
}

const dq = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/**
 * A dialect's `epochMs`: stored epoch numbers are cast to its `double` type (seconds times 1000);
 * timestamps go through `fromTimestamp`.
 */
const epochMsVia =
  (double: string, fromTimestamp: (e: string) => string): Dialect['epochMs'] =>
  (e, s) =>
    s === 'epoch_ms'
      ? `CAST(${e} AS ${double})`
      : s === 'epoch_s'
        ? `CAST(${e} AS ${double}) * 1000`
        : fromTimestamp(e);

const DIALECTS: Record<SqlDialect, Dialect> = {
  duckdb: {
    name: 'duckdb',
    text: 'VARCHAR',
    double: 'DOUBLE',
    quote: dq,
    epochMs: epochMsVia('DOUBLE', (e) => `CAST(epoch_ms(CAST(${e} AS TIMESTAMPTZ)) AS DOUBLE)`),
    binary: (e) => e,
    exact: (e) => `CAST(${e} AS DECIMAL(38, 10))`,
  },
  postgres: {
    name: 'postgres',
    text: 'TEXT',
    double: 'DOUBLE PRECISION',
    quote: dq,
    epochMs: epochMsVia(
      'DOUBLE PRECISION',
      (e) => `CAST(FLOOR(EXTRACT(EPOCH FROM CAST(${e} AS TIMESTAMPTZ)) * 1000) AS DOUBLE PRECISION)`,
    ),
    binary: (e) => `${e} COLLATE "C"`,
    exact: (e) => `CAST(${e} AS NUMERIC)`,
  },
  bigquery: {
    name: 'bigquery',
    text: 'STRING',
    double: 'FLOAT64',
    quote: (s) => `\`${s.replace(/`/g, '\\`')}\``,
    epochMs: epochMsVia('FLOAT64', (e) => `CAST(UNIX_MILLIS(CAST(${e} AS TIMESTAMP)) AS FLOAT64)`),
    binary: (e) => e,
    exact: (e) => `CAST(${e} AS BIGNUMERIC)`,
  },
  snowflake: {
    name: 'snowflake',
    text: 'VARCHAR',
    double: 'DOUBLE',
    quote: dq,
    epochMs: epochMsVia(
      'DOUBLE',
      (e) => `CAST(DATE_PART(EPOCH_MILLISECOND, CAST(${e} AS TIMESTAMP_TZ)) AS DOUBLE)`,
    ),
    binary: (e) => `COLLATE(${e}, 'utf8')`,
    exact: (e) => `CAST(${e} AS NUMBER(38, 10))`,
  },
};

/** The dialect object for a name. @internal */
export function dialectOf(fn: string, name: unknown): Dialect {
  if (typeof name !== 'string' || !Object.hasOwn(DIALECTS, name)) {
    throw optionError(fn, 'dialect', `must be one of ${SQL_DIALECTS.join(', ')}, got ${String(name)}`);
  }
  return DIALECTS[name as SqlDialect];
}

/** A SQL string literal. @internal */
export function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A number literal (finite; integers printed without exponent). @internal */
export function num(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  return Number.isInteger(n) ? n.toFixed(0) : String(n);
}

function column(d: Dialect, c: SqlColumn): string {
  if (typeof c !== 'string') return `(${c.sql})`;
  return c
    .split('.')
    .map((p) => d.quote(p))
    .join('.');
}

/** A table reference: dotted names quoted part by part, or a raw `{ sql }` relation. @internal */
export function tableRef(d: Dialect, table: SqlColumn): string {
  return typeof table === 'string' ? column(d, table) : `(${table.sql}) AS src`;
}

/**
 * The canonical relation `ev` (as the body of a CTE): the user's table with the mapping applied and
 * only events at or before `asOf` (the library's asOf rule: an event at `asOf` counts; `null`: all
 * events). @internal
 */
export function eventRelation(
  d: Dialect,
  table: SqlColumn,
  mapping: SqlMapping,
  asOf: number | null,
  extraWhere?: string,
): string {
  const col = (v: SqlColumn | null | undefined, dflt: string): string =>
    v === null ? 'NULL' : column(d, v ?? dflt);
  const txt = (v: SqlColumn | null | undefined, dflt: string): string =>
    v === null ? `CAST(NULL AS ${d.text})` : `CAST(${col(v, dflt)} AS ${d.text})`;
  const rawType = txt(mapping.type, 'type');
  const types = mapping.types ?? {};
  const keys = Object.keys(types).sort();
  const type =
    keys.length === 0
      ? rawType
      : `CASE ${rawType} ${keys.map((k) => `WHEN ${lit(k)} THEN ${lit(types[k] as string)}`).join(' ')} ELSE ${rawType} END`;
  const t = d.epochMs(col(mapping.timestamp, 'timestamp'), mapping.timestampStorage ?? 'timestamp');
  const value =
    mapping.value === null
      ? `CAST(NULL AS ${d.double})`
      : `CAST(${col(mapping.value, 'value')} AS ${d.double})`;
  return [
    'SELECT * FROM (SELECT',
    `    ${txt(mapping.customerId, 'customer_id')} AS cid,`,
    `    ${type} AS type,`,
    `    ${t} AS t,`,
    `    ${value} AS v,`,
    `    ${txt(mapping.eventId, 'event_id')} AS event_id,`,
    `    ${txt(mapping.userId, 'user_id')} AS user_id,`,
    `    ${txt(mapping.feature, 'feature')} AS feature,`,
    `    ${txt(mapping.ticketId, 'ticket_id')} AS ticket_id,`,
    `    LOWER(${txt(mapping.priority, 'priority')}) AS priority,`,
    `    ${txt(mapping.plan, 'plan')} AS plan`,
    `  FROM ${tableRef(d, table)}) AS raw`,
    `  WHERE cid IS NOT NULL AND t IS NOT NULL${asOf === null ? '' : ` AND t <= ${num(asOf)}`}${extraWhere === undefined ? '' : ` AND ${extraWhere}`}`,
  ].join('\n');
}
