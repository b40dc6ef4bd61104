/**
 * The expression compiler of the mapping language (private to `compileMapping`): a
 * {@link MappingExpression} validated and compiled once into a per-row {@link FieldGetter}.
 * @module
 */
import * as z from 'zod';
import { didYouMean } from '../_lib/closest';
import { unknownKeyIssues, type ValidationIssue } from '../_lib/errors';
import { lazy } from '../_lib/lazy';
import { compileCondition, conditionFields, conditionPredicate, preview } from '../_lib/rules';
import { isPlainObject } from '../_lib/safe';
import type { NumberReader } from './numberFormat';

/** Reads one field of a raw row; returns the `FAILED` symbol when an expression fails (see `lastError`). */
export type FieldGetter = (row: Record<string, unknown>) => unknown;

/** Sentinel returned by a {@link FieldGetter} whose expression failed on the row. */
export const FAILED: unique symbol = Symbol('failed');

/** Where a mapping reads a column, for checking it against a file's columns. */
export interface ColumnReference {
  column: string;
  /** Location in the mapping, e.g. `['derive', 'type', 'cases', 0, 'when']`. */
  path: (string | number)[];
}

export const EXPR_KEYS = [
  'const',
  'product',
  'sum',
  'concat',
  'coalesce',
  'negate',
  'abs',
  'number',
  'lower',
  'upper',
  'trim',
  'cases',
];
const MAX_EXPR_DEPTH = 32;
export const columnName = lazy(() => z.string().min(1, 'a column name must not be empty').max(500));
const literalArgSchema = lazy(() => z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]));

