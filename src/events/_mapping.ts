import { ValidationError } from '../_lib/errors';
import { isPlainObject, nullProtoObject } from '../_lib/safe';
import { describeValue } from '../_lib/time';
import { type FieldMapping, readPath } from './compileMapping';
import type { RejectedRow } from './types';

export type { FieldMapping } from './compileMapping';
export { readPath };

/** Optional fields given as null or '' (typical of CSV and SQL exports) count as absent. */
export function absentToUndefined(v: unknown): unknown {
  return v === null || v === '' ? undefined : v;
}

/** Numeric strings (from CSV) become numbers; anything else is passed on for the schema to judge. */
export function numericString(v: unknown): unknown {
  if (typeof v === 'string') {
    const s = v.trim();
    if (s !== '' && /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return Number(s);
  }
  return v;
}

export function compileFieldMap<F extends string>(
  canonical: readonly F[],
  mapping: FieldMapping<F> | undefined,
): readonly (readonly [F, string])[] {
  return canonical.map((f) => [f, mapping?.fields?.[f] ?? f] as const);
}

export function compileTypeMap(mapping: { types?: Record<string, string> } | undefined): Map<string, string> {
  const m = new Map<string, string>();
  if (mapping?.types) for (const k of Object.keys(mapping.types)) m.set(k, mapping.types[k] as string);
  return m;
}

export function notAnObject(row: unknown): RejectedRow['issues'] {
  const what = describeValue(row).replace(/^an? /, '');
  return [{ path: [], code: 'invalid_row', message: `row must be a plain object, got ${what}` }];
}

/** The one rejected row standing for a non-array input, so that counts still reconcile. */
export function notAnArray(fn: string, rows: unknown): RejectedRow {
  return {
    index: 0,
    row: rows,
    issues: [
      {
        path: [],
        code: 'not_an_array',
        message: `${fn} expects an array of rows, got ${describeValue(rows)}`,
      },
    ],
  };
}

/**
 * Strict mode: throws a `ValidationError` carrying every issue of the rejected rows, except rows
 * rejected only as duplicates (`duplicateCode`), which are reported but never thrown.
 */
export function throwIfStrict(
  fn: string,
  rejected: readonly RejectedRow[],
  received: number,
  duplicateCode: string,
  what: string,
): void {
  const invalid = rejected.filter((r) => r.issues[0]?.code !== duplicateCode);
  if (invalid.length === 0) return;
  throw new ValidationError(
    fn,
    invalid.flatMap((r) => r.issues.map((i) => ({ index: r.index, ...i }))),
    `${what} (${invalid.length} of ${received})`,
  );
}

export { isPlainObject, nullProtoObject };
