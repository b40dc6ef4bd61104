/**
 * Private: feature tables (rows, Map of records, dense matrix) read into one row-major Float64Array
 * with NaN for missing values. Shared by `clusterCustomers` and `CustomerClusterModel`.
 * @module
 */

import { optionError, ValidationError } from '../_lib/errors';
import { isPlainObject, nullProtoObject, ownGet, showValue } from '../_lib/safe';

const SHAPES =
  'rows, a Map of records, a matrix { customerIds, columns, values } or columns { customerIds, columns }';

/** A located error on the table argument (`features`). */
function tableError(fn: string, message: string, index?: number): ValidationError {
  return new ValidationError(fn, [
    { ...(index === undefined ? {} : { index }), path: ['features'], code: 'invalid_type', message },
  ]);
}

/** Customer ids of a matrix or columns table: an array of strings. */
function checkIds(fn: string, ids: unknown): void {
  if (!Array.isArray(ids)) throw tableError(fn, `customerIds must be an array, got ${showValue(ids)}`);
  for (let i = 0; i < ids.length; i++)
    if (typeof ids[i] !== 'string')
      throw tableError(fn, `customerIds holds ${showValue(ids[i])}, not a string`, i);
}

/** A row of a feature table: `customerId` plus numeric fields (or a nested `features` record). */
export interface FeatureRow {
  customerId: string;
  /** When present (a plain object), features are read from here instead of the row itself. */
  features?: Readonly<Record<string, unknown>>;
  [field: string]: unknown;
}

/** A dense feature matrix: `values` is row-major, `customerIds.length × columns.length`; NaN = missing. */
export interface FeatureMatrix {
  customerIds: readonly string[];
  columns: readonly string[];
  values: ArrayLike<number>;
}

/**
 * A columnar table, e.g. the output of `churnFeatures`: one numeric array per column, and an optional
 * missing mask per column (1 = missing). `names` fixes the column order.
 */
export interface FeatureColumns {
  customerIds: readonly string[];
  names?: readonly string[];
  columns: Readonly<Record<string, ArrayLike<number>>>;
  missing?: Readonly<Record<string, ArrayLike<number>>>;
}

/** Any numeric table: rows, a Map from customer id to a record of numbers, a dense matrix or columns. */
export type FeatureTable =
  | readonly FeatureRow[]
  | ReadonlyMap<string, Readonly<Record<string, unknown>>>
  | FeatureMatrix
  | FeatureColumns;

export interface RawMatrix {
  ids: string[];
  columns: string[];
  /** n × d row-major; NaN = missing. */
  raw: Float64Array;
  dropped: { feature: string; reason: string }[];
}

function isMatrix(x: FeatureTable): x is FeatureMatrix {
  return (
    !Array.isArray(x) &&
    !(x instanceof Map) &&
    typeof x === 'object' &&
    'values' in x &&
    Array.isArray((x as FeatureMatrix).columns)
  );
}

function isColumns(x: FeatureTable): x is FeatureColumns {
  return (
    !Array.isArray(x) &&
    !(x instanceof Map) &&
    typeof x === 'object' &&
    'customerIds' in x &&
    isPlainObject((x as FeatureColumns).columns)
  );
}

/**
 * Row-major copy of the columns `idx` (−1 = absent → NaN) of a dense matrix with `w` columns; any
 * value that is not a finite number becomes NaN. One pass in row order (no per-value closure call).
 */
function copyMatrix(
  values: ArrayLike<number>,
  w: number,
  idx: readonly number[],
  n: number,
  raw: Float64Array,
): void {
  const d = idx.length;
  for (let i = 0; i < n; i++) {
    const src = i * w;
    const dst = i * d;
    for (let t = 0; t < d; t++) {
      const j = idx[t] as number;
      const v: unknown = j < 0 ? Number.NaN : values[src + j];
      raw[dst + t] = typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
    }
  }
}

export function toMatrix(input: FeatureTable, pick: readonly string[] | undefined, fn: string): RawMatrix {
  if (input === null || typeof input !== 'object')
    throw tableError(fn, `features must be ${SHAPES}, got ${showValue(input)}`);
  if (isMatrix(input) || isColumns(input)) return fromDense(input, pick, fn);
  // Records: from rows or a Map.
  const dropped: { feature: string; reason: string }[] = [];
  const { ids, records } = readRecords(input, fn);
  const columns = pick ? pick.slice() : numericColumns(records, dropped);
  if (columns.length === 0 && records.length > 0)
    throw optionError(fn, 'features', 'no usable numeric feature');
  const n = records.length;
  const d = columns.length;
  const raw = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const rec = records[i] as Record<string, unknown>;
    for (let t = 0; t < d; t++) {
      const v = ownGet(rec, columns[t] as string);
      raw[i * d + t] = typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
    }
  }
  return { ids, columns, raw, dropped };
}