/** Reads an own property by key or dotted path; never walks the prototype chain. */
export function readPath(row: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(row, path)) return row[path];
  if (!path.includes('.')) return undefined;
  let cur: unknown = row;
  for (const part of path.split('.')) {
    if (!isPlainObject(cur) || !Object.hasOwn(cur, part)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/** Reads one column: own property of that name, else (for a dotted name) the nested path. */
export function columnGetter(column: string): FieldGetter {
  if (!column.includes('.')) return (row) => (Object.hasOwn(row, column) ? row[column] : undefined);
  return (row) => readPath(row, column);
}

let exprError = '';
/** Message of the last failed getter (any compiled mapping). */
export function lastExprError(): string {
  return exprError;
}
const fail = (message: string): typeof FAILED => {
  exprError = message;
  return FAILED;
};
const absent = (v: unknown): boolean => v === undefined || v === null || v === '';

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return typeof v === 'string' ? JSON.stringify(preview(v)) : `a ${typeof v}`;
}

/** What the compiler of one operation needs: where it is, its argument, and how to compile and read. */
interface OpContext {
  node: Record<string, unknown>;
  path: (string | number)[];
  where: string;
  op: string;
  arg: unknown;
  issues: ValidationIssue[];
  refs: ColumnReference[];
  toNumber: (v: unknown) => number | undefined;
  /** Compiles a sub-expression one level deeper. */
  sub: (n: unknown, p: (string | number)[]) => FieldGetter;
  /** Compiles `arg` as a list of 1 to 100 sub-expressions (an issue and `[]` otherwise). */
  listOf: () => FieldGetter[];
  /** Reads a value as a finite number, or fails with a message naming `label`. */
  num: (v: unknown, label: string) => number | typeof FAILED;
}

const nothing: FieldGetter = () => undefined;

/**
 * Compiles one expression (`depth` levels deep) into a getter; problems go to `issues` (the
 * getter then returns `undefined`), the columns it reads to `refs`.
 */
export function compileExpr(
  node: unknown,
  path: (string | number)[],
  depth: number,
  issues: ValidationIssue[],
  refs: ColumnReference[],
  numbers: NumberReader,
  readNumber: (text: string) => number,
  toNumber: (v: unknown) => number | undefined,
): FieldGetter {
  if (depth > MAX_EXPR_DEPTH) {
    issues.push({
      path,
      code: 'too_deep',
      message: `expressions nested deeper than ${MAX_EXPR_DEPTH} levels`,
    });
    return nothing;
  }
  const where = path.join('.');
  if (typeof node === 'string') return columnExpr(node, path, where, issues, refs);
  if (!isPlainObject(node)) {
    issues.push({
      path,
      code: 'invalid_type',
      message: `${where}: expected a column name or an expression object (${EXPR_KEYS.join(', ')}), got ${describe(node)}`,
    });
    return nothing;
  }
  const op = expressionOp(node, path, where, issues);
  if (op === undefined) return nothing;
  const arg = node[op];
  const sub = (n: unknown, p: (string | number)[]) =>
    compileExpr(n, p, depth + 1, issues, refs, numbers, readNumber, toNumber);
  const listOf = (): FieldGetter[] => {
    if (!Array.isArray(arg) || arg.length === 0 || arg.length > 100) {
      issues.push({
        path: [...path, op],
        code: 'invalid_type',
        message: `${where}.${op} takes a list of 1 to 100 expressions`,
      });
      return [];
    }
    return arg.map((a, i) => sub(a, [...path, op, i]));
  };
  const num = (v: unknown, label: string): number | typeof FAILED => {
    if (typeof v === 'number') return Number.isFinite(v) ? v : fail(`${label} is not a finite number (${v})`);
    if (typeof v === 'string') {
      const n = readNumber(v);
      if (!Number.isNaN(n)) return n;
      numbers.read(v); // again, for its message
      return fail(`${label}: ${numbers.problem || `"${preview(v)}" is not a number`}`);
    }
    if (typeof v === 'bigint') return fail(`${label} is a BigInt; give numbers as numbers or text`);
    return fail(`${label} is not a number (${describe(v)})`);
  };
  const o: OpContext = { node, path, where, op, arg, issues, refs, toNumber, sub, listOf, num };
  switch (op) {
    case 'const':
      return constExpr(o);
    case 'product':
    case 'sum':
      return arithmeticExpr(o);
    case 'concat':
      return concatExpr(o);
    case 'coalesce':
      return coalesceExpr(o);
    case 'negate':
    case 'abs':
    case 'number':
      return numericExpr(o);
    case 'lower':
    case 'upper':
    case 'trim':
      return textExpr(o);
    case 'cases':
      return casesExpr(o);
  }
  return nothing;
}

/** A column name as an expression. */
function columnExpr(
  node: string,
  path: (string | number)[],
  where: string,
  issues: ValidationIssue[],
  refs: ColumnReference[],
): FieldGetter {
  const col = columnName().safeParse(node);
  if (!col.success) {
    issues.push({
      path,
      code: 'invalid_value',
      message: `${where}: a column name must be a non-empty string`,
    });
    return nothing;
  }
  refs.push({ column: node, path });
  return columnGetter(node);
}

/** The operation of an expression object, or `undefined` (with issues) when it has none or extra keys. */
function expressionOp(
  node: Record<string, unknown>,
  path: (string | number)[],
  where: string,
  issues: ValidationIssue[],
): string | undefined {
  const keys = Object.keys(node);
  const op = keys.find((k) => EXPR_KEYS.includes(k));
  if (
    op === undefined ||
    (keys.length > 1 && op !== 'cases') ||
    (op === 'cases' && keys.some((k) => k !== 'cases' && k !== 'else'))
  ) {
    const extra = keys.filter((k) => k !== op && !(op === 'cases' && k === 'else'));
    if (extra.length === 0 && op === undefined)
      issues.push({
        path,
        code: 'invalid_value',
        message: `${where}: an empty expression; use one of ${EXPR_KEYS.join(', ')}`,
      });
    for (const k of extra.length > 0 ? extra : keys)
      issues.push({
        path: [...path, k],
        code: 'unknown_key',
        message: `unknown expression "${preview(k)}"${didYouMean(k, [...EXPR_KEYS, 'else'])}`,
      });
    return undefined;
  }
  return op;
}

const labelOf = (n: unknown): string => (typeof n === 'string' ? `"${preview(n)}"` : 'a value');

function constExpr({ path, where, arg, issues }: OpContext): FieldGetter {
  const r = literalArgSchema().safeParse(arg);
  if (!r.success || (typeof arg === 'number' && !Number.isFinite(arg))) {
    issues.push({
      path: [...path, 'const'],
      code: 'invalid_value',
      message: `${where}.const must be a string, finite number, boolean or null`,
    });
    return nothing;
  }
  const v = r.data;
  return () => v;
}

/** `product` / `sum`. */
function arithmeticExpr({ op, arg, listOf, num }: OpContext): FieldGetter {
  const parts = listOf();
  if (!Array.isArray(arg)) return nothing; // listOf said so (a located issue)
  const labels = (arg as unknown[]).map((a) => `${op}: ${labelOf(a)}`);
  const isProduct = op === 'product';
  const columns = arg as unknown[];
  if (
    columns.length === 2 &&
    columns.every((c) => typeof c === 'string' && c.length > 0 && !c.includes('.'))
  ) {
    // Two plain columns (Quantity × UnitPrice): read them directly, no nested getters.
    const [a, b] = columns as [string, string];
    const [la, lb] = labels as [string, string];
    return (row) => {
      const va = Object.hasOwn(row, a) ? row[a] : undefined;
      if (absent(va)) return fail(`${la} is empty`);
      const na = num(va, la);
      if (na === FAILED) return FAILED;
      const vb = Object.hasOwn(row, b) ? row[b] : undefined;
      if (absent(vb)) return fail(`${lb} is empty`);
      const nb = num(vb, lb);
      if (nb === FAILED) return FAILED;
      const r = isProduct ? na * nb : na + nb;
      return Number.isFinite(r) ? r : fail(`${op} is not finite`);
    };
  }
  return (row) => {
    let acc = isProduct ? 1 : 0;
    for (let i = 0; i < parts.length; i++) {
      const v = (parts[i] as FieldGetter)(row);
      if (v === FAILED) return FAILED;
      if (absent(v)) return fail(`${labels[i]} is empty`);
      const n = num(v, labels[i] as string);
      if (n === FAILED) return FAILED;
      acc = isProduct ? acc * n : acc + n;
    }
    return Number.isFinite(acc) ? acc : fail(`${op} is not finite`);
  };
}

function concatExpr({ listOf }: OpContext): FieldGetter {
  const parts = listOf();
  return (row) => {
    let s = '';
    for (const p of parts) {
      const v = p(row);
      if (v === FAILED) return FAILED;
      if (absent(v)) continue;
      if (typeof v === 'object' || typeof v === 'bigint') return fail(`concat: ${describe(v)} is not text`);
      s += String(v);
    }
    return s;
  };
}

function coalesceExpr({ listOf }: OpContext): FieldGetter {
  const parts = listOf();
  return (row) => {
    for (const p of parts) {
      const v = p(row);
      if (v === FAILED) return FAILED;
      if (!absent(v)) return v;
    }
    return undefined;
  };
}

/** `negate` / `abs` / `number`. */
function numericExpr({ path, op, arg, sub, num }: OpContext): FieldGetter {
  const inner = sub(arg, [...path, op]);
  const label = `${op}: ${labelOf(arg)}`;
  const slow = (v: unknown): unknown => {
    if (v === FAILED) return FAILED;
    if (absent(v)) return undefined;
    const n = num(v, label);
    if (n === FAILED) return FAILED;
    return op === 'negate' ? -n : op === 'abs' ? Math.abs(n) : n;
  };
  // A finite number (e.g. from product or sum) needs no checks: one closure per operation.
  if (op === 'abs')
    return (row) => {
      const v = inner(row);
      return typeof v === 'number' && Number.isFinite(v) ? Math.abs(v) : slow(v);
    };
  if (op === 'negate')
    return (row) => {
      const v = inner(row);
      return typeof v === 'number' && Number.isFinite(v) ? -v : slow(v);
    };
  return (row) => {
    const v = inner(row);
    return typeof v === 'number' && Number.isFinite(v) ? v : slow(v);
  };
}

/** `lower` / `upper` / `trim`. */
function textExpr({ path, op, arg, sub }: OpContext): FieldGetter {
  const inner = sub(arg, [...path, op]);
  return (row) => {
    const v = inner(row);
    if (v === FAILED) return FAILED;
    if (absent(v)) return v === '' ? '' : undefined;
    if (typeof v === 'object' || typeof v === 'bigint') return fail(`${op}: ${describe(v)} is not text`);
    const s = String(v);
    return op === 'lower' ? s.toLowerCase() : op === 'upper' ? s.toUpperCase() : s.trim();
  };
}

type Branch = [(row: unknown) => boolean, FieldGetter];

/** `cases` (with its optional `else`). */
function casesExpr({ node, path, where, arg, issues, refs, toNumber, sub }: OpContext): FieldGetter {
  if (!Array.isArray(arg) || arg.length === 0 || arg.length > 1000) {
    issues.push({
      path: [...path, 'cases'],
      code: 'invalid_type',
      message: `${where}.cases takes a list of 1 to 1000 { when, then }`,
    });
    return nothing;
  }
  const branches: Branch[] = [];
  for (let i = 0; i < arg.length; i++) {
    const c = arg[i] as unknown;
    const p = [...path, 'cases', i];
    if (!isPlainObject(c)) {
      issues.push({
        path: p,
        code: 'invalid_type',
        message: `${p.join('.')} must be { "when": condition, "then": expression }`,
      });
      continue;
    }
    issues.push(...unknownKeyIssues(c, ['when', 'then'], p, 'key'));
    if (!Object.hasOwn(c, 'when') || !Object.hasOwn(c, 'then')) {
      issues.push({ path: p, code: 'required', message: `${p.join('.')} needs both "when" and "then"` });
      continue;
    }
    const cond = compileCondition(c.when, [...p, 'when'], issues);
    for (const f of conditionFields(cond)) refs.push({ column: f, path: [...p, 'when'] });
    branches.push([conditionPredicate(cond, toNumber), sub(c.then, [...p, 'then'])]);
  }
  const otherwise = Object.hasOwn(node, 'else') ? sub(node.else, [...path, 'else']) : nothing;
  if (branches.length === 2) {
    // The common shape (two cases and an else): no loop, no tuple reads per row.
    const [[w0, t0], [w1, t1]] = branches as [Branch, Branch];
    return (row) => (w0(row) ? t0(row) : w1(row) ? t1(row) : otherwise(row));
  }
  return (row) => {
    for (let i = 0; i < branches.length; i++) {
      const b = branches[i] as Branch;
      if (b[0](row)) return b[1](row);
    }
    return otherwise(row);
  };
}
