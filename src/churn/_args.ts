/**
 * Guards for the positional arguments of the churn functions: hostile input (wrong types, missing
 * options) becomes a located `ValidationError`, never a raw TypeError. Private to the churn module.
 * @module
 */
import { ValidationError } from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';

function what(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

/** Required options: a plain object (`checkOptions` then checks its keys). */
export function requireOptions(fn: string, options: unknown): void {
  if (!isPlainObject(options))
    throw new ValidationError(fn, [
      {
        path: [],
        code: 'invalid_type',
        message: `options must be an object (asOf is required), got ${what(options)}`,
      },
    ]);
}

/** An array (or typed array) whose cells are numbers (booleans too when `booleans`). */
export function requireNumbers(
  fn: string,
  name: string,
  v: unknown,
  booleans = false,
): ArrayLike<number | boolean> {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return v as unknown as ArrayLike<number>;
  if (!Array.isArray(v))
    throw new ValidationError(fn, [
      { path: [name], code: 'invalid_type', message: `${name} must be an array of numbers, got ${what(v)}` },
    ]);
  for (let i = 0; i < v.length; i++) {
    const t = typeof v[i];
    if (t !== 'number' && !(booleans && t === 'boolean'))
      throw new ValidationError(fn, [
        {
          index: i,
          path: [name],
          code: 'invalid_type',
          message: `${name} must hold ${booleans ? 'numbers or booleans' : 'numbers'}, got ${t}`,
        },
      ]);
  }
  return v as ArrayLike<number | boolean>;
}

/** A plain array. */
export function requireArray(fn: string, name: string, v: unknown): void {
  if (!Array.isArray(v))
    throw new ValidationError(fn, [
      { path: [name], code: 'invalid_type', message: `${name} must be an array, got ${what(v)}` },
    ]);
}
