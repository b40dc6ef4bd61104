/**
 * The checks at the door of a columnar feature table (`ChurnColumns`, `ChurnTrainingTable`): every
 * problem located (`['columns', 'mrr', 3]`), then a view of the table by column kind. Private to the
 * churn module.
 * @module
 */
import { didYouMean } from '../_lib/closest';
import { unknownKeyIssues, ValidationError, type ValidationIssue } from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';
import type { ChurnColumns } from './types';

/** A checked table: its columns by kind, in the order of their keys, and its labels when it has them. */
export interface TableView {
  /** Rows. */
  n: number;
  ids: readonly string[] | undefined;
  numNames: string[];
  num: (Float64Array | readonly (number | null)[])[];
  /** Per numeric column, its `missing` mask (undefined: none). */
  mask: (Uint8Array | undefined)[];
  catNames: string[];
  cat: (readonly (string | null)[])[];
  /** Labels, 0/1 (null when the table has none). */
  y: Uint8Array | null;
  /** Number of 1s in `y`. */
  pos: number;
}

/** Top-level keys of a table. */
const TABLE_KEYS = ['columns', 'categorical', 'missing', 'churned', 'customerIds', 'names', 'asOf'];
/** Most issues listed. */
const MAX_ISSUES = 50;

/** Whether scoring input is a table (an object with `columns` or `customerIds`) rather than rows. */
export function isColumns(input: unknown): input is ChurnColumns {
  return (
    input !== null &&
    typeof input === 'object' &&
    !Array.isArray(input) &&
    ('columns' in input || 'customerIds' in input)
  );
}

/**
 * Checks a table and returns its view. With `labels`, `churned` is required (0/1 bytes or
 * booleans); without, it may be there (a training table scores as it is) and is checked the same.
 * Every column's type and length is checked; its cells (and its mask's) only when `reads` is
 * undefined (training reads every column) or names it (scoring reads the model's features only:
 * a wide table's other columns cost nothing).
 * @throws ValidationError listing what is wrong (at most 50 issues), each located.
 */
export function readTable(
  fn: string,
  input: unknown,
  labels: boolean,
  reads?: ReadonlySet<string>,
): TableView {
  if (!isPlainObject(input))
    throw new ValidationError(fn, [
      { path: [], code: 'invalid_type', message: 'table must be a plain object { columns, ... }' },
    ]);
  const issues = unknownKeyIssues(input, TABLE_KEYS, [], 'table key');
  const t = input as Record<string, unknown>;
  if (!isPlainObject(t.columns)) {
    issues.push({
      path: ['columns'],
      code: t.columns === undefined ? 'required' : 'invalid_type',
      message:
        'columns must be an object of numeric columns by name (Float64Array or arrays of numbers and nulls)',
    });
    throw new ValidationError(fn, issues);
  }
  const columns = t.columns;
  const churned = t.churned;
  if (labels && churned === undefined)
    issues.push({ path: ['churned'], code: 'required', message: 'churned (the labels) is required' });
  const n = tableLength(t, columns);
  const view: TableView = {
    n,
    ids: undefined,
    numNames: [],
    num: [],
    mask: [],
    catNames: [],
    cat: [],
    y: null,
    pos: 0,
  };
  readNumeric(view, columns, issues, reads);
  readCategorical(view, t.categorical, columns, issues, reads);
  readMasks(view, t.missing, columns, issues, reads);
  readExtras(view, t, columns, issues);
  if (churned !== undefined) readLabels(view, churned, issues);
  if (issues.length > 0) throw new ValidationError(fn, issues.slice(0, MAX_ISSUES));
  return view;
}

/** Rows of a table: the labels' length, else the ids', else the first column's (0 when none). */
function tableLength(t: Record<string, unknown>, columns: Record<string, unknown>): number {
  for (const v of [t.churned, t.customerIds]) if (hasLength(v)) return v.length;
  for (const k of Object.keys(columns)) {
    const v = columns[k];
    if (hasLength(v)) return v.length;
  }
  if (isPlainObject(t.categorical))
    for (const k of Object.keys(t.categorical)) {
      const v = t.categorical[k];
      if (hasLength(v)) return v.length;
    }
  return 0;
}

/** A Float64Array, from this realm or another (a worker's, a vm context's). */
function isFloat64(v: unknown): v is Float64Array {
  return ArrayBuffer.isView(v) && tagOf(v) === 'Float64Array';
}

