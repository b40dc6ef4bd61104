import { unknownKeyIssues, ValidationError, type ValidationIssue } from '../_lib/errors';
import { readEnvelope } from '../_lib/modelJson';
import { isPlainObject } from '../_lib/safe';
import type { VitalsWarning } from '../types';
import type { ClvWarningCode, FitDiagnostics } from './types';

/**
 * Largest and smallest parameter a saved model may carry. The optimiser never returns a parameter
 * outside e^±30 (≈ 1e±13), so these bounds accept every fitted model and reject magnitudes such as
 * r = 1e308 whose predictions overflow to NaN.
 */
export const PARAM_MIN = 1e-14;
export const PARAM_MAX = 1e14;

const WARNING_CODES: readonly ClvWarningCode[] = [
  'negative_net_revenue',
  'degenerate_fit',
  'standard_errors_unavailable',
  'model_switched',
  'model_failed',
  'spend_frequency_correlated',
  'spend_model_unusable',
];

/** How a saved model of one kind is checked: its `model` tag, parameter names, extra fields. */
export interface ModelSchema<K extends string> {
  model: string;
  names: readonly K[];
  /** Checks extra top-level fields (e.g. Gamma-Gamma's `report`), pushing located issues. */
  extra?: {
    keys: readonly string[];
    check: (json: Record<string, unknown>, issues: ValidationIssue[]) => void;
  };
}

/** The description of a serialised model with the given `model` tag and parameter names. */
export function modelSchema<K extends string>(
  model: string,
  names: readonly K[],
  extra?: ModelSchema<K>['extra'],
): ModelSchema<K> {
  return extra === undefined ? { model, names } : { model, names, extra };
}

/** The validated content of a model JSON. */
export interface ParsedModel<K extends string> {
  params: Record<K, number>;
  logLikelihood: number;
  standardErrors: Record<K, number | null>;
  standardErrorsReason: string | null;
  iterations: number;
  customers: number;
  warnings: VitalsWarning<ClvWarningCode>[];
  json: Record<string, unknown>;
}

const BASE_KEYS = [
  'model',
  'version',
  'params',
  'logLikelihood',
  'standardErrors',
  'standardErrorsReason',
  'iterations',
  'customers',
  'warnings',
];

function num(
  issues: ValidationIssue[],
  v: unknown,
  path: (string | number)[],
  ok: (x: number) => boolean,
  what: string,
): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) {
    issues.push({
      path,
      code: typeof v === 'number' && Number.isFinite(v) ? 'out_of_range' : 'invalid_type',
      message: `"${path.join('.')}" must be ${what}, got ${String(v)}`,
    });
    return Number.NaN;
  }
  return v;
}

/**
 * Validates a saved model: the `{ model, version }` envelope, parameters finite and within
 * [1e-14, 1e14], standard errors null or finite ≥ 0, a finite log-likelihood, counts; unknown keys
 * rejected with the closest valid name. No zod: fitting does not pull JSON schemas into a bundle.
 * @throws ValidationError with every located issue.
 */
export function parseModelJson<K extends string>(
  fn: string,
  schema: ModelSchema<K>,
  json: unknown,
): ParsedModel<K> {
  const obj = readEnvelope(fn, json, schema.model);
  const issues: ValidationIssue[] = unknownKeyIssues(obj, [...BASE_KEYS, ...(schema.extra?.keys ?? [])]);
  const params = readParams(issues, obj.params, schema.names);
  const standardErrors = readStandardErrors(issues, obj.standardErrors, schema.names);
  const logLikelihood = num(issues, obj.logLikelihood, ['logLikelihood'], () => true, 'a finite number');
  const iterations = num(
    issues,
    obj.iterations,
    ['iterations'],
    (x) => Number.isInteger(x) && x >= 0,
    'an integer >= 0',
  );
  const customers = num(issues, obj.customers, ['customers'], (x) => x >= 0, 'a finite number >= 0');
  const reason = obj.standardErrorsReason;
  if (reason !== undefined && reason !== null && typeof reason !== 'string')
    issues.push({
      path: ['standardErrorsReason'],
      code: 'invalid_type',
      message: '"standardErrorsReason" must be a string or null',
    });
  const warnings = readWarnings(issues, obj.warnings);
  schema.extra?.check(obj, issues);
  if (issues.length > 0) throw new ValidationError(fn, issues, 'model JSON');
  return {
    params,
    logLikelihood,
    standardErrors,
    standardErrorsReason: typeof reason === 'string' ? reason : null,
    iterations,
    customers,
    warnings,
    json: obj,
  };
}

