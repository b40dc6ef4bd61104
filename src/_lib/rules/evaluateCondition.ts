import type { CompiledCondition, RulePrimitive } from './types';

/** Marker of a missing value (absent key, `null` or `undefined`) in {@link lookupPath}. */
export const MISSING: unique symbol = Symbol('missing');

/** Own-property (or Map) lookup along a path; never reads the prototype chain. */
export function lookupPath(record: unknown, path: readonly string[]): unknown {
  let cur: unknown = record;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] as string;
    if (cur instanceof Map) {
      if (!cur.has(key)) return MISSING;
      cur = cur.get(key);
    } else if (cur !== null && typeof cur === 'object') {
      if (!Object.hasOwn(cur, key)) {
        // A flat record may hold the dotted name itself as one key (CSV headers like "a.b").
        if (i === 0 && path.length > 1) {
          const whole = path.join('.');
          if (Object.hasOwn(cur, whole)) {
            const v = (cur as Record<string, unknown>)[whole];
            return v === undefined || v === null ? MISSING : v;
          }
        }
        return MISSING;
      }
      cur = (cur as Record<string, unknown>)[key];
    } else return MISSING;
  }
  return cur === undefined || cur === null ? MISSING : cur;
}

/**
 * Reads a value as a number for a numeric comparison (e.g. CSV cells are strings); `undefined`
 * when it is not a number. Passed to {@link evaluateCondition} by callers whose records hold text.
 */
export type ToNumber = (v: unknown) => number | undefined;

/**
 * Compares a looked-up value with a rule literal. A missing value is false for every operator but
 * `missing` (like SQL NULL); ordering needs both numbers or both strings. With `toNumber`, a string
 * compared with a number literal is read as a number first.
 */
export function compareValues(
  op: string,
  a: unknown,
  b: RulePrimitive | readonly RulePrimitive[] | undefined,
  toNumber?: ToNumber,
): boolean {
  switch (op) {
    case 'exists':
      return a !== MISSING;
    case 'missing':
      return a === MISSING;
  }
  if (a === MISSING) return false;
  if (toNumber !== undefined && typeof a === 'string' && a.trim() !== '') {
    const wantsNumber = typeof b === 'number' || (Array.isArray(b) && b.some((x) => typeof x === 'number'));
    if (wantsNumber && op !== 'contains' && op !== 'starts_with' && op !== 'ends_with') {
      const n = toNumber(a);
      if (n !== undefined) a = n;
    }
  }
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case 'in':
      return (b as readonly RulePrimitive[]).includes(a as RulePrimitive);
    case 'not_in':
      return !(b as readonly RulePrimitive[]).includes(a as RulePrimitive);
    case 'contains':
      if (typeof a === 'string') return typeof b === 'string' && a.includes(b);
      if (Array.isArray(a)) return a.includes(b);
      return false;
    case 'starts_with':
      return typeof a === 'string' && typeof b === 'string' && a.startsWith(b);
    case 'ends_with':
      return typeof a === 'string' && typeof b === 'string' && a.endsWith(b);
  }
  const comparable =
    (typeof a === 'number' && typeof b === 'number' && Number.isFinite(a)) ||
    (typeof a === 'string' && typeof b === 'string');
  if (!comparable) return false;
  const x = a as number | string;
  const y = b as number | string;
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
  }
  return false;
}

/**
 * Evaluates a compiled condition on a record (paths read own properties and Map entries only).
 * Recursion depth is bounded by `MAX_RULE_DEPTH`, enforced when compiling.
 * @param c a condition from {@link compileCondition}.
 * @param record the record (customer, raw row, ...).
 * @param toNumber optional reader of numeric text, for records whose values are strings.
 * @returns whether the record satisfies the condition.
 * @example
 * ```ts
 * evaluateCondition({ kind: 'cmp', field: 'a', path: ['a'], op: '<', value: 3 }, { a: 2 }); // => true
 * ```
 */
export function evaluateCondition(c: CompiledCondition, record: unknown, toNumber?: ToNumber): boolean {
  switch (c.kind) {
    case 'all':
      for (const item of c.items) if (!evaluateCondition(item, record, toNumber)) return false;
      return true;
    case 'any':
      for (const item of c.items) if (evaluateCondition(item, record, toNumber)) return true;
      return false;
    case 'not':
      return !evaluateCondition(c.item, record, toNumber);
    case 'cmp':
      return compareValues(c.op, lookupPath(record, c.path), c.value, toNumber);
  }
}