/** A Uint8Array (a Node Buffer too), from this realm or another. */
function isBytes(v: unknown): v is Uint8Array {
  return ArrayBuffer.isView(v) && tagOf(v) === 'Uint8Array';
}

function tagOf(v: ArrayBufferView): unknown {
  return (v as unknown as { [Symbol.toStringTag]: unknown })[Symbol.toStringTag];
}

/** Whether two name lists of the same length hold the same names. */
function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(b);
  return set.size === a.length && a.every((k) => set.has(k));
}

/** An array or a typed array (a DataView has no length). */
function hasLength(v: unknown): v is { length: number } {
  return (
    Array.isArray(v) || (ArrayBuffer.isView(v) && typeof (v as { length?: unknown }).length === 'number')
  );
}

/** A column name as messages show it (the path keeps it whole). */
function shown(name: string): string {
  return name.length > 60 ? `${name.slice(0, 60)}…` : name;
}

/** `length` issue of a column (null when it has the table's length). */
function lengthIssue(path: (string | number)[], len: number, n: number): ValidationIssue | null {
  if (len === n) return null;
  return {
    path,
    code: 'invalid_length',
    message: `${path.map((p) => (typeof p === 'string' ? shown(p) : p)).join('.')} has ${len} cells, the table has ${n} rows`,
  };
}

/** Index of the first byte of `a` above 1 (-1: none); a typed loop (a callback per byte costs ~7 ns). */
function firstAbove1(a: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if ((a[i] as number) > 1) return i;
  return -1;
}

/** Index of the first cell of `a` that is neither a number nor null (-1: none). */
function firstNotNumber(a: readonly unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v !== null && typeof v !== 'number') return i;
  }
  return -1;
}

/** Index of the first cell of `a` that is neither a string nor null (-1: none; `nulls` false: no null either). */
function firstNotText(a: readonly unknown[], nulls = true): number {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== 'string' && (v !== null || !nulls)) return i;
  }
  return -1;
}

function readNumeric(
  view: TableView,
  columns: Record<string, unknown>,
  issues: ValidationIssue[],
  reads: ReadonlySet<string> | undefined,
): void {
  for (const name of Object.keys(columns)) {
    const v = columns[name];
    const path = ['columns', name];
    if (!isFloat64(v) && !Array.isArray(v)) {
      issues.push({
        path,
        code: 'invalid_type',
        message: `columns.${shown(name)} must be a Float64Array or an array of numbers and nulls${ArrayBuffer.isView(v) ? ' (convert other typed arrays with Float64Array.from)' : ''}`,
      });
      continue;
    }
    const bad = lengthIssue(path, v.length, view.n);
    if (bad !== null) issues.push(bad);
    else if (Array.isArray(v) && (reads === undefined || reads.has(name))) {
      const i = firstNotNumber(v);
      if (i >= 0)
        issues.push({
          index: i,
          path: [...path, i],
          code: 'invalid_type',
          message: `columns.${shown(name)}[${i}] must be a number or null`,
        });
    }
    view.numNames.push(name);
    view.num.push(v as Float64Array | (number | null)[]);
    view.mask.push(undefined);
  }
}

function readCategorical(
  view: TableView,
  categorical: unknown,
  columns: Record<string, unknown>,
  issues: ValidationIssue[],
  reads: ReadonlySet<string> | undefined,
): void {
  if (categorical === undefined) return;
  if (!isPlainObject(categorical)) {
    issues.push({
      path: ['categorical'],
      code: 'invalid_type',
      message: 'categorical must be an object of text columns by name (arrays of strings and nulls)',
    });
    return;
  }
  for (const name of Object.keys(categorical)) {
    const v = categorical[name];
    const path = ['categorical', name];
    if (Object.hasOwn(columns, name)) {
      issues.push({
        path,
        code: 'invalid_key',
        message: `"${shown(name)}" is both a numeric column and a categorical one: keep it in one`,
      });
      continue;
    }
    if (!Array.isArray(v)) {
      issues.push({
        path,
        code: 'invalid_type',
        message: `categorical.${shown(name)} must be an array of strings and nulls`,
      });
      continue;
    }
    const bad = lengthIssue(path, v.length, view.n);
    if (bad !== null) issues.push(bad);
    else if (reads === undefined || reads.has(name)) {
      const i = firstNotText(v);
      if (i >= 0)
        issues.push({
          index: i,
          path: [...path, i],
          code: 'invalid_type',
          message: `categorical.${shown(name)}[${i}] must be a string or null`,
        });
    }
    view.catNames.push(name);
    view.cat.push(v as (string | null)[]);
  }
}