/** `params`: an object with exactly the model's parameters, each a number in [PARAM_MIN, PARAM_MAX]. */
function readParams<K extends string>(
  issues: ValidationIssue[],
  p: unknown,
  names: readonly K[],
): Record<K, number> {
  const params = {} as Record<K, number>;
  if (!isPlainObject(p)) {
    issues.push({ path: ['params'], code: 'invalid_type', message: '"params" must be an object' });
    return params;
  }
  issues.push(...unknownKeyIssues(p, names, ['params'], 'parameter'));
  for (const k of names)
    params[k] = num(
      issues,
      p[k],
      ['params', k],
      (x) => x >= PARAM_MIN && x <= PARAM_MAX,
      `a number in [${PARAM_MIN}, ${PARAM_MAX}]`,
    );
  return params;
}

/** `standardErrors`: per parameter null (or absent) or a finite number ≥ 0. */
function readStandardErrors<K extends string>(
  issues: ValidationIssue[],
  se: unknown,
  names: readonly K[],
): Record<K, number | null> {
  const standardErrors = {} as Record<K, number | null>;
  if (!isPlainObject(se)) {
    issues.push({
      path: ['standardErrors'],
      code: 'invalid_type',
      message: '"standardErrors" must be an object',
    });
    return standardErrors;
  }
  issues.push(...unknownKeyIssues(se, names, ['standardErrors'], 'parameter'));
  for (const k of names) {
    const v = se[k];
    standardErrors[k] =
      v === null || v === undefined
        ? null
        : num(issues, v, ['standardErrors', k], (x) => x >= 0, 'null or a finite number >= 0');
  }
  return standardErrors;
}

/** Optional `warnings`: an array of `{ code, message }` with CLV warning codes. */
function readWarnings(issues: ValidationIssue[], w: unknown): VitalsWarning<ClvWarningCode>[] {
  const warnings: VitalsWarning<ClvWarningCode>[] = [];
  if (w === undefined) return warnings;
  if (!Array.isArray(w)) {
    issues.push({ path: ['warnings'], code: 'invalid_type', message: '"warnings" must be an array' });
    return warnings;
  }
  w.forEach((x, i) => {
    if (
      isPlainObject(x) &&
      typeof x.code === 'string' &&
      (WARNING_CODES as readonly string[]).includes(x.code) &&
      typeof x.message === 'string'
    )
      warnings.push({ code: x.code as ClvWarningCode, message: x.message });
    else
      issues.push({
        path: ['warnings', i],
        code: 'invalid_value',
        message: `"warnings.${i}" must be { code, message } with a CLV warning code`,
      });
  });
  return warnings;
}

/** Serialised form shared by the fitted models: the `{ model, version }` envelope, parameters and fit diagnostics. */
export interface ModelJSON<M extends string, P> {
  model: M;
  version: 1;
  params: P;
  logLikelihood: number;
  standardErrors: Record<string, number | null>;
  /** Why standard errors are missing (null when all are present). Optional in files from earlier versions. */
  standardErrorsReason?: string | null;
  iterations: number;
  customers: number;
  /** Warnings of the fit (e.g. `degenerate_fit`). Optional in files from earlier versions. */
  warnings?: VitalsWarning<ClvWarningCode>[];
}

/** Diagnostics a model is constructed with (the fit's `diag`, or a loaded JSON). */
export type ModelDiagnostics = Omit<FitDiagnostics, 'converged' | 'standardErrorsReason' | 'warnings'> &
  Partial<Pick<FitDiagnostics, 'standardErrorsReason' | 'warnings'>>;

/** Fields and constructor shared by the fitted model classes, and the body of their `toJSON()`. */
export abstract class FittedModel<P extends object> implements FitDiagnostics {
  readonly params: Readonly<P>;
  readonly logLikelihood: number;
  readonly standardErrors: Record<string, number | null>;
  readonly standardErrorsReason: string | null;
  readonly converged = true;
  readonly iterations: number;
  readonly customers: number;
  readonly warnings: VitalsWarning<ClvWarningCode>[];

  constructor(params: P, diag: ModelDiagnostics) {
    this.params = Object.freeze({ ...params });
    this.logLikelihood = diag.logLikelihood;
    this.standardErrors = { ...diag.standardErrors };
    this.iterations = diag.iterations;
    this.customers = diag.customers;
    const missing = Object.values(this.standardErrors).some((v) => v === null);
    this.standardErrorsReason = diag.standardErrorsReason ?? (missing ? 'not computed' : null);
    this.warnings = (diag.warnings ?? []).map((w) => ({ ...w }));
  }

  /** `toJSON()` without the `model` tag and `version` (copies, so the model stays frozen). */
  protected jsonBody(): Omit<ModelJSON<string, P>, 'model' | 'version'> {
    return {
      params: { ...this.params } as P,
      logLikelihood: this.logLikelihood,
      standardErrors: { ...this.standardErrors },
      standardErrorsReason: this.standardErrorsReason,
      iterations: this.iterations,
      customers: this.customers,
      warnings: this.warnings.map((w) => ({ ...w })),
    };
  }
}
