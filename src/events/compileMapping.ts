/**
 * The mapping language: how the columns of a raw export become events or profiles. Data, validated
 * with zod, compiled once into per-row readers; no `eval`.
 * @module
 */
import * as z from 'zod';
import { didYouMean } from '../_lib/closest';
import {
  checkOptions,
  unknownKeyIssues,
  ValidationError,
  type ValidationIssue,
  zodIssues,
} from '../_lib/errors';
import { lazy } from '../_lib/lazy';
import {
  compileCondition,
  conditionFields,
  conditionPredicate,
  preview,
  type RuleCondition,
} from '../_lib/rules';
import { isPlainObject, nullProtoObject } from '../_lib/safe';
import { type TimestampOptions, TimestampReader, timestampOptionIssues } from '../_lib/time';
import { type NumberFormat, NumberReader } from './numberFormat';

/**
 * An expression computing one field from a raw row:
 * - a column name (dotted paths reach into nested JSON: `"properties.plan"`);
 * - `{ "const": v }`;
 * - `{ "product" | "sum": [expr, ...] }` (numbers; numeric text read with `numberFormat`),
 *   `{ "concat": [expr, ...] }` (text), `{ "coalesce": [expr, ...] }` (first present value);
 * - `{ "negate" | "abs" | "number": expr }`, `{ "lower" | "upper" | "trim": expr }`;
 * - `{ "cases": [{ "when": condition, "then": expr }, ...], "else": expr }`, where a condition is the
 *   rule language of `segmentByRules` (`"Quantity < 0"`, `{ field, op: 'starts_with', value: 'C' }`,
 *   `all` / `any` / `not`) evaluated on the raw row (numeric text compares as a number).
 */
export type MappingExpression =
  | string
  | { const: string | number | boolean | null }
  | { product: readonly MappingExpression[] }
  | { sum: readonly MappingExpression[] }
  | { concat: readonly MappingExpression[] }
  | { coalesce: readonly MappingExpression[] }
  | { negate: MappingExpression }
  | { abs: MappingExpression }
  | { number: MappingExpression }
  | { lower: MappingExpression }
  | { upper: MappingExpression }
  | { trim: MappingExpression }
  | { cases: readonly { when: RuleCondition; then: MappingExpression }[]; else?: MappingExpression };

/**
 * Lines of one order as one event: rows sharing an `eventId` are merged into one event (see
 * `parseEvents`). `value: 'sum'` adds the lines' values; `'count'` counts the lines.
 */
export interface AggregateOptions {
  by: 'eventId';
  /** @default 'sum' */
  value?: 'sum' | 'count';
}

/** The default `placeholderIds`: values that stand for "no customer" in common exports. */
export const DEFAULT_PLACEHOLDER_IDS: readonly string[] = [
  '',
  'NA',
  'N/A',
  '#N/A',
  'null',
  'NULL',
  'None',
  'nan',
  'NaN',
  'undefined',
  '(blank)',
  '-',
];

/**
 * How raw rows map onto the event (or profile) model.
 * - `fields`: the column (or dotted path) holding each canonical field.
 * - `types`: renames event types (`{ "Order Completed": "purchase" }`).
 * - `derive`: computes a canonical field (or `properties.<name>`) with a {@link MappingExpression}.
 * - `timestamp`: format, time zone, unit and plausibility window of dates.
 * - `placeholderIds`: customer ids that mean "no customer" (default {@link DEFAULT_PLACEHOLDER_IDS},
 *   case-insensitive, trimmed; `[]` turns it off); such rows are rejected with code `placeholder_id`.
 * - `numberFormat`: decimal comma, thousands separators, currency symbols in numeric text.
 * - `aggregate`: merge the lines of one order (same `eventId`) into one event (events only).
 * @example
 * ```ts no-run
 * {
 *   fields: { customerId: 'CustomerID', timestamp: 'InvoiceDate', eventId: 'InvoiceNo' },
 *   derive: {
 *     value: { abs: { product: ['Quantity', 'UnitPrice'] } },
 *     type: { cases: [{ when: 'Quantity < 0', then: { const: 'refund' } }], else: { const: 'purchase' } },
 *     'properties.country': 'Country',
 *   },
 *   timestamp: { format: 'yyyy-MM-dd HH:mm:ss', timeZone: 'Europe/London' },
 *   aggregate: { by: 'eventId', value: 'sum' },
 * }
 * ```
 */
