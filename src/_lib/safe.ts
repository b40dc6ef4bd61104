/**
 * Helpers that keep keys from user data away from object prototypes.
 * @module
 */

/** A plain object with no prototype: keys like `__proto__` or `constructor` are ordinary keys. */
export function nullProtoObject<T = unknown>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** True for `{}`-style objects (prototype Object.prototype or null); false for arrays, Dates, class instances. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Reads an own property only (never the prototype chain). */
export function ownGet(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/**
 * Any value as it may appear in an error message, whatever the caller passed: numbers, booleans and
 * short strings as themselves (strings quoted, cut at 40 characters), BigInts as `10n`, Dates as an
 * ISO string, and other objects by kind (`an object`, `an array`, `a Map`). Never calls `String()` or
 * `JSON.stringify` on an object: a hostile value may have no primitive form, a throwing `toString`,
 * a cycle or a 20,000-deep nesting.
 */
export function showValue(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'boolean' || v === undefined || v === null) return String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'symbol') return 'a symbol';
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date)
    return Number.isFinite(v.getTime()) ? `a Date (${v.toISOString()})` : 'an invalid Date';
  const proto = Object.getPrototypeOf(v) as { constructor?: { name?: unknown } } | null;
  const name = proto?.constructor?.name;
  return typeof name === 'string' && name !== 'Object' && name !== '' ? `a ${name}` : 'an object';
}
