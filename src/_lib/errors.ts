import type * as z from 'zod';
import { didYouMean } from './closest';
import { isPlainObject } from './safe';

/**
 * Every code a {@link ValidationIssue} can carry: one closed list for the whole library, documented
 * in docs/errors.md. zod's own codes pass through unchanged where a schema reports them.
 */
export const ISSUE_CODES = [
  // shape and type
  'invalid_type',
  'not_an_array',
  'not_plain_object',
  'required',
  'invalid_value',
  'invalid_format',
  'invalid_union',
  'invalid_key',
  'invalid_element',
  'unrecognized_keys',
  'not_multiple_of',
  'custom',
  // unknown names (with a "did you mean")
  'unknown_option',
  'unknown_key',
  'unknown_column',
  'unknown_signal',
  // numbers and sizes
  'too_small',
  'too_big',
  'out_of_range',
  'not_finite',
  'not_ascending',
  'invalid_length',
  'invalid_count',
  'too_deep',
  'too_long',
  'too_many',
  // dates
  'invalid_date',
  'invalid_timestamp',
  'implausible_timestamp',
  'ambiguous_date',
  'invalid_periods',
  // rows and records
  'invalid_row',
  'invalid_record',
  'invalid_json',
  'invalid_number',
  'placeholder_id',
  'expression_failed',
  'duplicate_id',
  'duplicate_event_id',
  'duplicate_profile',
  'conflicting_profile',
  'duplicate_column',
  // domain rules
  'invalid_condition',
  'invalid_history',
  'invalid_frequency',
  'invalid_recency',
  'invalid_label',
  'invalid_band',
  'invalid_columns',
  'invalid_model',
  'signal_conflict',
  'missing_value',
  'missing_property',
  'not_integer',
  'negative_amount',
  'empty',
] as const;

/** The closed union of issue codes; see {@link ISSUE_CODES}. */
export type IssueCode = (typeof ISSUE_CODES)[number];

/**
 * Error classes shared by every module. Catch `VitalsError` to catch anything this library throws
 * on purpose; the subclasses say what kind of problem it was.
 * @module
 */

/** One located problem with an input value: which row, which field, what was wrong. */
export interface ValidationIssue {
  /** Index of the offending row in the input array, when the input is an array of rows. */
  index?: number;
  /** Path of the field inside the row, e.g. `['properties', 'score']`. Empty for the row itself. */
  path: (string | number)[];
  /** Machine-readable code from the closed list {@link ISSUE_CODES}, e.g. `invalid_type`, `too_small`. */
  code: IssueCode;
  /** Human-readable description naming the field. */
  message: string;
}

/**
 * Base class of every error this library throws on purpose.
 * `fn` names the public function that threw, so messages point at the call site.
 * @example
 * ```ts
 * try {
 *   scoreHealth(events, { asOf: 'someday' });
 * } catch (e) {
 *   if (e instanceof VitalsError) console.log(e.fn, e.message);
 *   // => 'scoreHealth', 'scoreHealth: option "asOf" is not a valid date: someday'
 * }
 * ```
 */
