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
