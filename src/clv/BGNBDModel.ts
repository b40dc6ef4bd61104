import { BetaGeoModelBase } from './_BetaGeoModel';
import { BETA_GEO_NAMES, type BetaGeoParams } from './_betaGeo';
import { type ModelJSON, modelSchema, parseModelJson } from './_modelJson';

export type { BetaGeoParams as BGNBDParams } from './_betaGeo';

/** Serialised form of a {@link BGNBDModel}. */
export interface BGNBDModelJSON extends ModelJSON<'bgnbd', BetaGeoParams> {}

const schema = modelSchema('bgnbd', BETA_GEO_NAMES);

/**
 * A fitted BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way").
 * Purchases follow a Poisson process with rate λ ~ Gamma(r, α); after each repeat purchase the
 * customer drops out with probability p ~ Beta(a, b). Time is in the unit of the fitted data.
 *
 * Known flaw: a customer with no repeat purchase (x = 0) can never have dropped out in this model,
 * so `probabilityAlive` is exactly 1 for them however long ago they bought. Use
 * {@link MBGNBDModel} or {@link ParetoNBDModel} for "probability alive" of one-time buyers.
 *
 * @example
 * ```ts
 * const m = fitBGNBD(cdnowRows); // r 0.243, alpha 4.414, a 0.793, b 2.426
 * m.conditionalExpectedPurchases(39, { frequency: 2, recency: 30.43, T: 38.86 }); // => 1.226
 * ```
 */
export class BGNBDModel extends BetaGeoModelBase {
  protected readonly shift = 0 as const;
  protected readonly label = 'BGNBDModel';

  /** Plain-JSON form; load with {@link BGNBDModel.fromJSON}. */
  toJSON(): BGNBDModelJSON {
    return { model: 'bgnbd', version: 1, ...this.jsonBody() };
  }

  /**
   * Loads a model saved with `toJSON()`, validating it.
   * @throws {ValidationError} when the JSON is not a valid BG/NBD model.
   */
  static fromJSON(json: unknown): BGNBDModel {
    const d = parseModelJson('BGNBDModel.fromJSON', schema, json);
    return new BGNBDModel(d.params, d);
  }
}