function readMasks(
  view: TableView,
  missing: unknown,
  columns: Record<string, unknown>,
  issues: ValidationIssue[],
  reads: ReadonlySet<string> | undefined,
): void {
  if (missing === undefined) return;
  if (!isPlainObject(missing)) {
    issues.push({
      path: ['missing'],
      code: 'invalid_type',
      message: 'missing must be an object of Uint8Array masks by numeric column name',
    });
    return;
  }
  for (const name of Object.keys(missing)) {
    const v = missing[name];
    const path = ['missing', name];
    const at = view.numNames.indexOf(name);
    if (!Object.hasOwn(columns, name)) {
      issues.push({
        path,
        code: 'unknown_column',
        message: `missing.${shown(name)} masks no numeric column${didYouMean(name, Object.keys(columns))}`,
      });
      continue;
    }
    if (!isBytes(v)) {
      issues.push({
        path,
        code: 'invalid_type',
        message: `missing.${shown(name)} must be a Uint8Array (1 = missing)`,
      });
      continue;
    }
    const bad = lengthIssue(path, v.length, view.n);
    if (bad !== null) {
      issues.push(bad);
      continue;
    }
    const i = reads === undefined || reads.has(name) ? firstAbove1(v) : -1;
    if (i >= 0)
      issues.push({
        index: i,
        path: [...path, i],
        code: 'invalid_value',
        message: `missing.${shown(name)}[${i}] must be 0 or 1`,
      });
    if (at >= 0) view.mask[at] = v;
  }
}

/** `customerIds`, `names` and `asOf`. */
function readExtras(
  view: TableView,
  t: Record<string, unknown>,
  columns: Record<string, unknown>,
  issues: ValidationIssue[],
): void {
  const ids = t.customerIds;
  if (ids !== undefined) {
    if (!Array.isArray(ids) || firstNotText(ids, false) >= 0)
      issues.push({
        path: ['customerIds'],
        code: 'invalid_type',
        message: 'customerIds must be an array of strings',
      });
    else {
      const bad = lengthIssue(['customerIds'], ids.length, view.n);
      if (bad !== null) issues.push(bad);
      else view.ids = ids as string[];
    }
  }
  const names = t.names;
  if (names !== undefined) {
    const keys = Object.keys(columns);
    if (!Array.isArray(names) || firstNotText(names, false) >= 0)
      issues.push({
        path: ['names'],
        code: 'invalid_type',
        message: 'names must be an array of column names',
      });
    else if (names.length !== keys.length || !sameSet(keys, names as string[]))
      issues.push({
        path: ['names'],
        code: 'invalid_value',
        message: `names must list exactly the numeric columns (${keys.length} in columns, ${names.length} names)`,
      });
  }
  const asOf = t.asOf;
  if (asOf !== undefined && !(typeof asOf === 'number' && Number.isFinite(asOf)))
    issues.push({
      path: ['asOf'],
      code: 'invalid_date',
      message: 'asOf must be epoch milliseconds (a finite number)',
    });
}

/** Labels: a Uint8Array of 0/1 or an array of booleans, one per row. */
function readLabels(view: TableView, churned: unknown, issues: ValidationIssue[]): void {
  const path = ['churned'];
  if (!isBytes(churned) && !Array.isArray(churned)) {
    issues.push({
      path,
      code: 'invalid_type',
      message: 'churned must be a Uint8Array of 0/1 or an array of booleans',
    });
    return;
  }
  const bad = lengthIssue(path, churned.length, view.n);
  if (bad !== null) {
    issues.push(bad);
    return;
  }
  const y = new Uint8Array(view.n);
  let pos = 0;
  const typed = !Array.isArray(churned);
  for (let i = 0; i < view.n && issues.length < MAX_ISSUES; i++) {
    const v = churned[i] as unknown;
    const ok = typed ? (v as number) <= 1 : typeof v === 'boolean';
    if (!ok) {
      issues.push({
        index: i,
        path: [...path, i],
        code: 'invalid_type',
        message: `churned[${i}] must be ${typed ? '0 or 1' : 'a boolean'}`,
      });
      continue;
    }
    y[i] = v === true || v === 1 ? 1 : 0;
    pos += y[i] as number;
  }
  view.y = y;
  view.pos = pos;
}