export class VitalsError extends Error {
  /** The public function that raised the error, e.g. `parseEvents`. */
  readonly fn: string | undefined;
  constructor(message: string, options?: { fn?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VitalsError';
    this.fn = options?.fn;
  }
}

/**
 * Input did not pass validation. Carries every located issue (not just the first); the message
 * names the first few with their row numbers.
 * @example
 * ```ts
 * try {
 *   parseEvents([{ customerId: '', type: 'login', timestamp: 1 }], { strict: true });
 * } catch (e) {
 *   (e as ValidationError).issues;
 *   // => [{ index: 0, path: ['customerId'], code: 'too_small', message: 'customerId must not be empty' }]
 * }
 * ```
 */
export class ValidationError extends VitalsError {
  readonly issues: readonly ValidationIssue[];
  /**
   * @param fn the public function that validated.
   * @param issues every located issue.
   * @param what what was invalid (`rows`, `scorecard`, ...); omit it for option errors, whose
   *   messages already name the option (`fitBGNBD: option "asOf" is not a valid date: x`).
   */
  constructor(fn: string, issues: readonly ValidationIssue[], what?: string) {
    super(`${fn}: ${what === undefined ? '' : `invalid ${what}: `}${summariseIssues(issues)}`, { fn });
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

/**
 * The data cannot support the requested computation (too few customers, no repeat buyers, ...).
 * `available` and `required` say how far off it was.
 * @example
 * ```ts
 * try {
 *   fitBGNBD([]);
 * } catch (e) {
 *   if (e instanceof InsufficientDataError) console.log(e.available, e.required); // => 0 2
 * }
 * ```
 */
export class InsufficientDataError extends VitalsError {
  /** How many usable observations there were, and how many are needed. */
  readonly available: number | undefined;
  readonly required: number | undefined;
  constructor(fn: string, message: string, counts?: { available?: number; required?: number }) {
    super(`${fn}: ${message}`, { fn });
    this.name = 'InsufficientDataError';
    this.available = counts?.available;
    this.required = counts?.required;
  }
}

/** The state of an optimiser when it gave up, attached to a {@link ConvergenceError}. */
export interface OptimizerState {
  iterations: number;
  params: readonly number[];
  value: number;
  gradientNorm?: number;
  reason: string;
}

/**
 * An iterative fit did not converge; carries the optimiser's last state instead of a silent answer.
 * @example
 * ```ts
 * try {
 *   fitParetoNBD(rows, { maxIterations: 2 }); // rows: { frequency, recency, T }[]
 * } catch (e) {
 *   if (e instanceof ConvergenceError) console.log(e.message);
 *   // => 'fitParetoNBD: did not converge after 4 iterations (iteration limit); last objective 9594.97..., params [...]'
 * }
 * ```
 */
export class ConvergenceError extends VitalsError {
  readonly state: OptimizerState;
  constructor(fn: string, state: OptimizerState) {
    super(
      `${fn}: did not converge after ${state.iterations} iterations (${state.reason}); ` +
        `last objective ${state.value}, params [${state.params.map((p) => p.toPrecision(6)).join(', ')}]`,
      { fn },
    );
    this.name = 'ConvergenceError';
    this.state = state;
  }
}

const MAX_LISTED = 3;

function summariseIssues(issues: readonly ValidationIssue[]): string {
  if (issues.length === 0) return 'no details';
  const shown = issues.slice(0, MAX_LISTED).map((i) => {
    const where = i.index === undefined ? '' : `row ${i.index}`;
    const named = i.path.length === 0 || i.message.includes(`"${i.path.join('.')}"`);
    const field = named ? '' : `${where ? ', ' : ''}field "${i.path.join('.')}"`;
    const loc = where || field ? `${where}${field}: ` : '';
    return `${loc}${i.message}`;
  });
  const more = issues.length > MAX_LISTED ? `; and ${issues.length - MAX_LISTED} more` : '';
  return shown.join('; ') + more;
}

/**
 * A `ValidationError` for one bad option; the message names the function and the option:
 * `churnLabels: option "asOf" is not a valid date: yesterday`.
 */
export function optionError(
  fn: string,
  field: string,
  problem: string,
  code: IssueCode = 'invalid_value',
): ValidationError {
  return new ValidationError(fn, [{ path: [field], code, message: `option "${field}" ${problem}` }]);
}

/**
 * Converts zod issues into located {@link ValidationIssue}s, prefixing `basePath`. A custom issue
 * that carries `params.code` reports that code (e.g. `invalid_timestamp`) instead of `custom`.
 */
export function zodIssues(error: z.ZodError, basePath: (string | number)[] = []): ValidationIssue[] {
  return error.issues.map((i) => {
    const params = (i as { params?: { code?: unknown } }).params;
    const code = (
      i.code === 'custom' && typeof params?.code === 'string' ? params.code : i.code
    ) as IssueCode;
    return {
      path: [...basePath, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
      code,
      message: i.message,
    };
  });
}

/**
 * Rejects an options argument that is not a plain object (or undefined), and every key of it not in
 * `known`, naming the closest valid key: `trainChurnModel: unknown option "kind"; did you mean
 * "model"?`. Keys whose value is `undefined` are checked too (a typo is a typo). Call it first in
 * every public function that takes options.
 * @param fn the public function, for the message.
 * @param options what the caller passed.
 * @param known every valid option name.
 * @throws ValidationError with code `invalid_type` or `unknown_option` (one issue per unknown key).
 * @example
 * ```ts
 * checkOptions('trainChurnModel', { kind: 'trees' }, ['model', 'l2', 'trees']);
 * // throws: trainChurnModel: unknown option "kind"; did you mean "model"?
 * ```
 */
export function checkOptions(fn: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (!isPlainObject(options)) {
    const got = options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options;
    throw new ValidationError(fn, [
      { path: [], code: 'invalid_type', message: `options must be an object, got ${got}` },
    ]);
  }
  const issues = unknownKeyIssues(options, known, [], 'option', 'unknown_option');
  if (issues.length > 0) throw new ValidationError(fn, issues);
}

/**
 * One issue per own key of `obj` that is not in `known`: `unknown <what> "x"; did you mean "y"?`.
 * For options, scorecards, mappings and any other keyed input that must not drop typos silently.
 */
export function unknownKeyIssues(
  obj: Record<string, unknown>,
  known: readonly string[],
  basePath: (string | number)[] = [],
  what = 'key',
  code: IssueCode = 'unknown_key',
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    const shown = key.length > 60 ? `${key.slice(0, 60)}…` : key;
    issues.push({
      path: [...basePath, key],
      code,
      message: `unknown ${what} "${shown}"${didYouMean(key, known)}`,
    });
  }
  return issues;
}
