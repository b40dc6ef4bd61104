import { checkOptions, optionError, ValidationError, type ValidationIssue } from '../_lib/errors';
import { isPlainObject, nullProtoObject } from '../_lib/safe';
import { attributeIssue, isAttributeValue } from './_attribute';

/** A number that is not finite becomes null (missing); anything else is kept. */
function finiteOrNull(v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? null : v;
}

/** Options of {@link splitSensitive}. */
export interface SplitSensitiveOptions {
  /** Group label of rows without the attribute. @default '(missing)' */
  missingLabel?: string;
}

/**
 * Takes a sensitive attribute out of churn rows' features while keeping it aside for the audit:
 * the model is trained on `rows` (which no longer contain the attribute) and `auditFairness` is
 * given `groups` (one label per row, in the same order). Run `findProxyFeatures` on the original
 * rows too: other features can carry the same information.
 *
 * Missing-data policy: a row without the attribute (null, undefined or NaN) gets the group label
 * `missingLabel` (default `(missing)`), so it is audited as its own group rather than dropped. In
 * the copies, a NaN or ±Infinity (a feature or another field) becomes `null`: the churn encoder
 * reads both as missing, and no non-finite number leaves the function.
 *
 * @param rows churn rows `{ features, churned, customerId? }`.
 * @param attribute the feature to take out (e.g. `region`).
 * @param options `missingLabel`: label for rows without it (default `(missing)`).
 * @returns copies of the rows without the attribute, and the labels.
 * @throws ValidationError when a row has no `features` record or its attribute is not a string,
 * number or boolean (an object, a symbol).
 * @example
 * ```ts
 * const { rows, groups } = splitSensitive([{ features: { region: 'eu', seats: 3 }, churned: false }], 'region');
 * rows[0].features; // => { seats: 3 }
 * groups; // => ['eu']
 * ```
 */
export function splitSensitive<R extends { features: Readonly<Record<string, unknown>> }>(
  rows: readonly R[],
  attribute: string,
  options: SplitSensitiveOptions = {},
): { rows: R[]; groups: string[] } {
  const fn = 'splitSensitive';
  checkOptions(fn, options, ['missingLabel']);
  const missingLabel = options.missingLabel ?? '(missing)';
  if (typeof missingLabel !== 'string')
    throw optionError(fn, 'missingLabel', 'must be a string', 'invalid_type');
  if (!Array.isArray(rows))
    throw new ValidationError(fn, [{ path: [], code: 'not_an_array', message: 'rows must be an array' }]);
  if (typeof attribute !== 'string' || attribute.length === 0)
    throw new ValidationError(fn, [
      { path: ['attribute'], code: 'required', message: 'attribute must be a non-empty string' },
    ]);
  const issues: ValidationIssue[] = [];
  const out: R[] = [];
  const groups: string[] = [];
  rows.forEach((r, i) => {
    if (!isPlainObject(r) || !isPlainObject(r.features)) {
      if (issues.length < 100)
        issues.push({
          index: i,
          path: ['features'],
          code: 'not_plain_object',
          message: 'a row needs a features record',
        });
      return;
    }
    const v = r.features[attribute];
    if (!isAttributeValue(v)) {
      if (issues.length < 100) issues.push(attributeIssue(i, ['features', attribute], v));
      return;
    }
    const features = nullProtoObject<unknown>();
    for (const [k, fv] of Object.entries(r.features)) if (k !== attribute) features[k] = finiteOrNull(fv);
    groups.push(
      v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? missingLabel : String(v),
    );
    const copy: Record<string, unknown> = { ...r, features };
    // NaN/±Infinity are "missing" to the churn encoder; the copies say so with null (no
    // non-finite number leaves the function).
    // (defineProperty, not `copy[k] =`: an own "__proto__" key must stay a plain field.)
    for (const k of Object.keys(copy))
      if (typeof copy[k] === 'number' && !Number.isFinite(copy[k]))
        Object.defineProperty(copy, k, { value: null, enumerable: true, writable: true, configurable: true });
    out.push(copy as R);
  });
  if (issues.length > 0) throw new ValidationError(fn, issues, 'rows');
  return { rows: out, groups };
}