/** {@link toMatrix} for a dense matrix or named columns (with their missing masks). */
function fromDense(
  input: FeatureMatrix | FeatureColumns,
  pick: readonly string[] | undefined,
  fn: string,
): RawMatrix {
  const dropped: { feature: string; reason: string }[] = [];
  checkIds(fn, input.customerIds);
  if (isColumns(input) && input.missing !== undefined && !isPlainObject(input.missing))
    throw tableError(fn, `missing must be an object of masks, got ${showValue(input.missing)}`);
  if (isMatrix(input) && !Array.isArray(input.values) && !ArrayBuffer.isView(input.values))
    throw tableError(fn, `matrix values must be an array, got ${showValue(input.values)}`);
  const n = input.customerIds.length;
  let all: readonly string[];
  let get: ((i: number, c: number) => number) | null = null;
  if (isMatrix(input)) {
    all = input.columns;
    const w = all.length;
    if (input.values.length !== n * w) {
      throw optionError(
        fn,
        'features',
        `matrix values has ${input.values.length} entries, expected ${n} × ${w}`,
      );
    }
  } else ({ all, get } = columnGetter(input as FeatureColumns, n, fn));
  const cols = pick ? pick.slice() : all.slice();
  const idx = cols.map((c) => all.indexOf(c));
  idx.forEach((j, t) => {
    if (j < 0) dropped.push({ feature: cols[t] as string, reason: 'not in the table' });
  });
  const d = cols.length;
  const raw = new Float64Array(n * d);
  if (get === null) copyMatrix((input as FeatureMatrix).values, all.length, idx, n, raw);
  else
    for (let t = 0; t < d; t++) {
      const j = idx[t] as number;
      for (let i = 0; i < n; i++) {
        const v = j < 0 ? Number.NaN : get(i, j);
        raw[i * d + t] = typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
      }
    }
  if (d === 0 && n > 0) throw optionError(fn, 'features', 'no usable numeric feature');
  return { ids: input.customerIds.slice(), columns: cols, raw, dropped };
}

/** The names of named columns and a reader of value (i, c), NaN where the column's mask says missing. */
function columnGetter(
  input: FeatureColumns,
  n: number,
  fn: string,
): { all: readonly string[]; get: (i: number, c: number) => number } {
  const cols = input.columns;
  const all = (input.names ?? Object.keys(cols)).filter((c) => Object.hasOwn(cols, c));
  const arrays = all.map((c) => cols[c] as ArrayLike<number>);
  const masks = all.map((c) =>
    input.missing !== undefined && Object.hasOwn(input.missing, c) ? input.missing[c] : undefined,
  );
  arrays.forEach((a, c) => {
    if (a.length !== n)
      throw optionError(fn, `features.columns.${all[c]}`, `has ${a.length} values, expected ${n}`);
  });
  const get = (i: number, c: number): number =>
    (masks[c]?.[i] ?? 0) === 1 ? Number.NaN : ((arrays[c] as ArrayLike<number>)[i] as number);
  return { all, get };
}

/** Ids and feature records of rows (`{ customerId, features }` or flat) or of a Map id → record. */
function readRecords(
  input: FeatureTable,
  fn: string,
): { ids: string[]; records: Readonly<Record<string, unknown>>[] } {
  const ids: string[] = [];
  const records: Readonly<Record<string, unknown>>[] = [];
  if (input instanceof Map) {
    for (const [id, rec] of input) {
      ids.push(id);
      records.push(isPlainObject(rec) ? rec : nullProtoObject());
    }
    return { ids, records };
  }
  if (!Array.isArray(input)) throw tableError(fn, `features must be ${SHAPES}, got ${showValue(input)}`);
  for (let i = 0; i < input.length; i++) {
    const row: unknown = input[i];
    if (row === null || typeof row !== 'object' || Array.isArray(row))
      throw tableError(fn, `a row must be an object with a string customerId, got ${showValue(row)}`, i);
    const id = (row as FeatureRow).customerId;
    if (typeof id !== 'string') throw tableError(fn, `customerId must be a string, got ${showValue(id)}`, i);
  }
  for (const row of input as readonly FeatureRow[]) {
    ids.push(row.customerId);
    const f = Object.hasOwn(row, 'features') ? row.features : undefined;
    if (isPlainObject(f)) records.push(f);
    else {
      const rec = nullProtoObject();
      for (const key of Object.keys(row)) if (key !== 'customerId') rec[key] = row[key];
      records.push(rec);
    }
  }
  return { ids, records };
}

/** Column discovery: keys whose present values are all numbers; the others go to `dropped`. */
function numericColumns(
  records: readonly Readonly<Record<string, unknown>>[],
  dropped: { feature: string; reason: string }[],
): string[] {
  const seen = new Map<string, boolean>();
  for (const rec of records) {
    for (const key of Object.keys(rec)) {
      const v = rec[key];
      const ok = v === null || v === undefined || typeof v === 'number';
      const prev = seen.get(key);
      seen.set(key, (prev ?? true) && ok);
    }
  }
  const columns: string[] = [];
  for (const [key, ok] of seen) {
    if (ok) columns.push(key);
    else dropped.push({ feature: key, reason: 'not numeric' });
  }
  return columns;
}
