/**
 * Reading database rows: numbers may arrive as `number`, `bigint`, numeric strings or null.
 * @module
 */
import { ValidationError } from '../_lib/errors';
import { SqlRowView } from './SqlColumns';

/**
 * One row as a database client returns it (column name → value), or a view of a row of
 * `SqlColumns` (typed columns; see `SqlColumns.rows()`).
 */
export type SqlRow = Readonly<Record<string, unknown>> | SqlRowView;

function cell(row: SqlRow, key: string): unknown {
  return Object.hasOwn(row, key) ? (row as Readonly<Record<string, unknown>>)[key] : undefined;
}

/** Whether a row has a column (a NULL cell counts). @internal */
export function hasColumn(row: SqlRow, key: string): boolean {
  return row instanceof SqlRowView ? row.table.has(key) : Object.hasOwn(row, key);
}

/** A numeric cell as a double, NaN for null / missing / non-numeric. @internal */
export function readNumber(row: SqlRow, key: string): number {
  if (row instanceof SqlRowView) return row.table.number(key, row.index);
  const v = cell(row, key);
  if (typeof v === 'number') return Number.isFinite(v) ? v : Number.NaN;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '') {
    const x = Number(v);
    return Number.isFinite(x) ? x : Number.NaN;
  }
  return Number.NaN;
}

/** A text cell, or null. @internal */
export function readString(row: SqlRow, key: string): string | null {
  if (row instanceof SqlRowView) return row.table.string(key, row.index);
  const v = cell(row, key);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return null;
}

/** A boolean cell (true, 1, '1', 'true'). @internal */
export function readBool(row: SqlRow, key: string): boolean {
  if (row instanceof SqlRowView) {
    const c = row.table.column(key);
    if (c instanceof Float64Array) return c[row.index] === 1;
    const s = row.table.string(key, row.index);
    return s === '1' || s === 'true' || s === 't';
  }
  const v = cell(row, key);
  return v === true || v === 1 || v === 1n || v === '1' || v === 'true' || v === 't';
}

/** The customer id of a row; throws a located ValidationError when it is missing. @internal */
export function rowId(fn: string, row: SqlRow, key: string, index: number): string {
  const id = row !== null && typeof row === 'object' ? readString(row, key) : null;
  if (id === null) {
    throw new ValidationError(fn, [{ index, path: [key], code: 'required', message: `has no "${key}"` }]);
  }
  return id;
}
