/**
 * Covariate columns for the covariate-extended repeat-purchase models: validation of named columns
 * next to the summary rows, one-hot coding of categorical columns against a stated reference level,
 * and grouping of customers by their covariate vector (customers with the same vector share one
 * compressed likelihood, so categorical covariates cost almost nothing).
 * @module
 */
import { ValidationError, type ValidationIssue } from '../_lib/errors';
import { compareCodeUnits } from '../_lib/order';
import { isPlainObject } from '../_lib/safe';

/** A covariate column: numbers (numeric covariate) or strings/booleans (categorical, one-hot coded). */
export type CovariateColumn = ArrayLike<number | string | boolean | null | undefined>;

/** How one input covariate was coded into design-matrix columns. */
export interface CovariateCoding {
  /** The input column name. */
  name: string;
  kind: 'numeric' | 'categorical';
  /** Design-matrix columns it produced: `name` for numeric, `name=level` per non-reference level. */
  columns: string[];
  /** Categorical only: every level (code-unit order) and the reference level (all dummies 0). */
  levels?: string[];
  reference?: string;
}

/** The coded design: n × k row-major matrix and how each input column was coded. */
export interface CovariateDesign {
  n: number;
  /** Design-matrix column names. */
  columns: string[];
  /** Row-major n × k values. */
  values: Float64Array;
  coding: CovariateCoding[];
}

const MAX_ISSUES = 50;

/** What coding one column needs: the field name, row count, options and the issue sink. */
interface CodingContext {
  field: string;
  n: number;
  options: { reference?: Record<string, string>; allowConstant?: boolean };
  push: (i: ValidationIssue) => void;
}

/**
 * Validates and codes named covariate columns of length `n`. Numeric columns must be finite
 * numbers in every row; string or boolean columns are categorical (booleans as levels "false" /
 * "true"); a column mixing numbers and strings, a missing value (null, undefined, NaN), or a
 * constant column (unless `allowConstant`) is a located error.
 * @throws {ValidationError} one issue per problem, with the row index and the column as path.
 */
export function codeCovariates(
  fn: string,
  covariates: unknown,
  n: number,
  options: { reference?: Record<string, string>; allowConstant?: boolean; field?: string } = {},
): CovariateDesign {
  const field = options.field ?? 'covariates';
  if (!isPlainObject(covariates)) {
    throw new ValidationError(fn, [
      {
        path: [field],
        code: 'invalid_type',
        message: `option "${field}" must be an object of named columns`,
      },
    ]);
  }
  const names = Object.keys(covariates);
  const issues: ValidationIssue[] = [];
  if (names.length === 0) {
    issues.push({ path: [field], code: 'empty', message: `option "${field}" has no columns` });
  }
  const coding: CovariateCoding[] = [];
  const blocks: Float64Array[] = [];
  const push = (i: ValidationIssue) => {
    if (issues.length < MAX_ISSUES) issues.push(i);
  };
  const ctx: CodingContext = { field, n, options, push };
  for (const name of names) {
    const c = codeColumn(ctx, name, covariates[name] as CovariateColumn, blocks);
    if (c) coding.push(c);
  }
  if (options.reference) {
    for (const k of Object.keys(options.reference)) {
      if (!names.includes(k))
        push({
          path: ['reference', k],
          code: 'unknown_column',
          message: `reference given for unknown covariate "${k}"`,
        });
    }
  }
  if (issues.length > 0) throw new ValidationError(fn, issues, 'covariates');
  const columns = coding.flatMap((c) => c.columns);
  const k = columns.length;
  const values = new Float64Array(n * k);
  for (let j = 0; j < k; j++) {
    const b = blocks[j] as Float64Array;
    for (let i = 0; i < n; i++) values[i * k + j] = b[i] as number;
  }
  return { n, columns, values, coding };
}

/** Codes one column, appending its design columns to `blocks`; null (issues pushed) when it cannot be coded. */
function codeColumn(
  ctx: CodingContext,
  name: string,
  col: CovariateColumn,
  blocks: Float64Array[],
): CovariateCoding | null {
  const { field, n, push } = ctx;
  if (col === null || typeof col !== 'object' || typeof (col as { length?: unknown }).length !== 'number') {
    push({ path: [field, name], code: 'not_an_array', message: `covariate "${name}" must be an array` });
    return null;
  }
  if (col.length !== n) {
    push({
      path: [field, name],
      code: 'invalid_length',
      message: `covariate "${name}" has ${col.length} values for ${n} customers`,
    });
    return null;
  }
  const { numbers, labels, bad } = valueKinds(ctx, name, col);
  if (bad > 0) return null;
  if (numbers > 0 && labels > 0) {
    let first = -1;
    for (let i = 0; i < n && first < 0; i++) if (typeof col[i] !== 'number') first = i;
    push({
      index: first,
      path: [field, name],
      code: 'invalid_number',
      message: `covariate "${name}" mixes numbers and labels (row ${first} is ${JSON.stringify(col[first])}); numeric columns need numbers in every row`,
    });
    return null;
  }
  return numbers > 0 ? codeNumeric(ctx, name, col, blocks) : codeCategorical(ctx, name, col, blocks);
}

