/**
 * Argument and option checks of the CLV module, all on the shared error path of `_lib/errors`:
 * unknown option keys via `checkOptions`, bad option values via `optionError`, bad positional
 * arguments via {@link argError} (a `ValidationError` located at the argument).
 * @module
 */
import { checkOptions, type IssueCode, optionError, unknownKeyIssues, ValidationError } from '../_lib/errors';
import { showValue } from '../_lib/safe';

export { checkOptions };

/**
 * A `ValidationError` for a bad positional argument of `fn` (not an option), located at `field`:
 * `ParetoNBDModel.expectedPurchases: "t" must be a finite number >= 0`.
 */
export function argError(
  fn: string,
  field: string,
  problem: string,
  code: IssueCode = 'invalid_value',
): ValidationError {
  return new ValidationError(fn, [{ path: [field], code, message: `"${field}" ${problem}` }]);
}

/**
 * @deprecated Use {@link argError} or `optionError` (they take the function and the field
 * separately instead of parsing them out of the message). Kept for files that still call it.
 */
export function argumentError(message: string): ValidationError {
  const i = message.indexOf(': ');
  const fn = i > 0 ? message.slice(0, i) : 'customer-vitals/clv';
  const rest = i > 0 ? message.slice(i + 2) : message;
  const m = /^(?:option )?"([^"]+)" (.*)$/s.exec(rest);
  if (m) return argError(fn, m[1] as string, m[2] as string);
  return new ValidationError(fn, [{ path: [], code: 'invalid_value', message: rest }]);
}

/** Numeric constraints for {@link optNumber}. */
export interface NumberRule {
  /** Inclusive lower bound. */
  min?: number;
  /** Exclusive lower bound. */
  gt?: number;
  /** Inclusive upper bound. */
  max?: number;
  integer?: boolean;
  /** Allow +Infinity (e.g. an unbounded horizon). */
  infinite?: boolean;
}

function describeRule(rule: NumberRule): string {
  const parts: string[] = [rule.integer ? 'an integer' : 'a finite number'];
  if (rule.infinite) parts[0] = rule.integer ? 'an integer' : 'a number';
  if (rule.gt !== undefined) parts.push(`> ${rule.gt}`);
  if (rule.min !== undefined) parts.push(`>= ${rule.min}`);
  if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
  return parts.join(' ');
}

/** True when `v` satisfies `rule`. */
export function meetsRule(v: unknown, rule: NumberRule): v is number {
  if (typeof v !== 'number' || Number.isNaN(v)) return false;
  if (!Number.isFinite(v) && !(rule.infinite && v === Number.POSITIVE_INFINITY)) return false;
  if (rule.integer && !Number.isInteger(v)) return false;
  if (rule.gt !== undefined && !(v > rule.gt)) return false;
  if (rule.min !== undefined && !(v >= rule.min)) return false;
  if (rule.max !== undefined && !(v <= rule.max)) return false;
  return true;
}

/**
 * Reads the optional numeric option `field` of `options`: `fallback` when absent, else the value if
 * it meets `rule`, else a located `optionError`.
 */
export function optNumber(
  fn: string,
  options: object | undefined,
  field: string,
  fallback: number,
  rule: NumberRule,
): number {
  const v = (options as Record<string, unknown> | undefined)?.[field];
  if (v === undefined) return fallback;
  if (!meetsRule(v, rule))
    throw optionError(fn, field, `must be ${describeRule(rule)}, got ${String(v)}`, 'invalid_value');
  return v;
}

/** Reads an optional option that must be one of `allowed`. */
export function optEnum<T extends string>(
  fn: string,
  options: object | undefined,
  field: string,
  fallback: T,
  allowed: readonly T[],
): T {
  const v = (options as Record<string, unknown> | undefined)?.[field];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    throw optionError(
      fn,
      field,
      `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${String(v)}`,
      'invalid_value',
    );
  return v as T;
}

