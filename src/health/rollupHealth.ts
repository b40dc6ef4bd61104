import { checkOptions, ValidationError, zodIssues } from '../_lib/errors';
import { compareCodeUnits } from '../_lib/order';
import { showValue } from '../_lib/safe';
import type { CustomerProfile } from '../events/types';
import { bandOf } from './_assembleScore';
import { toProfileMap } from './_scorecardChoice';
import type { HealthScore } from './healthTypes';
import { BandSchema, DEFAULT_BANDS, type HealthBand } from './scorecardSchema';

/** Options of {@link rollupHealth}. */
export interface RollupHealthOptions {
  /** Bands for the parent scores. @default DEFAULT_BANDS (0–49 at risk, 50–74 neutral, 75–100 healthy) */
  bands?: readonly HealthBand[];
}

/** One child's part in a parent score. */
export interface RollupChild {
  customerId: string;
  score: number;
  mrr: number | null;
  /** Share of the parent score (weights sum to 1). */
  weight: number;
}

/** A parent account's score rolled up from its children. */
export interface AccountHealth {
  parentId: string;
  /** MRR-weighted mean of the children's scores, or null when no child has a score. */
  score: number | null;
  band: string | null;
  /** `mrr` when at least one scored child has MRR > 0, else `equal`. */
  weighting: 'mrr' | 'equal';
  totalMrr: number;
  children: RollupChild[];
  /** Children without a score (left out). */
  unscored: string[];
  reason: string | null;
}

/**
 * Rolls child accounts up into their parent (profile `parentId`): the parent score is
 * `Σ mrr_i × score_i / Σ mrr_i` over the scored children, with MRR from the profiles.
 *
 * Missing data: children with a null score are listed in `unscored` and left out; a child without
 * MRR counts with MRR 0 when a sibling has MRR; when no scored child has MRR > 0 every child weighs
 * the same (`weighting: 'equal'`). Only direct children are rolled up (not grandchildren).
 *
 * @param scores results of `scoreHealth`.
 * @param profiles profiles carrying `parentId` and `mrr`.
 * @param options bands.
 * @returns one result per parent id, in parent-id order.
 * @throws {ValidationError} when `scores` is not an array of objects with a string `customerId` and a
 * finite-or-null `score`, the bands are invalid, or the children's MRR sums beyond the largest number.
 * @example
 * ```ts
 * rollupHealth(scores, profiles)[0];
 * // => { parentId: 'globex', score: 62.5, band: 'neutral', weighting: 'mrr', totalMrr: 4000, ... }
 * ```
 */
export function rollupHealth(
  scores: readonly HealthScore[],
  profiles: readonly CustomerProfile[] | ReadonlyMap<string, CustomerProfile>,
  options: RollupHealthOptions = {},
): AccountHealth[] {
  const fn = 'rollupHealth';
  checkOptions(fn, options, ['bands']);
  if (!Array.isArray(scores)) {
    throw new ValidationError(fn, [
      { path: ['scores'], code: 'not_an_array', message: 'scores must be an array of health scores' },
    ]);
  }
  for (let i = 0; i < scores.length; i++) {
    const s: unknown = scores[i];
    const o = typeof s === 'object' && s !== null ? (s as Record<string, unknown>) : null;
    const problem =
      o === null
        ? `each score must be an object (from scoreHealth), got ${showValue(s)}`
        : typeof o.customerId !== 'string'
          ? `customerId must be a string, got ${showValue(o.customerId)}`
          : o.score !== null && (typeof o.score !== 'number' || !Number.isFinite(o.score))
            ? `score must be a finite number or null, got ${showValue(o.score)}`
            : null;
    if (problem !== null)
      throw new ValidationError(fn, [
        { index: i, path: ['scores'], code: 'invalid_element', message: problem },
      ]);
  }
  const bands = options.bands ?? DEFAULT_BANDS;
  const parsed = BandSchema.array().min(1).safeParse(bands);
  if (!parsed.success) throw new ValidationError(fn, zodIssues(parsed.error, ['bands']), 'bands');
  const pm = toProfileMap(profiles, fn);
  const byParent = new Map<string, HealthScore[]>();
  for (const s of scores) {
    const parent = pm.get(s.customerId)?.parentId;
    if (parent === undefined) continue;
    const list = byParent.get(parent);
    if (list === undefined) byParent.set(parent, [s]);
    else list.push(s);
  }
  const ids = Array.from(byParent.keys()).sort(compareCodeUnits);
  return ids.map((parentId) => {
    const kids = (byParent.get(parentId) as HealthScore[])
      .slice()
      .sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
    const scored = kids.filter((k) => k.score !== null);
    const unscored = kids.filter((k) => k.score === null).map((k) => k.customerId);
    const mrrs = scored.map((k) => {
      const m = pm.get(k.customerId)?.mrr;
      return m !== undefined && Number.isFinite(m) && m > 0 ? m : null;
    });
    const totalMrr = mrrs.reduce<number>((a, m) => a + (m ?? 0), 0);
    if (!Number.isFinite(totalMrr))
      throw new ValidationError(fn, [
        {
          path: ['profiles'],
          code: 'too_big',
          message: `the MRR of parent ${showValue(parentId)}'s children adds up beyond the largest number`,
        },
      ]);
    const weighting: 'mrr' | 'equal' = totalMrr > 0 ? 'mrr' : 'equal';
    const children: RollupChild[] = scored.map((k, i) => ({
      customerId: k.customerId,
      score: k.score as number,
      mrr: mrrs[i] ?? null,
      weight: weighting === 'mrr' ? (mrrs[i] ?? 0) / totalMrr : 1 / scored.length,
    }));
    let score: number | null = null;
    if (children.length > 0) {
      score = 0;
      for (const c of children) score += c.weight * c.score;
    }
    return {
      parentId,
      score,
      band: score === null ? null : bandOf(bands, score),
      weighting,
      totalMrr,
      children,
      unscored,
      reason: score === null ? 'no child account has a score' : null,
    };
  });
}
