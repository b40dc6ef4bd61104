import type { CompiledCondition, RulePrimitive } from './types';

/** Marker of a missing value (absent key, `null` or `undefined`) in {@link lookupPath}. */
export const MISSING: unique symbol = Symbol('missing');

/** Own-property (or Map) lookup along a path; never reads the prototype chain. */
export function lookupPath(record: unknown, path: readonly string[]): unknown {
  if (path.length === 1 && record !== null && typeof record === 'object' && !(record instanceof Map)) {
    // The common case (one column of a flat row), without the loop.
    const key = path[0] as string;
    if (!Object.hasOwn(record, key)) return MISSING;
    const v = (record as Record<string, unknown>)[key];
    return v === undefined || v === null ? MISSING : v;
  }
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

/**
 * A compiled condition as a predicate, with exactly the semantics of {@link evaluateCondition}
 * (which stays the reference), built once into closures so hot loops (one call per row) skip the
 * tree walk. Comparisons on a single key of a flat record are specialised.
 * @example
 * ```ts
 * const p = conditionPredicate({ kind: 'cmp', field: 'a', path: ['a'], op: '<', value: 3 });
 * p({ a: 2 }); // => true
 * ```
 */
export function conditionPredicate(c: CompiledCondition, toNumber?: ToNumber): (record: unknown) => boolean {
  switch (c.kind) {
    case 'all': {
      const items = c.items.map((i) => conditionPredicate(i, toNumber));
      return (r) => {
        for (let i = 0; i < items.length; i++) if (!(items[i] as (x: unknown) => boolean)(r)) return false;
        return true;
      };
    }
    case 'any': {
      const items = c.items.map((i) => conditionPredicate(i, toNumber));
      return (r) => {
        for (let i = 0; i < items.length; i++) if ((items[i] as (x: unknown) => boolean)(r)) return true;
        return false;
      };
    }
    case 'not': {
      const item = conditionPredicate(c.item, toNumber);
      return (r) => !item(r);
    }
    case 'cmp': {
      const { op, value, path } = c;
      if (
        path.length === 1 &&
        typeof value === 'string' &&
        (op === 'starts_with' || op === 'ends_with' || op === '==')
      ) {
        const key = path[0] as string;
        const lit = value;
        const read = (r: unknown): unknown =>
          r !== null && typeof r === 'object' && !(r instanceof Map) && Object.hasOwn(r, key)
            ? (r as Record<string, unknown>)[key]
            : lookupPath(r, path);
        if (op === 'starts_with')
          return (r) => {
            const v = read(r);
            return typeof v === 'string' && v.startsWith(lit);
          };
        if (op === 'ends_with')
          return (r) => {
            const v = read(r);
            return typeof v === 'string' && v.endsWith(lit);
          };
      }
      if (
        path.length === 1 &&
        typeof value === 'number' &&
        (op === '<' || op === '<=' || op === '>' || op === '>=')
      ) {
        // A number against one key: read it, convert text with toNumber, compare (as compareValues).
        const key = path[0] as string;
        const lit = value;
        return (r) => {
          if (r === null || typeof r !== 'object' || r instanceof Map || !Object.hasOwn(r, key))
            return compareValues(op, lookupPath(r, path), lit, toNumber);
          let v = (r as Record<string, unknown>)[key];
          if (typeof v === 'string' && toNumber !== undefined && v.trim() !== '') v = toNumber(v) ?? v;
          if (typeof v !== 'number' || !Number.isFinite(v)) return false;
          return op === '<' ? v < lit : op === '<=' ? v <= lit : op === '>' ? v > lit : v >= lit;
        };
      }
      return (r) => compareValues(op, lookupPath(r, path), value, toNumber);
    }
  }
}