/** Counts finite numbers and labels in a column, pushing an issue per missing value (`bad`). */
function valueKinds(
  ctx: CodingContext,
  name: string,
  col: CovariateColumn,
): { numbers: number; labels: number; bad: number } {
  const { field, n, push } = ctx;
  let numbers = 0;
  let labels = 0;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const v = col[i];
    if (typeof v === 'number') {
      if (Number.isFinite(v)) numbers++;
      else {
        bad++;
        push({
          index: i,
          path: [field, name],
          code: 'missing_value',
          message: `covariate "${name}" is ${v} (missing or not finite)`,
        });
      }
    } else if (typeof v === 'string' || typeof v === 'boolean') labels++;
    else {
      bad++;
      push({
        index: i,
        path: [field, name],
        code: 'missing_value',
        message: `covariate "${name}" is missing (${v === null ? 'null' : typeof v})`,
      });
    }
  }
  return { numbers, labels, bad };
}

/** A numeric column as one design column (constant columns rejected unless `allowConstant`). */
function codeNumeric(
  ctx: CodingContext,
  name: string,
  col: CovariateColumn,
  blocks: Float64Array[],
): CovariateCoding | null {
  const { n } = ctx;
  const v0 = col[0] as number;
  let constant = true;
  for (let i = 1; i < n && constant; i++) if ((col[i] as number) !== v0) constant = false;
  if (constant && !ctx.options.allowConstant) {
    ctx.push({
      path: [ctx.field, name],
      code: 'invalid_value',
      message: `covariate "${name}" is constant (${v0} for every customer), so its effect cannot be estimated`,
    });
    return null;
  }
  blocks.push(Float64Array.from({ length: n }, (_, i) => col[i] as number));
  return { name, kind: 'numeric', columns: [name] };
}

/** A categorical column as one 0/1 design column per non-reference level (levels in code-unit order). */
function codeCategorical(
  ctx: CodingContext,
  name: string,
  col: CovariateColumn,
  blocks: Float64Array[],
): CovariateCoding | null {
  const { n, push, options } = ctx;
  const levelsSet = new Set<string>();
  for (let i = 0; i < n; i++) levelsSet.add(String(col[i]));
  const levels = Array.from(levelsSet).sort(compareCodeUnits);
  if (levels.length < 2 && !options.allowConstant) {
    push({
      path: [ctx.field, name],
      code: 'invalid_value',
      message: `covariate "${name}" has one level ("${levels[0]}") for every customer, so its effect cannot be estimated`,
    });
    return null;
  }
  const wanted = options.reference?.[name];
  if (wanted !== undefined && !levelsSet.has(wanted)) {
    push({
      path: ['reference', name],
      code: 'invalid_value',
      message: `reference level "${wanted}" of covariate "${name}" is not one of its levels (${levels.join(', ')})`,
    });
    return null;
  }
  const reference = wanted ?? (levels[0] as string);
  const cols: string[] = [];
  for (const level of levels) {
    if (level === reference) continue;
    cols.push(`${name}=${level}`);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) b[i] = String(col[i]) === level ? 1 : 0;
    blocks.push(b);
  }
  return { name, kind: 'categorical', columns: cols, levels, reference };
}

/**
 * Groups rows by their covariate vector restricted to the design columns `used`: returns, per group,
 * its covariate values and the row indices. Rows are visited once; one Map lookup per row.
 */
export function groupByCovariates(
  design: CovariateDesign,
  used: readonly number[],
): { values: Float64Array; rows: number[][] } {
  const k = design.columns.length;
  const map = new Map<string, number>();
  const rows: number[][] = [];
  const vals: number[] = [];
  for (let i = 0; i < design.n; i++) {
    let key = '';
    for (const j of used) key += `${design.values[i * k + j]},`;
    let g = map.get(key);
    if (g === undefined) {
      g = rows.length;
      map.set(key, g);
      rows.push([]);
      for (const j of used) vals.push(design.values[i * k + j] as number);
    }
    (rows[g] as number[]).push(i);
  }
  return { values: Float64Array.from(vals), rows };
}

/**
 * Codes one customer's covariates (a record of raw values) with a fitted coding, for predictions.
 * @throws {ValidationError} for a missing or unknown covariate or an unseen level.
 */
export function codeOne(fn: string, coding: readonly CovariateCoding[], row: unknown): Float64Array {
  const issues: ValidationIssue[] = [];
  if (!isPlainObject(row)) {
    throw new ValidationError(fn, [
      { path: ['covariates'], code: 'invalid_type', message: '"covariates" must be an object of values' },
    ]);
  }
  const known = coding.map((c) => c.name);
  for (const k of Object.keys(row)) {
    if (!known.includes(k))
      issues.push({
        path: ['covariates', k],
        code: 'unknown_key',
        message: `unknown covariate "${k}" (model has ${known.join(', ')})`,
      });
  }
  const out: number[] = [];
  for (const c of coding) {
    const v = row[c.name];
    if (c.kind === 'numeric') {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        issues.push({
          path: ['covariates', c.name],
          code: 'missing_value',
          message: `covariate "${c.name}" must be a finite number`,
        });
        out.push(0);
      } else out.push(v);
      continue;
    }
    const s = typeof v === 'string' || typeof v === 'boolean' ? String(v) : undefined;
    if (s === undefined || !(c.levels as string[]).includes(s)) {
      issues.push({
        path: ['covariates', c.name],
        code: 'invalid_value',
        message: `covariate "${c.name}" must be one of ${(c.levels as string[]).join(', ')}`,
      });
      for (const _ of c.columns) out.push(0);
      continue;
    }
    for (const col of c.columns) out.push(col === `${c.name}=${s}` ? 1 : 0);
  }
  if (issues.length > 0) throw new ValidationError(fn, issues, 'covariates');
  return Float64Array.from(out);
}
