import { readEnvelope } from '../_lib/modelJson';
import { BGBBModel } from './BGBBModel';
import { BGNBDModel } from './BGNBDModel';
import { CovariateRepeatModel } from './CovariateRepeatModel';
import { GammaGammaModel } from './GammaGammaModel';
import { MBGNBDModel } from './MBGNBDModel';
import { ParetoNBDModel } from './ParetoNBDModel';
import { ShiftedBetaGeometricModel } from './ShiftedBetaGeometricModel';

/** Any CLV model `loadClvModel` can return. */
export type ClvModel =
  | BGNBDModel
  | MBGNBDModel
  | ParetoNBDModel
  | GammaGammaModel
  | BGBBModel
  | ShiftedBetaGeometricModel
  | CovariateRepeatModel;

/** The `model` tags of the CLV envelope, in the order `loadClvModel` knows them. */
export const CLV_MODEL_KINDS = [
  'bgnbd',
  'mbgnbd',
  'paretonbd',
  'gammagamma',
  'bgbb',
  'sbg',
  'paretonbd-cov',
  'bgnbd-cov',
] as const;

/**
 * Loads any saved CLV model from its `{ model, version, ... }` envelope (the output of a model's
 * `toJSON()`, after `JSON.parse`): the `model` tag picks the class, then every field is validated
 * (parameters finite and within [1e-14, 1e14], standard errors, counts; unknown keys rejected).
 * A standalone function, so code that only fits models does not bundle the loaders. Each class's
 * static `fromJSON` still works and reads the same envelope.
 * @param json a parsed model JSON.
 * @returns the model, with its class (`instanceof BGNBDModel`, ...).
 * @throws {ValidationError} for a non-object, an unknown `model` tag or version, or invalid fields.
 * @example
 * ```ts
 * const m = fitBGNBD(rows);
 * const back = loadClvModel(JSON.parse(JSON.stringify(m)));
 * back instanceof BGNBDModel; // => true
 * ```
 */
export function loadClvModel(json: unknown): ClvModel {
  const env = readEnvelope('loadClvModel', json, CLV_MODEL_KINDS);
  switch (env.model as (typeof CLV_MODEL_KINDS)[number]) {
    case 'bgnbd':
      return BGNBDModel.fromJSON(json);
    case 'mbgnbd':
      return MBGNBDModel.fromJSON(json);
    case 'paretonbd':
      return ParetoNBDModel.fromJSON(json);
    case 'gammagamma':
      return GammaGammaModel.fromJSON(json);
    case 'bgbb':
      return BGBBModel.fromJSON(json);
    case 'paretonbd-cov':
    case 'bgnbd-cov':
      return CovariateRepeatModel.fromJSON(json);
    default:
      return ShiftedBetaGeometricModel.fromJSON(json);
  }
}
