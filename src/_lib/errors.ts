import type { z } from 'zod';
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
  /** Machine-readable code, e.g. `invalid_type`, `too_small`, `invalid_timestamp`. */
  code: string;
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
  code = 'invalid_option',
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
    const code = i.code === 'custom' && typeof params?.code === 'string' ? params.code : i.code;
    return {
      path: [...basePath, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
      code,
      message: i.message,
    };
  });
}
