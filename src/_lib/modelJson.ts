/**
 * The one envelope of every saved model (CLV, churn, cluster): a plain object
 * `{ model: '<kind>', version: <n>, ...fields }`. Loaders call {@link readEnvelope} first; it is
 * tiny and has no zod, so bundles that only fit models do not pull in JSON schemas.
 * @module
 */
import { ValidationError, type ValidationIssue } from './errors';
import { isPlainObject } from './safe';

/** The envelope fields every serialised model starts with. */
export interface ModelEnvelope<M extends string = string, V extends number = number> {
  /** The kind of model, e.g. `'bgnbd'`, `'gammagamma'`, `'churn-logistic'`. */
  model: M;
  /** Format version of that kind; loaders accept the versions they know. */
  version: V;
}

/**
 * Checks the envelope of a saved model: a plain object whose `model` is `expectedModel` (or one of
 * them) and whose `version` is one of `versions`. Returns the object, typed as a record, for the
 * model's own field checks.
 * @param fn the public loader, for the error message (`BGNBDModel.fromJSON`).
 * @param json the parsed JSON.
 * @param expectedModel the model kind(s) this loader reads.
 * @param versions accepted versions. @default [1]
 * @throws ValidationError (`invalid_type` for a non-object, `invalid_model` for another kind,
 *   `invalid_value` for an unknown version).
 * @example
 * ```ts no-run
 * readEnvelope('load', { model: 'bgnbd', version: 1, params: {} }, 'bgnbd'); // => the object
 * readEnvelope('load', { model: 'sbg', version: 1 }, 'bgnbd');
 * // throws: load: invalid model JSON: field "model": expected model "bgnbd", got "sbg"
 * ```
 */
export function readEnvelope(
  fn: string,
  json: unknown,
  expectedModel: string | readonly string[],
  versions: readonly number[] = [1],
): Record<string, unknown> & ModelEnvelope {
  if (!isPlainObject(json)) {
    const got = json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json;
    throw new ValidationError(
      fn,
      [{ path: [], code: 'invalid_type', message: `a model JSON must be an object, got ${got}` }],
      'model JSON',
    );
  }
  const expected = typeof expectedModel === 'string' ? [expectedModel] : expectedModel;
  const issues: ValidationIssue[] = [];
  const model = json.model;
  if (typeof model !== 'string' || !expected.includes(model)) {
    const shown = typeof model === 'string' ? `"${model.slice(0, 40)}"` : String(model);
    issues.push({
      path: ['model'],
      code: 'invalid_model',
      message: `expected model ${expected.map((m) => `"${m}"`).join(' or ')}, got ${shown}`,
    });
  }
  if (typeof json.version !== 'number' || !versions.includes(json.version)) {
    issues.push({
      path: ['version'],
      code: 'invalid_value',
      message: `unsupported version ${String(json.version)} (this version reads ${versions.join(', ')})`,
    });
  }
  if (issues.length > 0) throw new ValidationError(fn, issues, 'model JSON');
  return json as Record<string, unknown> & ModelEnvelope;
}
