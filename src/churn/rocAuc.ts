import { optionError } from '../_lib/time';
/**
 * Area under the ROC curve: the probability that a random positive scores higher than a random
 * negative, ties counted as one half (Mann–Whitney U / (n₊·n₋)). Identical to scikit-learn's
 * `roc_auc_score`. O(n log n).
 *
 * Missing-data policy: rows whose score is not finite are skipped; returns `null` when either class
 * is absent (the AUC is undefined), never NaN.
 *
 * @param scores any scores (higher = more likely positive).
 * @param labels 1/true = positive, 0/false = negative; same length as `scores`.
 * @returns the AUC in [0, 1], or `null`.
 * @throws {ValidationError} when the lengths differ.
 * @example
 * ```ts
 * rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]); // => 0.75
 * ```
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>): number | null {
  const n = scores.length;
  if (labels.length !== n)
    throw optionError(
      'rocAuc',
      'labels',
      `must have one entry per score (${labels.length} labels for ${n} scores)`,
    );
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(scores[i] as number)) idx.push(i);
  idx.sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let pos = 0;
  let neg = 0;
  let rankSumPos = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    const s = scores[idx[i] as number] as number;
    while (j < idx.length && scores[idx[j] as number] === s) j++;
    const midRank = (i + 1 + j) / 2; // average of ranks i+1 … j
    for (let k = i; k < j; k++) {
      const l = labels[idx[k] as number];
      if (l === 1 || l === true) {
        pos++;
        rankSumPos += midRank;
      } else neg++;
    }
    i = j;
  }
  if (pos === 0 || neg === 0) return null;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}