export interface FieldMapping<F extends string> {
  fields?: Partial<Record<F, string>>;
  types?: Record<string, string>;
  derive?: Partial<Record<F, MappingExpression>> & Record<string, MappingExpression>;
  timestamp?: TimestampOptions;
  placeholderIds?: readonly string[];
  numberFormat?: NumberFormat;
  aggregate?: AggregateOptions;
}

/** Where a mapping reads a column, for checking it against a file's columns. */
export interface ColumnReference {
  column: string;
  /** Location in the mapping, e.g. `['derive', 'type', 'cases', 0, 'when']`. */
  path: (string | number)[];
}

/** Reads one field of a raw row; returns the `FAILED` symbol when an expression fails (see `lastError`). */
export type FieldGetter = (row: Record<string, unknown>) => unknown;

/** Sentinel returned by a {@link FieldGetter} whose expression failed on the row. */
export const FAILED: unique symbol = Symbol('failed');

/** A mapping compiled once for many rows. */
export interface CompiledMapping {
  /** The canonical fields and how each is read (column or expression), in canonical order. */
  readonly getters: ReadonlyMap<string, FieldGetter>;
  /** Column name each canonical field reads when it is a plain column (not derived). */
  readonly sources: ReadonlyMap<string, string>;
  /** `properties.<name>` fields computed by `derive`. */
  readonly derivedProperties: readonly (readonly [string, FieldGetter])[];
  /** Every column the mapping names explicitly. */
  readonly references: readonly ColumnReference[];
  readonly typeMap: ReadonlyMap<string, string>;
  /** Lower-cased, trimmed placeholder ids. */
  readonly placeholderIds: ReadonlySet<string>;
  readonly placeholderMaxLength: number;
  /** `placeholderLengths[n] === 1` when some placeholder has length n (a quick reject per row). */
  readonly placeholderLengths: Uint8Array;
  readonly timestamp: TimestampReader;
  readonly numbers: NumberReader;
  readonly aggregate: Required<AggregateOptions> | null;
  /** Message of the last failed getter. */
  lastError(): string;
}

/** Options of {@link compileMapping}. */
export interface CompileMappingOptions {
  /**
   * The columns of the input (e.g. a CSV header): every column the mapping names must be one of them,
   * else a `ValidationError` names it, lists the columns and suggests the closest.
   * @default undefined (not checked here)
   */
  columns?: readonly string[];
  /** What the mapping maps to. @default 'events' */
  target?: 'events' | 'profiles';
  /** Public function named in error messages. @default 'compileMapping' */
  fn?: string;
}

