/**
 * The one rule for a sensitive attribute's value (private to the fairness module): what it may
 * hold, and the located issue when it holds something else.
 * @module
 */
import type { ValidationIssue } from '../_lib/errors';
import { showValue } from '../_lib/safe';

/** True for a value an attribute may hold: missing (null, undefined), a string, number, boolean or BigInt. */
export function isAttributeValue(v: unknown): boolean {
  const t = typeof v;
  return (
    v === null || v === undefined || t === 'string' || t === 'number' || t === 'boolean' || t === 'bigint'
  );
}

/** The issue for row `index`'s attribute value `v` when it is none of those (an object, array, function, symbol). */
export function attributeIssue(index: number, path: (string | number)[], v: unknown): ValidationIssue {
  return {
    index,
    path,
    code: 'invalid_type',
    message: `the attribute must be a string, number or boolean, got ${showValue(v)}`,
  };
}
