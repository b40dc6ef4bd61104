import { BetaGeoModelBase } from './_BetaGeoModel';
import { BETA_GEO_NAMES, type BetaGeoParams } from './_betaGeo';
import { type ModelJSON, modelSchema, parseModelJson } from './_modelJson';

export type { BetaGeoParams as MBGNBDParams } from './_betaGeo';

/** Serialised form of a {@link MBGNBDModel}. */
export interface MBGNBDModelJSON extends ModelJSON<'mbgnbd', BetaGeoParams> {}

const schema = modelSchema('mbgnbd', BETA_GEO_NAMES);

/**
 * A fitted MBG/NBD model (Batislam, Denizel & Filiztekin 2007): BG/NBD with a dropout
 * opportunity also at the first purchase, so customers without repeat purchases can be inactive
 * (their probability alive falls with T instead of being 1). Parameters r, α (purchase rates
 * λ ~ Gamma(r, α)) and a, b (dropout probability p ~ Beta(a, b)); time in the unit of the data.
 *
 * @example
 * ```ts
 * const m = fitMBGNBD(cdnowRows); // r 0.525, alpha 6.183, a 0.891, b 1.614 (BTYDplus)
 * m.probabilityAlive({ frequency: 0, recency: 0, T: 38.86 }); // => 0.39 (BG/NBD says 1)
 * ```
 */
export class MBGNBDModel extends BetaGeoModelBase {
  protected readonly shift = 1 as const;
  protected readonly label = 'MBGNBDModel';

  /** Plain-JSON form; load with {@link MBGNBDModel.fromJSON}. */
  toJSON(): MBGNBDModelJSON {
    return { model: 'mbgnbd', version: 1, ...this.jsonBody() };
  }

  /**
   * Loads a model saved with `toJSON()`, validating it.
   * @throws {ValidationError} when the JSON is not a valid BG/NBD model.
   */
  static fromJSON(json: unknown): MBGNBDModel {
    const d = parseModelJson('MBGNBDModel.fromJSON', schema, json);
    return new MBGNBDModel(d.params, d);
  }
}