const EVENT_FIELDS = ['customerId', 'type', 'timestamp', 'value', 'properties', 'eventId'] as const;
const PROFILE_FIELDS = [
  'customerId',
  'signupDate',
  'plan',
  'mrr',
  'seats',
  'renewalDate',
  'parentId',
  'attributes',
] as const;
const MAPPING_KEYS = [
  'fields',
  'types',
  'derive',
  'timestamp',
  'placeholderIds',
  'numberFormat',
  'aggregate',
];
const EXPR_KEYS = [
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
const columnName = lazy(() => z.string().min(1, 'a column name must not be empty').max(500));

const timestampSchema = lazy(() =>
  z.strictObject({
    format: z.string().min(1).max(100).optional(),
    timeZone: z.string().min(1).max(64).optional(),
    unit: z.enum(['ms', 's', 'us', 'ns', 'excel']).optional(),
    window: z
      .strictObject({
        from: z.union([z.string().max(64), z.number(), z.date()]),
        to: z.union([z.string().max(64), z.number(), z.date()]),
      })
      .nullable()
      .optional(),
  }),
);
const numberFormatSchema = lazy(() =>
  z.strictObject({
    decimal: z.enum(['.', ',']).optional(),
    thousands: z.enum([',', '.', ' ', "'", '']).optional(),
    currency: z.boolean().optional(),
  }),
);
const aggregateSchema = lazy(() =>
  z.strictObject({
    by: z.literal('eventId'),
    value: z.enum(['sum', 'count']).optional(),
  }),
);
const typesSchema = lazy(() => z.record(z.string(), z.string().min(1).max(200)));
const placeholderIdsSchema = lazy(() => z.array(z.string().max(200)).max(1000));
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
function columnGetter(column: string): FieldGetter {
  if (!column.includes('.')) return (row) => (Object.hasOwn(row, column) ? row[column] : undefined);
  return (row) => readPath(row, column);
}

let exprError = '';
const fail = (message: string): typeof FAILED => {
  exprError = message;
  return FAILED;
};
const absent = (v: unknown): boolean => v === undefined || v === null || v === '';

/**
 * Validates a mapping (zod, located issues such as `derive.type.cases.0.when.op`; unknown keys named
 * with the closest valid one) and compiles it into per-row readers. With `columns`, also checks that
 * every column it names exists, before any row is read.
 *
 * @param mapping the mapping (e.g. parsed from a JSON file); see {@link FieldMapping}.
 * @param options columns to check against, target model, function name for messages.
 * @returns the compiled mapping, used by `parseEvents`, `parseEventStream` and `parseProfiles`.
 * @throws {ValidationError} listing every problem of the mapping (code `unknown_key`,
 *   `unknown_column`, `invalid_condition`, ...), each located in the mapping.
 * @example
 * ```ts
 * import { compileMapping } from 'customer-vitals/events';
 * try {
 *   compileMapping({ fields: { customerId: 'customer_id' } }, { columns: ['CustomerID', 'InvoiceDate'] });
 * } catch (e) {
 *   console.log((e as Error).message);
 *   // compileMapping: invalid mapping: field "fields.customerId": column "customer_id" not found;
 *   // did you mean "CustomerID"?; the columns are "CustomerID", "InvoiceDate"
 * }
 * ```
 */
export function compileMapping(mapping: unknown, options: CompileMappingOptions = {}): CompiledMapping {
  checkOptions('compileMapping', options, ['columns', 'target', 'fn']);
  const fn = options.fn ?? 'compileMapping';
  const target = options.target ?? 'events';
  const canonical: readonly string[] = target === 'events' ? EVENT_FIELDS : PROFILE_FIELDS;
  const issues: ValidationIssue[] = [];
  const m: Record<string, unknown> = mapping === undefined ? {} : (mapping as Record<string, unknown>);
  if (!isPlainObject(m)) {
    throw new ValidationError(
      fn,
      [
        {
          path: ['mapping'],
          code: 'invalid_type',
          message: `mapping must be an object, got ${typeof mapping}`,
        },
      ],
      'mapping',
    );
  }
  const allowed =
    target === 'events' ? MAPPING_KEYS : MAPPING_KEYS.filter((k) => k !== 'aggregate' && k !== 'types');
  issues.push(...unknownKeyIssues(m, allowed, [], 'mapping key'));
  const references: ColumnReference[] = [];
  const sources = new Map<string, string>();
  const getters = new Map<string, FieldGetter>();

  // fields
  const fields = m.fields;
  if (fields !== undefined) {
    if (!isPlainObject(fields)) {
      issues.push({
        path: ['fields'],
        code: 'invalid_type',
        message: 'fields must be an object of column names',
      });
    } else {
      issues.push(...unknownKeyIssues(fields, canonical, ['fields'], 'field'));
      const usedBy = new Map<string, string>();
      for (const f of canonical) {
        if (!Object.hasOwn(fields, f)) continue;
        const col = columnName().safeParse(fields[f]);
        if (!col.success) {
          issues.push(
            ...zodIssues(col.error, ['fields', f]).map((i) => ({
              ...i,
              message: `fields.${f} must be a column name (a non-empty string), got ${describe(fields[f])}`,
            })),
          );
          continue;
        }
        const other = usedBy.get(col.data);
        if (other !== undefined)
          issues.push({
            path: ['fields', f],
            code: 'invalid_value',
            message: `fields.${f} and fields.${other} both read column "${preview(col.data)}"; map each field to its own column (or derive one)`,
          });
        usedBy.set(col.data, f);
        sources.set(f, col.data);
        references.push({ column: col.data, path: ['fields', f] });
      }
    }
  }

  // types
  const typeMap = new Map<string, string>();
  if (m.types !== undefined) {
    const r = typesSchema().safeParse(m.types);
    if (!r.success) issues.push(...zodIssues(r.error, ['types']));
    else for (const k of Object.keys(r.data)) typeMap.set(k, r.data[k] as string);
  }

  // numberFormat (before derive: expressions read numbers with it)
  let numberFormat: NumberFormat | undefined;
  if (m.numberFormat !== undefined) {
    const r = numberFormatSchema().safeParse(m.numberFormat);
    if (!r.success) issues.push(...zodIssues(r.error, ['numberFormat']));
    else {
      numberFormat = r.data;
      if (r.data.thousands !== undefined && r.data.thousands === (r.data.decimal ?? '.'))
        issues.push({
          path: ['numberFormat', 'thousands'],
          code: 'invalid_value',
          message: 'numberFormat.thousands must differ from numberFormat.decimal',
        });
    }
  }
  const numbers = new NumberReader(numberFormat);
  // A row's numeric text is often read twice (in a condition, then in an expression): remember the
  // last two texts read (by value) so the second read is a comparison.
  let k0 = '';
  let v0 = Number.NaN;
  let k1 = '';
  let v1 = Number.NaN;
  const readNumber = (text: string): number => {
    if (text === k0) return v0;
    if (text === k1) return v1;
    const n = numbers.read(text);
    k1 = k0;
    v1 = v0;
    k0 = text;
    v0 = n;
    return n;
  };
  const toNumber = (v: unknown): number | undefined => {
    if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
    if (typeof v !== 'string') return undefined;
    const n = readNumber(v);
    return Number.isNaN(n) ? undefined : n;
  };

  // derive
  const derivedProperties: [string, FieldGetter][] = [];
  const derive = m.derive;
  if (derive !== undefined) {
    if (!isPlainObject(derive)) {
      issues.push({
        path: ['derive'],
        code: 'invalid_type',
        message: 'derive must be an object of expressions',
      });
    } else {
      for (const key of Object.keys(derive)) {
        const isProp =
          target === 'events' && key.startsWith('properties.') && key.length > 'properties.'.length;
        if (!isProp && !canonical.includes(key)) {
          const hint = didYouMean(key, canonical);
          issues.push({
            path: ['derive', key],
            code: 'unknown_key',
            message: `cannot derive "${preview(key)}": not a field (${canonical.join(', ')}${target === 'events' ? ', or properties.<name>' : ''})${hint}`,
          });
          continue;
        }
        if (sources.has(key))
          issues.push({
            path: ['derive', key],
            code: 'invalid_value',
            message: `"${key}" is both in fields and in derive; keep one`,
          });
        const g = compileExpr(
          derive[key],
          ['derive', key],
          0,
          issues,
          references,
          numbers,
          readNumber,
          toNumber,
        );
        if (isProp) derivedProperties.push([key.slice('properties.'.length), g]);
        else getters.set(key, g);
      }
    }
  }
  for (const f of canonical) {
    if (getters.has(f)) continue;
    const col = sources.get(f) ?? f;
    getters.set(f, columnGetter(col));
    if (!sources.has(f)) sources.set(f, f);
  }
  // Keep canonical order.
  const ordered = new Map<string, FieldGetter>();
  for (const f of canonical) ordered.set(f, getters.get(f) as FieldGetter);

  // timestamp
  let timestampOptions: TimestampOptions = {};
  if (m.timestamp !== undefined) {
    if (isPlainObject(m.timestamp))
      issues.push(
        ...unknownKeyIssues(
          m.timestamp,
          ['format', 'timeZone', 'unit', 'window'],
          ['timestamp'],
          'timestamp option',
        ),
      );
    const r = timestampSchema().safeParse(m.timestamp);
    if (!r.success) {
      if (isPlainObject(m.timestamp))
        issues.push(...zodIssues(r.error, ['timestamp']).filter((i) => i.code !== 'unrecognized_keys'));
      else issues.push(...zodIssues(r.error, ['timestamp']));
    } else {
      timestampOptions = r.data as TimestampOptions;
      issues.push(...timestampOptionIssues(timestampOptions, ['timestamp']));
    }
  }

  // placeholderIds
  let placeholderList: readonly string[] = DEFAULT_PLACEHOLDER_IDS;
  if (m.placeholderIds !== undefined) {
    const r = placeholderIdsSchema().safeParse(m.placeholderIds);
    if (!r.success) issues.push(...zodIssues(r.error, ['placeholderIds']));
    else placeholderList = r.data;
  }
  const placeholderIds = new Set(placeholderList.map((p) => p.trim().toLowerCase()));
  let placeholderMaxLength = 0;
  const placeholderLengths = new Uint8Array(256);
  for (const p of placeholderIds) {
    placeholderMaxLength = Math.max(placeholderMaxLength, p.length);
    if (p.length < 256) placeholderLengths[p.length] = 1;
  }

  // aggregate
  let aggregate: Required<AggregateOptions> | null = null;
  if (m.aggregate !== undefined && target === 'events') {
    const r = aggregateSchema().safeParse(m.aggregate);
    if (!r.success) issues.push(...zodIssues(r.error, ['aggregate']));
    else aggregate = { by: 'eventId', value: r.data.value ?? 'sum' };
  }

  if (issues.length === 0 && options.columns !== undefined)
    issues.push(...missingColumnIssues(references, options.columns));
  if (issues.length > 0) throw new ValidationError(fn, issues.slice(0, 50), 'mapping');

  return {
    getters: ordered,
    sources,
    derivedProperties,
    references,
    typeMap,
    placeholderIds,
    placeholderMaxLength,
    placeholderLengths,
    timestamp: new TimestampReader(timestampOptions),
    numbers,
    aggregate,
    lastError: () => exprError,
  };
}

/**
 * Issues for the referenced columns that are not among `columns` (a dotted reference is satisfied
 * by its full name or by its first segment, a nested JSON object). Each names the column, suggests
 * the closest and lists the columns present.
 */
export function missingColumnIssues(
  references: readonly ColumnReference[],
  columns: readonly string[] | ReadonlySet<string>,
): ValidationIssue[] {
  const set: ReadonlySet<string> = columns instanceof Set ? columns : new Set(columns as readonly string[]);
  const list = [...set];
  const shown =
    list
      .slice(0, 30)
      .map((c) => JSON.stringify(preview(c)))
      .join(', ') + (list.length > 30 ? ', …' : '');
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const ref of references) {
    const c = ref.column;
    if (set.has(c) || set.has(c.split('.')[0] as string)) continue;
    const key = `${c}\u0000${ref.path.join('.')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({
      path: ref.path,
      code: 'unknown_column',
      message: `column "${preview(c)}" not found${didYouMean(c, list)}; the columns are ${shown === '' ? '(none)' : shown}`,
    });
  }
  return issues;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return typeof v === 'string' ? JSON.stringify(preview(v)) : `a ${typeof v}`;
}

function compileExpr(
  node: unknown,
  path: (string | number)[],
  depth: number,
  issues: ValidationIssue[],
  refs: ColumnReference[],
  numbers: NumberReader,
  readNumber: (text: string) => number,
  toNumber: (v: unknown) => number | undefined,
): FieldGetter {
  const nothing: FieldGetter = () => undefined;
  if (depth > MAX_EXPR_DEPTH) {
    issues.push({
      path,
      code: 'too_deep',
      message: `expressions nested deeper than ${MAX_EXPR_DEPTH} levels`,
    });
    return nothing;
  }
  const where = path.join('.');
  if (typeof node === 'string') {
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
  if (!isPlainObject(node)) {
    issues.push({
      path,
      code: 'invalid_type',
      message: `${where}: expected a column name or an expression object (${EXPR_KEYS.join(', ')}), got ${describe(node)}`,
    });
    return nothing;
  }
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
    return nothing;
  }
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
  const labelOf = (n: unknown): string => (typeof n === 'string' ? `"${preview(n)}"` : 'a value');
  switch (op) {
    case 'const': {
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
    case 'product':
    case 'sum': {
      const parts = listOf();
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
    case 'concat': {
      const parts = listOf();
      return (row) => {
        let s = '';
        for (const p of parts) {
          const v = p(row);
          if (v === FAILED) return FAILED;
          if (absent(v)) continue;
          if (typeof v === 'object' || typeof v === 'bigint')
            return fail(`concat: ${describe(v)} is not text`);
          s += String(v);
        }
        return s;
      };
    }
    case 'coalesce': {
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
    case 'negate':
    case 'abs':
    case 'number': {
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
    case 'lower':
    case 'upper':
    case 'trim': {
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
    case 'cases': {
      if (!Array.isArray(arg) || arg.length === 0 || arg.length > 1000) {
        issues.push({
          path: [...path, 'cases'],
          code: 'invalid_type',
          message: `${where}.cases takes a list of 1 to 1000 { when, then }`,
        });
        return nothing;
      }
      const branches: [(row: unknown) => boolean, FieldGetter][] = [];
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
        const [[w0, t0], [w1, t1]] = branches as [
          [(row: unknown) => boolean, FieldGetter],
          [(row: unknown) => boolean, FieldGetter],
        ];
        return (row) => (w0(row) ? t0(row) : w1(row) ? t1(row) : otherwise(row));
      }
      return (row) => {
        for (let i = 0; i < branches.length; i++) {
          const b = branches[i] as [(row: unknown) => boolean, FieldGetter];
          if (b[0](row)) return b[1](row);
        }
        return otherwise(row);
      };
    }
  }
  return nothing;
}

let derivedFailure = '';
let derivedPlain = false;
/** True when the last {@link withDerivedProperties} built flat properties of primitives only (nothing to check). */
export function lastDerivedPlain(): boolean {
  return derivedPlain;
}
/** The property key whose expression failed in the last {@link withDerivedProperties} that returned FAILED. */
export function lastDerivedFailure(): string {
  return derivedFailure;
}

/** A copy of `base` (when a plain object) with the derived properties set. */
export function withDerivedProperties(
  base: unknown,
  derived: readonly (readonly [string, FieldGetter])[],
  row: Record<string, unknown>,
  safeKeys = false,
): Record<string, unknown> | typeof FAILED {
  // The derived keys come from the mapping; a literal {} is much faster than a null-prototype object,
  // so it is used unless a key could reach the prototype (checked when compiling: safeKeys).
  let plain = base === undefined;
  const out: Record<string, unknown> = safeKeys ? {} : nullProtoObject();
  if (!plain && isPlainObject(base))
    for (const k of Object.keys(base)) {
      if (k === '__proto__')
        Object.defineProperty(out, k, {
          value: base[k],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else out[k] = base[k];
    }
  for (let i = 0; i < derived.length; i++) {
    const pair = derived[i] as readonly [string, FieldGetter];
    const key = pair[0];
    const v = pair[1](row);
    if (v === FAILED) {
      derivedFailure = key;
      return FAILED;
    }
    if (v !== undefined && v !== null && v !== '') {
      if (typeof v === 'object' || typeof v === 'bigint') plain = false;
      out[key] = v;
    }
  }
  derivedPlain = plain;
  return out;
}
