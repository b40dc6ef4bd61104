/**
 * The sections of a mapping other than `derive` (private to `compileMapping`): each validated, its
 * issues located in the mapping.
 * @module
 */
import * as z from 'zod';
import { didYouMean } from '../_lib/closest';
import { unknownKeyIssues, type ValidationIssue, zodIssues } from '../_lib/errors';
import { lazy } from '../_lib/lazy';
import { preview } from '../_lib/rules';
import { isPlainObject } from '../_lib/safe';
import { type TimestampOptions, timestampOptionIssues } from '../_lib/time';
import { type ColumnReference, columnName, describe } from './_compileExpr';
import type { AggregateOptions, CompiledMapping } from './compileMapping';
import type { NumberFormat, NumberReader } from './numberFormat';

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

/** `fields`: the column of each canonical field, into `sources` and `references`. */
export function readFields(
  fields: unknown,
  canonical: readonly string[],
  issues: ValidationIssue[],
  sources: Map<string, string>,
  references: ColumnReference[],
): void {
  if (fields === undefined) return;
  if (!isPlainObject(fields)) {
    issues.push({
      path: ['fields'],
      code: 'invalid_type',
      message: 'fields must be an object of column names',
    });
    return;
  }
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

/** `types`: the renaming of event types. */
export function readTypes(types: unknown, issues: ValidationIssue[]): Map<string, string> {
  const typeMap = new Map<string, string>();
  if (types !== undefined) {
    const r = typesSchema().safeParse(types);
    if (!r.success) issues.push(...zodIssues(r.error, ['types']));
    else for (const k of Object.keys(r.data)) typeMap.set(k, r.data[k] as string);
  }
  return typeMap;
}

/** `numberFormat`, validated (thousands separator distinct from the decimal one). */
export function readNumberFormat(value: unknown, issues: ValidationIssue[]): NumberFormat | undefined {
  let numberFormat: NumberFormat | undefined;
  if (value !== undefined) {
    const r = numberFormatSchema().safeParse(value);
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
  return numberFormat;
}

/**
 * Number readers for the expressions of one mapping. A row's numeric text is often read twice (in a
 * condition, then in an expression): they remember the last two texts read (by value) so the second
 * read is a comparison.
 */
export function cachedNumberReader(numbers: NumberReader): {
  readNumber: (text: string) => number;
  toNumber: (v: unknown) => number | undefined;
} {
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
  return { readNumber, toNumber };
}

/** `timestamp`: the options of the timestamp reader. */
export function readTimestamp(value: unknown, issues: ValidationIssue[]): TimestampOptions {
  let timestampOptions: TimestampOptions = {};
  if (value !== undefined) {
    if (isPlainObject(value))
      issues.push(
        ...unknownKeyIssues(
          value,
          ['format', 'timeZone', 'unit', 'window'],
          ['timestamp'],
          'timestamp option',
        ),
      );
    const r = timestampSchema().safeParse(value);
    if (!r.success) {
      if (isPlainObject(value))
        issues.push(...zodIssues(r.error, ['timestamp']).filter((i) => i.code !== 'unrecognized_keys'));
      else issues.push(...zodIssues(r.error, ['timestamp']));
    } else {
      timestampOptions = r.data as TimestampOptions;
      issues.push(...timestampOptionIssues(timestampOptions, ['timestamp']));
    }
  }
  return timestampOptions;
}

/** `placeholderIds`: lower-cased and trimmed, with the lengths they have (a quick reject per row). */
export function readPlaceholders(
  value: unknown,
  defaults: readonly string[],
  issues: ValidationIssue[],
): Pick<CompiledMapping, 'placeholderIds' | 'placeholderMaxLength' | 'placeholderLengths'> {
  let placeholderList: readonly string[] = defaults;
  if (value !== undefined) {
    const r = placeholderIdsSchema().safeParse(value);
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
  return { placeholderIds, placeholderMaxLength, placeholderLengths };
}

/** `aggregate` (events only): merging the lines of one order, or `null`. */
export function readAggregate(value: unknown, issues: ValidationIssue[]): Required<AggregateOptions> | null {
  let aggregate: Required<AggregateOptions> | null = null;
  if (value !== undefined) {
    const r = aggregateSchema().safeParse(value);
    if (!r.success) issues.push(...zodIssues(r.error, ['aggregate']));
    else aggregate = { by: 'eventId', value: r.data.value ?? 'sum' };
  }
  return aggregate;
}

/**
 * Issues for the referenced columns that are not among `columns` (a dotted reference is satisfied
 * by its full name or by its first segment, a nested JSON object; a reference to a whole object,
 * `props`, by dotted columns under it, `props.userId`, which a CSV reader nests into one object).
 * Each names the column, suggests the closest and lists the columns present.
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
    if (set.has(c) || set.has(c.split('.')[0] as string) || list.some((col) => col.startsWith(`${c}.`)))
      continue;
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
