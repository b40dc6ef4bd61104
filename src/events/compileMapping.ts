/**
 * The mapping language: how the columns of a raw export become events or profiles. Data, validated
 * with zod, compiled once into per-row readers; no `eval`.
 * @module
 */
import { didYouMean } from '../_lib/closest';
import { checkOptions, unknownKeyIssues, ValidationError, type ValidationIssue } from '../_lib/errors';
import { preview, type RuleCondition } from '../_lib/rules';
import { isPlainObject, nullProtoObject } from '../_lib/safe';
import { type TimestampOptions, TimestampReader } from '../_lib/time';
import {
  type ColumnReference,
  columnGetter,
  compileExpr,
  FAILED,
  type FieldGetter,
  lastExprError,
} from './_compileExpr';
import {
  cachedNumberReader,
  missingColumnIssues,
  readAggregate,
  readFields,
  readNumberFormat,
  readPlaceholders,
  readTimestamp,
  readTypes,
} from './_readMapping';
import { type NumberFormat, NumberReader } from './numberFormat';

export type { ColumnReference, FieldGetter } from './_compileExpr';
export { FAILED, readPath } from './_compileExpr';

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
  readFields(m.fields, canonical, issues, sources, references);
  const typeMap = readTypes(m.types, issues);
  // numberFormat (before derive: expressions read numbers with it)
  const numbers = new NumberReader(readNumberFormat(m.numberFormat, issues));
  const { readNumber, toNumber } = cachedNumberReader(numbers);
  const derivedProperties: [string, FieldGetter][] = [];
  const exprs: DeriveContext = { target, canonical, sources, getters, derivedProperties, issues, references };
  compileDerive(m.derive, exprs, numbers, readNumber, toNumber);
  const ordered = orderedGetters(canonical, getters, sources);
  const timestampOptions = readTimestamp(m.timestamp, issues);
  const placeholders = readPlaceholders(m.placeholderIds, DEFAULT_PLACEHOLDER_IDS, issues);
  const aggregate = target === 'events' ? readAggregate(m.aggregate, issues) : null;

  if (issues.length === 0 && options.columns !== undefined)
    issues.push(...missingColumnIssues(references, options.columns));
  if (issues.length > 0) throw new ValidationError(fn, issues.slice(0, 50), 'mapping');

  return {
    getters: ordered,
    sources,
    derivedProperties,
    references,
    typeMap,
    placeholderIds: placeholders.placeholderIds,
    placeholderMaxLength: placeholders.placeholderMaxLength,
    placeholderLengths: placeholders.placeholderLengths,
    timestamp: new TimestampReader(timestampOptions),
    numbers,
    aggregate,
    lastError: () => lastExprError(),
  };
}

/** What `derive` reads and fills. */
interface DeriveContext {
  target: 'events' | 'profiles';
  canonical: readonly string[];
  sources: ReadonlyMap<string, string>;
  getters: Map<string, FieldGetter>;
  derivedProperties: [string, FieldGetter][];
  issues: ValidationIssue[];
  references: ColumnReference[];
}

/** `derive`: compiles each expression into `getters` (canonical fields) or `derivedProperties`. */
function compileDerive(
  derive: unknown,
  c: DeriveContext,
  numbers: NumberReader,
  readNumber: (text: string) => number,
  toNumber: (v: unknown) => number | undefined,
): void {
  const { target, canonical, sources, issues } = c;
  if (derive === undefined) return;
  if (!isPlainObject(derive)) {
    issues.push({
      path: ['derive'],
      code: 'invalid_type',
      message: 'derive must be an object of expressions',
    });
    return;
  }
  for (const key of Object.keys(derive)) {
    const isProp = target === 'events' && key.startsWith('properties.') && key.length > 'properties.'.length;
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
      c.references,
      numbers,
      readNumber,
      toNumber,
    );
    if (isProp) c.derivedProperties.push([key.slice('properties.'.length), g]);
    else c.getters.set(key, g);
  }
}

/** Every canonical field's getter (its column when not derived), in canonical order. */
function orderedGetters(
  canonical: readonly string[],
  getters: Map<string, FieldGetter>,
  sources: Map<string, string>,
): Map<string, FieldGetter> {
  for (const f of canonical) {
    if (getters.has(f)) continue;
    const col = sources.get(f) ?? f;
    getters.set(f, columnGetter(col));
    if (!sources.has(f)) sources.set(f, f);
  }
  // Keep canonical order.
  const ordered = new Map<string, FieldGetter>();
  for (const f of canonical) ordered.set(f, getters.get(f) as FieldGetter);
  return ordered;
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