/** Reads an optional non-empty string option. */
export function optString(fn: string, options: object | undefined, field: string, fallback: string): string {
  const v = (options as Record<string, unknown> | undefined)?.[field];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || v.length === 0)
    throw optionError(fn, field, `must be a non-empty string, got ${String(v)}`, 'invalid_value');
  return v;
}

/** Checks a numeric positional argument against `rule`; throws {@link argError} otherwise. */
export function checkArg(fn: string, field: string, v: unknown, rule: NumberRule): number {
  if (!meetsRule(v, rule)) throw argError(fn, field, `must be ${describeRule(rule)}, got ${String(v)}`);
  return v;
}

/** The option names of the maximum-likelihood fitters (`FitOptions`). */
export const FIT_OPTION_KEYS = ['initialParams', 'maxIterations', 'standardErrors'] as const;

/**
 * Checks a fitter's `FitOptions`: unknown keys (with a "did you mean"), `maxIterations` an integer
 * ≥ 1, `standardErrors` a boolean, `initialParams` an object of the model's parameter names with
 * finite values > 0. Returns the options (or `{}`).
 */
export function checkFitOptions<O extends object>(
  fn: string,
  options: O | undefined,
  names: readonly string[],
  extraKeys: readonly string[] = [],
): O {
  checkOptions(fn, options, [...FIT_OPTION_KEYS, ...extraKeys]);
  const o = (options ?? {}) as Record<string, unknown>;
  optNumber(fn, o, 'maxIterations', 500, { integer: true, min: 1 });
  if (o.standardErrors !== undefined && typeof o.standardErrors !== 'boolean')
    throw optionError(fn, 'standardErrors', `must be true or false, got ${String(o.standardErrors)}`);
  const init = o.initialParams;
  if (init !== undefined) {
    if (init === null || typeof init !== 'object' || Array.isArray(init))
      throw optionError(fn, 'initialParams', 'must be an object of starting values', 'invalid_type');
    const issues = unknownKeyIssues(init as Record<string, unknown>, names, ['initialParams'], 'parameter');
    if (issues.length > 0) throw new ValidationError(fn, issues);
    for (const [k, v] of Object.entries(init))
      if (!meetsRule(v, { gt: 0 }))
        throw optionError(fn, `initialParams.${k}`, `must be a finite number > 0, got ${String(v)}`);
  }
  return (options ?? {}) as O;
}

/**
 * The door check of the clv functions that take events: an array of objects with a string
 * `customerId` and `type`, a finite `timestamp` and a number-or-undefined `value` (a non-finite value
 * counts as no revenue, the `_lib/revenue` rule). One typeof pass, no allocation; located error
 * naming `fn` and the first bad entry (was a TypeError on null entries or a non-array).
 */
export function requireEvents(fn: string, events: unknown): void {
  if (!Array.isArray(events))
    throw new ValidationError(fn, [
      {
        path: ['events'],
        code: 'not_an_array',
        message: `events must be an array of events, got ${showValue(events)}`,
      },
    ]);
  for (let i = 0; i < events.length; i++) {
    const e: unknown = events[i];
    const o = typeof e === 'object' && e !== null ? (e as Record<string, unknown>) : null;
    const what =
      o === null
        ? showValue(e)
        : typeof o.customerId !== 'string'
          ? `customerId ${showValue(o.customerId)}`
          : typeof o.type !== 'string'
            ? `type ${showValue(o.type)}`
            : typeof o.timestamp !== 'number' || !Number.isFinite(o.timestamp)
              ? `timestamp ${showValue(o.timestamp)}`
              : o.value !== undefined && typeof o.value !== 'number'
                ? `value ${showValue(o.value)}`
                : null;
    if (what !== null)
      throw new ValidationError(fn, [
        {
          index: i,
          path: ['events'],
          code: 'invalid_record',
          message: `not a validated event (${what}); pass parseEvents(rows).events`,
        },
      ]);
  }
}
